"""Who a policy is for: its eligibility conditions judged against a company's profile.

Each condition the policy sets is judged met / not met / unknown (the profile lacks the fact); a
policy is eligible when all are met, possible when none is failed but some are unknown, and not
eligible otherwise. Used by the matching page (nansha.matching) and the staff's admin action
"Which enterprises qualify?".
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from industry.models import Enterprise
from industry.selectors import related_segment_ids, segment_tree

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
ELIGIBLE, POSSIBLE, NOT_ELIGIBLE = "eligible", "possible", "not_eligible"


@dataclass
class Profile:
    """Who a company is, as policies ask it: segments, founding date, ownership, size, honours, registration."""

    segments: list = field(default_factory=list)  # ChainSegment objects
    founded_on: date | None = None
    ownership: str = ""
    size_band: str = ""
    honours: list = field(default_factory=list)  # Honour objects
    registers_in_nansha: bool | None = None  # None: not said
    _reach: set | None = field(default=None, init=False, repr=False, compare=False)

    def segment_reach(self):
        """The ids of the company's segments and of every segment above or below them (read once)."""
        if self._reach is None:
            _segments, by_id = segment_tree()
            self._reach = set()
            for segment in self.segments:
                self._reach |= related_segment_ids(by_id[segment.pk], by_id)
        return self._reach


@dataclass
class Judgement:
    criterion: str
    outcome: str  # MET, NOT_MET or UNKNOWN
    reason: str


def touches(needs, segments):
    """Whether any of `segments` is one of the company's, or sits above or below one of them."""
    return bool(needs.segment_reach() & {s.pk for s in segments})


def _years_between(start, end):
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def judge_policy(policy, needs, *, today):
    """The judgements on each condition the policy sets."""
    judgements = []
    targets = list(policy.target_segments.all())
    if targets:
        names = "、".join(str(s) for s in targets)
        if not needs.segments:
            judgements.append(
                Judgement("segments", UNKNOWN, _("targets %(segments)s; you gave no segment") % {"segments": names})
            )
        else:
            outcome = MET if touches(needs, targets) else NOT_MET
            judgements.append(Judgement("segments", outcome, _("targets %(segments)s") % {"segments": names}))
    low, high = policy.min_years_since_founding, policy.max_years_since_founding
    if low is not None or high is not None:
        wanted = _("founded %(low)s–%(high)s years ago") % {
            "low": low if low is not None else 0,
            "high": high if high is not None else "∞",
        }
        if needs.founded_on is None:
            judgements.append(
                Judgement("founding", UNKNOWN, _("%(wanted)s; you gave no founding date") % {"wanted": wanted})
            )
        else:
            years = _years_between(needs.founded_on, today)
            ok = (low is None or years >= low) and (high is None or years <= high)
            judgements.append(
                Judgement(
                    "founding",
                    MET if ok else NOT_MET,
                    _("%(wanted)s; yours: %(years)s") % {"wanted": wanted, "years": years},
                )
            )
    for name, allowed, given, labels in [
        (
            "ownership",
            policy.eligible_ownership_kinds,
            needs.ownership,
            dict(policy._meta.get_field("eligible_ownership_kinds").item_choices),
        ),
        (
            "size",
            policy.eligible_size_bands,
            needs.size_band,
            dict(policy._meta.get_field("eligible_size_bands").item_choices),
        ),
    ]:
        if not allowed:
            continue
        wanted = "、".join(str(labels[v]) for v in allowed)
        if not given:
            judgements.append(Judgement(name, UNKNOWN, _("open to %(wanted)s; you did not say") % {"wanted": wanted}))
        else:
            judgements.append(
                Judgement(name, MET if given in allowed else NOT_MET, _("open to %(wanted)s") % {"wanted": wanted})
            )
    required = list(policy.required_honours.all())
    if required:
        held = {h.pk for h in needs.honours}
        missing = [h for h in required if h.pk not in held]
        text = _("requires %(honours)s") % {"honours": "、".join(str(h) for h in required)}
        judgements.append(Judgement("honours", NOT_MET if missing else MET, text))
    if policy.requires_nansha_registration:
        outcome = {True: MET, False: NOT_MET, None: UNKNOWN}[needs.registers_in_nansha]
        judgements.append(Judgement("registration", outcome, _("must be registered in Nansha")))
    return judgements


def policy_status(judgements):
    outcomes = {j.outcome for j in judgements}
    if NOT_MET in outcomes:
        return NOT_ELIGIBLE
    return POSSIBLE if UNKNOWN in outcomes else ELIGIBLE


def in_force(policies, today):
    """Split policies into those in force on `today` and the number left out (expired or not yet in force)."""
    current = [
        p
        for p in policies
        if (p.effective_from is None or p.effective_from <= today)
        and (p.effective_to is None or p.effective_to >= today)
    ]
    return current, len(policies) - len(current)


def profile_of_enterprise(enterprise, by_id=None):
    """An enterprise's Profile, to check which policies it qualifies for.

    by_id: the segment tree (industry.selectors.segment_tree), when judging many enterprises at once.
    """
    profile = Profile(
        segments=list(enterprise.segments.all()),
        founded_on=enterprise.founded_on,
        ownership=enterprise.ownership,
        size_band=enterprise.size_band,
        honours=list(enterprise.honours.all()),
        registers_in_nansha=enterprise.registered_in_nansha,
    )
    if by_id is not None:
        profile._reach = set()
        for segment in profile.segments:
            profile._reach |= related_segment_ids(by_id[segment.pk], by_id)
    return profile


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
        judgements = judge_policy(policy, profile_of_enterprise(enterprise, by_id), today=today)
        judged.append((enterprise, policy_status(judgements), judgements))
    judged.sort(key=lambda row: order[row[1]])
    return judged
