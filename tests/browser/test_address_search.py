"""Staff type an address and press "find": the point is placed from the geocoding service (a local stand-in
over real HTTP), flagged approximate when the service says so; without a key the button says why (issue 19)."""

import pytest
from django.utils import translation

from ..geocoder_server import FakeGeocoder, amap_answer
from .test_admin_maps import only_tiles_left_the_machine, staff_page  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def geocoder(settings):
    server = FakeGeocoder()
    settings.GEOCODER, settings.GEOCODER_KEY, settings.GEOCODER_URL = "amap", "test-key", server.url
    yield server
    server.close()


def find(page, live_server, address, *, approximate_before=None):
    page.goto(f"{live_server.url}/admin/industry/enterprise/add/")
    page.wait_for_selector("#id_position_map.leaflet-container")
    if approximate_before is not None:
        page.set_checked("#id_position_is_approximate", approximate_before)
    page.fill("#id_address_zh", address)
    page.click("[data-geocode-for=id_position_map]")
    page.wait_for_function("document.querySelector('.nansha-geocode-status').textContent.length > 1")
    return page.inner_text(".nansha-geocode-status")


def test_finding_an_address_places_the_point_in_wgs84(staff_page, live_server, geocoder):  # noqa: F811
    geocoder.answer = amap_answer("113.525321,22.801345", "兴趣点", "广东省广州市南沙区广东医谷")
    page = staff_page
    status = find(page, live_server, "南沙区广东医谷", approximate_before=True)
    assert "广东医谷" in status
    assert (float(page.input_value("#id_lat")), float(page.input_value("#id_lng"))) == (22.804217, 113.520105)
    assert page.locator("#id_position_map .leaflet-marker-icon").count() == 1
    assert not page.is_checked("#id_position_is_approximate")  # a point of interest: exact
    assert geocoder.queries[0][1]["address"] == ["南沙区广东医谷"]
    assert only_tiles_left_the_machine(page)


def test_a_coarse_match_is_flagged_approximate(staff_page, live_server, geocoder):  # noqa: F811
    geocoder.answer = amap_answer("113.613,22.801", "区县")
    page = staff_page
    status = find(page, live_server, "南沙区", approximate_before=False)
    assert "区县" in status and page.is_checked("#id_position_is_approximate")


def test_without_a_key_the_button_says_why_and_nothing_changes(staff_page, live_server, settings):  # noqa: F811
    settings.GEOCODER_KEY = ""
    page = staff_page
    status = find(page, live_server, "南沙区广东医谷")
    with translation.override("zh-hans"):  # the reason, in the page's language (the browser asks for Chinese)
        assert status == translation.gettext(
            "No geocoding service is configured (set GEOCODER_KEY): type the latitude and longitude instead."
        )
    assert "GEOCODER_KEY" in status and "No geocoding" not in status
    assert page.input_value("#id_lat") == "" and page.input_value("#id_lng") == ""
    assert page.locator("#id_position_map .leaflet-marker-icon").count() == 0
