from rest_framework import serializers

from industry.models import (
    ChainSegment,
    ClinicalProject,
    Enterprise,
    Fund,
    Honour,
    Hospital,
    InvestmentStage,
    Product,
    ResearchInstitution,
    ServicePlatform,
    SignedProject,
)
from nansha.api.access import api_audience
from nansha.api.serializers import ModelValidation, PlaceSerializer, RecordSerializer, codes
from nansha.records.presentation import PUBLIC

INTERNAL = ["name_pinyin", "search_names", "search_text"]  # derived columns the search reads


class ChainSegmentSerializer(ModelValidation, serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code", queryset=ChainSegment.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = ChainSegment
        fields = [
            "id",
            "code",
            "name_zh",
            "name_en",
            "stage",
            "parent",
            "description_zh",
            "description_en",
            "sort_order",
        ]


class ProductSerializer(serializers.ModelSerializer):
    segment = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Product
        fields = ["id", "name_zh", "name_en", "kind", "development_stage", "indication_zh", "indication_en", "segment"]


class EnterpriseSerializer(PlaceSerializer):
    segments = codes(ChainSegment.objects.all())
    honours = codes(Honour.objects.all())
    park_name = serializers.CharField(source="park.name_zh", read_only=True, default=None, allow_null=True)
    products = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        exclude = INTERNAL

    def get_products(self, enterprise) -> list[dict]:
        request = self.context.get("request")
        audience = api_audience(request) if request is not None else PUBLIC
        return ProductSerializer([p for p in enterprise.products.all() if audience.shows(p)], many=True).data


class HospitalSerializer(PlaceSerializer):
    class Meta:
        model = Hospital
        exclude = INTERNAL


class ResearchInstitutionSerializer(PlaceSerializer):
    segments = codes(ChainSegment.objects.all())

    class Meta:
        model = ResearchInstitution
        exclude = INTERNAL


class FundSerializer(PlaceSerializer):
    stages = codes(InvestmentStage.objects.all())
    focus_segments = codes(ChainSegment.objects.all())

    class Meta:
        model = Fund
        exclude = INTERNAL


class ServicePlatformSerializer(PlaceSerializer):
    segments = codes(ChainSegment.objects.all())

    class Meta:
        model = ServicePlatform
        exclude = INTERNAL


class SignedProjectSerializer(RecordSerializer):
    segments = codes(ChainSegment.objects.all())

    class Meta:
        model = SignedProject
        exclude = ["search_names", "search_text"]


class ClinicalProjectSerializer(RecordSerializer):
    segments = codes(ChainSegment.objects.all())
    hospital_name = serializers.CharField(source="hospital.name_zh", read_only=True, default=None, allow_null=True)
    enterprise_name = serializers.CharField(source="enterprise.name_zh", read_only=True, default=None, allow_null=True)

    class Meta:
        model = ClinicalProject
        exclude = ["search_names", "search_text"]
