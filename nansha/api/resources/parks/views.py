from drf_spectacular.utils import extend_schema, extend_schema_view

from nansha.api.access import sees_drafts
from nansha.api.views import GEOMETRY_PARAMETER, PlaceViewSet, RecordViewSet
from parks.filters import ParkFilterSet, SpaceFilterSet
from parks.models import Park, Space
from parks.selectors import free_space_count

from . import serializers


@extend_schema_view(geojson=extend_schema(parameters=[GEOMETRY_PARAMETER]))
class ParkViewSet(PlaceViewSet):
    """Parks, incubators and science parks, with their outlines and how many spaces are free.

    In GeoJSON a park with an outline is its Polygon or MultiPolygon (`?geometry=point` for points only).
    """

    model = Park
    serializer_class = serializers.ParkSerializer
    filterset_class = ParkFilterSet
    select_related = ["parent"]
    prefetch_related = ["focus_segments"]
    geojson_properties = (*PlaceViewSet.geojson_properties, "kind", "level", "development_status", "operator_zh")
    geojson_many = {"focus_segments": ("focus_segments", "code")}
    geojson_name = "parks"
    outline_field = "outline"

    def get_queryset(self):
        return super().get_queryset().annotate(free_spaces=free_space_count())


class SpaceViewSet(RecordViewSet):
    """Space for rent in the parks. The public sees published listings re-confirmed recently enough."""

    model = Space
    serializer_class = serializers.SpaceSerializer
    filterset_class = SpaceFilterSet
    ordering_fields = ["usable_area_m2", "rent_yuan_m2_month", "available_from", "updated_at", "id"]
    ordering = ["park__name_zh", "id"]

    def get_queryset(self):
        if sees_drafts(self.request, self.model):
            return Space.objects.select_related("park")
        return Space.objects.published().fresh().filter(park__status="published").select_related("park")
