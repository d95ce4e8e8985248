"""Chinese content in traditional characters beyond the pages: the REST API, its GeoJSON, OGC API - Features and
the map's exports, for a zh-hant caller (Accept-Language zh-HK), and never for a zh-hans or English one."""

import csv
import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from industry.models import Enterprise
from nansha.datasets.reference_data import load_reference_data
from parks.models import Park

from .factories import enterprise, park

PARK_ZH, PARK_HANT = "横沥生物医药产业园", "橫瀝生物醫藥產業園"
FIRM_ZH, FIRM_HANT = "霖南基因科技(广东)有限公司", "霖南基因科技(廣東)有限公司"
SOURCE_ZH, SOURCE_HANT = "南沙区投资促进局发布", "南沙區投資促進局發佈"


@pytest.fixture
def records(db, settings):
    settings.PUBLIC_DATA_CACHE_SECONDS = 300  # the cache on, as in production: each language has its own entries
    load_reference_data()
    home = park(PARK_ZH, name_en="Hengli Biomedical Park", operator_zh="广州南沙科技产业发展有限公司")
    firm = enterprise(FIRM_ZH, park=home, segments=["car-t"], aliases=["霖南基因"])
    for record in (home, firm):
        record.source = SOURCE_ZH
        record.save()
    return home


def client_for(language, **extra):
    return Client(HTTP_ACCEPT_LANGUAGE=language, **extra)


def body(response):
    return (response.getvalue() if response.streaming else response.content).decode("utf-8-sig")


@pytest.mark.django_db
def test_the_rest_api_gives_content_in_the_script_of_accept_language(records):
    hant = client_for("zh-HK").get("/api/v1/enterprises/").json()["results"][0]
    assert hant["name_zh"] == FIRM_HANT and hant["source"] == SOURCE_HANT and hant["aliases"] == ["霖南基因"]
    assert hant["park_name"] == PARK_HANT
    hans = client_for("zh-CN").get("/api/v1/enterprises/").json()["results"][0]
    assert hans["name_zh"] == FIRM_ZH and hans["park_name"] == PARK_ZH
    english = client_for("en").get(f"/api/v1/parks/{records.pk}/").json()
    assert english["name_zh"] == PARK_ZH and english["name_en"] == "Hengli Biomedical Park"


@pytest.mark.django_db
def test_the_api_geojson_is_cached_per_script(records):
    """The first caller's language must not decide what the next caller reads (the response cache is on)."""
    url = "/api/v1/parks/geojson/"
    first = client_for("zh-CN").get(url).json()["features"][0]["properties"]
    hant = client_for("zh-HK").get(url).json()["features"][0]["properties"]
    again = client_for("zh-CN").get(url).json()["features"][0]["properties"]
    assert first["name_zh"] == again["name_zh"] == PARK_ZH
    assert hant["name_zh"] == PARK_HANT and hant["operator_zh"] == "廣州南沙科技產業發展有限公司"


@pytest.mark.django_db
def test_a_record_read_in_traditional_and_sent_back_keeps_its_simplified_text(records, admin_user):
    """Reading converts; writing back what was read is no change, so the stored simplified text stays."""
    client = client_for("zh-HK")
    client.force_login(admin_user)
    firm = Enterprise.objects.get(name_zh=FIRM_ZH)
    read = client.get(f"/api/v1/enterprises/{firm.pk}/").json()
    sent = {key: read[key] for key in ("name_zh", "source", "aliases", "version")}
    response = client.patch(f"/api/v1/enterprises/{firm.pk}/", sent, content_type="application/json")
    assert response.status_code == 200, response.content.decode()
    firm.refresh_from_db()
    assert (firm.name_zh, firm.source, firm.aliases) == (FIRM_ZH, SOURCE_ZH, ["霖南基因"])
    changed = {"name_zh": "霖南基因科技(廣東)有限公司X", "version": response.json()["version"]}  # an edit is kept
    assert client.patch(f"/api/v1/enterprises/{firm.pk}/", changed, content_type="application/json").status_code == 200
    firm.refresh_from_db()
    assert firm.name_zh == "霖南基因科技(廣東)有限公司X"


@pytest.mark.django_db
def test_ogc_items_collections_and_items_pages_give_content_in_traditional(records):
    client = client_for("zh-HK")
    items = client.get("/ogc/collections/parks/items?f=json").json()
    assert items["features"][0]["properties"]["name_zh"] == PARK_HANT
    item = client.get(f"/ogc/collections/parks/items/{records.pk}?f=json").json()
    assert item["properties"]["name_zh"] == PARK_HANT
    assert (
        client_for("zh-CN").get("/ogc/collections/parks/items?f=json").json()["features"][0]["properties"]["name_zh"]
        == PARK_ZH
    )


@pytest.mark.django_db
def test_map_exports_give_content_in_traditional(records):
    client = client_for("zh-HK")
    rows = list(csv.reader(io.StringIO(body(client.get("/map/export.csv?layers=enterprises")))))
    header, row = rows[0], rows[1]
    assert row[header.index("名稱(中文)")] == FIRM_HANT and row[header.index("來源")] == SOURCE_HANT
    assert PARK_HANT in row
    features = json.loads(body(client.get("/map/export.geojson?layers=parks")))["features"]
    assert features[0]["properties"]["name_zh"] == PARK_HANT and features[0]["properties"]["name"] == PARK_HANT
    sheet = load_workbook(io.BytesIO(client.get("/map/export.xlsx?layers=parks").content)).active
    assert PARK_HANT in [cell.value for cell in sheet[2]]
    simplified = body(client_for("zh-CN").get("/map/export.csv?layers=enterprises"))
    assert FIRM_ZH in simplified and FIRM_HANT not in simplified


@pytest.mark.django_db
def test_the_map_data_is_cached_per_language(records):
    url = "/map/data.json?layers=parks"
    assert PARK_ZH in client_for("zh-CN").get(url).content.decode()
    assert PARK_HANT in client_for("zh-HK").get(url).content.decode()
    assert Park.objects.count() == 1
