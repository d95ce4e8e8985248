"""The map page, its data request, exports and record pages, over real requests to the app."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from openpyxl import load_workbook
from shapely.geometry import shape

from industry.models import Enterprise, Hospital, ResearchInstitution, ServicePlatform
from nansha.map.layers import LAYERS
from parks.models import Park

from .factories import enterprise, hospital, park, space

pytestmark = pytest.mark.django_db

XSS = "<img src=x onerror=alert(1)>"


def data(client, query=""):
    response = client.get(f"/map/data.json?{query}")
    assert response.status_code == 200
    return response.json()


def ids(payload, layer):
    return [row[0] for row in payload["layers"][layer]["rows"]]


def test_the_map_page_renders_in_chinese_with_the_filter_panel(client, demo):
    page = client.get("/").content.decode()
    assert "广州南沙生物医药与健康产业地图" in page
    assert 'name="segment" value="car-t"' in page and 'id="map"' in page
    assert "vendor/leaflet.markercluster/leaflet.markercluster.js" in page
    assert "cdn" not in page.lower() and "unpkg" not in page


def test_one_request_carries_every_layer_and_the_counts(client, demo):
    payload = data(client)
    assert set(payload["layers"]) == {"enterprises", "parks", "hospitals", "institutions", "funds", "platforms"}
    assert payload["layers"]["parks"]["total"] == Park.objects.published().count() >= 7  # the article's and reports'
    assert payload["facets"]["segment"]["gene-therapy"] == 1
    names = [row[3] for row in payload["layers"]["hospitals"]["rows"]]
    assert "中山大学附属第一(南沙)医院" in names


def test_names_come_in_english_with_a_fallback_to_chinese(client, demo):
    payload = client.get("/map/data.json", HTTP_ACCEPT_LANGUAGE="en").json()
    names = {row[3] for row in payload["layers"]["parks"]["rows"]}
    assert "Guangdong Medical Valley" in names and "中大药谷" in names  # the latter has no English name


def test_facet_counts_keep_the_other_filters_and_ignore_their_own(client, demo):
    enterprise("甲", segments=["car-t"], ownership="private")
    enterprise("乙", segments=["stem-cell"], ownership="private")
    enterprise("丙", segments=["stem-cell"], ownership="foreign")
    facets = data(client, "ownership=private&segment=stem-cell")["facets"]
    assert facets["ownership"] == {"private": 1, "foreign": 1}  # own facet ignored, segment kept
    assert facets["segment"]["car-t"] == 1 and facets["segment"]["cell-therapy"] == 2  # ownership kept


def test_layers_can_be_chosen(client, demo):
    assert set(data(client, "layers=hospitals,parks")["layers"]) == {"hospitals", "parks"}


@pytest.mark.parametrize(
    ("query", "note"),
    [
        ("segment=no-such-segment", "Chain segment"),
        ("founded_from=2020&founded_to=1999", "below the lower bound"),
        ("founded_from=abc", "Founded from"),
        ("area_min=-5", "Area from"),
        ("page=99999999999999999999", "not a page number"),
        ("map=garbage", "zoom/latitude/longitude"),
        ("map=99/22.8/113.5", "out of range"),
        ("open=%3Cscript%3E", "not understood"),
        ("layers=enterprises,aliens", "Unknown layer"),
        ("base=bing", "Unknown base map"),
        ("utm_source=x", "Unknown parameter"),
        ("q=" + "x" * 500, "too long"),
        ("bbox=1,2,3", "bbox"),
        ("park=999999", "Park"),
        ("park=abc", "Park"),
        ("park=99999999999999999999999", "Park"),
    ],
)
def test_bad_state_in_the_url_shows_the_map_with_a_note(client, demo, query, note):
    response = client.get(f"/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    notes = response.context["state"].notes
    assert any(note in n for n in notes), notes
    assert escape(notes[0]) in response.content.decode()  # shown on the page, escaped
    assert client.get(f"/map/data.json?{query}").status_code == 200


def test_garbled_query_strings_never_fail(client, demo):
    for query in [
        "%ff%fe",
        "segment=%00",
        "a[b]=c&&&==",
        "map=1/2",
        "open=parks:",
        "page=-1",
        "inview=yes",
        "page=%C2%B2",
        "open=enterprises:%C2%B2",
        "zoom=%C2%B2&viewport=1,2,3,4",
    ]:
        assert client.get(f"/?{query}").status_code == 200, query
        assert client.get(f"/map/data.json?{query}").status_code == 200, query


def test_the_data_request_costs_the_same_queries_for_5_and_50_enterprises(client, demo):
    def count():
        with CaptureQueriesContext(connection) as queries:
            data(client, "segment=cell-therapy&ownership=private")
        return len(queries)

    for i in range(5):
        enterprise(f"企业{i}", segments=["car-t"], ownership="private", honours=["high-tech"])
    few = count()
    for i in range(5, 50):
        enterprise(f"企业{i}", segments=["car-t", "stem-cell"], ownership="private", honours=["high-tech"])
    assert count() == few


def export_ids(client, fmt, query):
    """[(layer, id)] of an export in its order, and its rows ({English header: value}; GeoJSON: the collection)."""
    response = client.get(f"/map/export.{fmt}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    layer_of = {str(layer.label): key for key, layer in LAYERS.items()}
    if fmt == "geojson":
        collection = json.loads(response.getvalue())
        return [(f["properties"]["layer"], int(f["id"].split(".")[1])) for f in collection["features"]], collection
    if fmt == "csv":
        blocks = response.getvalue().decode("utf-8-sig").split("\r\n\r\n")  # one table per layer
        rows = [row for block in blocks for row in csv.DictReader(io.StringIO(block))]
    else:
        rows = []
        for sheet in load_workbook(io.BytesIO(response.content)).worksheets:  # one sheet per layer
            header, *lines = [list(r) for r in sheet.iter_rows(values_only=True)]
            rows += [dict(zip(header, line, strict=True)) for line in lines]
    return [(layer_of[r["Record type"]], int(r["ID"])) for r in rows], rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
def test_exports_hold_exactly_the_filtered_result(client, demo, fmt):
    enterprise("CAR-T甲", segments=["car-t"])
    enterprise("试剂乙", segments=["reagents-consumables"])
    query = "segment=cell-therapy&layers=enterprises,hospitals"
    payload = data(client, query)
    expected = [("enterprises", i) for i in ids(payload, "enterprises")] + [
        ("hospitals", i) for i in ids(payload, "hospitals")
    ]
    exported, _rows = export_ids(client, fmt, query)
    assert exported == expected


def test_geojson_export_is_valid_geojson(client, demo):
    collection = json.loads(client.get("/map/export.geojson").getvalue())
    assert collection["type"] == "FeatureCollection"
    placed = [f for f in collection["features"] if f["geometry"]]
    assert placed and all(shape(f["geometry"]).is_valid for f in placed)
    unplaced = [f for f in collection["features"] if not f["geometry"]]
    assert unplaced and all(f["geometry"] is None for f in unplaced)  # known records without a position stay in


def test_spreadsheet_exports_do_not_run_formulas_from_names(client, demo):
    enterprise('=HYPERLINK("http://evil")', segments=["car-t"])
    _ids, rows = export_ids(client, "csv", "layers=enterprises")
    assert any(r["Name (Chinese)"].startswith("'=") for r in rows)


def test_an_unknown_export_format_is_404(client):
    assert client.get("/map/export.pdf").status_code == 404


@pytest.mark.parametrize(
    ("model", "url"),
    [(Enterprise, "/enterprises/{}/"), (Park, "/parks/{}/"), (Hospital, "/hospitals/{}/")],
)
def test_record_pages_and_cards(client, demo, model, url):
    record = model.objects.filter(
        source__startswith="《广州南沙加速构建细胞和基因产业生态体系》"
    ).first()  # the article's
    page = client.get(url.format(record.pk))
    assert page.status_code == 200 and record.name_zh in page.content.decode()
    card = client.get(url.format(record.pk) + "?card=1").content.decode()
    assert record.name_zh in card and "<html" not in card
    assert "《广州南沙加速构建细胞和基因产业生态体系》" in card  # source shown
    model.objects.filter(pk=record.pk).update(status="draft")
    assert client.get(url.format(record.pk)).status_code == 404


def test_record_pages_for_every_kind(client, demo):
    for model, url in [(ResearchInstitution, "/institutions/{}/"), (ServicePlatform, "/platforms/{}/")]:
        assert client.get(url.format(model.objects.first().pk)).status_code == 200
    assert client.get("/funds/999999/").status_code == 404
    assert client.get("/enterprises/99999999999999999999/").status_code == 404


def test_a_park_page_lists_its_enterprises_and_free_space(client, demo):
    host = park("测试园")
    enterprise("园内企业", park=host)
    space(host, use="gmp_production", area=800, cleanroom_grade="gmp_c", rent_yuan_m2_month=65)
    page = client.get(f"/parks/{host.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "园内企业" in page and "GMP grade C" in page and "800" in page


def test_a_hospital_card_lists_its_clinical_projects(client, demo):
    nansha = Hospital.objects.get(name_zh="广州市第一人民医院南沙医院")
    card = client.get(f"/hospitals/{nansha.pk}/?card=1").content.decode()
    assert "输血依赖型β-地中海贫血基因治疗临床研究" in card


def test_names_entered_by_staff_are_escaped_everywhere(client, demo):
    record = enterprise(XSS, segments=["car-t"], description_zh=XSS)
    hospital(XSS)
    for url in [f"/enterprises/{record.pk}/", f"/enterprises/{record.pk}/?card=1", "/?q=img"]:
        page = client.get(url).content.decode()
        assert XSS not in page
    assert XSS in [row[3] for row in data(client, "q=img")["layers"]["enterprises"]["rows"]]  # JSON, shown as text


def test_a_large_layer_comes_as_server_clusters_of_the_view(client, demo, settings):
    settings.MAP_CLUSTER_THRESHOLD = 10
    settings.MAP_LIST_LIMIT = 4
    Enterprise.objects.exclude(name_zh="霖南基因科技(广东)有限公司").delete()  # only the article's firm, unlocated
    for i in range(12):
        enterprise(f"近{i:02d}", lat=22.80 + i * 0.001, lng=113.53)
    for i in range(3):
        enterprise(f"远{i}", lat=23.40, lng=113.20 + i * 0.001)
    layer = data(client, "layers=enterprises&viewport=113.4,22.7,113.6,22.9&zoom=12")["layers"]["enterprises"]
    assert layer["clustered"] and layer["total"] == 16 and layer["in_view"] == 12  # 16 with the unlocated 霖南基因
    assert sum(n for _lat, _lng, n, _id in layer["clusters"]) == 12  # every record in view, once
    assert len(layer["rows"]) == 4 and all(row[3].startswith("近") for row in layer["rows"])
    wide = data(client, "layers=enterprises&viewport=112,22,115,24&zoom=8")["layers"]["enterprises"]
    assert sum(n for _lat, _lng, n, _id in wide["clusters"]) == 15 and len(wide["clusters"]) == 2
    assert "clustered" not in data(client, "layers=enterprises&segment=car-t")["layers"]["enterprises"]


def test_a_server_cluster_of_one_record_names_that_record(client, demo, settings):
    """A cell holding one record gives its id, so that the map draws (and opens) the record, not a "1" (issue 21)."""
    settings.MAP_CLUSTER_THRESHOLD = 3
    Enterprise.objects.all().delete()
    for i in range(4):
        enterprise(f"群{i}", lat=22.80 + i * 0.0001, lng=113.53)
    alone = enterprise("独处", lat=22.86, lng=113.60)
    layer = data(client, "layers=enterprises&viewport=113.4,22.7,113.7,22.9&zoom=12")["layers"]["enterprises"]
    assert layer["clustered"]
    assert [cell[3] for cell in layer["clusters"] if cell[2] == 1] == [alone.pk]
    assert [cell[3] for cell in layer["clusters"] if cell[2] > 1] == [None]


def test_a_source_is_a_link_only_when_it_is_a_web_address(client, demo):
    trap, honest = enterprise("来源陷阱"), enterprise("来源网址")
    Enterprise.objects.filter(pk=trap.pk).update(source="javascript://%0aalert(document.cookie)")
    Enterprise.objects.filter(pk=honest.pk).update(source="https://www.gz.gov.cn/policy.html")
    assert 'href="javascript:' not in client.get(f"/enterprises/{trap.pk}/?card=1").content.decode()
    assert 'href="https://www.gz.gov.cn/policy.html"' in client.get(f"/enterprises/{honest.pk}/").content.decode()


def test_zoomed_right_in_a_large_layer_comes_as_the_markers_in_view(client, demo, settings):
    settings.MAP_CLUSTER_THRESHOLD = 3
    for i in range(6):
        enterprise(f"楼内{i}", lat=22.8, lng=113.53)  # one building: clusters would never split
    layer = data(client, "layers=enterprises&viewport=113.52,22.79,113.54,22.81&zoom=17")["layers"]["enterprises"]
    assert "clustered" not in layer and layer["partial"] and len(layer["rows"]) == 6


def test_a_link_to_a_record_not_on_the_map_says_so(client, demo):
    """A shared link whose record was removed (or is a draft) opens the map with a note, like other bad parameters."""
    missing = client.get("/", {"open": "enterprises:987654"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "The record to open, “enterprises:987654”, is not on the map" in missing.content.decode()
    assert '"open": null' in missing.content.decode()
    enterprise = Enterprise.objects.published().first()
    present = client.get("/", {"open": f"enterprises:{enterprise.pk}"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "is not on the map" not in present.content.decode()
    assert f'"open": "enterprises:{enterprise.pk}"' in present.content.decode()
