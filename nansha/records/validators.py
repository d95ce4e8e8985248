"""Validation rules shared by the apps: credit codes, positions and park outlines."""

import json
import math
import re

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

# A sensible box around Guangdong province, Hong Kong and Macao (the Greater Bay Area and the rest
# of the province). A point outside it is almost always a typo or swapped latitude/longitude.
REGION_BOUNDS = {"min_lat": 20.0, "max_lat": 25.6, "min_lng": 109.5, "max_lng": 117.4}

# GB 32100-2015: 18 characters from this alphabet (no I, O, S, V, Z); the 18th is a check character.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalize_credit_code(value):
    return (value or "").strip().upper()


def credit_code_check_character(first17):
    """The check character GB 32100-2015 prescribes for the first 17 characters."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value):
    """A unified social credit code (统一社会信用代码) per GB 32100-2015."""
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="length",
            params={"n": len(code)},
        )
    bad = sorted({c for c in code if c not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _(
                "A unified social credit code cannot contain %(chars)s "
                "(only digits and capital letters without I, O, S, V, Z)."
            ),
            code="alphabet",
            params={"chars": ", ".join(bad)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 of a unified social credit code are the area code: six digits."), code="area"
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character (the last one) should be %(expected)s, not %(actual)s: "
                "a character is probably mistyped."
            ),
            code="check",
            params={"expected": expected, "actual": code[17]},
        )


def validate_latitude(value):
    if value is None:
        return
    if not math.isfinite(value) or not -90 <= value <= 90:
        raise ValidationError(_("A latitude lies between -90 and 90."), code="range")
    lo, hi = REGION_BOUNDS["min_lat"], REGION_BOUNDS["max_lat"]
    if not lo <= value <= hi:
        raise ValidationError(
            _("Latitude %(value)s is outside Guangdong and the Greater Bay Area (%(lo)s to %(hi)s)."),
            code="region",
            params={"value": value, "lo": lo, "hi": hi},
        )


def validate_longitude(value):
    if value is None:
        return
    if not math.isfinite(value) or not -180 <= value <= 180:
        raise ValidationError(_("A longitude lies between -180 and 180."), code="range")
    lo, hi = REGION_BOUNDS["min_lng"], REGION_BOUNDS["max_lng"]
    if not lo <= value <= hi:
        hint = (
            _(" Latitude and longitude may be swapped.")
            if REGION_BOUNDS["min_lat"] <= value <= REGION_BOUNDS["max_lat"]
            else ""
        )
        raise ValidationError(
            _("Longitude %(value)s is outside Guangdong and the Greater Bay Area (%(lo)s to %(hi)s).%(hint)s"),
            code="region",
            params={"value": value, "lo": lo, "hi": hi, "hint": hint},
        )


def _position_error(position, where):
    """Why a GeoJSON position [lng, lat] (WGS-84 degrees) is wrong, or None."""
    if not isinstance(position, list) or len(position) < 2:
        return _("%(where)s: a position is [longitude, latitude].") % {"where": where}
    lng, lat = position[0], position[1]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in (lng, lat)):
        return _("%(where)s: coordinates must be numbers.") % {"where": where}
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        swapped = -180 <= lat <= 180 and -90 <= lng <= 90
        return _(
            "%(where)s: [%(lng)s, %(lat)s] is not a WGS-84 position (longitude from -180 to 180, "
            "latitude from -90 to 90).%(hint)s"
        ) % {
            "where": where,
            "lng": lng,
            "lat": lat,
            "hint": _(" GeoJSON puts the longitude first: the two may be swapped.") if swapped else "",
        }
    if not (
        REGION_BOUNDS["min_lng"] <= lng <= REGION_BOUNDS["max_lng"]
        and REGION_BOUNDS["min_lat"] <= lat <= REGION_BOUNDS["max_lat"]
    ):
        return _("%(where)s: the point [%(lng)s, %(lat)s] is outside Guangdong and the Greater Bay Area.") % {
            "where": where,
            "lng": lng,
            "lat": lat,
        }
    return None


def _ring_errors(ring, where):
    if not isinstance(ring, list):
        return [_("%(where)s: a ring is a list of positions.") % {"where": where}]
    if len(ring) < 4:
        return [
            _(
                "%(where)s: too few points: a ring needs at least four positions, the last equal to the first "
                "(this one has %(count)d)."
            )
            % {"where": where, "count": len(ring)}
        ]
    errors = [e for i, p in enumerate(ring) if (e := _position_error(p, f"{where}, {_('point')} {i + 1}"))]
    if not errors and ring[0][:2] != ring[-1][:2]:
        errors.append(
            _("%(where)s: the ring is not closed (its last position must equal its first).") % {"where": where}
        )
    return errors


# GEOS's reasons (shapely.is_valid_reason) as "Reason[x y]", x and y the WGS-84 longitude and latitude.
GEOS_REASON = re.compile(r"^(?P<reason>[^\[]+)\[(?P<lng>\S+) (?P<lat>\S+)\]$")
GEOS_REASONS = {
    "Self-intersection": ("self_intersection", _("The outline crosses itself near %(where)s.")),
    "Ring Self-intersection": ("self_intersection", _("The outline touches itself at a point near %(where)s.")),
    "Too few points in geometry component": (
        "too_few_points",
        _("Too few points: a ring has fewer than three different points (near %(where)s)."),
    ),
    "Hole lies outside shell": ("hole_outside", _("A hole lies outside its outline (near %(where)s).")),
    "Holes are nested": ("nested_holes", _("A hole lies inside another hole (near %(where)s).")),
    "Interior is disconnected": ("disconnected", _("Holes cut the outline in two (near %(where)s).")),
    "Nested shells": ("nested_shells", _("One polygon lies inside another (near %(where)s).")),
    "Duplicate Rings": ("duplicate_rings", _("A ring is given twice (near %(where)s).")),
}


def _area_error(geometry):
    """Why a well-formed Polygon/MultiPolygon is not a valid area (OGC Simple Features rules, checked by
    GEOS through shapely), as a ValidationError naming the place (latitude, longitude), or None."""
    reason = shapely.is_valid_reason(shape(geometry))
    if reason == "Valid Geometry":
        return None
    match = GEOS_REASON.match(reason)
    if match and match["reason"] in GEOS_REASONS:
        code, message = GEOS_REASONS[match["reason"]]
        where = _("%(lat).6f° N, %(lng).6f° E") % {"lat": float(match["lat"]), "lng": float(match["lng"])}
        return ValidationError(message, code=code, params={"where": where})
    return ValidationError(
        _("The outline is not a valid area: %(reason)s."), code="invalid_area", params={"reason": reason}
    )


def clean_outline(value):
    """Validate a park outline and return it as a bare GeoJSON Polygon or MultiPolygon.

    A Feature wrapping such a geometry is accepted (that is what drawing tools export) and
    unwrapped; anything but the type and the coordinates is dropped. Positions are WGS-84
    [longitude, latitude] in degrees, inside REGION_BOUNDS.

    Raises ValidationError naming the reason: not a Polygon/MultiPolygon, a position that is not
    two numbers or outside WGS-84's range (with a hint when longitude and latitude look swapped) or
    outside the region, a ring with too few points or not closed, and, checked by GEOS through
    shapely against the OGC Simple Features rules, an outline that crosses itself (with where).
    """
    if value in (None, "", {}):
        return None
    if isinstance(value, str):  # e.g. GeoJSON sent to the API as a string rather than as an object
        try:
            json.loads(value)
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("The outline is not valid JSON: line %(line)d, column %(column)d: %(reason)s."),
                code="not_json",
                params={"line": error.lineno, "column": error.colno, "reason": error.msg},
            ) from None
        raise ValidationError(
            _("The outline is text holding JSON: send the GeoJSON object itself, not a string."), code="string"
        )
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("An outline is a GeoJSON Polygon or MultiPolygon."), code="type")
    coordinates = value.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise ValidationError(_("The outline has no coordinates."), code="empty")
    polygons = [coordinates] if value["type"] == "Polygon" else coordinates
    errors = []
    for p, rings in enumerate(polygons, start=1):
        if not isinstance(rings, list) or not rings:
            errors.append(_("Polygon %(n)d has no rings.") % {"n": p})
            continue
        for r, ring in enumerate(rings, start=1):
            where = (
                _("polygon %(p)d, ring %(r)d") % {"p": p, "r": r} if len(polygons) > 1 else _("ring %(r)d") % {"r": r}
            )
            errors.extend(_ring_errors(ring, where))
    if errors:
        raise ValidationError(errors[:10])
    geometry = {"type": value["type"], "coordinates": coordinates}
    if error := _area_error(geometry):
        raise error
    return geometry


def validate_outline(value):
    clean_outline(value)
