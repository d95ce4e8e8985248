"""Address to point in the admin: the server asks the configured geocoding service (a local stand-in speaking its
documented format over real HTTP), converts AMap's GCJ-02 to WGS-84, and says why when it cannot (issue 19)."""

import pytest
from django.test import override_settings

from nansha.staff.geocoding import gcj02_to_wgs84

from .geocoder_server import FakeGeocoder, amap_answer, tianditu_answer

URL = "/admin/geocode/"


@pytest.fixture
def fake():
    server = FakeGeocoder()
    yield server
    server.close()


@pytest.mark.parametrize(
    ("gcj02", "wgs84"),
    [
        # Reference values from gcoord 1.0.7 (the map's own converter, static/vendor/gcoord), GCJ-02 to WGS-84.
        ((113.525321, 22.801345), (113.52010505845617, 22.804217257342906)),  # Nansha
        ((113.6, 22.75), (113.59494751912639, 22.753014151276652)),
        ((116.397128, 39.916527), (116.39088606902054, 39.915125599593395)),  # Tian'anmen, Beijing
    ],
)
def test_gcj02_is_converted_to_wgs84_as_the_map_converts_it(gcj02, wgs84):
    lng, lat = gcj02_to_wgs84(*gcj02)
    assert lng == pytest.approx(wgs84[0], abs=1e-7) and lat == pytest.approx(wgs84[1], abs=1e-7)  # about 1 cm


@pytest.mark.django_db
def test_an_amap_point_of_interest_is_placed_in_wgs84(admin_client, fake):
    fake.answer = amap_answer("113.525321,22.801345", "兴趣点", "广东省广州市南沙区广东医谷")
    with override_settings(GEOCODER="amap", GEOCODER_KEY="test-key", GEOCODER_URL=f"{fake.url}/v3/geocode/geo"):
        response = admin_client.get(URL, {"address": "南沙区广东医谷"})
    assert response.status_code == 200, response.content.decode()
    found = response.json()
    assert (found["lng"], found["lat"]) == pytest.approx((113.520105, 22.804217), abs=2e-6)
    assert found["approximate"] is False and found["address"] == "广东省广州市南沙区广东医谷"
    [(path, query)] = fake.queries
    assert path == "/v3/geocode/geo" and query["address"] == ["南沙区广东医谷"] and query["key"] == ["test-key"]
    assert query["city"] == ["广州"]


@pytest.mark.django_db
def test_an_amap_match_of_a_district_only_is_approximate(admin_client, fake):
    fake.answer = amap_answer("113.613,22.801", "区县")
    with override_settings(GEOCODER="amap", GEOCODER_KEY="k", GEOCODER_URL=fake.url):
        found = admin_client.get(URL, {"address": "南沙区某处"}).json()
    assert found["approximate"] is True and "only approximately (区县)" in found["message"]


@pytest.mark.django_db
def test_a_tianditu_door_address_is_taken_as_wgs84(admin_client, fake):
    fake.answer = tianditu_answer(113.6057, 22.7925, "门址", "广州市南沙区海滨路171号")
    with override_settings(GEOCODER="tianditu", GEOCODER_KEY="tk-test", GEOCODER_URL=f"{fake.url}/geocoder"):
        found = admin_client.get(URL, {"address": "广州市南沙区海滨路171号"}).json()
    assert (found["lng"], found["lat"], found["approximate"]) == (113.6057, 22.7925, False)
    [(path, query)] = fake.queries
    assert path == "/geocoder" and query["tk"] == ["tk-test"]
    assert query["ds"] == ['{"keyWord": "广州市南沙区海滨路171号"}']


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("answer", "http_status", "status", "says"),
    [
        (
            {"status": "0", "info": "INVALID_USER_KEY", "infocode": "10001"},
            200,
            502,
            "refused the request: INVALID_USER_KEY",
        ),
        ({"status": "1", "info": "OK", "count": "0", "geocodes": []}, 200, 404, "found no place"),
        (
            {"status": "1", "count": "1", "geocodes": [{"location": "", "level": "兴趣点"}]},
            200,
            502,
            "not two numbers",
        ),
        ({"error": "busy"}, 500, 502, "answered HTTP 500"),
    ],
)
def test_a_refusal_of_the_service_is_explained(admin_client, fake, answer, http_status, status, says):
    fake.answer, fake.status = answer, http_status
    with override_settings(GEOCODER="amap", GEOCODER_KEY="k", GEOCODER_URL=fake.url):
        response = admin_client.get(URL, {"address": "南沙"})
    assert response.status_code == status and says in response.json()["error"]


@pytest.mark.django_db
def test_without_a_key_or_a_network_the_reason_is_given(admin_client, fake):
    with override_settings(GEOCODER_KEY=""):
        response = admin_client.get(URL, {"address": "南沙"})
    assert response.status_code == 503 and "No geocoding service is configured" in response.json()["error"]
    fake.close()  # nothing listens there any more: as without a network
    with override_settings(GEOCODER="amap", GEOCODER_KEY="k", GEOCODER_URL=fake.url):
        response = admin_client.get(URL, {"address": "南沙"})
    assert response.status_code == 502 and "cannot be reached" in response.json()["error"]
    assert admin_client.get(URL, {"address": " "}).status_code == 400


@pytest.mark.django_db
def test_only_staff_may_ask(client, fake):
    fake.answer = amap_answer("113.5,22.8", "兴趣点")
    with override_settings(GEOCODER="amap", GEOCODER_KEY="k", GEOCODER_URL=fake.url):
        response = client.get(URL, {"address": "南沙"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"] and fake.queries == []
