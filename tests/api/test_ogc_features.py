"""OGC API - Features, read by OWSLib as a GIS client would, over real HTTP."""

import geojson
import pytest
import requests
from owslib.ogcapi.features import Features

from industry.models import Enterprise

from ..factories import enterprise

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ogc(live_server, demo):
    for i in range(25):
        enterprise(f"企业{i:02d}", segments=["car-t"] if i % 2 else ["gene-therapy"], lat=22.7 + i * 0.01, lng=113.5)
    enterprise("深圳企业", lat=22.54, lng=114.06)
    return Features(f"{live_server.url}/ogc/")


def test_landing_conformance_and_collections(ogc, live_server):
    landing = requests.get(f"{live_server.url}/ogc/", timeout=10).json()
    assert {"self", "conformance", "data", "service-desc", "service-doc"} <= {link["rel"] for link in landing["links"]}
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in ogc.conformance()["conformsTo"]
    ids = [c["id"] for c in ogc.collections()["collections"]]
    assert ids == ["enterprises", "parks", "hospitals", "institutions", "funds", "platforms"]
    extent = ogc.collection("enterprises")["extent"]["spatial"]["bbox"][0]
    assert extent == pytest.approx([113.5, 22.54, 114.06, 22.94])


def test_items_with_bbox_limit_and_paging_links(ogc, live_server):
    page = ogc.collection_items("enterprises", limit=10, bbox=[113.4, 22.6, 113.6, 23.0])
    in_box = Enterprise.objects.published().filter(lat__range=(22.6, 23.0), lng__range=(113.4, 113.6)).count()
    assert (page["numberMatched"], page["numberReturned"]) == (in_box, 10) and in_box >= 25  # the fixture's and
    # the demo's firms placed at their park's position
    assert geojson.loads(geojson.dumps(page)).is_valid
    links = {link["rel"]: link["href"] for link in page["links"]}
    assert "next" in links and "prev" not in links
    second = requests.get(links["next"], timeout=10).json()
    assert second["numberReturned"] == 10 and "prev" in {link["rel"] for link in second["links"]}
    first_ids = {f["id"] for f in page["features"]}
    assert not first_ids & {f["id"] for f in second["features"]}
    third = requests.get({link["rel"]: link["href"] for link in second["links"]}["next"], timeout=10).json()
    assert third["numberReturned"] == in_box - 20 and "next" not in {link["rel"] for link in third["links"]}


def test_items_take_the_maps_filters_too(ogc):
    items = ogc.collection_items("enterprises", limit=100, segment="car-t")
    assert items["numberMatched"] == 12
    assert all(f["properties"]["segments"] == ["car-t"] for f in items["features"])


def test_one_item(ogc):
    first = ogc.collection_items("hospitals", limit=1)["features"][0]
    item = ogc.collection_item("hospitals", str(first["id"]))
    assert item["type"] == "Feature" and item["geometry"]["type"] == "Point"


@pytest.mark.parametrize(
    ("path", "status", "parameter"),
    [
        ("collections/enterprises/items?limit=abc", 400, "limit"),
        ("collections/enterprises/items?limit=0", 400, "limit"),
        ("collections/enterprises/items?offset=-1", 400, "offset"),
        ("collections/enterprises/items?bbox=1,2,3", 400, "bbox"),
        ("collections/enterprises/items?colour=red", 400, "colour"),
        ("collections/enterprises/items?f=xml", 400, "f"),
        ("collections/nowhere", 404, None),
        ("collections/nowhere/items", 404, None),
        ("collections/hospitals/items/99999", 404, None),
    ],
)
def test_bad_requests_are_answered_in_json(ogc, live_server, path, status, parameter):
    response = requests.get(f"{live_server.url}/ogc/{path}", timeout=10)
    assert response.status_code == status
    if parameter:
        assert parameter in response.json()


def test_a_huge_limit_is_capped(ogc, live_server):
    response = requests.get(f"{live_server.url}/ogc/collections/enterprises/items?limit=99999999", timeout=10).json()
    assert response["numberReturned"] == response["numberMatched"]
