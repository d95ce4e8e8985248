"""Reads behind the map: the filtered records of each layer, as compact marker rows, and facet counts."""

from django.conf import settings
from django.db.models import Avg, Count, F, Min
from django.db.models.functions import Floor
from django.utils.translation import get_language

from industry.selectors import enterprises_per_segment
from nansha.ops.cache import cached
from nansha.records.chinese import to_traditional, wants_traditional
from nansha.records.presentation import PUBLIC
from parks.filters import offered_spaces

from .layers import LAYERS

# Facets: (layer, parameter, the field grouped on).
FACETS = [
    ("enterprises", "segment", "segments__code"),
    ("enterprises", "park", "park_id"),
    ("enterprises", "ownership", "ownership"),
    ("enterprises", "size", "size_band"),
    ("enterprises", "honour", "honours__code"),
    ("parks", "park_kind", "kind"),
]


def filtered(layer_key, filters):
    layer = LAYERS[layer_key]
    return layer.filterset(filters, queryset=layer.published()).qs


def _name_expression():
    return "name_en" if (get_language() or "").startswith("en") else "name_zh"


def marker_rows(layer_key, queryset, limit=None):
    """[id, lat, lng, name, *extras] per record, ordered by Chinese name; names in the page's language."""
    layer = LAYERS[layer_key]
    annotations = {f"x_{name}": (value() if callable(value) else F(value)) for name, value in layer.extras.items()}
    english = _name_expression() == "name_en"
    traditional = wants_traditional()
    rows = (
        queryset.annotate(**annotations)
        .order_by("name_zh", "pk")
        .values_list("pk", "lat", "lng", "name_zh", "name_en", *annotations)
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        [
            pk,
            lat,
            lng,
            (name_en if english and name_en else to_traditional(name_zh) if traditional else name_zh),
            *extras,
        ]
        for pk, lat, lng, name_zh, name_en, *extras in rows
    ]


def park_outlines(queryset):
    return dict(queryset.exclude(outline=None).values_list("pk", "outline"))


def _counts(queryset, group_field):
    """{value: records} for a facet; a link to a record that is not public (e.g. a draft park) is no value."""
    for name, targets in PUBLIC.link_limits(queryset.model, [group_field]).items():
        queryset = queryset.filter(**{f"{name}__in": targets.values("pk")})
    # Each record is one row unless a filter or the grouped field joins a many-valued relation: then count distinct.
    once = _one_row_each(queryset) and _one_value_each(queryset.model, group_field)
    rows = (
        queryset.order_by()
        .values(group_field)
        .annotate(n=Count("pk", distinct=not once))
        .values_list(group_field, "n")
    )
    return {str(key): n for key, n in rows if key not in (None, "")}


def facet_counts(filters):
    """For each facet, how many records each value would give with the other filters kept."""
    result = {}
    for layer_key, parameter, group_field in FACETS:
        queryset = filtered(layer_key, _without(filters, parameter))
        result[parameter] = (
            enterprises_per_segment(queryset) if parameter == "segment" else _counts(queryset, group_field)
        )
    parks = filtered("parks", _without(filters, "space_use"))
    spaces = offered_spaces().filter(park__in=parks.values("pk"))
    result["space_use"] = _counts(spaces, "use")
    return result


def _without(filters, parameter):
    others = filters.copy()
    others.pop(parameter, None)
    return others


def _one_row_each(queryset):
    """Whether `queryset` gives each record once: it joins no other table (a filter on a many-to-many relation
    joins one, and may repeat a record)."""
    joined = [alias for alias, uses in queryset.query.alias_refcount.items() if uses]
    return len(joined) <= 1 and not queryset.query.combinator


def _one_value_each(model, group_field):
    """Whether grouping `model`'s records on `group_field` counts each record at most once per group: a field of
    the record itself, or a unique field across a many-to-many relation (its link table has each pair once)."""
    relation, _sep, target = group_field.partition("__")
    if not target:
        return True
    field = model._meta.get_field(relation)
    return field.many_to_many and "__" not in target and field.related_model._meta.get_field(target).unique


def clusters(queryset, zoom):
    """[[lat, lng, count, id]] per grid cell of about CLUSTER_CELL_PX pixels at `zoom`, counted in SQL.

    lat/lng: the mean WGS-84 position of the cell's records (degrees); id: the record's own id when the cell
    holds one record (the map draws it as that record's marker, which opens it), else None.
    """
    cell = 360 / (2**zoom) / 256 * settings.MAP_CLUSTER_CELL_PX
    # Grouped directly when each record is one row (the map's first view: a semi-join would cost three times more).
    once = _one_row_each(queryset)
    records = queryset if once else queryset.model.objects.filter(pk__in=queryset.order_by().values("pk"))
    records = records.exclude(lat=None)
    cells = (
        records.annotate(cx=Floor(F("lng") / cell), cy=Floor(F("lat") / cell))
        .values("cx", "cy")
        .annotate(n=Count("pk"), lat=Avg("lat"), lng=Avg("lng"), first=Min("pk"))
        .order_by()
    )
    return [[round(c["lat"], 6), round(c["lng"], 6), c["n"], c["first"] if c["n"] == 1 else None] for c in cells]


def map_data(state, viewport=None, zoom=None):
    """Everything the map draws for a state: one compact response.

    A layer with more than MAP_CLUSTER_THRESHOLD records is sent as server-side clusters of the
    viewport at `zoom`, with the first MAP_LIST_LIMIT records in view for the list, so that the
    browser never receives tens of thousands of markers.
    """
    layers = {}
    for key in state.layers:
        queryset = filtered(key, state.filters)
        fields = ["id", "lat", "lng", "name", *LAYERS[key].extras]
        total = queryset.count()
        zoom = settings.LEAFLET_CONFIG["DEFAULT_ZOOM"] if zoom is None else zoom
        if total > settings.MAP_CLUSTER_THRESHOLD and zoom < settings.MAP_CLUSTER_MAX_ZOOM:
            in_view = queryset if viewport is None else in_box(queryset, viewport)
            layers[key] = {
                "fields": fields,
                "clustered": True,
                "total": total,
                "in_view": in_view.count(),
                "clusters": clusters(in_view, zoom),
                "rows": marker_rows(key, in_view, limit=settings.MAP_LIST_LIMIT),
            }
        elif total > settings.MAP_CLUSTER_THRESHOLD and viewport is not None:
            # Zoomed right in: the few records in view come as markers (clusters would no longer split).
            rows = marker_rows(key, in_box(queryset, viewport), limit=settings.MAP_LIST_LIMIT)
            layers[key] = {"fields": fields, "rows": rows, "total": total, "partial": True, "in_view": len(rows)}
        else:
            rows = marker_rows(key, queryset)
            layers[key] = {"fields": fields, "rows": rows, "total": total}
        if key == "parks":
            layers[key]["outlines"] = park_outlines(queryset)
    # The counts do not depend on the view: cached apart, so that panning recomputes only the markers.
    facets = cached(["facets", state.filters.urlencode(), get_language()], lambda: facet_counts(state.filters))
    return {"layers": layers, "facets": facets, "notes": state.notes}


def in_box(queryset, box):
    min_lng, min_lat, max_lng, max_lat = box
    return queryset.filter(lat__gte=min_lat, lat__lte=max_lat, lng__gte=min_lng, lng__lte=max_lng)
