from nansha.api.access import sees_drafts
from nansha.api.views import PlaceViewSet, RecordViewSet
from parks.filters import ParkFilterSet, SpaceFilterSet
from parks.models import Park, Space
from parks.selectors import free_space_count

from . import serializers


class ParkViewSet(PlaceViewSet):
    """Parks, incubators and science parks, with their outlines and how many spaces are free."""

    model = Park
    serializer_class = serializers.ParkSerializer
    filterset_class = ParkFilterSet
    select_related = ["parent"]
    prefetch_related = ["focus_segments"]
    geojson_properties = (*PlaceViewSet.geojson_properties, "kind", "level", "development_status", "operator_zh")
    geojson_many = {"focus_segments": ("focus_segments", "code")}

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
