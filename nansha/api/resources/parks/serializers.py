from rest_framework import serializers

from industry.models import ChainSegment
from nansha.api.serializers import PlaceSerializer, RecordSerializer, codes
from parks.models import Park, Space


class ParkSerializer(PlaceSerializer):
    focus_segments = codes(ChainSegment.objects.all())
    free_spaces = serializers.IntegerField(read_only=True, help_text="Spaces available to rent now.")

    class Meta:
        model = Park
        exclude = ["name_pinyin", "search_names", "search_text"]


class SpaceSerializer(RecordSerializer):
    park_name = serializers.CharField(source="park.name_zh", read_only=True, allow_null=True)
    is_stale = serializers.BooleanField(read_only=True, help_text="Not re-confirmed recently enough.")

    class Meta:
        model = Space
        fields = "__all__"

    def get_page_url(self, space) -> str | None:
        return super().get_page_url(space.park)
