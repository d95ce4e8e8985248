"""A whole FeatureCollection built by the database as one JSON text (PostgreSQL json_*, SQLite JSON1).

For a full, unpaged collection the database assembles every feature, so Python neither builds
nor serialises one object per record. Booleans are written as JSON true/false on both databases;
many-to-many codes come from correlated subqueries, sorted. A foreign-key property whose targets are
limited (links) is null unless its target is among those the caller may see.
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


def _link_tables(model, relation, value):
    field = model._meta.get_field(relation)
    through = field.remote_field.through._meta
    target = field.related_model._meta
    return {
        "through": _quote(through.db_table),
        "target": _quote(target.db_table),
        "target_pk": _quote(target.pk.column),
        "source_column": _quote(through.get_field(field.m2m_field_name()).column),
        "target_column": _quote(through.get_field(field.m2m_reverse_field_name()).column),
        "value": _quote(target.get_field(value).column),
    }


def _codes_subquery(model, relation, value):
    """SQLite: the sorted codes of one record, as a correlated subquery."""
    t = _link_tables(model, relation, value)
    rows = (
        f"SELECT r.{t['value']} AS code FROM {t['through']} l JOIN {t['target']} r ON r.{t['target_pk']} = "
        f"l.{t['target_column']} WHERE l.{t['source_column']} = t.{_quote(model._meta.pk.column)}"
    )
    return f"json((SELECT json_group_array(c.code) FROM ({rows} ORDER BY code) c))"


def _codes_join(model, relation, value, alias, chosen):
    """PostgreSQL: the sorted codes of every chosen record, aggregated once and joined (no per-row subquery)."""
    t = _link_tables(model, relation, value)
    return (
        f"LEFT JOIN (SELECT l.{t['source_column']} AS id, json_agg(r.{t['value']} ORDER BY r.{t['value']}) AS codes "
        f"FROM {t['through']} l JOIN {t['target']} r ON r.{t['target_pk']} = l.{t['target_column']} "
        f"WHERE l.{t['source_column']} IN ({chosen}) GROUP BY l.{t['source_column']}) {alias} "
        f"ON {alias}.id = t.{_quote(model._meta.pk.column)}"
    )


def supported():
    return connection.vendor in ("postgresql", "sqlite")


def _limited(column, targets):
    """The column where its value is among `targets` (a queryset), else NULL: a link the caller may not see."""
    sql, params = targets.order_by().values("pk").query.sql_with_params()
    return f"CASE WHEN {column} IN ({sql}) THEN {column} END", list(params)


def feature_collection(queryset, *, properties, many=None, links=None, name="", outline=None):
    """The FeatureCollection of `queryset` as JSON bytes, features ordered by Chinese name then id.

    links: {property: queryset of the targets that may be shown}, as for geojson.features;
    name: the collection's name (GIS clients name the layer after it);
    outline: a GeoJSON Polygon/MultiPolygon field used as geometry where set (else the point), as in
    geojson.features.
    """
    model, vendor, collection_name = queryset.model, connection.vendor, name
    postgres = vendor == "postgresql"
    obj, arr = ("json_build_object", "json_build_array") if postgres else ("json_object", "json_array")
    inner_sql, inner_params = queryset.order_by().values("pk").query.sql_with_params()
    pairs, params = [], []  # params in the order their placeholders appear: properties first
    for name in properties:
        column = _property(model, name, vendor)
        if name in (links or {}):
            column, link_params = _limited(column, links[name])
            params += link_params
        pairs.append(f"'{name}', {column}")
    joins = []
    for i, (name, (relation, value)) in enumerate((many or {}).items()):
        if postgres:
            alias = f"m{i}"
            joins.append(_codes_join(model, relation, value, alias, inner_sql))
            params += list(inner_params)
            pairs.append(f"'{name}', COALESCE({alias}.codes, '[]'::json)")
        else:
            pairs.append(f"'{name}', {_codes_subquery(model, relation, value)}")
    params += list(inner_params)
    pk = f"t.{_quote(model._meta.pk.column)}"
    lat, lng = f"t.{_quote('lat')}", f"t.{_quote('lng')}"
    point = f"{obj}('type', 'Point', 'coordinates', {arr}({lng}, {lat}))"
    geometry = f"CASE WHEN {lat} IS NULL OR {lng} IS NULL THEN NULL ELSE {point} END"
    if outline:
        column = f"t.{_quote(model._meta.get_field(outline).column)}"
        shape = (
            f"WHEN jsonb_typeof({column}) = 'object' THEN {column}::json"
            if postgres
            else f"WHEN json_type({column}) = 'object' THEN json({column})"
        )
        geometry = f"CASE {shape} ELSE {geometry} END"
    feature = f"{obj}('type', 'Feature', 'id', {pk}, 'geometry', {geometry}, 'properties', {obj}({', '.join(pairs)}))"
    source = f"{_quote(model._meta.db_table)} t {' '.join(joins)} WHERE {pk} IN ({inner_sql})"
    order = f"t.{_quote('name_zh')}, {pk}"
    if postgres:
        sql = (
            f"SELECT json_build_object('type', 'FeatureCollection', 'name', %s::text, 'features', "
            f"COALESCE(json_agg({feature} ORDER BY {order}), '[]'::json))::text FROM {source}"
        )
    else:
        sql = (
            f"SELECT json_object('type', 'FeatureCollection', 'name', %s, 'features', json_group_array(json(f))) FROM "
            f"(SELECT {feature} AS f FROM {source} ORDER BY {order})"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [collection_name, *params])
        return cursor.fetchone()[0].encode()
