from django.db.models import Prefetch

from industry.filters import (
    ChainSegmentFilterSet,
    ClinicalProjectFilterSet,
    EnterpriseFilterSet,
    FundFilterSet,
    HospitalFilterSet,
    ResearchInstitutionFilterSet,
    ServicePlatformFilterSet,
    SignedProjectFilterSet,
)
from industry.models import (
    ChainSegment,
    ClinicalProject,
    Enterprise,
    Fund,
    Hospital,
    Product,
    ResearchInstitution,
    ServicePlatform,
    SignedProject,
)
from nansha.api.views import PlaceViewSet, RecordViewSet

from . import serializers


class ChainSegmentViewSet(RecordViewSet):
    """The industry chain: segments from upstream to downstream, as a tree (`parent`)."""

    model = ChainSegment
    serializer_class = serializers.ChainSegmentSerializer
    filterset_class = ChainSegmentFilterSet
    select_related = ["parent"]
    ordering_fields = ["sort_order", "code", "name_zh"]
    ordering = ["sort_order", "code"]

    def get_queryset(self):
        return ChainSegment.objects.select_related("parent")  # a vocabulary: nothing is a draft


class EnterpriseViewSet(PlaceViewSet):
    """Enterprises of Nansha's biomedical and health industry."""

    model = Enterprise
    geojson_name = "enterprises"
    serializer_class = serializers.EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    ordering_fields = [*PlaceViewSet.ordering_fields, "founded_on", "registered_capital_wan"]
    select_related = ["park"]
    prefetch_related = [
        "segments",
        "honours",
        Prefetch("products", queryset=Product.objects.select_related("segment").order_by("name_zh")),
    ]
    geojson_properties = (
        *PlaceViewSet.geojson_properties,
        "credit_code",
        "ownership",
        "size_band",
        "founded_on",
        "park_id",
        "website",
    )
    geojson_many = {"segments": ("segments", "code"), "honours": ("honours", "code")}


class HospitalViewSet(PlaceViewSet):
    """Hospitals: grades, drug-trial and stem-cell filings."""

    model = Hospital
    geojson_name = "hospitals"
    serializer_class = serializers.HospitalSerializer
    filterset_class = HospitalFilterSet
    geojson_properties = (
        *PlaceViewSet.geojson_properties,
        "grade",
        "is_drug_trial_institution",
        "has_stem_cell_filing",
    )


class ResearchInstitutionViewSet(PlaceViewSet):
    """Universities and research institutes: the talent supply."""

    model = ResearchInstitution
    geojson_name = "institutions"
    serializer_class = serializers.ResearchInstitutionSerializer
    filterset_class = ResearchInstitutionFilterSet
    prefetch_related = ["segments"]
    geojson_properties = (*PlaceViewSet.geojson_properties, "kind", "disciplines_zh", "disciplines_en")
    geojson_many = {"segments": ("segments", "code")}


class FundViewSet(PlaceViewSet):
    """Funds, investors and banks."""

    model = Fund
    geojson_name = "funds"
    serializer_class = serializers.FundSerializer
    filterset_class = FundFilterSet
    prefetch_related = ["stages", "focus_segments"]
    geojson_properties = (*PlaceViewSet.geojson_properties, "kind", "fund_size_wan")
    geojson_many = {"stages": ("stages", "code"), "focus_segments": ("focus_segments", "code")}


class ServicePlatformViewSet(PlaceViewSet):
    """Public service platforms."""

    model = ServicePlatform
    geojson_name = "platforms"
    serializer_class = serializers.ServicePlatformSerializer
    filterset_class = ServicePlatformFilterSet
    select_related = ["park"]
    prefetch_related = ["segments"]
    geojson_properties = (*PlaceViewSet.geojson_properties, "services_zh", "services_en", "park_id")
    geojson_many = {"segments": ("segments", "code")}


class SignedProjectViewSet(RecordViewSet):
    """Investment projects signed with Nansha."""

    model = SignedProject
    serializer_class = serializers.SignedProjectSerializer
    filterset_class = SignedProjectFilterSet
    select_related = ["park", "enterprise"]
    prefetch_related = ["segments"]
    ordering_fields = [*RecordViewSet.ordering_fields, "signed_on", "amount_wan"]


class ClinicalProjectViewSet(RecordViewSet):
    """Clinical research projects and trials."""

    model = ClinicalProject
    serializer_class = serializers.ClinicalProjectSerializer
    filterset_class = ClinicalProjectFilterSet
    select_related = ["hospital", "enterprise"]
    prefetch_related = ["segments"]
    ordering_fields = [*RecordViewSet.ordering_fields, "started_on", "patients_treated"]
