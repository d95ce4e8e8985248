"""Who a policy is for: its eligibility conditions judged against a company's profile.

Each condition the policy sets is judged met / not met / unknown (the profile lacks the fact); a
policy is eligible when all are met, possible when none is failed but some are unknown, and not
eligible otherwise. Used by the matching page (nansha.matching) and the staff's admin action
"Which enterprises qualify?".
"""

import functools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from industry.models import DevelopmentStage, Enterprise, OwnershipKind, SizeBand
from industry.selectors import related_segment_ids, segment_tree
from nansha.records.chinese import in_script, join_items
from nansha.records.numbers import money_from_wan

from .awards import Award, compute_award
from .clauses import MEASURES, ApprovalKind, AwardKind, Measure, format_number
from .facts import absent, apply_facts, dated, facts_period_start, missing_name
from .models import Policy

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
    # The numbers clauses set thresholds on or compute awards from; None: not given (unknown, never zero).
    fixed_asset_investment_wan: Decimal | None = None  # 万元
    foreign_capital_wan: Decimal | None = None  # 万元, foreign capital injected (外资入资)
    revenue_wan: Decimal | None = None  # 万元, last full year
    rd_spending_wan: Decimal | None = None  # 万元, last full year
    headcount: int | None = None  # people
    cleanroom_area_m2: Decimal | None = None  # m²
    clinical_stage: str = ""  # industry DevelopmentStage code of the most advanced product; "": not said
    approvals: list | None = None  # ApprovalKind codes held; None: not said
    # Facts read from staff records (industry.EnterpriseFact) rather than typed by the company: an approval not on
    # record is unknown (the list is not complete), and each figure carries its date and source.
    of_record: bool = False
    as_of: dict = field(default_factory=dict)  # fact name -> the date the figure used is true on
    stale: dict = field(default_factory=dict)  # fact name -> the date of a figure left out as older than the period
    since: date | None = None  # the start of the period figures must be current for
    records: dict = field(default_factory=dict)  # fact name -> [EnterpriseFact] used
    _reach: set | None = field(default=None, init=False, repr=False, compare=False)

    def segment_reach(self):
        """The ids of the company's segments and of every segment above or below them (read once)."""
        if self._reach is None:
            _segments, by_id = segment_tree()
            self._reach = set()
            for segment in self.segments:
                self._reach |= related_segment_ids(by_id[segment.pk], by_id)
        return self._reach


def related(record, name):
    """list(record.<name>.all()), read straight from the prefetch cache when there is one.

    Judging thousands of enterprises asks each relation many times; building a related manager for every
    .all() cost more than the judging itself (measured in `make bench`). The cache is the one .all() reads,
    and Django empties it when the relation is changed through its manager (set, add, remove, clear).
    """
    listed = record.__dict__.get(f"prefetched_{name}")  # a Prefetch(name, to_attr="prefetched_<name>") list
    if listed is not None:
        return listed
    cached = getattr(record, "_prefetched_objects_cache", {}).get(name)
    return list(cached) if cached is not None else list(getattr(record, name).all())


def listed(*names):
    """Prefetch objects that keep each relation as a plain list (to_attr), read by related(): Django builds no
    queryset per record and relation then, which judging thousands of enterprises spent most of its time on."""
    return [Prefetch(name, to_attr=f"prefetched_{name}") for name in names]


@dataclass
class Judgement:
    criterion: str
    outcome: str  # MET, NOT_MET or UNKNOWN
    reason: str
    missing: str = ""  # UNKNOWN: the fact the company did not give, named


def touches(needs, segments):
    """Whether any of `segments` is one of the company's, or sits above or below one of them."""
    return bool(needs.segment_reach() & {s.pk for s in segments})


def _years_between(start, end):
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def _judge_segments(targets, needs):
    if not targets:
        return []
    names = join_items(targets)
    if not needs.segments:
        return [
            Judgement(
                "segments",
                UNKNOWN,
                _("targets %(segments)s; you gave no segment") % {"segments": names},
                missing=str(_("chain segments")),
            )
        ]
    outcome = MET if touches(needs, targets) else NOT_MET
    return [Judgement("segments", outcome, _("targets %(segments)s") % {"segments": names})]


def _judge_founding(low, high, needs, today):
    if low is None and high is None:
        return []
    wanted = _("founded %(low)s–%(high)s years ago") % {
        "low": low if low is not None else 0,
        "high": high if high is not None else "∞",
    }
    if needs.founded_on is None:
        return [
            Judgement(
                "founding",
                UNKNOWN,
                _("%(wanted)s; you gave no founding date") % {"wanted": wanted},
                missing=str(_("founding date")),
            )
        ]
    years = _years_between(needs.founded_on, today)
    ok = (low is None or years >= low) and (high is None or years <= high)
    return [
        Judgement(
            "founding", MET if ok else NOT_MET, _("%(wanted)s; yours: %(years)s") % {"wanted": wanted, "years": years}
        )
    ]


def _judge_choice(name, allowed, given, labels, missing):
    if not allowed:
        return []
    wanted = join_items(labels[v] for v in allowed)
    if not given:
        return [
            Judgement(name, UNKNOWN, _("open to %(wanted)s; you did not say") % {"wanted": wanted}, missing=missing)
        ]
    return [Judgement(name, MET if given in allowed else NOT_MET, _("open to %(wanted)s") % {"wanted": wanted})]


def _judge_honours(required, needs):
    if not required:
        return []
    held = {h.pk for h in needs.honours}
    missing = [h for h in required if h.pk not in held]
    text = _("requires %(honours)s") % {"honours": join_items(required)}
    return [Judgement("honours", NOT_MET if missing else MET, text)]


def _judge_registration(required, needs):
    if not required:
        return []
    outcome = {True: MET, False: NOT_MET, None: UNKNOWN}[needs.registers_in_nansha]
    missing = str(_("registration in Nansha")) if outcome == UNKNOWN else ""
    return [Judgement("registration", outcome, _("must be registered in Nansha"), missing=missing)]


def judge_policy(policy, needs, *, today):
    """The judgements on each condition the policy sets."""
    ownership = dict(OwnershipKind.choices)
    sizes = dict(SizeBand.choices)
    return [
        *_judge_segments(related(policy, "target_segments"), needs),
        *_judge_founding(policy.min_years_since_founding, policy.max_years_since_founding, needs, today),
        *_judge_choice(
            "ownership", policy.eligible_ownership_kinds, needs.ownership, ownership, str(_("ownership kind"))
        ),
        *_judge_choice("size", policy.eligible_size_bands, needs.size_band, sizes, str(_("size band"))),
        *_judge_honours(related(policy, "required_honours"), needs),
        *_judge_registration(policy.requires_nansha_registration, needs),
    ]


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


def profile_of_enterprise(enterprise, by_id=None, *, facts=None, since=None):
    """An enterprise's Profile, to check which policies it qualifies for.

    by_id: the segment tree (industry.selectors.segment_tree), when judging many enterprises at once.
    facts: its industry.EnterpriseFact records (prefetched), to judge clauses on the figures staff keep; figures
    older than `since` (the period's start, see facts_period_start) are left out and named as too old.
    """
    profile = Profile(
        segments=related(enterprise, "segments"),
        founded_on=enterprise.founded_on,
        ownership=enterprise.ownership,
        size_band=enterprise.size_band,
        honours=related(enterprise, "honours"),
        registers_in_nansha=enterprise.registered_in_nansha,
    )
    if by_id is not None:
        profile._reach = set()
        for segment in profile.segments:
            profile._reach |= related_segment_ids(by_id[segment.pk], by_id)
    if facts is not None:
        apply_facts(profile, facts, since)
    return profile


def qualifying_enterprises(policy, *, today=None):
    """Published enterprises judged against one policy: [(enterprise, status, judgements)], eligible first.

    Those that certainly fail a condition SQL can check (segment, ownership, size) are left out early;
    a blank ownership or size stays in, to be judged unknown.
    """
    today = today or timezone.localdate()
    enterprises = Enterprise.objects.published().prefetch_related("segments", "honours")
    targets = related(policy, "target_segments")
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


# --- clauses -----------------------------------------------------------------------------------

STAGE_ORDER = [code for code, _label in DevelopmentStage.choices]


@dataclass
class ClauseResult:
    """One clause judged for one company: status, the judgements (own conditions), the award worked out."""

    clause: object
    status: str
    judgements: list
    award: Award
    policy_judgements: list = field(default_factory=list)
    records: list = field(default_factory=list)  # the enterprise's figures on record that decided it

    @property
    def failing(self):
        """The conditions not met (why the clause is not eligible)."""
        return [j for j in (*self.policy_judgements, *self.judgements) if j.outcome == NOT_MET]

    @property
    def missing(self):
        """The facts the company did not give, by name, that decide this clause (conditions, then award basis)."""
        names = [j.missing for j in (*self.policy_judgements, *self.judgements) if j.outcome == UNKNOWN and j.missing]
        if self.award.missing:
            names.append(self.award.missing)
        return list(dict.fromkeys(names))


def _amount(number, unit):
    """A threshold or a company's figure with its unit: money as the page's language writes it (30,000 万元, 萬元 on
    traditional pages, ¥300,000,000 in English), other units after the number (人, m²)."""
    if unit == "万元":
        return money_from_wan(number)
    return f"{format_number(number)} {in_script(unit)}"


def _judge_thresholds(clause, needs):
    judgements = []
    for measure, minimum, unit in clause.thresholds():
        fact = MEASURES[measure][0]
        value = getattr(needs, fact)
        label = Measure(measure).label
        shown = functools.partial(_amount, unit=unit)
        wanted = f"{label} ≥ {shown(minimum)}"
        if value is None:
            judgements.append(
                Judgement(
                    measure,
                    UNKNOWN,
                    _("%(wanted)s; %(absent)s") % {"wanted": wanted, "absent": absent(needs, fact)},
                    missing=missing_name(needs, fact, label),
                )
            )
        else:
            outcome = MET if Decimal(value) >= minimum else NOT_MET  # “以上”: the threshold itself qualifies
            judgements.append(
                Judgement(
                    measure,
                    outcome,
                    _("%(wanted)s; yours: %(value)s") % {"wanted": wanted, "value": shown(value)} + dated(needs, fact),
                )
            )
    return judgements


def _judge_stage(clause, needs):
    if not clause.min_clinical_stage:
        return []
    wanted_label = DevelopmentStage(clause.min_clinical_stage).label
    wanted = _("clinical stage %(stage)s or later") % {"stage": wanted_label}
    if not needs.clinical_stage:
        reason = (
            _("%(wanted)s; %(absent)s") % {"wanted": wanted, "absent": absent(needs, "clinical_stage")}
            if needs.of_record
            else _("%(wanted)s; you did not say") % {"wanted": wanted}
        )
        return [
            Judgement(
                "clinical_stage",
                UNKNOWN,
                reason,
                missing=missing_name(needs, "clinical_stage", _("clinical stage reached")),
            )
        ]
    ok = STAGE_ORDER.index(needs.clinical_stage) >= STAGE_ORDER.index(clause.min_clinical_stage)
    return [
        Judgement(
            "clinical_stage",
            MET if ok else NOT_MET,
            _("%(wanted)s; yours: %(stage)s")
            % {"wanted": wanted, "stage": DevelopmentStage(needs.clinical_stage).label}
            + dated(needs, "clinical_stage"),
        )
    ]


def _judge_approvals(clause, needs):
    if not clause.required_approvals:
        return []
    labels = dict(ApprovalKind.choices)
    text = _("requires %(approvals)s") % {"approvals": join_items(labels[a] for a in clause.required_approvals)}
    if needs.approvals is None:
        if needs.of_record:
            text = f"{text}; {absent(needs, 'approvals')}"
        return [Judgement("approvals", UNKNOWN, text, missing=missing_name(needs, "approvals", _("approvals held")))]
    held = set(needs.approvals)
    lacking = [a for a in clause.required_approvals if a not in held]
    if not lacking:
        return [Judgement("approvals", MET, text + dated(needs, "approvals"))]
    if needs.of_record:  # the records list the approvals known to be held, not all: one not listed is unknown
        names = join_items(labels[a] for a in lacking)
        return [
            Judgement(
                "approvals",
                UNKNOWN,
                _("%(text)s; not on record: %(approvals)s") % {"text": text, "approvals": names},
                missing=names,
            )
        ]
    return [Judgement("approvals", NOT_MET, text)]


def judge_clause(clause, needs, *, today):
    """The judgements on each condition the clause itself sets (the policy's own are judged by judge_policy).

    Conditions the clause states only in words (other_conditions_*) cannot be judged: they make one UNKNOWN
    judgement, so that neither the calculator nor the 免申即享 list calls such a clause certainly eligible.
    """
    return [
        *_judge_segments(related(clause, "segments"), needs),
        *_judge_founding(clause.min_years_since_founding, clause.max_years_since_founding, needs, today),
        *_judge_choice(
            "ownership", clause.ownership_kinds, needs.ownership, dict(OwnershipKind.choices), str(_("ownership kind"))
        ),
        *_judge_choice("size", clause.size_bands, needs.size_band, dict(SizeBand.choices), str(_("size band"))),
        *_judge_honours(related(clause, "required_honours"), needs),
        *_judge_registration(clause.requires_nansha_registration, needs),
        *_judge_thresholds(clause, needs),
        *_judge_stage(clause, needs),
        *_judge_approvals(clause, needs),
        *_judge_words(clause),
    ]


def _judge_words(clause):
    if not (clause.other_conditions_zh.strip() or clause.other_conditions_en.strip()):
        return []
    reason = _("also required, not checked here: %(conditions)s") % {"conditions": clause.other_conditions}
    return [
        Judgement(
            "other_conditions",
            UNKNOWN,
            reason,
            missing=str(_("the clause's other conditions, to check with the issuer")),
        )
    ]


def judge_in_force(policy, today):
    """[] when the policy is in force on `today`, else one NOT_MET judgement saying why."""
    if policy.effective_from and policy.effective_from > today:
        reason = _("not yet in force: takes effect on %(date)s") % {"date": policy.effective_from.isoformat()}
        return [Judgement("in_force", NOT_MET, reason)]
    if policy.effective_to and policy.effective_to < today:
        reason = _("expired on %(date)s") % {"date": policy.effective_to.isoformat()}
        return [Judgement("in_force", NOT_MET, reason)]
    return []


def clause_status(judgements, award):
    """ELIGIBLE, POSSIBLE or NOT_ELIGIBLE for a clause: its judgements' status, but only possible when the
    conditions hold and the award depends on a fact not given (award.missing)."""
    status = policy_status(judgements)
    return POSSIBLE if status == ELIGIBLE and award.missing else status


def calculate_policy(policy, needs, *, today, policy_judgements=None):
    """Every clause of `policy` for enterprises, judged for `needs`: [ClauseResult] in clause order.

    A clause is eligible when the policy's and the clause's conditions are all met and its award can be
    worked out; possible when nothing fails but a fact is missing (named in `missing`); not eligible
    when a condition fails (named in `failing`), including the policy not being in force on `today`.
    """
    if policy_judgements is None:
        policy_judgements = judge_in_force(policy, today) + judge_policy(policy, needs, today=today)
    results = []
    for clause in policy.clauses.all():
        if not clause.for_enterprises:
            continue
        said = {(j.outcome, j.reason) for j in policy_judgements}
        # A clause repeating its policy's condition (the same segments) is judged once, shown once.
        own = [j for j in judge_clause(clause, needs, today=today) if (j.outcome, j.reason) not in said]
        award = compute_award(clause, needs)
        status = clause_status([*policy_judgements, *own], award)
        results.append(ClauseResult(clause, status, own, award, policy_judgements))
    return results


@dataclass
class Totals:
    """Sums over clause results, in 万元: the most from eligible clauses and from possible ones.

    Eligible clauses add the amount worked out from the company's facts; possible ones add that amount, or
    the most a formula can give (its cap) when its basis is missing. A clause whose amount is not worked
    out otherwise (decided case by case up to a ceiling, not stated in the source, no cap) is counted in the
    *_unknown numbers instead: a case-by-case ceiling is what the issuer may give at most, not an award.
    """

    eligible_wan: Decimal
    possible_wan: Decimal
    eligible_unknown: int
    possible_unknown: int


def totals(results):
    sums = {ELIGIBLE: Decimal(0), POSSIBLE: Decimal(0)}
    unknown = {ELIGIBLE: 0, POSSIBLE: 0}
    for result in results:
        if result.status not in sums:
            continue
        award = result.award
        if award.amount_wan is not None:
            sums[result.status] += award.amount_wan
        elif (
            result.status == POSSIBLE and award.ceiling_wan is not None and result.clause.award_kind != AwardKind.UP_TO
        ):
            sums[result.status] += award.ceiling_wan
        else:
            unknown[result.status] += 1
    return Totals(sums[ELIGIBLE], sums[POSSIBLE], unknown[ELIGIBLE], unknown[POSSIBLE])


CLAUSE_PREFETCH = ["clauses__segments", "clauses__required_honours"]


def qualifying_for_clause(clause, *, today=None):
    """免申即享: published enterprises judged against one clause (and its policy): [(enterprise, ClauseResult)].

    The enterprises' own records and the figures staff keep for them (industry.EnterpriseFact) decide: eligible
    when every condition is met by figures on record that are current for the policy's period, with the award
    worked out; possible when a figure is missing or too old (named); those that fail a condition are left out.
    Eligible ones first. A constant number of queries, whatever the number of enterprises.
    """
    today = today or timezone.localdate()
    prefetch_related_objects(
        [clause], "segments", "required_honours", "policy__target_segments", "policy__required_honours"
    )
    policy = clause.policy
    since = facts_period_start(policy)
    in_force = judge_in_force(policy, today)
    _segments, by_id = segment_tree()
    rows = []
    enterprises = (
        Enterprise.objects.published()
        .prefetch_related(*listed("segments", "honours", "facts"))
        .order_by("name_zh", "pk")
    )
    for enterprise in enterprises:
        profile = profile_of_enterprise(enterprise, by_id, facts=related(enterprise, "facts"), since=since)
        judged = in_force + judge_policy(policy, profile, today=today)
        own = judge_clause(clause, profile, today=today)
        award = compute_award(clause, profile)
        status = clause_status([*judged, *own], award)
        if status != NOT_ELIGIBLE:
            result = ClauseResult(clause, status, own, award, judged)
            result.records = deciding_records(clause, profile)
            rows.append((enterprise, result))
    rows.sort(key=lambda row: row[1].status != ELIGIBLE)
    return rows


def deciding_records(clause, profile):
    """The EnterpriseFact records the clause was judged on (its thresholds, award basis, stage, approvals)."""
    names = [MEASURES[measure][0] for measure, _minimum, _unit in clause.thresholds()]
    if clause.award_basis and clause.award_kind in (AwardKind.PERCENTAGE, AwardKind.PER_UNIT):
        names.append(MEASURES[clause.award_basis][0])
    if clause.min_clinical_stage:
        names.append("clinical_stage")
    if clause.required_approvals:
        names.append("approvals")
    return [fact for name in dict.fromkeys(names) for fact in profile.records.get(name, [])]


def calculate_for_enterprise(enterprise, *, today=None):
    """Every published policy's clauses judged for one enterprise on its own record and the figures staff keep:
    [(policy, [ClauseResult])], policies in the library's order. Each policy judges the figures current for its
    own period (see policies.facts). A constant number of queries, whatever the number of policies and clauses.
    """
    today = today or timezone.localdate()
    prefetch_related_objects([enterprise], "segments", "honours", "facts")
    _segments, by_id = segment_tree()
    facts = related(enterprise, "facts")
    policies = Policy.objects.published().prefetch_related("target_segments", "required_honours", *CLAUSE_PREFETCH)
    calculated = []
    for policy in policies.order_by("-issued_on", "-published_on", "title_zh", "pk"):
        profile = profile_of_enterprise(enterprise, by_id, facts=facts, since=facts_period_start(policy))
        calculated.append((policy, calculate_policy(policy, profile, today=today)))
    return calculated
