"""Who sees what on the map's pages, cards, data and exports (issue 12, items 2-4): one rule, asked everywhere.

Direct contacts: partners with a valid key and logged-in staff, never anonymous visitors (who read the
investment-promotion bureau instead). Links to records that are not public (drafts) are no links: neither
name nor id, for anyone, since the map, its pages and exports show the published map.
"""

import csv
import io
import json
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework_api_key.models import APIKey

from industry.models import Enterprise, ServicePlatform
from nansha.map.export import columns
from nansha.map.layers import LAYERS
from nansha.records.presentation import Audience, contact_fields, record_models
from nansha.staff.roles import VIEWERS

from .factories import SOURCE, enterprise, park

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "020-88886666", "bd@lead.example.org"
BUREAU = {"en": "through the investment-promotion bureau", "zh-hans": "请通过投资促进局联系"}
FORMATS = ["csv", "xlsx", "geojson"]
# SQL queries of /api/v1/enterprises/geojson/ (before, after adding 30 enterprises in 10 parks, half drafts).
PINNED_GEOJSON_QUERIES = {
    ("anonymous", ""): (2, 2),
    ("anonymous", "?ordering=name_zh"): (4, 4),
    ("viewer", ""): (6, 6),  # + the session, the user and the user's and role's permissions
    ("viewer", "?ordering=name_zh"): (8, 8),
}


@pytest.fixture
def records(demo):
    hidden = park("草稿园区", published=False)
    firm = enterprise("联系企业", contact_phone=PHONE, contact_email=EMAIL, park=hidden)
    platform = ServicePlatform.objects.create(
        name_zh="园内平台", source=SOURCE, status="published", lat=22.8, lng=113.5, park=hidden
    )
    phase = park("二期园区", parent=hidden)
    shown = park("公开园区")
    enterprise("公开园内企业", park=shown)
    return SimpleNamespace(park=hidden, enterprise=firm, platform=platform, phase=phase, shown=shown)


def logged_in(role=None, superuser=False):
    """A client of a logged-in staff user: no role, a role group, or a superuser."""
    user = get_user_model().objects.create_user(
        f"staff-{role}-{superuser}", password="a-long-test-password", is_staff=True, is_superuser=superuser
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def partner():
    _record, secret = APIKey.objects.create_key(name="Partner portal")
    return Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_X_API_KEY=secret)


def anonymous(language="en"):
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def export_text(client, fmt, query="layers=enterprises,parks,platforms"):
    """The export as text a person would read (each sheet's cells, tab-separated)."""
    response = client.get(f"/map/export.{fmt}?{query}")
    assert response.status_code == 200
    if fmt == "xlsx":
        return "\n\n".join(
            "\n".join(
                # a cell's own line breaks (a record's pages, one a line) would read as rows here
                "\t".join("" if v is None else str(v).replace("\n", " ") for v in row)
                for row in sheet.iter_rows(values_only=True)
            )
            for sheet in load_workbook(io.BytesIO(response.content)).worksheets
        )
    return response.getvalue().decode("utf-8-sig")


def export_rows(client, fmt, query="layers=enterprises"):
    """The rows of an export as {field code: value}: the headers (labels in English) read back as codes."""
    text = export_text(client, fmt, query)
    if fmt == "geojson":
        return [feature["properties"] for feature in json.loads(text)["features"]]
    codes = {str(c.label): c.code for key in LAYERS for c in columns(key, audience=Audience(contacts=True))}
    blocks = text.split("\n\n") if fmt == "xlsx" else text.split("\r\n\r\n")
    rows = []
    for block in blocks:
        header, *lines = (
            [line.split("\t") for line in block.split("\n")] if fmt == "xlsx" else csv.reader(io.StringIO(block))
        )
        rows += [dict(zip([codes[label] for label in header], line, strict=True)) for line in lines]
    return rows


# Item 2: direct contacts


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_anonymous_visitors_read_the_bureau_where_the_contact_would_be(records, language):
    for url in (f"/enterprises/{records.enterprise.pk}/", f"/enterprises/{records.enterprise.pk}/?card=1"):
        page = anonymous(language).get(url).content.decode()
        assert PHONE not in page and EMAIL not in page, url
        assert BUREAU[language] in page, url


@pytest.mark.parametrize("who", ["partner", "staff without a role", "viewer", "superuser"])
def test_partners_and_logged_in_staff_see_contacts_on_pages_and_cards(records, who):
    client = {
        "partner": partner,
        "staff without a role": logged_in,
        "viewer": lambda: logged_in(VIEWERS),
        "superuser": lambda: logged_in(superuser=True),
    }[who]()
    card = client.get(f"/enterprises/{records.enterprise.pk}/?card=1").content.decode()
    assert PHONE in card and f"mailto:{EMAIL}" in card
    assert BUREAU["en"] not in card


def test_a_bad_key_on_a_page_is_no_key(records):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_X_API_KEY="nope.nope")
    card = client.get(f"/enterprises/{records.enterprise.pk}/?card=1").content.decode()
    assert PHONE not in card and BUREAU["en"] in card


@pytest.mark.parametrize("fmt", FORMATS)
def test_map_exports_give_contacts_to_partners_and_staff_only(records, fmt):
    text = export_text(anonymous(), fmt)
    assert "联系企业" in text
    assert PHONE not in text and EMAIL not in text and "contact_phone" not in text and "Public contact" not in text
    for client in (partner(), logged_in()):
        rows = {row["name_zh"]: row for row in export_rows(client, fmt)}
        assert (rows["联系企业"]["contact_phone"], rows["联系企业"]["contact_email"]) == (PHONE, EMAIL)
    response = anonymous().get(f"/map/export.{fmt}")
    assert "Cookie" in response["Vary"] and "X-Api-Key" in response["Vary"]


def test_every_direct_contact_field_of_every_model_is_a_contact_field():
    """The whole kind: a phone, e-mail, mobile, WeChat or fax field added to any record is hidden by the rule."""
    looks_like_contact = re.compile(r"phone|e-?mail|mobile|wechat|fax|contact|tel(ephone)?\b", re.IGNORECASE)
    for model in record_models():
        for field in model._meta.concrete_fields:
            if looks_like_contact.search(field.name) or looks_like_contact.search(str(field.verbose_name)):
                assert field.name in contact_fields(model), (model, field.name)
    assert contact_fields(Enterprise) == ["contact_phone", "contact_email"]


# Item 3: links to drafts are no links (name and id)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("who", ["anonymous", "superuser"])
def test_exports_never_name_a_draft_park(records, fmt, who):
    client = anonymous() if who == "anonymous" else logged_in(superuser=True)
    text = export_text(client, fmt)
    assert "联系企业" in text and "园内平台" in text and "二期园区" in text
    assert "草稿园区" not in text
    rows = {row["name_zh"]: row for row in export_rows(client, fmt)}
    assert rows["联系企业"]["park"] in ("", None)


def test_map_facets_never_count_a_draft_park(records, client):
    facets = client.get("/map/data.json").json()["facets"]
    assert str(records.park.pk) not in facets["park"]
    assert facets["park"][str(records.shown.pk)] == 1  # the demo's firms in other parks are counted too
    layers = client.get("/map/data.json?layers=enterprises,parks,platforms").json()["layers"]
    assert records.park.pk not in [row[0] for row in layers["parks"]["rows"]]  # ids are per layer


def test_pages_and_cards_never_name_a_draft_park(records):
    clients = (anonymous(), logged_in(superuser=True))
    for url in (
        f"/enterprises/{records.enterprise.pk}/?card=1",
        f"/enterprises/{records.enterprise.pk}/",
        f"/platforms/{records.platform.pk}/",
        f"/parks/{records.phase.pk}/?card=1",
    ):
        for client in clients:
            page = client.get(url).content.decode()
            assert "草稿园区" not in page and f"/parks/{records.park.pk}/" not in page, url
    assert anonymous().get(f"/parks/{records.park.pk}/").status_code == 404


def test_the_map_data_costs_the_same_queries_with_links_to_drafts(client, demo):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/map/data.json?segment=cell-therapy").status_code == 200
        return len(queries)

    few = count()
    for i in range(30):
        host = park(f"草稿园{i}", published=i % 2 == 0)
        enterprise(f"园内企业{i}", segments=["car-t"], park=host)
    many = count()
    assert (few, many) == (48, 48)


@pytest.mark.parametrize("who", ["anonymous", "viewer"])
@pytest.mark.parametrize("query", ["", "?ordering=name_zh"])  # built by the database, and in Python
def test_geojson_costs_the_same_queries_with_links_to_drafts(demo, who, query):
    client = anonymous() if who == "anonymous" else logged_in(VIEWERS)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/enterprises/geojson/{query}")
            assert response.status_code == 200
        return len(queries), response.json()

    few, _collection = count()
    hosts = [park(f"草稿园{i}", published=i % 2 == 0) for i in range(10)]
    for i in range(30):
        enterprise(f"园内企业{i}", segments=["car-t"], park=hosts[i % 10])
    many, collection = count()
    park_ids = {
        f["properties"]["park_id"] for f in collection["features"] if f["properties"]["name_zh"][:4] == "园内企业"
    }
    drafts = {h.pk for h in hosts if not h.is_published}
    assert bool(park_ids & drafts) == (who == "viewer")
    assert (few, many) == PINNED_GEOJSON_QUERIES[who, query]
