"""The matching engine on hand-made data whose ranking and eligibility are worked out by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from industry.models import Fund, Honour, InvestmentStage
from nansha.datasets.reference_data import load_reference_data
from nansha.matching import engine
from nansha.matching.engine import ELIGIBLE, MET, NOT_ELIGIBLE, NOT_MET, POSSIBLE, UNKNOWN, Needs
from policies import eligibility
from policies.models import Policy, SupportKind

from .factories import SOURCE, enterprise, hospital, park, segment, space

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def world(db):
    load_reference_data()
    hospital("三甲医院", grade="3a", is_drug_trial_institution=True, lat=22.80, lng=113.53)
    near = park("近园", lat=22.80, lng=113.55)  # 2.05 km east of the hospital
    near.focus_segments.set([segment("cell-therapy")])
    far = park("远园", lat=23.10, lng=113.53)  # 33 km north, no focus segments
    best = space(
        near,
        use="gmp_production",
        area=800,
        cleanroom_grade="gmp_c",
        rent_yuan_m2_month=80,
        available_from=TODAY + timedelta(days=30),
        floor_load_kn_m2=8,
        ceiling_height_m=Decimal("4.5"),
    )
    second = space(
        far, use="gmp_production", area=800, cleanroom_grade="gmp_b", rent_yuan_m2_month=60, ceiling_height_m=5
    )
    space(near, use="office", area=800)  # the wrong use: never offered
    third = space(
        near,
        use="gmp_production",
        area=2000,
        cleanroom_grade="gmp_d",
        rent_yuan_m2_month=90,
        floor_load_kn_m2=10,
        ceiling_height_m=6,
    )
    return {"best": best, "second": second, "third": third, "near": near}


def needs(**overrides):
    values = dict(
        segments=[segment("car-t")],
        use="gmp_production",
        area_min=Decimal(500),
        area_max=Decimal(1000),
        cleanroom="gmp_c",
        floor_load_min=Decimal(5),
        ceiling_min=Decimal(4),
        rent_max=Decimal(100),
        move_in=TODAY + timedelta(days=60),
    )
    values.update(overrides)
    return Needs(**values)


def test_spaces_are_ranked_by_the_worked_out_scores(world):
    result = engine.match(needs(), today=TODAY)
    ranked = [(m.space, m.score) for m in result.spaces]
    # best: every criterion met = 100.
    # second: area 25 + cleanroom 20 (B is cleaner than C) + rent 15 + move-in 10 + segments unknown 5
    #         + floor load unknown 4 + ceiling 7 + clinical not met 0 = 86.
    # third: area 0 + cleanroom 0 (D is below C) + rent 15 + move-in 10 + segments 10 + floor 8 + ceiling 7
    #        + clinical 5 = 55.
    assert ranked == [(world["best"], 100), (world["second"], 86), (world["third"], 55)]


def test_reasons_for_against_and_unknown_are_given(world):
    second = engine.match(needs(), today=TODAY).spaces[1]
    assert {j.criterion for j in second.unknowns} == {"segments", "floor_load"}
    assert [j.criterion for j in second.reasons_against] == ["clinical"]
    best = engine.match(needs(), today=TODAY).spaces[0]
    reasons = " | ".join(j.reason for j in best.reasons_for)
    assert "800 m², within your range" in reasons
    assert "20% under your maximum" in reasons
    assert "2.0 km from 三甲医院" in reasons or "2.1 km from 三甲医院" in reasons


def test_missing_data_is_unknown_never_a_silent_pass(world):
    bare = space(world["near"], use="gmp_production", area=700)  # no grade, rent, load, height
    match = next(m for m in engine.match(needs(), today=TODAY).spaces if m.space == bare)
    outcomes = {j.criterion: j.outcome for j in match.judgements}
    assert outcomes["cleanroom"] == outcomes["rent"] == outcomes["floor_load"] == outcomes["ceiling"] == UNKNOWN
    # area 25 + cleanroom 10 + rent 7.5 + move-in 10 + segments 10 + floor 4 + ceiling 3.5 + clinical 5 = 75
    assert match.score == 75


def test_ties_go_to_the_lower_rent(world):
    cheaper = space(
        world["near"],
        use="gmp_production",
        area=800,
        cleanroom_grade="gmp_c",
        rent_yuan_m2_month=50,
        available_from=TODAY,
        floor_load_kn_m2=8,
        ceiling_height_m=5,
    )
    top = engine.match(needs(), today=TODAY).spaces[:2]
    assert [m.score for m in top] == [100, 100]
    assert [m.space for m in top] == [cheaper, world["best"]]


def test_an_unknown_drug_trial_registration_is_unknown_not_a_fail(world):
    from industry.models import Hospital

    Hospital.objects.update(is_drug_trial_institution=None)
    best = engine.match(needs(), today=TODAY).spaces[0]
    clinical = next(j for j in best.judgements if j.criterion == "clinical")
    assert clinical.outcome == UNKNOWN and "not known" in clinical.reason


@pytest.fixture
def policies(db):
    load_reference_data()

    def policy(title, amount=None, **fields):
        targets = fields.pop("targets", [])
        honours = fields.pop("honours", [])
        record = Policy.objects.create(
            title_zh=title, level="district", source=SOURCE, status="published", max_amount_wan=amount, **fields
        )
        record.target_segments.set([segment(code) for code in targets])
        record.required_honours.set([Honour.objects.get(code=code) for code in honours])
        record.support_kinds.set(SupportKind.objects.filter(code="funding"))
        return record

    return {
        "A": policy(
            "甲 细胞治疗扶持",
            500,
            targets=["cell-therapy"],
            eligible_ownership_kinds=["private"],
            requires_nansha_registration=True,
        ),
        "B": policy(
            "乙 已过期", 900, effective_from=TODAY - timedelta(days=800), effective_to=TODAY - timedelta(days=1)
        ),
        "B2": policy("乙二 尚未生效", 900, effective_from=TODAY + timedelta(days=10)),
        "C": policy("丙 高企专项", 800, honours=["high-tech"]),
        "D": policy("丁 初创补贴", 300, min_years_since_founding=2),
        "E": policy("戊 器械专项", 700, targets=["medical-devices"]),
        "F": policy("己 普惠政策", 100),
    }


def test_policy_eligibility_condition_by_condition(policies):
    profile = Needs(segments=[segment("car-t")], ownership="private", registers_in_nansha=True)
    matches, left_out = engine.match_policies(profile, today=TODAY)
    assert left_out == 2  # expired and not yet in force
    assert [(m.policy.title_zh, m.status) for m in matches] == [
        ("甲 细胞治疗扶持", ELIGIBLE),
        ("己 普惠政策", ELIGIBLE),
        ("丁 初创补贴", POSSIBLE),
        ("丙 高企专项", NOT_ELIGIBLE),
        ("戊 器械专项", NOT_ELIGIBLE),
    ]
    judged = {m.policy.title_zh: [(j.criterion, j.outcome) for j in m.judgements] for m in matches}
    assert judged["甲 细胞治疗扶持"] == [("segments", MET), ("ownership", MET), ("registration", MET)]
    assert judged["丁 初创补贴"] == [("founding", UNKNOWN)]
    assert judged["丙 高企专项"] == [("honours", NOT_MET)]


def test_the_most_a_project_could_receive(policies):
    profile = Needs(segments=[segment("car-t")], ownership="private", registers_in_nansha=True)
    result = engine.match(profile, today=TODAY)
    assert (result.most_eligible_wan, result.most_possible_wan, result.expired_policies) == (600, 300, 2)


def test_founding_years_and_unknown_registration(policies):
    young = Needs(founded_on=TODAY - timedelta(days=365), ownership="private")
    matches = {m.policy.title_zh: m for m in engine.match_policies(young, today=TODAY)[0]}
    assert matches["丁 初创补贴"].status == NOT_ELIGIBLE  # one year old, two required
    assert matches["甲 细胞治疗扶持"].status == POSSIBLE  # segments and registration not given
    old = Needs(founded_on=TODAY - timedelta(days=3 * 366))
    assert {m.policy.title_zh: m.status for m in engine.match_policies(old, today=TODAY)[0]}["丁 初创补贴"] == ELIGIBLE


def test_funds_that_invest_in_the_segments_and_round(db):
    load_reference_data()

    def fund(name, focus, stages):
        record = Fund.objects.create(name_zh=name, source=SOURCE, status="published")
        record.focus_segments.set([segment(code) for code in focus])
        record.stages.set(InvestmentStage.objects.filter(code__in=stages))
        return record

    cell = fund("细胞基金", ["cell-therapy"], ["series-a"])
    fund("器械基金", ["medical-devices"], ["series-a"])
    fund("种子基金", [], ["seed"])
    generalist = fund("综合基金", [], [])
    found = engine.matching_funds(Needs(segments=[segment("car-t")], financing_stage="series-a"))
    assert found == [cell, generalist]


def test_which_enterprises_qualify_for_a_policy(policies):
    enterprise("合格企业", segments=["car-t"], ownership="private", registered_in_nansha=True)
    enterprise("待核企业", segments=["stem-cell"])  # ownership and registration unknown
    enterprise("外资企业", segments=["car-t"], ownership="foreign", registered_in_nansha=True)
    enterprise("器械企业", segments=["medical-devices"], ownership="private", registered_in_nansha=True)
    rows = eligibility.qualifying_enterprises(policies["A"], today=TODAY)
    assert [(e.name_zh, status) for e, status, _j in rows] == [("合格企业", ELIGIBLE), ("待核企业", POSSIBLE)]


def test_an_enterprise_without_segments_is_possibly_eligible_not_left_out(policies):
    enterprise("无环节企业", ownership="private", registered_in_nansha=True)
    rows = {e.name_zh: status for e, status, _j in eligibility.qualifying_enterprises(policies["A"], today=TODAY)}
    assert rows["无环节企业"] == POSSIBLE
