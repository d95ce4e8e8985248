"""Precise matching (项目要素精准匹配): what a project needs against what Nansha offers.

How a space's score is made
---------------------------
Only published, available, recently re-confirmed spaces of the use the project asked for are
considered (use is a hard requirement). Each other criterion the project stated is then judged
met, not met or unknown (the listing lacks the fact). A criterion adds its full weight when met,
nothing when not met, and UNKNOWN_CREDIT of its weight when unknown, so that missing data never
passes silently but does not sink a listing either. The score is 100 × credit / weight of the
criteria judged. Ties rank by lower rent, then larger area, then listing id.

How a policy is judged
----------------------
Expired policies (effective_to before the day of the match) and those not yet in force are left
out and counted; the rest are judged by policies.eligibility, clause by clause where the policy has
clauses (each with its award worked out), else on the policy's own conditions. Eligible policies
rank first, then possible ones, each by the most they can give.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from industry.models import Fund, Hospital, ResearchInstitution
from nansha.records.chinese import join_items
from parks.filters import offered_spaces
from policies.eligibility import (
    CLAUSE_PREFETCH,
    ELIGIBLE,
    MET,
    NOT_ELIGIBLE,
    NOT_MET,
    POSSIBLE,
    UNKNOWN,
    Judgement,
    Profile,
    calculate_policy,
    in_force,
    judge_policy,
    policy_status,
    totals,
    touches,
)
from policies.models import Policy

# The weights of the space criteria, in one place.
WEIGHTS = {
    "area": 25,
    "cleanroom": 20,
    "rent": 15,
    "move_in": 10,
    "segments": 10,
    "floor_load": 8,
    "ceiling": 7,
    "clinical": 5,
}
UNKNOWN_CREDIT = Decimal("0.5")
CLINICAL_RADIUS_KM = 10
NEARBY_RADIUS_KM = 30
MAX_SPACES = 10

# Cleanliness as an ISO 14644-1 class number (lower is cleaner). GMP grade A rooms also need
# unidirectional airflow, so an ISO 5 room does not count as grade A; grade B at rest is ISO 5.
CLEANLINESS = {"gmp_a": 4.9, "gmp_b": 5, "iso_5": 5, "iso_6": 6, "gmp_c": 7, "iso_7": 7, "gmp_d": 8, "iso_8": 8}


@dataclass
class Needs(Profile):
    """What a project states: the space it needs and, as a Profile, who it is."""

    use: str = ""
    area_min: Decimal | None = None
    area_max: Decimal | None = None
    cleanroom: str = ""
    floor_load_min: Decimal | None = None
    ceiling_min: Decimal | None = None
    rent_max: Decimal | None = None
    move_in: date | None = None
    financing_stage: str = ""  # InvestmentStage code


@dataclass
class SpaceMatch:
    space: object
    score: int
    judgements: list

    @property
    def reasons_for(self):
        return [j for j in self.judgements if j.outcome == MET]

    @property
    def reasons_against(self):
        return [j for j in self.judgements if j.outcome == NOT_MET]

    @property
    def unknowns(self):
        return [j for j in self.judgements if j.outcome == UNKNOWN]


@dataclass
class PolicyMatch:
    """A policy judged for the project: its own conditions' judgements and, when it has clauses, each clause's result.

    status: the best of its clauses' statuses when it has clauses for enterprises, else the policy's own.
    """

    policy: object
    status: str
    judgements: list
    clauses: list = field(default_factory=list)  # policies.eligibility.ClauseResult

    @property
    def most_wan(self):
        """The most this policy can give in its status (万元), for ranking; 0 when not known."""
        if self.clauses:
            return sum((c.award.ceiling_wan or 0 for c in self.clauses if c.status == self.status), Decimal(0))
        return self.policy.max_amount_wan or Decimal(0)


@dataclass
class Nearby:
    record: object
    distance_km: float | None


@dataclass
class MatchResult:
    spaces: list
    policies: list
    expired_policies: int
    most_eligible_wan: Decimal
    most_possible_wan: Decimal
    unknown_amounts: int  # eligible or possible clauses whose amount cannot be bounded (not stated, basis not given)
    hospitals: list
    institutions: list
    funds: list
    anchor: tuple | None  # the (lat, lng) distances are measured from
    anchor_park: object = None  # the best-ranked park with a position, which `anchor` is; None: the fixed point

    @property
    def useful_policies(self):
        """The policies the project qualifies for or may qualify for, best first."""
        return [m for m in self.policies if m.status != NOT_ELIGIBLE]

    @property
    def not_eligible_policies(self):
        return [m for m in self.policies if m.status == NOT_ELIGIBLE]


def distance_km(a, b):
    """Great-circle distance between two (lat, lng) points, in km."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _num(value):
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


# --- spaces ----------------------------------------------------------------------------------


def _judge_area(space, needs):
    area = space.usable_area_m2
    if needs.area_min is not None and area < needs.area_min:
        return NOT_MET, _("%(area)s m², below your minimum of %(min)s m²") % {
            "area": _num(area),
            "min": _num(needs.area_min),
        }
    if needs.area_max is not None and area > needs.area_max:
        return NOT_MET, _("%(area)s m², above your maximum of %(max)s m²") % {
            "area": _num(area),
            "max": _num(needs.area_max),
        }
    return MET, _("%(area)s m², within your range") % {"area": _num(area)}


def _judge_cleanroom(space, needs):
    if not space.cleanroom_grade:
        return UNKNOWN, _("cleanroom grade not given (you need %(grade)s)") % {"grade": _grade_label(needs.cleanroom)}
    have, want = CLEANLINESS[space.cleanroom_grade], CLEANLINESS[needs.cleanroom]
    label = space.get_cleanroom_grade_display()
    if have <= want:
        return MET, _("%(grade)s meets your %(wanted)s") % {"grade": label, "wanted": _grade_label(needs.cleanroom)}
    return NOT_MET, _("%(grade)s is below your %(wanted)s") % {"grade": label, "wanted": _grade_label(needs.cleanroom)}


def _grade_label(code):
    from parks.models import CleanroomGrade

    return str(CleanroomGrade(code).label)


def _judge_rent(space, needs):
    rent = space.rent_yuan_m2_month
    if rent is None:
        return UNKNOWN, _("rent not given")
    if rent <= needs.rent_max:
        under = round((needs.rent_max - rent) / needs.rent_max * 100)
        return MET, _("%(rent)s yuan/m²/month, %(pct)s%% under your maximum") % {"rent": _num(rent), "pct": under}
    return NOT_MET, _("%(rent)s yuan/m²/month, above your maximum of %(max)s") % {
        "rent": _num(rent),
        "max": _num(needs.rent_max),
    }


def _judge_move_in(space, needs, today):
    available = space.available_from or today
    if available <= needs.move_in:
        return MET, _("available from %(date)s") % {"date": available.isoformat()}
    return NOT_MET, _("available only from %(date)s, after your move-in date") % {"date": available.isoformat()}


def _judge_minimum(value, wanted, unit, what):
    if value is None:
        return UNKNOWN, _("%(what)s not given") % {"what": what}
    if value >= wanted:
        return MET, f"{what} {_num(value)} {unit} ≥ {_num(wanted)} {unit}"
    return NOT_MET, f"{what} {_num(value)} {unit} < {_num(wanted)} {unit}"


def _judge_segments(space, needs):
    focus = list(space.park.focus_segments.all())
    if not focus:
        return UNKNOWN, _("the park states no focus segments")
    if touches(needs, focus):
        return MET, _("the park focuses on %(segments)s") % {"segments": join_items(focus)}
    return NOT_MET, _("the park focuses on %(segments)s") % {"segments": join_items(focus)}


def _judge_clinical(space, hospitals):
    """Near a grade III-A hospital registered for drug trials? Unknown when the nearest one's registration is."""
    park = space.park
    if park.lat is None or park.lng is None:
        return UNKNOWN, _("the park's position is not known")
    located = [(distance_km((park.lat, park.lng), (h.lat, h.lng)), h) for h in hospitals]
    registered = sorted((d, h.pk, h) for d, h in located if h.is_drug_trial_institution)
    if registered and registered[0][0] <= CLINICAL_RADIUS_KM:
        km, _pk, hospital = registered[0]
        return MET, _("%(km).1f km from %(hospital)s, a grade III-A hospital registered for drug trials") % {
            "km": km,
            "hospital": hospital,
        }
    undecided = sorted((d, h.pk, h) for d, h in located if h.is_drug_trial_institution is None)
    if undecided and undecided[0][0] <= CLINICAL_RADIUS_KM:
        km, _pk, hospital = undecided[0]
        return UNKNOWN, _("%(km).1f km from %(hospital)s (grade III-A); its drug-trial registration is not known") % {
            "km": km,
            "hospital": hospital,
        }
    return NOT_MET, _("no grade III-A hospital registered for drug trials within %(km)s km") % {
        "km": CLINICAL_RADIUS_KM
    }


def judge_space(space, needs, *, today, hospitals):
    """The judgements on one space for the criteria the project stated."""
    stated = {
        "area": needs.area_min is not None or needs.area_max is not None,
        "cleanroom": bool(needs.cleanroom),
        "rent": needs.rent_max is not None,
        "move_in": needs.move_in is not None,
        "segments": bool(needs.segments),
        "floor_load": needs.floor_load_min is not None,
        "ceiling": needs.ceiling_min is not None,
        "clinical": True,
    }
    judges = {
        "area": lambda: _judge_area(space, needs),
        "cleanroom": lambda: _judge_cleanroom(space, needs),
        "rent": lambda: _judge_rent(space, needs),
        "move_in": lambda: _judge_move_in(space, needs, today),
        "segments": lambda: _judge_segments(space, needs),
        "floor_load": lambda: _judge_minimum(space.floor_load_kn_m2, needs.floor_load_min, "kN/m²", _("floor load")),
        "ceiling": lambda: _judge_minimum(space.ceiling_height_m, needs.ceiling_min, "m", _("ceiling height")),
        "clinical": lambda: _judge_clinical(space, hospitals),
    }
    return [Judgement(name, *judges[name]()) for name in WEIGHTS if stated[name]]


def score(judgements):
    credit = {MET: Decimal(1), NOT_MET: Decimal(0), UNKNOWN: UNKNOWN_CREDIT}
    total = sum(WEIGHTS[j.criterion] for j in judgements)
    earned = sum(WEIGHTS[j.criterion] * credit[j.outcome] for j in judgements)
    return int((Decimal(100) * earned / total).quantize(Decimal(1))) if total else 100


def match_spaces(needs, *, today, hospitals, limit=MAX_SPACES):
    """The best `limit` spaces for the needs; `hospitals`: the located grade III-A hospitals."""
    spaces = offered_spaces().filter(park__status="published").select_related("park")
    spaces = spaces.prefetch_related("park__focus_segments")
    if needs.use:
        spaces = spaces.filter(use=needs.use)
    matches = []
    for space in spaces:
        judgements = judge_space(space, needs, today=today, hospitals=hospitals)
        matches.append(SpaceMatch(space, score(judgements), judgements))
    big = Decimal(10**9)
    matches.sort(
        key=lambda m: (
            -m.score,
            m.space.rent_yuan_m2_month if m.space.rent_yuan_m2_month is not None else big,
            -m.space.usable_area_m2,
            m.space.pk,
        )
    )
    return matches[:limit]


# --- policies --------------------------------------------------------------------------------


ORDER = {ELIGIBLE: 0, POSSIBLE: 1, NOT_ELIGIBLE: 2}


def match_policies(needs, *, today):
    """The published policies in force on `today`, judged clause by clause: ([PolicyMatch], number left out)."""
    policies = list(
        Policy.objects.published().prefetch_related(
            "target_segments", "required_honours", "support_kinds", *CLAUSE_PREFETCH
        )
    )
    current, left_out = in_force(policies, today)
    matches = []
    for policy in current:
        judgements = judge_policy(policy, needs, today=today)
        clauses = calculate_policy(policy, needs, today=today, policy_judgements=judgements)
        status = min((c.status for c in clauses), key=ORDER.get) if clauses else policy_status(judgements)
        matches.append(PolicyMatch(policy, status, judgements, clauses))
    matches.sort(key=lambda m: (ORDER[m.status], -m.most_wan, m.policy.title_zh, m.policy.pk))
    return matches, left_out


def policy_totals(matches):
    """Totals (policies.eligibility.Totals) over every clause, and over policies without clauses by their maximum."""
    results = [c for m in matches for c in m.clauses]
    found = totals(results)
    for m in matches:
        if m.clauses or m.status not in (ELIGIBLE, POSSIBLE):
            continue
        amount = m.policy.max_amount_wan
        if m.status == ELIGIBLE:
            found.eligible_wan += amount or 0
        else:
            found.possible_wan += amount or 0
    return found


# --- nearby resources ------------------------------------------------------------------------


def _nearby(records, anchor, radius_km=NEARBY_RADIUS_KM):
    located = [(r, distance_km(anchor, (r.lat, r.lng))) for r in records if r.lat is not None and r.lng is not None]
    close = [Nearby(r, round(d, 1)) for r, d in located if d <= radius_km]
    return sorted(close, key=lambda n: (n.distance_km, n.record.pk))


def matching_funds(needs):
    funds = Fund.objects.published().prefetch_related("focus_segments", "stages")
    result = []
    for fund in funds:
        focus, stages = list(fund.focus_segments.all()), {s.code for s in fund.stages.all()}
        if needs.segments and focus and not touches(needs, focus):
            continue
        if needs.financing_stage and stages and needs.financing_stage not in stages:
            continue
        result.append(fund)
    return result


DEFAULT_ANCHOR = (22.80, 113.53)  # central Nansha: distances are measured from here when no space matched


def match(needs, *, today=None, default_anchor=DEFAULT_ANCHOR):
    """The whole answer to a project's needs.

    Nearby hospitals and institutes are measured from the best-ranked matched park with a position
    (`anchor_park`), or from `default_anchor` when no space matched (`anchor_park` None): the page says which.
    """
    today = today or timezone.localdate()
    hospitals = list(Hospital.objects.published())
    top_grade = [h for h in hospitals if h.grade == "3a" and h.lat is not None and h.lng is not None]
    spaces = match_spaces(needs, today=today, hospitals=top_grade)
    policies, left_out = match_policies(needs, today=today)
    summed = policy_totals(policies)
    best = next((m.space.park for m in spaces if m.space.park.lat is not None), None)
    anchor = (best.lat, best.lng) if best else default_anchor
    institutions = ResearchInstitution.objects.published().prefetch_related("segments")
    return MatchResult(
        spaces=spaces,
        policies=policies,
        expired_policies=left_out,
        most_eligible_wan=summed.eligible_wan,
        most_possible_wan=summed.possible_wan,
        unknown_amounts=summed.eligible_unknown + summed.possible_unknown,
        hospitals=_nearby(hospitals, anchor),
        institutions=_nearby(institutions, anchor, radius_km=200),
        funds=matching_funds(needs),
        anchor=anchor,
        anchor_park=best,
    )
