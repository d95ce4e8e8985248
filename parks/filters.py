"""FilterSets of the parks app, shared by the map, exports and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from industry.filters import SegmentFilter
from nansha.records.filters import AMOUNT_PRECISION, PlaceFilterSet, RecordsFilter, range_checked_form

from .models import CleanroomGrade, Park, ParkKind, Space, SpaceStatus, SpaceUse


def offered_spaces():
    """Spaces the public may see as free: published, available and re-confirmed recently."""
    return Space.objects.published().fresh().filter(availability=SpaceStatus.AVAILABLE)


class ParkFilterSet(PlaceFilterSet):
    """Parks; the free-space conditions must all hold for one and the same space of the park."""

    segment = SegmentFilter(field_name="focus_segments")
    park_kind = django_filters.MultipleChoiceFilter(field_name="kind", choices=ParkKind.choices, label=_("Park kind"))
    free_space = django_filters.BooleanFilter(method="free_space_filter", label=_("Has free space"))
    space_use = django_filters.MultipleChoiceFilter(
        choices=SpaceUse.choices, method="free_space_filter", label=_("Space use")
    )
    area_min = django_filters.NumberFilter(
        method="free_space_filter", min_value=0, label=_("Area from (m²)"), **AMOUNT_PRECISION
    )
    area_max = django_filters.NumberFilter(
        method="free_space_filter", min_value=0, label=_("Area up to (m²)"), **AMOUNT_PRECISION
    )

    class Meta:
        model = Park
        fields = [
            "q",
            "bbox",
            "near",
            "radius_km",
            "segment",
            "park_kind",
            "free_space",
            "space_use",
            "area_min",
            "area_max",
        ]
        form = range_checked_form(("area_min", "area_max"))

    def free_space_filter(self, queryset, name, value):
        return queryset  # applied once for all space conditions in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        spaces = offered_spaces()
        wanted = False
        if data.get("space_use"):
            spaces, wanted = spaces.filter(use__in=data["space_use"]), True
        if data.get("area_min") is not None:
            spaces, wanted = spaces.filter(usable_area_m2__gte=data["area_min"]), True
        if data.get("area_max") is not None:
            spaces, wanted = spaces.filter(usable_area_m2__lte=data["area_max"]), True
        if data.get("free_space") is True:
            wanted = True
        if wanted:
            queryset = queryset.filter(pk__in=spaces.values("park_id"))
        elif data.get("free_space") is False:
            queryset = queryset.exclude(pk__in=spaces.values("park_id"))
        return queryset


class SpaceFilterSet(django_filters.FilterSet):
    park = RecordsFilter(field_name="park", queryset=Park.objects.published(), label=_("Park"))
    use = django_filters.MultipleChoiceFilter(field_name="use", choices=SpaceUse.choices, label=_("Use"))
    cleanroom = django_filters.MultipleChoiceFilter(
        field_name="cleanroom_grade", choices=CleanroomGrade.choices, label=_("Cleanroom grade")
    )
    area_min = django_filters.NumberFilter(
        field_name="usable_area_m2", lookup_expr="gte", min_value=0, label=_("Area from (m²)"), **AMOUNT_PRECISION
    )
    area_max = django_filters.NumberFilter(
        field_name="usable_area_m2", lookup_expr="lte", min_value=0, label=_("Area up to (m²)"), **AMOUNT_PRECISION
    )
    rent_max = django_filters.NumberFilter(
        field_name="rent_yuan_m2_month",
        lookup_expr="lte",
        min_value=0,
        label=_("Rent up to (yuan/m²/month)"),
        **AMOUNT_PRECISION,
    )
    availability = django_filters.MultipleChoiceFilter(
        field_name="availability", choices=SpaceStatus.choices, label=_("Availability")
    )

    class Meta:
        model = Space
        fields = ["park", "use", "cleanroom", "area_min", "area_max", "rent_max", "availability"]
        form = range_checked_form(("area_min", "area_max"))
