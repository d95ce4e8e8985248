"""GeoJSON for the mappable resources, built fast: values() into dicts, orjson, no serializer per object.

Used by the REST API's `/geojson/` routes and by the OGC API - Features items.
"""

import hashlib
from decimal import Decimal

import orjson
from django.db.models import Case, F, Max, When
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.text import compress_string

CONTENT_TYPE = "application/geo+json"


def features(queryset, *, properties, many=None, id_prefix="", links=None, outline=None):
    """GeoJSON features for a queryset of Places.

    Geometry: the record's `outline` field (a GeoJSON Polygon or MultiPolygon in WGS-84 lon/lat, e.g. a
    park's), when given and the record has one, else its position as a Point [lng, lat], else null;

    properties: field names (values() lookups) copied into each feature's properties;
    many: {property: (relation, value lookup)} for many-to-many codes, read from the link table in
    one query each;
    links: {property: queryset of the targets that may be shown} for foreign-key properties (e.g. park_id):
    a link to any other target is null (Audience.link_limits; same query, no extra one).
    """
    links = links or {}
    shown = {
        f"shown_{name}": Case(When(**{f"{name}__in": targets.values("pk")}, then=F(name)), default=None)
        for name, targets in links.items()
    }
    lookups = [f"shown_{name}" if name in links else name for name in properties]
    shapes = [outline] if outline else []
    rows = list(queryset.annotate(**shown).values_list("pk", "lat", "lng", *shapes, *lookups))
    related = {}
    # A page (sliced) names its few keys; a whole collection is selected again by subquery.
    chosen = [row[0] for row in rows] if queryset.query.is_sliced else queryset.order_by().values("pk")
    for name, (relation, value) in (many or {}).items():
        field = queryset.model._meta.get_field(relation)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        grouped = {}
        links = through.objects.filter(**{f"{source}__in": chosen}).values_list(f"{source}_id", f"{target}__{value}")
        for pk, code in links:
            grouped.setdefault(pk, []).append(code)
        related[name] = grouped
    result = []
    for pk, lat, lng, *values in rows:
        shape = values.pop(0) if outline else None
        row = dict(zip(properties, values, strict=True))
        for name, grouped in related.items():
            row[name] = sorted(grouped.get(pk, ()))
        result.append(
            {
                "type": "Feature",
                "id": f"{id_prefix}{pk}" if id_prefix else pk,
                "geometry": shape if isinstance(shape, dict) else _point(lat, lng),
                "properties": row,
            }
        )
    return result


def _point(lat, lng):
    return None if lat is None or lng is None else {"type": "Point", "coordinates": [lng, lat]}


def _default(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(data):
    return orjson.dumps(data, default=_default, option=orjson.OPT_NON_STR_KEYS)


def last_modified(queryset):
    return queryset.order_by().aggregate(latest=Max("updated_at"))["latest"]


def cached_response(request, body, *, content_type, modified=None):
    """A response that clients and caches can revalidate (ETag, Last-Modified) and that is gzipped when asked."""
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    if etag in [tag.strip() for tag in request.META.get("HTTP_IF_NONE_MATCH", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
        if "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "") and len(body) > 200:
            response.content = compress_string(body)
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    if modified:
        response["Last-Modified"] = http_date(modified.timestamp())
    response["Cache-Control"] = "public, max-age=60"
    patch_vary_headers(response, ["Accept-Encoding", "Accept-Language", "X-Api-Key", "Cookie"])
    return response
