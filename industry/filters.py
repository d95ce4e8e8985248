"""One FilterSet per resource of the industry app, shared by the map, exports and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from nansha.filters import PlaceFilterSet, SegmentFilter, range_checked_form
from parks.models import Park

from .models import (
    Enterprise,
    Fund,
    Honour,
    Hospital,
    HospitalGrade,
    InvestmentStage,
    OwnershipKind,
    ResearchInstitution,
    ResearchInstitutionKind,
    ServicePlatform,
    SizeBand,
)


class EnterpriseFilterSet(PlaceFilterSet):
    segment = SegmentFilter(field_name="segments")
    park = django_filters.ModelMultipleChoiceFilter(
        field_name="park", queryset=Park.objects.published(), label=_("Park")
    )
    ownership = django_filters.MultipleChoiceFilter(
        field_name="ownership", choices=OwnershipKind.choices, label=_("Ownership kind")
    )
    size = django_filters.MultipleChoiceFilter(field_name="size_band", choices=SizeBand.choices, label=_("Size band"))
    honour = django_filters.ModelMultipleChoiceFilter(
        field_name="honours__code",
        queryset=Honour.objects.all(),
        to_field_name="code",
        conjoined=True,
        label=_("Honours"),
    )
    founded_from = django_filters.NumberFilter(
        field_name="founded_on",
        lookup_expr="year__gte",
        min_value=1900,
        max_value=2100,
        label=_("Founded from (year)"),
    )
    founded_to = django_filters.NumberFilter(
        field_name="founded_on",
        lookup_expr="year__lte",
        min_value=1900,
        max_value=2100,
        label=_("Founded until (year)"),
    )

    search_codes = ("credit_code",)

    class Meta:
        model = Enterprise
        fields = ["q", "bbox", "segment", "park", "ownership", "size", "honour", "founded_from", "founded_to"]
        form = range_checked_form(("founded_from", "founded_to"))


class HospitalFilterSet(PlaceFilterSet):
    grade = django_filters.MultipleChoiceFilter(field_name="grade", choices=HospitalGrade.choices, label=_("Grade"))
    drug_trials = django_filters.BooleanFilter(
        field_name="is_drug_trial_institution", label=_("Registered drug clinical trial institution")
    )
    stem_cell = django_filters.BooleanFilter(
        field_name="has_stem_cell_filing", label=_("Stem-cell clinical research filing")
    )

    class Meta:
        model = Hospital
        fields = ["q", "bbox", "grade", "drug_trials", "stem_cell"]


class ResearchInstitutionFilterSet(PlaceFilterSet):
    segment = SegmentFilter(field_name="segments")
    institution_kind = django_filters.MultipleChoiceFilter(
        field_name="kind", choices=ResearchInstitutionKind.choices, label=_("Kind")
    )

    class Meta:
        model = ResearchInstitution
        fields = ["q", "bbox", "segment", "institution_kind"]


class FundFilterSet(PlaceFilterSet):
    segment = SegmentFilter(field_name="focus_segments")
    stage = django_filters.ModelMultipleChoiceFilter(
        field_name="stages", queryset=InvestmentStage.objects.all(), to_field_name="code", label=_("Investment stage")
    )

    class Meta:
        model = Fund
        fields = ["q", "bbox", "segment", "stage"]


class ServicePlatformFilterSet(PlaceFilterSet):
    segment = SegmentFilter(field_name="segments")

    class Meta:
        model = ServicePlatform
        fields = ["q", "bbox", "segment"]
