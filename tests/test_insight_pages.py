"""/chain/, /dashboard/ and /match/ (and /api/v1/match/): figures equal the database, errors are explained."""

from datetime import timedelta

import pytest
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from industry.models import ClinicalProject, Enterprise
from nansha.dashboard.selectors import figures
from parks.filters import offered_spaces
from policies.models import Policy

from .factories import enterprise, park, space

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(demo):
    host = park("统计园")
    enterprise("甲", segments=["car-t"], park=host, ownership="private", founded_on="2019-03-01")
    enterprise("乙", segments=["car-t", "stem-cell"], park=host, ownership="foreign", founded_on="2019-07-01")
    enterprise("丙", segments=["reagents-consumables"], ownership="private", founded_on="2020-01-01")
    enterprise("草稿", segments=["car-t"], park=host, ownership="private", founded_on="2019-01-01", published=False)
    space(host, use="wet_lab", area=300)
    space(host, use="wet_lab", area=200)
    space(host, use="office", area=1000, published=False)
    return host


def bars(key):
    figure = next(f for f in figures() if f.key == key)
    return {bar.label: bar.value for bar in figure.bars}


def test_dashboard_figures_equal_direct_queries(data):
    published = Enterprise.objects.filter(status="published")
    assert bars("segment")["— CAR-T cell therapy"] == published.filter(segments__code="car-t").count() == 2
    assert (
        bars("segment")["Cell therapy"]
        == published.filter(segments__code__in=["car-t", "stem-cell"]).distinct().count()
    )
    assert bars("park")["统计园"] == published.filter(park=data).count() == 2
    assert bars("ownership")["Domestic private"] == published.filter(ownership="private").count() == 2
    assert bars("founded") == {"2019": 2, "2020": 1}
    assert bars("space_park")["统计园"] == float(
        offered_spaces().filter(park=data).aggregate(a=Sum("usable_area_m2"))["a"]
    )
    assert bars("space_use") == {"Wet lab": 500.0}
    by_level = dict(Policy.objects.filter(status="published").values_list("level").annotate(n=Count("pk")))
    levels = {"national": "National", "provincial": "Provincial", "municipal": "Municipal", "district": "District"}
    assert bars("policy_level") == {levels[level]: n for level, n in by_level.items()}
    by_stage = dict(ClinicalProject.objects.filter(status="published").values_list("stage").annotate(n=Count("pk")))
    assert bars("clinical_stage") == {"Being filed": by_stage["filing"], "Under way": by_stage["ongoing"]}


def test_a_draft_changes_no_figure(data):
    before = [f.as_json() for f in figures()]
    enterprise("又一草稿", segments=["car-t"], published=False, ownership="state_owned", founded_on="2001-01-01")
    assert [f.as_json() for f in figures()] == before


def test_the_dashboard_page_shows_every_chart_and_links_to_the_records(client, data):
    page = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for key in [
        "segment",
        "park",
        "ownership",
        "founded",
        "space_park",
        "space_use",
        "policy_level",
        "support_kind",
        "clinical_stage",
    ]:
        assert f'id="chart-{key}"' in page
    assert "/?segment=car-t" in page and f"/?park={data.pk}" in page and "/?ownership=private" in page
    assert "vendor/echarts/echarts.min.js" in page


def test_the_chain_shows_counts_and_gaps_with_what_could_fill_them(client, data):
    data.focus_segments.set([])
    from industry.models import ChainSegment

    data.focus_segments.add(ChainSegment.objects.get(code="plasmid-viral-vector-cdmo"))
    response = client.get("/chain/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert 'href="/?segment=car-t&amp;layers=enterprises"' in page
    gaps = {gap.segment.code: gap for gap in response.context["gaps"]}
    assert gaps["car-t"].enterprises == 2  # below the threshold of 3
    assert gaps["cell-therapy"].enterprises == 2  # 乙 is on two segments below it and counts once
    assert "gene-therapy" in gaps and "reagents-consumables" in gaps
    cdmo = gaps["plasmid-viral-vector-cdmo"]
    assert cdmo.enterprises == 0 and [s.park for s in cdmo.spaces] == [data, data]
    gene = gaps["gene-therapy"]
    assert {p.title_zh for p in gene.policies} >= {"“十四五”生物经济发展规划", "产业结构调整指导目录(2024年本)"}
    assert {h.name_zh for h in gene.hospitals} == {"广州市第一人民医院南沙医院"}


MATCH = {
    "segments": "car-t",
    "use": "wet_lab",
    "area_min": "100",
    "area_max": "400",
    "rent_max": "80",
    "ownership": "private",
    "registers_in_nansha": "yes",
}


def test_the_match_page_answers_a_project(client, data):
    response = client.get("/match/", MATCH, HTTP_ACCEPT_LANGUAGE="en")
    result = response.context["result"]
    assert [m.space.usable_area_m2 for m in result.spaces] == [300, 200]
    page = response.content.decode()
    assert "Spaces that fit" in page and "Print this brief" in page
    assert "Opinions on Supporting Guangzhou Nansha in Relaxing Market Access" in page


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"area_min": "900", "area_max": "100"}, "area_max", "below the smallest"),
        ({"move_in": (timezone.localdate() - timedelta(days=1)).isoformat()}, "move_in", "has passed"),
        ({"founded_on": "2999-01-01"}, "founded_on", "future"),
        ({"use": "castle"}, "use", "valid choice"),
        ({"segments": "nope"}, "segments", "valid choice"),
        ({"rent_max": "-5"}, "rent_max", "greater than or equal"),
        ({"area_min": "abc"}, "area_min", "number"),
        ({"move_in": "2025-02-30"}, "move_in", "valid date"),
    ],
)
def test_impossible_needs_are_explained_on_the_form(client, data, query, field, message):
    response = client.get("/match/", query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response.context["result"] is None
    assert message in " ".join(response.context["form"].errors[field])
    api = client.get("/api/v1/match/", query, HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 400 and field in api.json()


def test_the_match_api_gives_the_same_answer(client, data):
    page = client.get("/match/", MATCH).context["result"]
    api = client.get("/api/v1/match/", MATCH).json()
    assert [s["id"] for s in api["spaces"]] == [m.space.pk for m in page.spaces]
    assert [s["score"] for s in api["spaces"]] == [m.score for m in page.spaces]
    assert [p["status"] for p in api["policies"]] == [m.status for m in page.policies]


def test_staff_see_which_enterprises_qualify_for_a_policy(admin_client, data):
    policy = Policy.objects.get(title_zh="关于支持广州南沙放宽市场准入与加强监管体制改革的意见")
    url = reverse("admin:policies_policy_changelist")
    response = admin_client.post(url, {"action": "qualifying_enterprises", "_selected_action": [policy.pk]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "甲" in page and "霖南基因科技(广东)有限公司" in page and "草稿" not in page
