"""What strict partner clients (GDAL/QGIS, OWSLib, the OGC test suite, generated clients) need from OGC API -
Features, the REST GeoJSON routes and the OpenAPI document (issue 16), through Django's test client."""

import gzip
import json

import pytest

from ..factories import enterprise, park

pytestmark = pytest.mark.django_db

GEOJSON = "application/geo+json"
SQUARE = {"type": "Polygon", "coordinates": [[[113.5, 22.7], [113.52, 22.7], [113.52, 22.72], [113.5, 22.7]]]}


@pytest.fixture
def located(db):
    enterprise("东企业", lat=22.8, lng=113.5, ownership="private")
    enterprise(
        "西企业", lat=22.8, lng=-175.0, ownership="state_owned"
    )  # not in Nansha, but a valid point for a box test
    enterprise("中企业", lat=22.8, lng=10.0, ownership="private")


def get(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:500]
    return response


# 1. The media type the standard gives features is accepted.
@pytest.mark.parametrize(
    "url", ["/ogc/collections/enterprises/items", "/api/v1/enterprises/geojson/", "/api/v1/parks/geojson/"]
)
def test_geojson_is_served_to_a_client_that_accepts_only_geojson(client, located, url):
    response = get(client, url, HTTP_ACCEPT=GEOJSON)
    assert response["Content-Type"].startswith(GEOJSON)
    assert response.json()["type"] == "FeatureCollection"


def test_a_single_item_is_served_as_geojson(client, located):
    first = get(client, "/ogc/collections/enterprises/items?limit=1").json()["features"][0]
    item = get(client, f"/ogc/collections/enterprises/items/{first['id']}", HTTP_ACCEPT=GEOJSON)
    assert item.json()["type"] == "Feature"
    get(client, "/ogc/collections/enterprises/items", HTTP_ACCEPT="application/json")


# 3. bbox with heights, and boxes across the antimeridian.
def test_a_bbox_of_six_numbers_ignores_the_heights(client, located):
    page = get(client, "/ogc/collections/enterprises/items?bbox=113.4,22.7,-100,113.6,22.9,8000").json()
    assert page["numberMatched"] == 1
    rest = get(client, "/api/v1/enterprises/?bbox=113.4,22.7,0,113.6,22.9,100").json()
    assert rest["count"] == 1


def test_a_bbox_crossing_the_antimeridian_finds_both_sides(client, located):
    page = get(client, "/ogc/collections/enterprises/items?bbox=100,10,-170,40").json()
    assert sorted(f["properties"]["name_zh"] for f in page["features"]) == ["东企业", "西企业"]
    assert get(client, "/api/v1/enterprises/?bbox=100,10,-170,40").json()["count"] == 2


def test_a_bbox_upside_down_in_latitude_is_still_refused(client, located):
    assert "bbox" in get(client, "/ogc/collections/enterprises/items?bbox=100,40,110,10", status=400).json()


# 4. datetime is checked; an empty multiple-choice value is no filter.
@pytest.mark.parametrize("value", ["notadate", "2024-13-01T00:00:00Z", "../..", "2024-01-02/2023-01-01"])
def test_a_datetime_that_is_not_one_is_refused(client, located, value):
    assert "datetime" in get(client, f"/ogc/collections/enterprises/items?datetime={value}", status=400).json()


@pytest.mark.parametrize("value", ["2024-01-01T00:00:00Z", "2024-01-01", "2024-01-01T00:00:00Z/..", "../2025-01-01"])
def test_a_datetime_or_interval_is_accepted(client, located, value):
    get(client, f"/ogc/collections/enterprises/items?datetime={value}")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/enterprises/?ownership=",
        "/api/v1/enterprises/?ownership=&size=&honour=&segment=&park=",
        "/api/v1/enterprises/geojson/?ownership=",
        "/ogc/collections/enterprises/items?ownership=&segment=",
    ],
)
def test_an_empty_multiple_choice_value_means_no_filter(client, located, url):
    body = get(client, url).json()
    assert body.get("count", body.get("numberMatched", len(body.get("features", [])))) == 3


def test_an_empty_value_beside_a_real_one_is_ignored(client, located):
    assert get(client, "/api/v1/enterprises/?ownership=&ownership=state_owned").json()["count"] == 1


# 8. Small ones.
def test_a_feature_collection_is_named_after_its_collection(client, located):
    assert get(client, "/ogc/collections/enterprises/items").json()["name"] == "enterprises"
    assert get(client, "/api/v1/hospitals/geojson/").json()["name"] == "hospitals"


def test_an_empty_collection_claims_no_world_wide_extent(client, located):
    collection = get(client, "/ogc/collections/funds").json()
    assert [-180, -90, 180, 90] not in collection.get("extent", {}).get("spatial", {}).get("bbox", [])


def test_an_item_id_that_is_not_a_number_is_a_json_404(client, located):
    response = get(client, "/ogc/collections/enterprises/items/abc", status=404)
    assert response["Content-Type"].startswith("application/json")
    assert "abc" in json.dumps(response.json(), ensure_ascii=False)


def test_an_offset_past_the_end_has_no_prev_past_the_end(client, located):
    page = get(client, "/ogc/collections/enterprises/items?offset=50&limit=2").json()
    assert page["numberReturned"] == 0
    prev = next(link["href"] for link in page["links"] if link["rel"] == "prev")
    assert "offset=1&" in prev + "&" and "limit=2" in prev
    assert get(client, prev.removeprefix("http://testserver")).json()["numberReturned"] == 2


@pytest.mark.parametrize("value", ["abc", "0", "-3"])
def test_a_page_size_that_is_not_a_positive_number_is_refused(client, located, value):
    assert "page_size" in get(client, f"/api/v1/enterprises/?page_size={value}", status=400).json()


# 2. Paging under the throttle.
def test_a_gis_client_following_next_links_can_read_a_collection_again_and_again(client, located, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "3/min"}
    for _ in range(3):  # three whole downloads, one record a page: 3 first pages + 6 next pages
        url = "/ogc/collections/enterprises/items?limit=1"
        while url:
            page = get(client, url).json()
            url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
            url = url and url.removeprefix("http://testserver")
    get(client, "/ogc/collections/enterprises/items?limit=1", status=429)  # a fourth first page is one too many
    get(client, "/api/v1/enterprises/", status=429)


def test_paging_has_its_own_limit(client, located, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anonymous": "1/min", "paging": "2/min"}
    statuses = [client.get("/ogc/collections/enterprises/items?limit=1&offset=1").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


# 5. The OpenAPI document.
@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    """The document, generated once for the tests that read it (it takes seconds)."""
    from django.test import Client

    with django_db_blocker.unblock():
        response = get(Client(), "/api/schema/?format=json", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert response["Content-Encoding"] == "gzip"
    return json.loads(gzip.decompress(response.content))


def parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


def test_the_document_describes_limit_and_bbox_as_clients_expect(schema):
    items = parameters(schema, "/ogc/collections/enterprises/items")
    assert items["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 10000, "default": 10}
    for bbox in (items["bbox"], parameters(schema, "/api/v1/enterprises/")["bbox"]):
        assert bbox["schema"]["type"] == "array" and bbox["schema"]["items"]["type"] == "number"
        assert (bbox["style"], bbox["explode"]) == ("form", False)


def test_the_document_lists_the_map_filters_of_every_geojson_route_and_of_ogc_items(schema):
    assert {"segment", "ownership", "honour", "q", "bbox"} <= set(parameters(schema, "/api/v1/enterprises/geojson/"))
    assert {"park_kind", "free_space", "geometry"} <= set(parameters(schema, "/api/v1/parks/geojson/"))
    assert {"grade", "drug_trials"} <= set(parameters(schema, "/api/v1/hospitals/geojson/"))
    enterprises = parameters(schema, "/ogc/collections/enterprises/items")
    assert {"segment", "ownership", "honour", "q", "bbox", "datetime", "limit", "offset"} <= set(enterprises)
    assert "geometry" not in enterprises
    assert {"park_kind", "free_space", "geometry"} <= set(parameters(schema, "/ogc/collections/parks/items"))
    assert {"grade", "stem_cell"} <= set(parameters(schema, "/ogc/collections/hospitals/items"))
    honour = parameters(schema, "/api/v1/enterprises/")["honour"]["schema"]
    assert honour == {"type": "array", "items": {"type": "string"}}


def test_the_document_says_who_may_call_and_what_errors_come_back(schema):
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "apiKey", "in": "header", "name": "X-Api-Key"}.items() <= schemes["ApiKey"].items()
    listing = schema["paths"]["/api/v1/enterprises/"]["get"]
    assert {} in listing["security"] and {"ApiKey": []} in listing["security"]
    assert {"400", "403", "406", "429"} <= set(listing["responses"])
    assert "404" in schema["paths"]["/api/v1/enterprises/{id}/"]["get"]["responses"]
    assert "404" in schema["paths"]["/ogc/collections/enterprises/items"]["get"]["responses"]
    assert "404" in schema["paths"]["/ogc/collections/{collection_id}/items/{feature_id}"]["get"]["responses"]


def test_the_document_marks_nullable_fields(schema):
    components = schema["components"]["schemas"]
    assert components["Space"]["properties"]["park_name"].get("nullable") is True
    assert components["Park"]["properties"]["outline"].get("nullable") is True
    names = [name for name, part in components.items() if "hospital_name" in part.get("properties", {})]
    assert names and all(components[n]["properties"]["hospital_name"].get("nullable") for n in names)


# 6. Park outlines.
def test_parks_with_outlines_are_polygons_and_others_points(client, db):
    park("有轮廓园", outline=SQUARE)
    park("无轮廓园")
    for url in ["/api/v1/parks/geojson/", "/ogc/collections/parks/items", "/api/v1/parks/geojson/?ordering=name_zh"]:
        shapes = {f["properties"]["name_zh"]: f["geometry"] for f in get(client, url).json()["features"]}
        assert shapes["有轮廓园"] == SQUARE, url
        assert shapes["无轮廓园"] == {"type": "Point", "coordinates": [113.5, 22.75]}, url
    points = get(client, "/api/v1/parks/geojson/?geometry=point").json()["features"]
    assert {f["geometry"]["type"] for f in points} == {"Point"}
    points = get(client, "/ogc/collections/parks/items?geometry=point").json()["features"]
    assert {f["geometry"]["type"] for f in points} == {"Point"}
    item = get(client, f"/ogc/collections/parks/items/{park('另一园', outline=SQUARE).pk}").json()
    assert item["geometry"] == SQUARE


def test_an_unknown_geometry_choice_is_refused(client, db):
    assert "geometry" in get(client, "/api/v1/parks/geojson/?geometry=hexagon", status=400).json()


# 7. HTML for a browser.
@pytest.mark.parametrize(
    "path",
    [
        "",
        "conformance",
        "collections",
        "collections/parks",
        "collections/parks/items",
        "collections/parks/items?f=html",
    ],
)
def test_a_browser_gets_html_pages_of_the_ogc_api(client, db, path):
    park("有轮廓园", outline=SQUARE)
    response = get(client, f"/ogc/{path}", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response["Content-Type"].startswith("text/html")
    assert "<html" in response.content.decode()


def test_the_items_page_lists_features_with_a_map_and_links_to_each(client, db):
    shown = park("有轮廓园", outline=SQUARE)
    items = get(client, "/ogc/collections/parks/items?f=html").content.decode()
    assert "有轮廓园" in items and 'id="ogc-map"' in items and "features-map.js" in items
    assert f"/ogc/collections/parks/items/{shown.pk}?f=html" in items
    item = get(client, f"/ogc/collections/parks/items/{shown.pk}?f=html").content.decode()
    assert "有轮廓园" in item and "Polygon" in item
    assert get(client, "/ogc/collections/parks/items")["Content-Type"] == GEOJSON  # no Accept: GeoJSON still


# Part 3: queryables and CQL2 text filters.
def test_each_collection_has_queryables_as_json_schema(client, located):
    schema = get(client, "/ogc/collections/enterprises/queryables", HTTP_ACCEPT="application/schema+json").json()
    assert schema["type"] == "object" and schema["properties"]["geometry"]["x-ogc-role"] == "primary-geometry"
    assert schema["properties"]["ownership"]["enum"][0] == "private"
    assert {"type": "string", "format": "date"}.items() <= schema["properties"]["founded_on"].items()
    assert "contact_phone" not in schema["properties"]
    links = get(client, "/ogc/collections/enterprises").json()["links"]
    assert "http://www.opengis.net/def/rel/ogc/1.0/queryables" in {link["rel"] for link in links}
    conformance = get(client, "/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter" in conformance


@pytest.mark.parametrize(
    ("cql", "names"),
    [
        ("ownership = 'private'", ["东企业", "中企业"]),
        ("ownership <> 'private'", ["西企业"]),
        ("name_zh LIKE '东%' OR (name_zh LIKE '_企业' AND NOT ownership = 'private')", ["东企业", "西企业"]),
        ("ownership IN ('state_owned', 'mixed')", ["西企业"]),
        ("founded_on IS NULL AND park_id IS NULL", ["东企业", "中企业", "西企业"]),
        ("S_INTERSECTS(geometry, BBOX(113.4, 22.7, 113.6, 22.9))", ["东企业"]),
        ("S_INTERSECTS(geometry, BBOX(100, 10, -170, 40))", ["东企业", "西企业"]),
        ("INCLUDE", ["东企业", "中企业", "西企业"]),
    ],
)
def test_a_cql2_text_filter_selects_features(client, located, cql, names):
    page = get(client, "/ogc/collections/enterprises/items", data={"filter": cql, "filter-lang": "cql2-text"}).json()
    assert sorted(f["properties"]["name_zh"] for f in page["features"]) == sorted(names)


@pytest.mark.parametrize(
    ("cql", "says"),
    [
        ("ownership = ", "CQL2"),
        ("colour = 'red'", "colour"),
        ("founded_on > 'not a date'", "founded_on"),
        ("S_INTERSECTS(geometry, POINT(113 22))", "BBOX"),
    ],
)
def test_a_filter_that_cannot_be_used_is_a_400_saying_why(client, located, cql, says):
    response = get(client, "/ogc/collections/enterprises/items", data={"filter": cql}, status=400).json()
    assert says in " ".join(response["filter"])


def test_only_cql2_text_is_understood(client, located):
    url = "/ogc/collections/enterprises/items?filter=x&filter-lang=cql2-json"
    assert "filter-lang" in get(client, url, status=400).json()
