"""The floor of the enterprise GeoJSON (`make bench`): the least work that can give the same features.

The same published enterprises, columns and many-to-many codes as /api/v1/enterprises/geojson/, fetched
with the database driver (three plain queries, no ORM), built into dicts and serialised with orjson in
this process, then compressed as the client accepts at the app's own dynamic level (nansha.ops.encoded).
Not part of the product: a yardstick for the app's time with the cache off.
"""

import orjson
from django.db import connection
from django.http import HttpResponse

from industry.models import Enterprise
from nansha.ops import encoded

PROPERTIES = [
    "name_zh",
    "name_en",
    "position_is_approximate",
    "verified_on",
    "credit_code",
    "ownership",
    "size_band",
    "founded_on",
    "park_id",
    "website",
]


def _codes(cursor, relation, published):
    field = Enterprise._meta.get_field(relation)
    through = field.remote_field.through._meta
    target = field.related_model._meta
    source = through.get_field(field.m2m_field_name()).column
    link = through.get_field(field.m2m_reverse_field_name()).column
    cursor.execute(
        f"SELECT l.{source}, r.code FROM {through.db_table} l JOIN {target.db_table} r ON r.id = l.{link} "
        f"WHERE l.{source} IN ({published}) ORDER BY r.code",
        ["published"],
    )
    grouped = {}
    for pk, code in cursor.fetchall():
        grouped.setdefault(pk, []).append(code)
    return grouped


def geojson_floor(request):
    table = Enterprise._meta.db_table
    published = f"SELECT id FROM {table} WHERE status = %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, lat, lng, {', '.join(PROPERTIES)} FROM {table} WHERE status = %s ORDER BY name_zh, id",
            ["published"],
        )
        rows = cursor.fetchall()
        segments = _codes(cursor, "segments", published)
        honours = _codes(cursor, "honours", published)
    features = []
    for pk, lat, lng, *values in rows:
        properties = dict(zip(PROPERTIES, values, strict=True))
        properties["position_is_approximate"] = bool(properties["position_is_approximate"])
        properties["segments"] = segments.get(pk, [])
        properties["honours"] = honours.get(pk, [])
        geometry = None if lat is None or lng is None else {"type": "Point", "coordinates": [lng, lat]}
        features.append({"type": "Feature", "id": pk, "geometry": geometry, "properties": properties})
    body = orjson.dumps({"type": "FeatureCollection", "name": "enterprises", "features": features})
    chosen = encoded.variant(body, encoded.accepted_encoding(request))
    response = HttpResponse(chosen.content, content_type="application/geo+json")
    if chosen.encoding != encoded.IDENTITY:
        response["Content-Encoding"] = chosen.encoding
    return response
