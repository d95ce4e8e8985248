from nansha.api.views import RecordViewSet
from policies.filters import PolicyFilterSet
from policies.models import Policy

from . import serializers


class PolicyViewSet(RecordViewSet):
    """Support policies, national to district level, with their eligibility conditions."""

    model = Policy
    serializer_class = serializers.PolicySerializer
    filterset_class = PolicyFilterSet
    prefetch_related = [
        "support_kinds",
        "target_segments",
        "required_honours",
        "clauses__segments",
        "clauses__required_honours",
    ]
    ordering_fields = ["title_zh", "issued_on", "effective_to", "max_amount_wan", "updated_at", "id"]
    ordering = ["-issued_on", "title_zh", "id"]
