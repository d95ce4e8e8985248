"""Address to point: the server asks the geocoding web service the environment configures and answers WGS-84.

Services (settings.GEOCODER, key settings.GEOCODER_KEY; settings.GEOCODER_URL replaces the service's address):
- "amap": Gaode/AMap web service API, 地理编码 (https://lbs.amap.com/api/webservice/guide/api/georegeo):
  GET /v3/geocode/geo?key=…&address=…&city=…&output=JSON answers {"status": "1", "count": "1", "geocodes":
  [{"formatted_address", "location": "lng,lat" in GCJ-02, "level": "兴趣点" | "门牌号" | "道路" | "区县" | …}]},
  or {"status": "0", "info": "INVALID_USER_KEY", "infocode": "10001"}. GCJ-02 is converted to WGS-84.
- "tianditu": 天地图 地理编码 (http://lbs.tianditu.gov.cn/server/geocodinginterface.html):
  GET /geocoder?ds={"keyWord": …}&tk=… answers {"status": "0", "msg": "ok", "location": {"lon", "lat",
  "level": "门址" | "兴趣点" | …, "score"}}. Its CGCS2000 coordinates agree with WGS-84 within centimetres.
A result whose level is coarser than a building, a door number or a point of interest is approximate.
"""

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass

import coordTransform
from django.conf import settings
from django.utils.translation import gettext as _

DEFAULT_URLS = {
    "amap": "https://restapi.amap.com/v3/geocode/geo",
    "tianditu": "http://api.tianditu.gov.cn/geocoder",
}
# Levels that name one building, door or point of interest; anything coarser (road, district, city) is approximate.
PRECISE_LEVELS = {"amap": {"兴趣点", "门牌号", "单元号"}, "tianditu": {"门址", "兴趣点", "门牌号"}}
MAX_ADDRESS_LENGTH = 200


class GeocodingError(Exception):
    """Why no point was found, in words for staff; `status` is the HTTP status the admin's endpoint answers."""

    def __init__(self, message, status=502):
        super().__init__(message)
        self.status = status


@dataclass
class Found:
    """A point found for an address: WGS-84 degrees, the service's own address and level, and whether it is
    approximate (the service matched something coarser than a building or point of interest)."""

    lat: float
    lng: float
    approximate: bool
    level: str
    address: str
    service: str

    def as_dict(self):
        return asdict(self)


def gcj02_to_wgs84(lng, lat):
    """WGS-84 (lng, lat) of a GCJ-02 point, in degrees, within a few centimetres.

    coordTransform gives the published GCJ-02 offset (forward, exact) and a one-step inverse that is about
    2 m off; three fixed-point steps with the forward offset, as gcoord (the map's converter) does, bring it
    within centimetres, so a point found here lands where the map draws it.
    """
    wgs_lng, wgs_lat = coordTransform.gcj02_to_wgs84(lng, lat)
    for _step in range(3):
        there_lng, there_lat = coordTransform.wgs84_to_gcj02(wgs_lng, wgs_lat)
        wgs_lng, wgs_lat = wgs_lng + (lng - there_lng), wgs_lat + (lat - there_lat)
    return wgs_lng, wgs_lat


def geocode(address):
    """The point of `address` (text, up to MAX_ADDRESS_LENGTH characters) from the configured service.

    Raises GeocodingError naming the reason: no address, no service configured, the service unreachable or
    refusing (its own reason, e.g. an invalid key), or nothing found.
    """
    address = (address or "").strip()
    if not address:
        raise GeocodingError(_("Type an address first."), status=400)
    if len(address) > MAX_ADDRESS_LENGTH:
        raise GeocodingError(_("An address has at most %(max)d characters.") % {"max": MAX_ADDRESS_LENGTH}, 400)
    service = settings.GEOCODER
    if service not in DEFAULT_URLS:
        raise GeocodingError(_("GEOCODER must be “amap” or “tianditu”, not “%(name)s”.") % {"name": service}, 503)
    if not settings.GEOCODER_KEY:
        raise GeocodingError(
            _("No geocoding service is configured (set GEOCODER_KEY): type the latitude and longitude instead."),
            status=503,
        )
    url = settings.GEOCODER_URL or DEFAULT_URLS[service]
    if service == "amap":
        query = {"key": settings.GEOCODER_KEY, "address": address, "city": settings.GEOCODER_CITY, "output": "JSON"}
    else:
        query = {"ds": json.dumps({"keyWord": address}, ensure_ascii=False), "tk": settings.GEOCODER_KEY}
    answer = _get_json(f"{url}?{urllib.parse.urlencode(query)}")
    return _read_amap(answer) if service == "amap" else _read_tianditu(answer)


def _get_json(url):
    try:
        with urllib.request.urlopen(url, timeout=settings.GEOCODER_TIMEOUT_SECONDS) as response:  # noqa: S310
            return json.loads(response.read(1_000_000).decode("utf-8"))
    except urllib.error.HTTPError as error:
        raise GeocodingError(_("The geocoding service answered HTTP %(code)s.") % {"code": error.code}) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise GeocodingError(
            _("The geocoding service cannot be reached (%(reason)s): check the network.") % {"reason": reason}
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise GeocodingError(_("The geocoding service answered something that is not JSON.")) from None


def _not_found():
    return GeocodingError(_("The geocoding service found no place for this address."), status=404)


def _coordinates(lng, lat):
    try:
        lng, lat = float(lng), float(lat)
    except (TypeError, ValueError):
        raise GeocodingError(_("The geocoding service answered a position that is not two numbers.")) from None
    if not (math.isfinite(lng) and math.isfinite(lat) and -180 <= lng <= 180 and -90 <= lat <= 90):
        raise GeocodingError(_("The geocoding service answered a position that is not two numbers."))
    return lng, lat


def _read_amap(answer):
    if not isinstance(answer, dict) or str(answer.get("status")) != "1":
        info = answer.get("info", "") if isinstance(answer, dict) else ""
        raise GeocodingError(_("The geocoding service refused the request: %(info)s.") % {"info": info or "?"})
    geocodes = answer.get("geocodes") or []
    if not geocodes or not isinstance(geocodes[0], dict):
        raise _not_found()
    first = geocodes[0]
    lng, lat = _coordinates(*(str(first.get("location", "")).split(",") + ["", ""])[:2])
    lng, lat = gcj02_to_wgs84(lng, lat)
    level = str(first.get("level") or "")
    return Found(
        lat=round(lat, 6),
        lng=round(lng, 6),
        approximate=level not in PRECISE_LEVELS["amap"],
        level=level,
        address=str(first.get("formatted_address") or ""),
        service="amap",
    )


def _read_tianditu(answer):
    if not isinstance(answer, dict) or str(answer.get("status")) != "0":
        message = answer.get("msg", "") if isinstance(answer, dict) else ""
        raise GeocodingError(_("The geocoding service refused the request: %(info)s.") % {"info": message or "?"})
    location = answer.get("location")
    if not isinstance(location, dict):
        raise _not_found()
    lng, lat = _coordinates(location.get("lon"), location.get("lat"))
    level = str(location.get("level") or "")
    return Found(
        lat=round(lat, 6),
        lng=round(lng, 6),
        approximate=level not in PRECISE_LEVELS["tianditu"],
        level=level,
        address=str(location.get("keyWord") or ""),
        service="tianditu",
    )
