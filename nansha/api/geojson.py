"""GeoJSON for the mappable resources, built fast: values() into dicts, orjson, no serializer per object.

Used by the REST API's `/geojson/` routes and by the OGC API - Features items.
"""

from decimal import Decimal

import orjson
from django.db.models import Case, F, Max, When
from django.utils.functional import Promise

from nansha.ops import encoded

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
    if isinstance(value, Promise):  # a lazily translated text
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(data):
    return orjson.dumps(data, default=_default, option=orjson.OPT_NON_STR_KEYS)


def last_modified(queryset):
    return queryset.order_by().aggregate(latest=Max("updated_at"))["latest"]


def cached_response(request, body, *, content_type, modified=None):
    """A response that clients and caches can revalidate (ETag, Last-Modified), compressed as the client accepts
    (nansha.ops.encoded: brotli or gzip at a fast level, as it is made for this request)."""
    response = encoded.dynamic_response(request, body, content_type=content_type, modified=modified, vary=VARY)
    response["Cache-Control"] = "public, max-age=60"
    return response


# What an API response depends on besides its URL: the encoding, the language and the caller (key or session).
VARY = ("Accept-Language", "X-Api-Key", "Cookie")


def stored_response(request, parts, compute, *, content_type):
    """The response for `parts` from the cache, compressed once per encoding (nansha.ops.encoded.cached_variant):
    compute() -> (plain body bytes, last modified datetime or None)."""
    body = encoded.cached_variant(parts, compute, encoded.accepted_encoding(request))
    response = encoded.response(request, body, content_type=content_type, vary=VARY)
    response["Cache-Control"] = "public, max-age=60"
    return response
