"""One FilterSet per resource of the industry app, shared by the map, exports and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from nansha.records.filters import PlaceFilterSet, RecordsFilter, SearchFilterSet, range_checked_form
from parks.models import Park

from .models import (
    ChainSegment,
    ChainStage,
    ClinicalProject,
    ClinicalStage,
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
    SignedProject,
    SizeBand,
)
from .selectors import segment_subtree_ids


class SegmentFilter(django_filters.ModelMultipleChoiceFilter):
    """Records on any of the chosen chain segments or below them (choosing "cell therapy" finds CAR-T)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", ChainSegment.objects.all())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("label", _("Chain segment"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        ids = segment_subtree_ids(value)
        # A subquery rather than a join, so that a record on two chosen segments appears once.
        matching = qs.model.objects.filter(**{f"{self.field_name}__in": ids}).values("pk")
        return qs.filter(pk__in=matching)


@extend_schema_field(OpenApiTypes.STR)
class CodesFilter(django_filters.ModelMultipleChoiceFilter):
    """Several records named by their codes (the schema cannot guess it through a `__code` lookup).

    The hint is the type of one code: the schema generator makes a multiple filter an array of it itself.
    """


class EnterpriseFilterSet(PlaceFilterSet):
    segment = SegmentFilter(field_name="segments")
    park = RecordsFilter(field_name="park", queryset=Park.objects.published(), label=_("Park"))
    ownership = django_filters.MultipleChoiceFilter(
        field_name="ownership", choices=OwnershipKind.choices, label=_("Ownership kind")
    )
    size = django_filters.MultipleChoiceFilter(field_name="size_band", choices=SizeBand.choices, label=_("Size band"))
    honour = CodesFilter(
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
    search_park = "park"
    search_products = "products"

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "bbox",
            "near",
            "radius_km",
            "segment",
            "park",
            "ownership",
            "size",
            "honour",
            "founded_from",
            "founded_to",
        ]
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
        fields = ["q", "bbox", "near", "radius_km", "grade", "drug_trials", "stem_cell"]


class ResearchInstitutionFilterSet(PlaceFilterSet):
    segment = SegmentFilter(field_name="segments")
    institution_kind = django_filters.MultipleChoiceFilter(
        field_name="kind", choices=ResearchInstitutionKind.choices, label=_("Kind")
    )

    class Meta:
        model = ResearchInstitution
        fields = ["q", "bbox", "near", "radius_km", "segment", "institution_kind"]


class FundFilterSet(PlaceFilterSet):
    segment = SegmentFilter(field_name="focus_segments")
    stage = django_filters.ModelMultipleChoiceFilter(
        field_name="stages", queryset=InvestmentStage.objects.all(), to_field_name="code", label=_("Investment stage")
    )

    class Meta:
        model = Fund
        fields = ["q", "bbox", "near", "radius_km", "segment", "stage"]


class ServicePlatformFilterSet(PlaceFilterSet):
    segment = SegmentFilter(field_name="segments")
    search_park = "park"

    class Meta:
        model = ServicePlatform
        fields = ["q", "bbox", "near", "radius_km", "segment"]


class ChainSegmentFilterSet(django_filters.FilterSet):
    stage = django_filters.MultipleChoiceFilter(field_name="stage", choices=ChainStage.choices, label=_("Chain stage"))
    parent = django_filters.ModelChoiceFilter(
        field_name="parent", queryset=ChainSegment.objects.all(), to_field_name="code", label=_("Parent segment")
    )
    top_level = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("Top level only"))

    class Meta:
        model = ChainSegment
        fields = ["stage", "parent", "top_level"]


class ProjectFilterSet(SearchFilterSet):
    """What signed and clinical projects share: the search box and their segments."""

    segment = SegmentFilter(field_name="segments")


class SignedProjectFilterSet(ProjectFilterSet):
    search_park = "park"

    park = RecordsFilter(field_name="park", queryset=Park.objects.published(), label=_("Park"))
    signed_from = django_filters.DateFilter(field_name="signed_on", lookup_expr="gte", label=_("Signed from"))
    signed_to = django_filters.DateFilter(field_name="signed_on", lookup_expr="lte", label=_("Signed until"))

    class Meta:
        model = SignedProject
        fields = ["q", "segment", "park", "signed_from", "signed_to"]
        form = range_checked_form(("signed_from", "signed_to"))


class ClinicalProjectFilterSet(ProjectFilterSet):
    stage = django_filters.MultipleChoiceFilter(field_name="stage", choices=ClinicalStage.choices, label=_("Stage"))
    hospital = RecordsFilter(field_name="hospital", queryset=Hospital.objects.published(), label=_("Hospital"))
    enterprise = RecordsFilter(field_name="enterprise", queryset=Enterprise.objects.published(), label=_("Enterprise"))

    class Meta:
        model = ClinicalProject
        fields = ["q", "segment", "stage", "hospital", "enterprise"]
