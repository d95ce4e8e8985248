"""OGC API - Features Part 3 (OGC 19-079r2): each collection's queryables and CQL2 text filters (`filter=`).

The text is parsed by pygeofilter (its CQL2 text grammar); the tree is turned into a Django Q here, because
pygeofilter's Django backend needs GeoDjango and this project keeps positions in plain lat/lng columns.
Supported (CQL2 Basic, plus the spatial case QGIS sends): AND, OR, NOT; =, <>, <, <=, >, >=; LIKE (`%` any
characters, `_` one, `\\` escapes); IN; BETWEEN; IS [NOT] NULL; INCLUDE/EXCLUDE; and
S_INTERSECTS(geometry, BBOX(minLng, minLat, maxLng, maxLat)) (or a rectangle POLYGON), on the queryables
only. Anything else is refused with a FilterError naming it.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from lark.exceptions import LarkError
from pygeofilter import ast
from pygeofilter.parsers.cql2_text import parse

GEOMETRY = "geometry"
COMPARISONS = {
    ast.Equal: "exact",
    ast.LessThan: "lt",
    ast.LessEqual: "lte",
    ast.GreaterThan: "gt",
    ast.GreaterEqual: "gte",
}


class FilterError(ValueError):
    """The filter cannot be read or used; the message says why (for a 400)."""


def _schema(field):
    if isinstance(field, models.ForeignKey):
        return {"type": "integer", "title": str(field.verbose_name)}
    if isinstance(field, models.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, models.DateTimeField):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(field, models.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, models.IntegerField):
        schema = {"type": "integer"}
    elif isinstance(field, models.DecimalField | models.FloatField):
        schema = {"type": "number"}
    else:
        schema = {"type": "string"}
    if field.choices:
        schema["enum"] = [value for value, _label in field.choices]
    return {**schema, "title": str(field.verbose_name)}


def queryable_fields(viewset):
    """{queryable name: model field} of a collection: the scalar properties of its features anyone may see."""
    model, fields = viewset.model, {}
    for name in viewset.geojson_properties:
        field = model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
        fields[name] = field
    return fields


def queryables(viewset, url):
    """The JSON Schema of a collection's queryables (Part 3, 6.2), with the geometry as a spatial one."""
    properties = {GEOMETRY: {"format": "geometry-any", "x-ogc-role": "primary-geometry", "title": "geometry"}}
    properties.update({name: _schema(field) for name, field in queryable_fields(viewset).items()})
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": url,
        "type": "object",
        "title": viewset.geojson_name,
        "properties": properties,
        "additionalProperties": False,
    }


def _like_regex(pattern):
    parts, escaped = ["^"], False
    for char in pattern:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return "".join(parts) + "$"


def _box(node):
    if isinstance(node, ast.Function) and node.name.lower() == "bbox" and len(node.arguments) in (4, 6):
        values = list(node.arguments)
        box = values if len(values) == 4 else [values[0], values[1], values[3], values[4]]
        if all(isinstance(v, int | float) for v in box):
            return box
    geometry = getattr(node, "geometry", None)
    if isinstance(geometry, dict) and geometry.get("type") == "Polygon":
        ring = geometry["coordinates"][0]
        xs, ys = {p[0] for p in ring}, {p[1] for p in ring}
        if len(xs) == 2 and len(ys) == 2:  # an axis-aligned rectangle is a box
            return [min(xs), min(ys), max(xs), max(ys)]
    raise FilterError(_("S_INTERSECTS takes the geometry and a BBOX(minLng,minLat,maxLng,maxLat) or a rectangle."))


def _box_q(box):
    min_lng, min_lat, max_lng, max_lat = box
    q = Q(lat__gte=min_lat, lat__lte=max_lat)
    if min_lng > max_lng:  # across the antimeridian
        return q & (Q(lng__gte=min_lng) | Q(lng__lte=max_lng))
    return q & Q(lng__gte=min_lng, lng__lte=max_lng)


class _Translator:
    def __init__(self, fields):
        self.fields = fields

    def field(self, node):
        if not isinstance(node, ast.Attribute):
            raise FilterError(_("A condition compares a queryable with a value: %(node)s.") % {"node": node})
        if node.name not in self.fields:
            raise FilterError(
                _("“%(name)s” is not a queryable; see the collection's queryables: %(names)s.")
                % {"name": node.name, "names": ", ".join(self.fields)}
            )
        field = self.fields[node.name]
        return field, field.attname if isinstance(field, models.ForeignKey) else field.name

    def value(self, field, value):
        if isinstance(value, ast.Node):
            raise FilterError(_("Only plain values can be compared: %(node)s.") % {"node": value})
        try:
            return field.get_prep_value(field.to_python(value)) if value is not None else None
        except (ValidationError, TypeError, ValueError):
            raise FilterError(
                _("%(value)s is not a value of “%(name)s”.") % {"value": repr(value), "name": field.name}
            ) from None

    def __call__(self, node):  # noqa: PLR0911 - one branch per kind of node
        if isinstance(node, ast.And):
            return self(node.lhs) & self(node.rhs)
        if isinstance(node, ast.Or):
            return self(node.lhs) | self(node.rhs)
        if isinstance(node, ast.Not):
            return ~self(node.sub_node)
        if isinstance(node, ast.Include):
            return ~Q(pk__in=[]) if node.not_ else Q()
        if isinstance(node, ast.Comparison):
            if not isinstance(node.lhs, ast.Attribute) and isinstance(node.rhs, ast.Attribute):
                raise FilterError(_("Write the queryable first: name = value."))
            field, path = self.field(node.lhs)
            if isinstance(node, ast.NotEqual):
                return ~Q(**{path: self.value(field, node.rhs)})
            if type(node) not in COMPARISONS:
                raise FilterError(_("Not supported: %(node)s.") % {"node": type(node).__name__})
            return Q(**{f"{path}__{COMPARISONS[type(node)]}": self.value(field, node.rhs)})
        if isinstance(node, ast.Like):
            field, path = self.field(node.lhs)
            q = Q(**{f"{path}__{'iregex' if node.nocase else 'regex'}": _like_regex(node.pattern)})
            return ~q if node.not_ else q
        if isinstance(node, ast.In):
            field, path = self.field(node.lhs)
            q = Q(**{f"{path}__in": [self.value(field, v) for v in node.sub_nodes]})
            return ~q if node.not_ else q
        if isinstance(node, ast.Between):
            field, path = self.field(node.lhs)
            q = Q(**{f"{path}__range": (self.value(field, node.low), self.value(field, node.high))})
            return ~q if node.not_ else q
        if isinstance(node, ast.IsNull):
            field, path = self.field(node.lhs)
            return Q(**{f"{path}__isnull": not node.not_})
        if isinstance(node, ast.GeometryIntersects):
            if not (isinstance(node.lhs, ast.Attribute) and node.lhs.name == GEOMETRY):
                raise FilterError(_("S_INTERSECTS takes the geometry and a BBOX(minLng,minLat,maxLng,maxLat)."))
            return _box_q(_box(node.rhs))
        raise FilterError(_("Not supported: %(node)s.") % {"node": type(node).__name__})


def filter_q(text, viewset):
    """The Q of the CQL2 text `text` on `viewset`'s queryables; FilterError saying what is wrong."""
    if len(text) > 2000:
        raise FilterError(_("A filter is at most 2,000 characters."))
    try:
        tree = parse(text)
    except LarkError as error:
        where = getattr(error, "column", None)
        raise FilterError(
            _("Not CQL2 text (at character %(column)s).") % {"column": where} if where else _("Not CQL2 text.")
        ) from None
    except (ValueError, TypeError, RecursionError):
        raise FilterError(_("Not CQL2 text.")) from None
    try:
        return _Translator(queryable_fields(viewset))(tree)
    except RecursionError:
        raise FilterError(_("The filter is nested too deeply.")) from None
