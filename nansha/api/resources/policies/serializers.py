from rest_framework import serializers

from industry.models import ChainSegment, Honour
from nansha.api.serializers import RecordSerializer, codes
from policies.models import Clause, Policy, SupportKind


class ClauseSerializer(serializers.ModelSerializer):
    """A clause with its conditions and award (money in 万元, areas in m²), read-only inside its policy."""

    segments = codes(ChainSegment.objects.all())
    required_honours = codes(Honour.objects.all())
    award_formula = serializers.SerializerMethodField()

    class Meta:
        model = Clause
        exclude = ["policy"]

    def get_award_formula(self, clause) -> str:
        return str(clause.award_formula())


class PolicySerializer(RecordSerializer):
    support_kinds = codes(SupportKind.objects.all())
    target_segments = codes(ChainSegment.objects.all())
    required_honours = codes(Honour.objects.all())
    clauses = ClauseSerializer(many=True, read_only=True)

    class Meta:
        model = Policy
        exclude = ["search_names", "search_text"]
