"""Base viewsets of the partner API: published records for all, everything for staff, GeoJSON for places."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, filters, viewsets
from rest_framework.decorators import action

from nansha.records.chinese import content_script, document_in_script
from nansha.records.presentation import contact_fields

from . import geojson_sql
from .access import ANONYMOUS, api_audience, caller, sees_drafts
from .filtering import FilterBackend
from .geojson import CONTENT_TYPE, dumps, features, last_modified, stored_response
from .renderers import GEOJSON_RENDERERS

GEOMETRY_PARAMETER = OpenApiParameter(
    "geometry",
    str,
    enum=["outline", "point"],
    description="`outline` (the default): a park with an outline is a Polygon or MultiPolygon feature, one "
    "without is a Point; `point`: every park as the Point of its position.",
)


def chosen_outline(viewset, params):
    """The outline field to draw features with for the query `params` (?geometry=outline|point), or None for
    points. Raises ValidationError (400) for any other value."""
    choice = params.get("geometry", "").strip() or "outline"
    if choice not in ("outline", "point"):
        raise exceptions.ValidationError({"geometry": [_("Choices: outline, point.")]})
    return viewset.outline_field if choice == "outline" else None


class OrderingFilter(filters.OrderingFilter):
    """?ordering=field (or -field); with near=lat,lng and no ordering, results come nearest first; with a
    search (q) and no ordering, best matches first (the FilterSet's ranking)."""

    def get_default_ordering(self, view):
        if view.request.query_params.get("near") or view.request.query_params.get("q", "").strip():
            return None
        return super().get_default_ordering(view)

    def get_valid_fields(self, queryset, view, context=None):
        fields = super().get_valid_fields(queryset, view, context or {})
        if "distance_km" not in queryset.query.annotations:
            fields = [f for f in fields if f[0] != "distance_km"]  # only with near=
        return fields


class RecordViewSet(viewsets.ModelViewSet):
    """Read for everyone (published records only), write for staff."""

    model = None
    select_related = ()
    prefetch_related = ()
    filter_backends = [FilterBackend, OrderingFilter]
    ordering_fields = ["name_zh", "name_en", "updated_at", "id"]
    ordering = ["name_zh", "id"]

    def get_queryset(self):
        manager = self.model.objects
        queryset = manager.all() if sees_drafts(self.request, self.model) else manager.published()
        return queryset.select_related(*self.select_related).prefetch_related(*self.prefetch_related)


class PlaceViewSet(RecordViewSet):
    """A resource with positions: spatial filters (bbox, near + radius_km) and a GeoJSON route."""

    ordering_fields = [*RecordViewSet.ordering_fields, "distance_km"]
    geojson_properties = ("name_zh", "name_en", "position_is_approximate", "verified_on")
    geojson_many = {}
    geojson_name = ""  # the collection's name in a FeatureCollection (GIS clients name the layer after it)
    outline_field = None  # a GeoJSON Polygon/MultiPolygon field drawn instead of the point where set

    @classmethod
    def visible_properties(cls, audience):
        """The GeoJSON properties `audience` may see: direct contacts only for partners and staff."""
        properties = list(cls.geojson_properties)
        if audience.contacts:
            properties += contact_fields(cls.model)
        return properties

    def geojson_properties_for(self, queryset, audience):
        properties = self.visible_properties(audience)
        if "distance_km" in queryset.query.annotations:
            properties.append("distance_km")
        return properties

    def geojson_body(self, queryset, audience, outline=None):
        """The FeatureCollection as JSON bytes: built by the database unless a distance or an ordering is asked.

        A link (e.g. park_id) to a record `audience` may not see is null; `outline` as in chosen_outline.
        """
        properties = self.geojson_properties_for(queryset, audience)
        links = audience.link_limits(self.model, properties)
        plain = "distance_km" not in queryset.query.annotations and not self.request.query_params.get("ordering")
        shape = {"many": self.geojson_many, "links": links, "outline": outline}
        if plain and geojson_sql.supported():
            return geojson_sql.feature_collection(queryset, properties=properties, name=self.geojson_name, **shape)
        return dumps(
            {
                "type": "FeatureCollection",
                "name": self.geojson_name,
                "features": features(queryset, properties=properties, **shape),
            }
        )

    @extend_schema(
        summary="The filtered records as a GeoJSON FeatureCollection",
        filters=True,
        responses={(200, CONTENT_TYPE): OpenApiResponse(OpenApiTypes.OBJECT, description="GeoJSON FeatureCollection")},
    )
    @action(detail=False, url_path="geojson", pagination_class=None, renderer_classes=GEOJSON_RENDERERS)
    def geojson(self, request, *args, **kwargs):
        outline = chosen_outline(self, request.query_params)
        audience = api_audience(request)
        known = {*self.filterset_class.base_filters, "ordering", "geometry"}  # other parameters change nothing
        query = sorted((key, value) for key, value in request.query_params.lists() if key in known)

        def compute():
            # Filters are read (and refused with a 400) here: a hit, which only valid filters can have, skips them.
            queryset = self.filter_queryset(self.get_queryset())
            # Chinese content in the caller's script: zh-hant callers get it converted (it is stored simplified).
            return document_in_script(self.geojson_body(queryset, audience, outline)), last_modified(queryset)

        # Keyed by what decides the answer: the models whose drafts the caller sees, and whether contacts show.
        # The script of the content too (zh-hant callers get it converted).
        response = stored_response(
            request,
            ["geojson", request.path, query, audience.cache_key, content_script()],
            compute,
            content_type=CONTENT_TYPE,
        )
        if caller(request) != ANONYMOUS:
            response["Cache-Control"] = "private, max-age=60"
        return response
