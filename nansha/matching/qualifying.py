"""Which enterprises qualify for a policy (the staff's admin action), judged by the matching engine."""

from django.db.models import Q
from django.utils import timezone

from industry.models import Enterprise
from industry.selectors import related_segment_ids, segment_tree

from .engine import ELIGIBLE, NOT_ELIGIBLE, POSSIBLE, Needs, judge_policy, policy_status


def needs_of_enterprise(enterprise, by_id=None):
    """An enterprise's profile as Needs, to check which policies it qualifies for.

    by_id: the segment tree (industry.selectors.segment_tree), when judging many enterprises at once.
    """
    needs = Needs(
        segments=list(enterprise.segments.all()),
        founded_on=enterprise.founded_on,
        ownership=enterprise.ownership,
        size_band=enterprise.size_band,
        honours=list(enterprise.honours.all()),
        registers_in_nansha=enterprise.registered_in_nansha,
    )
    if by_id is not None:
        needs._reach = set()
        for segment in needs.segments:
            needs._reach |= related_segment_ids(by_id[segment.pk], by_id)
    return needs


def qualifying_enterprises(policy, *, today=None):
    """Published enterprises judged against one policy: [(enterprise, status, judgements)], eligible first.

    Those that certainly fail a condition SQL can check (segment, ownership, size) are left out early;
    a blank ownership or size stays in, to be judged unknown.
    """
    today = today or timezone.localdate()
    enterprises = Enterprise.objects.published().prefetch_related("segments", "honours")
    targets = list(policy.target_segments.all())
    _segments, by_id = segment_tree()
    if targets:
        wanted = set()
        for target in targets:
            wanted |= related_segment_ids(by_id[target.pk], by_id)
        enterprises = enterprises.filter(
            Q(pk__in=Enterprise.objects.filter(segments__in=wanted).values("pk")) | Q(segments__isnull=True)
        ).distinct()  # no segment on record: judged unknown, not left out
    if policy.eligible_ownership_kinds:
        enterprises = enterprises.filter(Q(ownership__in=policy.eligible_ownership_kinds) | Q(ownership=""))
    if policy.eligible_size_bands:
        enterprises = enterprises.filter(Q(size_band__in=policy.eligible_size_bands) | Q(size_band=""))
    order = {ELIGIBLE: 0, POSSIBLE: 1, NOT_ELIGIBLE: 2}
    judged = []
    for enterprise in enterprises.order_by("name_zh", "pk"):
        judgements = judge_policy(policy, needs_of_enterprise(enterprise, by_id), today=today)
        judged.append((enterprise, policy_status(judgements), judgements))
    judged.sort(key=lambda row: order[row[1]])
    return judged
