"""The one search, as people reach it: the REST API `q`, OGC items `q`, the map; aliases kept through the admin
and spreadsheets; any input answered without a server error; a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tablib import Dataset

from industry.models import Enterprise, ResearchInstitution
from nansha.records.search import clean_query, normalize_query
from nansha.staff.spreadsheets import resource_for

from .admin_forms import form_data
from .factories import SOURCE, enterprise

pytestmark = pytest.mark.django_db


def api_names(client, url, params=None):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return [row["name_zh"] for row in response.json()["results"]]


def test_the_api_finds_short_traditional_and_full_width_names_best_first(client, demo):
    assert api_names(client, "/api/v1/hospitals/?q=中山一院")[0] == "中山大学附属第一(南沙)医院"
    assert api_names(client, "/api/v1/institutions/?q=香港科技大學（廣州）")[0] == "香港科技大学(广州)"
    assert api_names(client, "/api/v1/institutions/?q=ｚｓｄｘ")[0] == "中山大学"
    enterprise("1精确", aliases=["基因"])
    enterprise("0描述", description_zh="基因")
    names = api_names(client, "/api/v1/enterprises/?q=基因")
    assert names.index("1精确") < names.index("0描述")  # ranked, not by name
    assert api_names(client, "/api/v1/enterprises/?q=基因&ordering=name_zh")[0] == "0描述"  # unless asked


def test_ogc_items_q_is_the_same_search(client, demo):
    response = client.get("/ogc/collections/institutions/items?q=港科大")
    assert response.status_code == 200
    names = [feature["properties"]["name_zh"] for feature in response.json()["features"]]
    assert names == ["香港科技大学(广州)"]
    enterprise("甲", segments=["car-t"])
    response = client.get("/ogc/collections/enterprises/items?q=cell%20therapy")
    assert [f["properties"]["name_zh"] for f in response.json()["features"]] == ["甲"]


def test_the_map_finds_records_by_short_name(client, demo):
    response = client.get("/map/data.json?q=华工&layers=institutions")
    rows = response.json()["layers"]["institutions"]["rows"]
    assert [row[0] for row in rows] == [ResearchInstitution.objects.get(name_zh="华南理工大学").pk]


BAD_INPUT = [
    "",
    "   ",
    "\u3000\t",
    "!!!",
    "%",
    "_",
    "%_%",
    "（）【】",
    "' OR 1=1; --",
    "'; DROP TABLE industry_enterprise; --",
    ".*[a-z]+(\\",
    "^$|\\d{2,}",
    '"',
    "🧬💊",
    "\U0001f600" * 50,
]


@pytest.mark.parametrize("q", BAD_INPUT)
def test_odd_input_gets_an_answer_everywhere(client, demo, q):
    enterprise("普通公司")
    for url in ("/api/v1/enterprises/", "/ogc/collections/enterprises/items", "/map/data.json", "/"):
        response = client.get(url, {"q": q})
        assert response.status_code == 200, (url, q, response.content[:300])
    if q.strip(' \u3000\t"'):
        # Wildcards and punctuation are taken literally: only a record holding the query's letters as they are
        # is found (".*[a-z]+(\\" is "az", as in the pinyin of 发展 in a real company's name), none by a pattern.
        literal = normalize_query(clean_query(q))
        for name in api_names(client, "/api/v1/enterprises/", {"q": q}):
            record = Enterprise.objects.get(name_zh=name)
            assert literal and literal in record.search_names + record.search_text, (q, name)


def test_wildcards_are_literal(client, db):
    enterprise("普通公司")
    enterprise("百分之100%公司")
    assert api_names(client, "/api/v1/enterprises/?q=%25") == ["百分之100%公司"]
    assert api_names(client, "/api/v1/enterprises/?q=_") == []


@pytest.mark.parametrize(("q", "problem"), [("x" * 1000, "at most 100 characters"), ("a\x00b", "Null characters")])
def test_input_that_cannot_be_searched_gets_a_message_naming_the_problem(client, demo, q, problem):
    response = client.get("/api/v1/enterprises/", {"q": q}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and problem in str(response.json()["q"])
    response = client.get("/ogc/collections/enterprises/items", {"q": q}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and problem in response.content.decode()
    response = client.get("/", {"q": q}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert any("Search" in note for note in response.context["state"].notes)


def test_a_search_takes_the_same_number_of_queries_for_1_or_30_matches(client, demo):
    def count(q):
        with CaptureQueriesContext(connection) as queries:
            api_names(client, f"/api/v1/enterprises/?q={q}")
        return len(queries)

    enterprise("单独公司")
    for n in range(30):
        enterprise(f"批量公司{n}", segments=["car-t"], aliases=[f"批量{n}"])
    assert count("单独公司") == count("批量") == count("CAR-T") == count("pilianggongsi")


def test_aliases_are_edited_one_per_line_in_the_admin(admin_client, demo):
    record = ResearchInstitution.objects.get(name_zh="华南理工大学")
    url = reverse("admin:industry_researchinstitution_change", args=[record.pk])
    data = form_data(admin_client.get(url))
    assert data["aliases"] == "华工\nSCUT"
    data["aliases"] = "华工\r\n华南理工\r\n\r\nSCUT"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert record.aliases == ["华工", "华南理工", "SCUT"]
    assert api_names(admin_client, "/api/v1/institutions/?q=华南理工")[0] == "华南理工大学"
    assert record.history.latest().aliases == ["华工", "华南理工", "SCUT"]


def test_aliases_travel_through_spreadsheets(demo):
    resource = resource_for(Enterprise)
    enterprise("表格公司", aliases=["表格", "Sheet Co"])
    exported = resource().export(Enterprise.objects.filter(name_zh="表格公司"))
    assert exported.dict[0]["aliases"] == "表格;Sheet Co"
    sheet = Dataset(headers=["name_zh", "source", "aliases"])
    sheet.append(["导入公司", SOURCE, "导入；Import Co;导入"])
    result = resource().import_data(sheet, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Enterprise.objects.get(name_zh="导入公司").aliases == ["导入", "Import Co"]
    assert Enterprise.objects.get(name_zh="导入公司").search_names == "|导入公司|导入|import co|"


def suggest(client, q):
    response = client.get("/search/suggest.json", {"q": q}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content[:300]
    return response.json()["groups"]


def test_suggestions_are_at_most_8_grouped_by_kind_best_first_and_open_the_map(client, demo):
    for n in range(12):
        enterprise(f"华工{n:02d}科技")
    groups = suggest(client, "华工")
    assert [g["kind"] for g in groups] == ["enterprises", "institutions"]  # in the map's layer order
    assert sum(len(g["items"]) for g in groups) == 8
    institution = groups[1]["items"][0]
    assert institution["name"] == "South China University of Technology"  # the page's language
    pk = ResearchInstitution.objects.get(name_zh="华南理工大学").pk
    assert institution["url"] == f"/?layers=institutions&open=institutions%3A{pk}"
    assert client.get(institution["url"]).context["state"].open == f"institutions:{pk}"


def test_suggestions_take_the_same_number_of_queries_whatever_they_find(client, demo):
    def count(q):
        with CaptureQueriesContext(connection) as queries:
            suggest(client, q)
        return len(queries)

    for n in range(20):
        enterprise(f"批量公司{n}", segments=["car-t"])
    assert count("批量") == count("细胞治疗") == count("无此名称")


@pytest.mark.parametrize("q", BAD_INPUT)
def test_suggestions_answer_odd_input(client, demo, q):
    assert isinstance(suggest(client, q), list)


@pytest.mark.parametrize(("q", "problem"), [("x" * 1000, "at most 100 characters"), ("a\x00b", "Null characters")])
def test_suggestions_refuse_what_cannot_be_searched_with_a_message(client, q, problem):
    response = client.get("/search/suggest.json", {"q": q}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and problem in response.json()["q"][0]


def test_the_api_shows_aliases_but_not_the_derived_search_columns(client, demo):
    row = client.get("/api/v1/institutions/", {"q": "港科大"}).json()["results"][0]
    assert row["aliases"] == ["港科大", "港科大(广州)", "HKUST", "HKUST(GZ)"]
    assert not {"search_names", "search_text", "name_pinyin"} & set(row)
    policy = client.get("/api/v1/policies/", {"q": "十四五"}).json()["results"][0]
    assert "十四五" in policy["title_zh"] and "search_text" not in policy
