"""Policy clauses (条款): conditions judged and awards worked out by hand, and the clause checks staff meet.

Every amount below is computed by hand in the comment beside it; money is 万元.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from industry.models import Honour
from nansha.datasets.reference_data import load_reference_data
from nansha.matching import engine
from policies import eligibility
from policies.eligibility import ELIGIBLE, NOT_ELIGIBLE, POSSIBLE, Profile
from policies.models import AwardKind, Clause, Measure, Policy

from .factories import SOURCE, segment

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
D = Decimal


def make_policy(title="南沙扶持办法", **fields):
    return Policy.objects.create(title_zh=title, level="district", source=SOURCE, status="published", **fields)


def make_clause(policy, number, **fields):
    segments = fields.pop("segments", [])
    honours = fields.pop("honours", [])
    clause = Clause(policy=policy, number=number, title_zh=f"第{number}条", **fields)
    clause.full_clean()
    clause.save()
    clause.segments.set([segment(code) for code in segments])
    clause.required_honours.set(Honour.objects.filter(code__in=honours))
    return clause


@pytest.fixture
def nine(db):
    """The shape of Nansha's 2024 biomedical measures, articles 1c and 2, plus made-up clauses for the other kinds."""
    load_reference_data()
    policy = make_policy()
    make_clause(  # 2: ≥ 2亿 fixed-asset investment, 10% of it, at most 1亿
        policy,
        "2",
        min_fixed_asset_investment_wan=D(20000),
        award_kind=AwardKind.PERCENTAGE,
        award_percent=D(10),
        award_basis=Measure.FIXED_ASSET_INVESTMENT,
        award_cap_wan=D(10000),
    )
    make_clause(  # 1c: foreign firms in gene therapy, 2% of foreign capital injected, no cap stated
        policy,
        "1c",
        ownership_kinds=["foreign"],
        segments=["gene-therapy"],
        award_kind=AwardKind.PERCENTAGE,
        award_percent=D(2),
        award_basis=Measure.FOREIGN_CAPITAL,
    )
    make_clause(  # per m² of cleanroom over 1,000 m²: 0.05 万元 (500 yuan) per m², at most 100 万元
        policy,
        "3",
        min_cleanroom_area_m2=D(1000),
        award_kind=AwardKind.PER_UNIT,
        award_amount_wan=D("0.05"),
        award_basis=Measure.CLEANROOM_AREA,
        award_cap_wan=D(100),
    )
    make_clause(policy, "4", honours=["high-tech"], award_kind=AwardKind.FIXED, award_amount_wan=D(50))
    make_clause(policy, "5", segments=["cell-therapy"])  # support without money
    return policy


def results(policy, **facts):
    found = eligibility.calculate_policy(policy, Profile(**facts), today=TODAY)
    return {r.clause.number: r for r in found}


def test_a_percentage_under_its_cap_shows_the_arithmetic(nine):
    r = results(nine, fixed_asset_investment_wan=D(30000))["2"]
    assert (r.status, r.award.amount_wan) == (ELIGIBLE, D(3000))  # 10% × 30,000 = 3,000 ≤ 10,000
    assert r.award.arithmetic == "10% × ¥300,000,000 = ¥30,000,000, under the ¥100,000,000 cap"


def test_a_percentage_over_its_cap_gives_the_cap(nine):
    r = results(nine, fixed_asset_investment_wan=D(250000))["2"]
    assert (r.status, r.award.amount_wan) == (ELIGIBLE, D(10000))  # 10% × 250,000 = 25,000 > 10,000
    assert r.award.arithmetic == "10% × ¥2,500,000,000 = ¥250,000,000, capped at ¥100,000,000"


def test_the_exact_threshold_qualifies_and_a_cent_below_does_not(nine):
    exact = results(nine, fixed_asset_investment_wan=D(20000))["2"]  # 2亿 exactly
    assert (exact.status, exact.award.amount_wan) == (ELIGIBLE, D(2000))  # 10% × 20,000
    below = results(nine, fixed_asset_investment_wan=D("19999.99"))["2"]
    assert below.status == NOT_ELIGIBLE
    assert [j.criterion for j in below.failing] == [Measure.FIXED_ASSET_INVESTMENT]
    assert "fixed-asset investment ≥ ¥200,000,000; yours: ¥199,999,900" in below.failing[0].reason


def test_an_unknown_basis_is_possible_with_the_fact_named_never_zero(nine):
    r = results(nine)["2"]
    assert r.status == POSSIBLE
    assert r.missing == ["fixed-asset investment"]
    assert r.award.amount_wan is None and r.award.ceiling_wan == D(10000)
    gene = results(nine, ownership="foreign", segments=[segment("gene-therapy")])["1c"]
    assert (gene.status, gene.missing) == (POSSIBLE, ["foreign capital injected"])
    assert gene.award.ceiling_wan is None  # no cap stated: nothing to add up


def test_a_percentage_without_a_cap_and_a_failing_ownership(nine):
    gene = results(nine, ownership="foreign", segments=[segment("gene-therapy")], foreign_capital_wan=D(5000))
    assert gene["1c"].award.amount_wan == D(100)  # 2% × 5,000
    assert gene["1c"].award.arithmetic == "2% × ¥50,000,000 = ¥1,000,000 (no cap stated)"
    domestic = results(nine, ownership="private", segments=[segment("gene-therapy")], foreign_capital_wan=D(5000))
    assert domestic["1c"].status == NOT_ELIGIBLE
    assert [j.criterion for j in domestic["1c"].failing] == ["ownership"]


def test_an_amount_per_unit_with_its_cap(nine):
    r = results(nine, cleanroom_area_m2=D(1500))["3"]
    assert (r.status, r.award.amount_wan) == (ELIGIBLE, D(75))  # 0.05 × 1,500 = 75 ≤ 100
    assert r.award.arithmetic == "¥500 per m² × 1,500 m² = ¥750,000, under the ¥1,000,000 cap"
    big = results(nine, cleanroom_area_m2=D(3000))["3"]
    assert big.award.amount_wan == D(100)  # 0.05 × 3,000 = 150 > 100


def test_totals_add_eligible_and_possible_clauses(nine):
    found = eligibility.calculate_policy(
        nine,
        Profile(
            fixed_asset_investment_wan=D(30000),
            cleanroom_area_m2=D(1500),
            segments=[segment("car-t")],
            ownership="foreign",
        ),
        today=TODAY,
    )
    statuses = {r.clause.number: r.status for r in found}
    assert statuses == {"2": ELIGIBLE, "1c": NOT_ELIGIBLE, "3": ELIGIBLE, "4": NOT_ELIGIBLE, "5": ELIGIBLE}
    totals = eligibility.totals(found)
    assert (totals.eligible_wan, totals.possible_wan) == (D(3075), D(0))  # 3,000 + 75 + 0 (no money)
    unknown = eligibility.totals(eligibility.calculate_policy(nine, Profile(), today=TODAY))
    # 2 possible (≤ 10,000), 3 possible (≤ 100), 1c possible (no cap: not counted), 5 possible (no segment)
    assert (unknown.eligible_wan, unknown.possible_wan, unknown.possible_unknown) == (D(0), D(10100), 1)


def test_conditions_in_words_only_make_a_clause_possible_never_certain(db):
    load_reference_data()
    policy = make_policy()
    make_clause(
        policy,
        "3",
        other_conditions_zh="洁净车间面积超过1000平方米",
        award_kind=AwardKind.FIXED,
        award_amount_wan=D(50),
    )
    (r,) = eligibility.calculate_policy(policy, Profile(), today=TODAY)
    assert r.status == POSSIBLE  # nothing structured fails, but the words cannot be checked here
    assert any("洁净车间面积超过1000平方米" in j.reason for j in r.judgements)
    assert r.missing == ["the clause's other conditions, to check with the issuer"]
    totals = eligibility.totals([r])
    assert (totals.eligible_wan, totals.possible_wan) == (D(0), D(50))  # a fixed 50 once the words hold


def test_a_case_by_case_ceiling_is_not_added_as_money(db):
    load_reference_data()
    policy = make_policy()
    make_clause(policy, "1", award_kind=AwardKind.UP_TO, award_cap_wan=D(500000))  # "最高5亿元，一事一议"
    make_clause(policy, "2", award_kind=AwardKind.FIXED, award_amount_wan=D(100))
    found = eligibility.calculate_policy(policy, Profile(), today=TODAY)
    assert [r.status for r in found] == [ELIGIBLE, ELIGIBLE]
    totals = eligibility.totals(found)
    # only the fixed 100 is money the company can count on; the 500,000 ceiling is decided case by case
    assert (totals.eligible_wan, totals.eligible_unknown, totals.possible_wan) == (D(100), 1, D(0))


@pytest.mark.parametrize(
    ("dates", "reason"),
    [
        ({"effective_from": TODAY - timedelta(days=400), "effective_to": TODAY - timedelta(days=1)}, "expired on"),
        ({"effective_from": TODAY + timedelta(days=1)}, "not yet in force"),
    ],
)
def test_expired_and_future_policies_give_nothing(nine, dates, reason):
    Policy.objects.filter(pk=nine.pk).update(**dates)
    nine.refresh_from_db()
    r = results(nine, fixed_asset_investment_wan=D(30000))["2"]
    assert r.status == NOT_ELIGIBLE and reason in r.failing[0].reason
    assert eligibility.totals([r]).eligible_wan == 0
    matches, left_out = engine.match_policies(engine.Needs(fixed_asset_investment_wan=D(30000)), today=TODAY)
    assert (matches, left_out) == ([], 1)


def test_the_match_adds_clause_awards_to_its_totals(nine):
    result = engine.match(engine.Needs(fixed_asset_investment_wan=D(30000), cleanroom_area_m2=D(1500)), today=TODAY)
    (policy,) = result.policies
    assert policy.status == ELIGIBLE
    # eligible: 3,000 + 75 + 0; possible: clause 1c (no cap: unknown) only
    assert (result.most_eligible_wan, result.most_possible_wan, result.unknown_amounts) == (D(3075), D(0), 1)


# --- what staff may not save --------------------------------------------------------------------


def bad(policy, **fields):
    clause = Clause(policy=policy, number="9", title_zh="坏条款", **fields)
    with pytest.raises(ValidationError) as caught:
        clause.full_clean()
    return {name: " ".join(messages) for name, messages in caught.value.message_dict.items()}


def test_a_percentage_over_100_is_refused(nine):
    errors = bad(nine, award_kind="percentage", award_percent=D(150), award_basis="revenue")
    assert "cannot be over 100" in errors["award_percent"]


def test_a_cap_below_the_fixed_amount_is_refused(nine):
    errors = bad(nine, award_kind="fixed", award_amount_wan=D(500), award_cap_wan=D(100))
    assert errors["award_cap_wan"] == "The cap (¥1,000,000) is below the amount (¥5,000,000)."


def test_an_award_without_its_number_is_refused(nine):
    assert "needs its percentage" in bad(nine, award_kind="percentage", award_basis="revenue")["award_percent"]
    assert "needs the basis" in bad(nine, award_kind="percentage", award_percent=D(5))["award_basis"]
    assert (
        "only be of an amount of money"
        in bad(nine, award_kind="percentage", award_percent=D(5), award_basis="headcount")["award_basis"]
    )
    assert "needs its amount" in bad(nine, award_kind="fixed")["award_amount_wan"]
    assert "amount per unit" in bad(nine, award_kind="per_unit", award_basis="headcount")["award_amount_wan"]
    assert "needs the cap" in bad(nine, award_kind="up_to")["award_cap_wan"]
    assert "has no amount" in bad(nine, award_kind="none", award_cap_wan=D(5))["award_kind"]


def test_negative_thresholds_and_years_out_of_order_are_refused(nine):
    errors = bad(nine, min_revenue_wan=D(-1), min_years_since_founding=5, max_years_since_founding=2)
    assert "min_revenue_wan" in errors
    assert "below the minimum" in errors["max_years_since_founding"]


def test_clause_edits_are_kept_in_history(nine):
    clause = nine.clauses.get(number="2")
    clause.award_cap_wan = D(8000)
    clause.save()
    clause.segments.set([segment("car-t")])
    assert [h.award_cap_wan for h in clause.history.order_by("history_date")] == [D(10000), D(8000), D(8000)]


def test_a_clause_repeating_its_policys_segments_says_so_once(db):
    load_reference_data()
    policy = make_policy()
    policy.target_segments.set([segment("cell-therapy")])
    make_clause(policy, "1", segments=["cell-therapy"])
    r = results(policy, segments=[segment("cell-therapy")])["1"]
    reasons = [j.reason for j in (*r.policy_judgements, *r.judgements)]
    assert len(reasons) == len(set(reasons)), reasons  # the same "chain segments: …" line was listed twice
    assert r.status == ELIGIBLE


def test_a_clause_whose_title_only_repeats_its_number_is_headed_once(db):
    policy = make_policy()
    untitled = Clause.objects.create(policy=policy, number="health-4", title_zh="条款 health-4")
    titled = Clause.objects.create(policy=policy, number="2", title_zh="龙头企业奖励", title_en="Leading firms")
    assert untitled.heading == "Clause health-4"  # was "Clause health-4 · 条款 health-4"
    assert titled.heading == "Clause 2 · Leading firms"


def test_a_missing_figure_reads_in_the_script_and_punctuation_of_the_page(nine):
    from django.utils.translation import override

    with override("zh-hant"):
        [reason] = [j.reason for j in results(nine)["2"].judgements if j.criterion == Measure.FIXED_ASSET_INVESTMENT]
    assert "萬元" in reason and "万元" not in reason and "；" in reason and "; " not in reason, reason
    with override("en"):
        [reason] = [j.reason for j in results(nine)["2"].judgements if j.criterion == Measure.FIXED_ASSET_INVESTMENT]
    assert reason.startswith("fixed-asset investment ≥ ¥200,000,000; "), reason
