"""The baseline: the same enterprise GeoJSON built the common way, a DRF ModelSerializer per feature.

Written as a competent developer would (select_related / prefetch_related, the same FilterSet),
so that `make bench` compares against a fair alternative, not a straw man.
"""

from rest_framework import generics, serializers
from rest_framework.response import Response

from industry.filters import EnterpriseFilterSet
from industry.models import Enterprise


class EnterpriseFeatureSerializer(serializers.ModelSerializer):
    type = serializers.SerializerMethodField()
    geometry = serializers.SerializerMethodField()
    properties = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = ["type", "id", "geometry", "properties"]

    def get_type(self, obj):
        return "Feature"

    def get_geometry(self, obj):
        return None if obj.lat is None else {"type": "Point", "coordinates": [obj.lng, obj.lat]}

    def get_properties(self, obj):
        return {
            "name_zh": obj.name_zh,
            "name_en": obj.name_en,
            "position_is_approximate": obj.position_is_approximate,
            "verified_on": obj.verified_on,
            "credit_code": obj.credit_code,
            "ownership": obj.ownership,
            "size_band": obj.size_band,
            "founded_on": obj.founded_on,
            "park_id": obj.park_id,
            "website": obj.website,
            "segments": sorted(s.code for s in obj.segments.all()),
            "honours": sorted(h.code for h in obj.honours.all()),
        }


class BaselineGeoJSON(generics.ListAPIView):
    serializer_class = EnterpriseFeatureSerializer
    filterset_class = EnterpriseFilterSet
    pagination_class = None

    def get_queryset(self):
        return Enterprise.objects.published().select_related("park").prefetch_related("segments", "honours")

    def list(self, request, *args, **kwargs):
        features = self.get_serializer(self.filter_queryset(self.get_queryset()), many=True).data
        return Response({"type": "FeatureCollection", "features": features})
