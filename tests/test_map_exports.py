"""The map's exports as a reader gets them (issues 13, 15 and 21): headers in the page's language, one table per
kind of record, yes/no in words, streamed CSV and GeoJSON, Excel within a limit, anonymous exports throttled and
capped with a clear message."""

import csv
import io
import json

import pytest
import requests
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from rest_framework_api_key.models import APIKey

from nansha.datasets.reference_data import load_reference_data

from .factories import enterprise, hospital, park

pytestmark = pytest.mark.django_db

CHINESE_ENTERPRISE_HEADER = [
    "记录类别",
    "编号",
    "名称(中文)",
    "名称(英文)",
    "统一社会信用代码",
    "产业链环节",
    "园区",
    "企业性质",
    "企业规模",
    "成立日期",
    "企业荣誉/资质",
    "地址(中文)",
    "地址(英文)",
    "纬度",
    "经度",
    "位置为估计",
    "地图上的页面",
    "来源",
    "核实日期",
]
ENGLISH_PARK_HEADER = [
    "Record type",
    "ID",
    "Name (Chinese)",
    "Name (English)",
    "Kind",
    "Level",
    "Development status",
    "Operator (Chinese)",
    "Operator (English)",
    "Address (Chinese)",
    "Address (English)",
    "Latitude",
    "Longitude",
    "Position is approximate",
    "Page on the map",
    "Source",
    "Verified on",
]
FIELD_CODES = {"layer", "kind", "name_zh", "name_en", "lat", "lng", "position_is_approximate", "id", "url"}


@pytest.fixture
def vocabularies(db):
    load_reference_data()


@pytest.fixture
def records(vocabularies):
    home = park("园区甲", name_en="Park A", level="national")
    enterprise(
        "企业甲",
        name_en="Firm A",
        segments=["car-t", "stem-cell"],
        honours=["high-tech"],
        park=home,
        position_is_approximate=True,
    )
    enterprise("企业乙", position_is_approximate=False)
    hospital("医院甲")
    return home


def body(response):
    return response.getvalue() if response.streaming else response.content


def tables(response):
    """The CSV's tables (one per kind of record, separated by an empty line) as lists of rows, header first."""
    text = body(response).decode("utf-8-sig")
    return [list(csv.reader(io.StringIO(block))) for block in text.split("\r\n\r\n")]


def export(fmt, query="", language=None, client=None, **headers):
    client = client or Client()
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    return client.get(f"/map/export.{fmt}?{query}", **headers)


def partner():
    _record, secret = APIKey.objects.create_key(name="Partner portal")
    return Client(HTTP_X_API_KEY=secret)


def test_csv_headers_are_labels_in_the_pages_language_without_duplicates(records):
    chinese = tables(export("csv", "layers=enterprises,parks"))
    assert chinese[0][0] == CHINESE_ENTERPRISE_HEADER
    english = tables(export("csv", "layers=enterprises,parks", language="en"))
    assert english[1][0] == ENGLISH_PARK_HEADER
    for table in chinese + english:
        header = table[0]
        assert len(header) == len(set(header)), header
        assert not FIELD_CODES & set(header), header


def test_each_kind_of_record_has_only_its_own_columns(records):
    enterprises, parks, hospitals = tables(export("csv", "layers=enterprises,parks,hospitals", language="en"))
    assert "Level" not in enterprises[0] and "Unified social credit code" not in parks[0]
    assert "Grade" in hospitals[0] and "Chain segments" not in hospitals[0]
    rows = {row[2]: dict(zip(enterprises[0], row, strict=True)) for row in enterprises[1:]}
    assert rows["企业甲"]["Park"] == "Park A"
    assert rows["企业甲"]["Chain segments"].count(", ") == 1  # the English separator
    assert [row[0] for row in parks[1:]] == ["Parks"]


def test_yes_and_no_are_words_in_the_pages_language(records):
    chinese = tables(export("csv", "layers=enterprises"))[0]
    column = chinese[0].index("位置为估计")
    assert sorted(row[column] for row in chinese[1:]) == ["否", "是"]
    english = tables(export("csv", "layers=enterprises", language="en"))[0]
    assert sorted(row[column] for row in english[1:]) == ["No", "Yes"]
    sheet = load_workbook(io.BytesIO(export("xlsx", "layers=enterprises").content))["企业"]
    assert sorted(row[column] for row in sheet.iter_rows(min_row=2, values_only=True)) == ["否", "是"]


def test_the_workbook_has_a_named_sheet_per_kind_sized_frozen_and_filtered(records):
    workbook = load_workbook(io.BytesIO(export("xlsx", "layers=enterprises,parks,hospitals", language="en").content))
    assert workbook.sheetnames == ["Enterprises", "Parks", "Hospitals"]
    sheet = workbook["Enterprises"]
    assert [c.value for c in sheet[1]][:3] == ["Record type", "ID", "Name (Chinese)"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}3"
    assert sheet.column_dimensions["C"].width >= 20
    assert sheet[1][0].font.bold


def test_csv_and_geojson_stream_and_the_csv_starts_with_a_bom(records):
    response = export("csv", "layers=enterprises")
    assert isinstance(response, StreamingHttpResponse)
    assert next(iter(response.streaming_content)).startswith("\ufeff".encode())
    geojson = export("geojson", "layers=enterprises,parks")
    assert isinstance(geojson, StreamingHttpResponse)
    collection = json.loads(body(geojson))
    kinds = {f["properties"]["layer"]: f["properties"] for f in collection["features"]}
    assert "credit_code" in kinds["enterprises"] and "level" not in kinds["enterprises"]
    assert kinds["parks"]["level"] == "National" or kinds["parks"]["level"] == "国家级"
    assert {f["properties"]["position_is_approximate"] for f in collection["features"]} == {True, False}


@override_settings(MAP_XLSX_MAX_ROWS=2)
def test_an_excel_file_over_the_limit_is_refused_offering_csv_with_the_same_filters(records):
    query = "layers=enterprises,hospitals&segment=car-t"
    assert export("xlsx", query).status_code == 200  # 1 enterprise and 1 hospital: at the limit
    refused = export("xlsx", "layers=enterprises,hospitals", language="en")
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "at most 2 records" in page and "would hold 3" in page
    assert 'href="/map/export.csv?layers=enterprises%2Chospitals"' in page
    chinese = export("xlsx", "layers=enterprises,hospitals").content.decode()
    assert "CSV" in chinese and "最多" in chinese


@override_settings(MAP_EXPORT_MAX_ROWS_ANONYMOUS=2, MAP_EXPORT_MAX_ROWS=3)
def test_anonymous_exports_are_capped_and_partners_get_more(records):
    refused = export("csv", "layers=enterprises,hospitals", language="en")
    assert refused.status_code == 403
    assert "would hold 3 records" in refused.content.decode() and "API key" in refused.content.decode()
    assert export("csv", "layers=enterprises").status_code == 200
    assert export("csv", "layers=enterprises,hospitals", client=partner()).status_code == 200
    assert export("geojson", "layers=enterprises,hospitals,parks", client=partner()).status_code == 403


@override_settings(MAP_EXPORT_RATE_ANONYMOUS="3/min")
def test_anonymous_exports_are_throttled_per_address_with_retry_after(live_server, records):
    url = f"{live_server.url}/map/export.csv?layers=enterprises"
    streamed = requests.get(url, timeout=10)
    assert "Content-Length" not in streamed.headers and streamed.content.startswith("\ufeff".encode())  # streamed
    statuses = [streamed.status_code] + [requests.get(url, timeout=10).status_code for _ in range(2)]
    assert statuses == [200, 200, 200]
    refused = requests.get(url.replace(".csv", ".geojson"), headers={"Accept-Language": "en"}, timeout=10)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "try again in" in refused.text
    assert requests.get(url, headers={"X-Api-Key": partner().defaults["HTTP_X_API_KEY"]}, timeout=10).ok


@pytest.mark.parametrize("fmt", ["csv", "geojson", "xlsx"])
def test_an_export_runs_as_many_queries_for_50_records_as_for_10(vocabularies, fmt):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = export(fmt, "layers=enterprises,parks")
            assert response.status_code == 200
            body(response)
        return len(captured)

    home = park("园区", level="national")
    for i in range(10):
        enterprise(f"企业{i}", segments=["car-t"], honours=["high-tech"], park=home)
    few = queries()
    for i in range(10, 50):
        enterprise(f"企业{i}", segments=["car-t", "stem-cell"], honours=["high-tech"], park=home)
    assert queries() == few
