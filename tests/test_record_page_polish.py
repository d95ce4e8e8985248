"""Public record pages as a first visitor reads them (issue 21): numbers written as the page's language writes
them, a park's enterprises a page at a time, its free space as a table; every page names a favicon that answers."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from industry.models import Fund
from parks.views import ENTERPRISES_PER_PAGE

from .factories import enterprise, park, space

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize(("language", "area"), [("en", "323,000"), ("zh-hans", "323,000")])
def test_park_figures_are_grouped_without_a_trailing_point_zero(client, language, area):
    host = park("数字园", total_floor_area_m2=Decimal("323000.0"))
    space(host, area=Decimal("1470.0"), rent_yuan_m2_month=Decimal("45.50"))
    text = text_of(client.get(reverse("park-detail", args=[host.pk]), HTTP_ACCEPT_LANGUAGE=language))
    assert area in text and "323000" not in text
    assert "1,470" in text and "1470.0" not in text and "1470" not in text.replace("1,470", "")
    assert "45.5" in text and "45.50" not in text


def test_numbers_on_other_record_pages_are_grouped_too(client):
    """The same rule on every public record page: integer, decimal and float fields alike."""
    fund = Fund.objects.create(
        name_zh="数字基金", source="test", status="published", lat=22.8, lng=113.5, fund_size_wan=Decimal("1200.00")
    )
    text = text_of(client.get(reverse("fund-detail", args=[fund.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "1,200" in text and "1200" not in text
    firm = enterprise("数字企业", registered_capital_wan=Decimal("12500.50"))
    text = text_of(client.get(reverse("enterprise-detail", args=[firm.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "12,500.5" in text and "12500" not in text


def test_a_park_lists_its_enterprises_a_page_at_a_time_and_page_links_keep_other_parameters(client):
    host = park("大园")
    for n in range(ENTERPRISES_PER_PAGE + 7):
        enterprise(f"企业{n:03d}", park=host)
    url = reverse("park-detail", args=[host.pk])
    first = client.get(url, {"from": "map"})
    body = first.content.decode()
    assert body.count('href="/enterprises/') == ENTERPRISES_PER_PAGE
    assert "企业000" in body and "企业050" not in body
    assert re.search(rf'href="{url}\?from=map&amp;page=2#enterprises"', body)
    second = client.get(url, {"from": "map", "page": "2"}).content.decode()
    assert second.count('href="/enterprises/') == 7 and "企业056" in second and "企业000" not in second
    assert client.get(url, {"page": "x"}).status_code == client.get(url, {"page": "99"}).status_code == 200


def test_the_park_page_makes_the_same_queries_however_many_enterprises(client):
    host = park("查询园")
    url = reverse("park-detail", args=[host.pk])

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    enterprise("一", park=host)
    few = queries()
    for n in range(ENTERPRISES_PER_PAGE * 2):
        enterprise(f"多{n}", park=host)
    assert queries() == few


def test_a_park_shows_its_free_space_as_a_table_and_says_when_there_is_none(client):
    host = park("空间园")
    space(
        host,
        use="wet_lab",
        area=Decimal("2280.0"),
        building="E栋",
        floor="4F",
        rent_yuan_m2_month=Decimal("141.00"),
        available_from=date(2027, 4, 5),
    )
    space(host, use="office", area=999, published=False)
    space(host, use="office", area=888, availability="leased")
    body = client.get(reverse("park-detail", args=[host.pk])).content.decode()
    table = re.search(r"<table class=\"data-table\">.*?</table>", body, re.S).group(0)
    cells = [re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)]
    assert cells == ["E栋 4F", "2,280", "Wet lab", "141", "April 5, 2027", "Ask about this space"]
    assert "999" not in table and "888" not in table
    empty = park("空园")
    text = text_of(client.get(reverse("park-detail", args=[empty.pk])))
    assert "This park lists no free space at present." in text


@pytest.mark.parametrize("path", ["/", "/chain/", "/dashboard/", "/match/", "/policies/", "/admin/login/"])
def test_every_page_names_a_favicon_that_answers(client, path):
    host = park("图标园")
    for page in (path, reverse("park-detail", args=[host.pk])):
        body = client.get(page).content.decode()
        icon = re.search(r'<link rel="icon" href="([^"]+)"', body)
        assert icon, f"{page} names no favicon"
        assert icon.group(1) == static("nansha/favicon.svg")
    assert "<svg" in Path(finders.find("nansha/favicon.svg")).read_text()


def test_favicon_ico_answers_with_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content
    assert "max-age=86400" in response["Cache-Control"]


def test_a_hospital_page_groups_the_patients_of_its_clinical_projects(client):
    from industry.models import ClinicalProject

    from .factories import hospital

    place = hospital("数字医院")
    firm = enterprise("数字企业")
    ClinicalProject.objects.create(
        name_zh="大型试验", source="test", status="published", hospital=place, enterprise=firm, patients_treated=12500
    )
    for url in (reverse("hospital-detail", args=[place.pk]), reverse("enterprise-detail", args=[firm.pk])):
        text = text_of(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans"))
        assert "12,500 名患者" in text and "12500" not in text
