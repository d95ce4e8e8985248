"""A whole FeatureCollection built by the database as one JSON text (PostgreSQL json_*, SQLite JSON1).

For a full, unpaged collection the database assembles every feature, so Python neither builds
nor serialises one object per record. Booleans are written as JSON true/false on both databases;
many-to-many codes come from correlated subqueries, sorted.
"""

from django.db import connection, models


def _quote(name):
    return connection.ops.quote_name(name)


def _property(model, name, vendor):
    field = model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
    column = f"t.{_quote(field.column)}"
    if isinstance(field, models.BooleanField) and vendor == "sqlite":
        return f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} THEN json('true') ELSE json('false') END"
    if isinstance(field, models.DecimalField) and vendor == "sqlite":
        return f"CAST({column} AS REAL)"
    return column


def _codes(model, relation, value, vendor):
    field = model._meta.get_field(relation)
    through = field.remote_field.through._meta
    target = field.related_model._meta
    source_column = through.get_field(field.m2m_field_name()).column
    target_column = through.get_field(field.m2m_reverse_field_name()).column
    value_column = target.get_field(value).column
    rows = (
        f"SELECT r.{_quote(value_column)} AS code FROM {_quote(through.db_table)} l "
        f"JOIN {_quote(target.db_table)} r ON r.{_quote(target.pk.column)} = l.{_quote(target_column)} "
        f"WHERE l.{_quote(source_column)} = t.{_quote(model._meta.pk.column)}"
    )
    if vendor == "postgresql":
        return f"COALESCE((SELECT json_agg(c.code ORDER BY c.code) FROM ({rows}) c), '[]'::json)"
    return f"json((SELECT json_group_array(c.code) FROM ({rows} ORDER BY code) c))"


def supported():
    return connection.vendor in ("postgresql", "sqlite")


def feature_collection(queryset, *, properties, many=None):
    """The FeatureCollection of `queryset` as JSON bytes, features ordered by Chinese name then id."""
    model, vendor = queryset.model, connection.vendor
    obj, arr, agg = (
        ("json_build_object", "json_build_array", "json_agg")
        if vendor == "postgresql"
        else ("json_object", "json_array", "json_group_array")
    )
    pairs = [f"'{name}', {_property(model, name, vendor)}" for name in properties]
    pairs += [
        f"'{name}', {_codes(model, relation, value, vendor)}" for name, (relation, value) in (many or {}).items()
    ]
    pk = f"t.{_quote(model._meta.pk.column)}"
    lat, lng = f"t.{_quote('lat')}", f"t.{_quote('lng')}"
    point = f"{obj}('type', 'Point', 'coordinates', {arr}({lng}, {lat}))"
    geometry = f"CASE WHEN {lat} IS NULL OR {lng} IS NULL THEN NULL ELSE {point} END"
    feature = f"{obj}('type', 'Feature', 'id', {pk}, 'geometry', {geometry}, 'properties', {obj}({', '.join(pairs)}))"
    inner_sql, params = queryset.order_by().values("pk").query.sql_with_params()
    table = f"{_quote(model._meta.db_table)} t"
    order = f"t.{_quote('name_zh')}, {pk}"
    where = f"WHERE {pk} IN ({inner_sql})"
    if vendor == "postgresql":
        sql = (
            f"SELECT json_build_object('type', 'FeatureCollection', 'features', "
            f"COALESCE({agg}({feature} ORDER BY {order}), '[]'::json))::text FROM {table} {where}"
        )
    else:
        sql = (
            f"SELECT json_object('type', 'FeatureCollection', 'features', json_group_array(json(f))) FROM "
            f"(SELECT {feature} AS f FROM {table} {where} ORDER BY {order})"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0].encode()
