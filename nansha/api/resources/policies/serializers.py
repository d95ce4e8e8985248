from industry.models import ChainSegment, Honour
from nansha.api.serializers import RecordSerializer, codes
from policies.models import Policy, SupportKind


class PolicySerializer(RecordSerializer):
    support_kinds = codes(SupportKind.objects.all())
    target_segments = codes(ChainSegment.objects.all())
    required_honours = codes(Honour.objects.all())

    class Meta:
        model = Policy
        exclude = ["search_names", "search_text"]

    def get_page_url(self, policy) -> str | None:
        return None
