"""Suggestions in the header search box, used with the keyboard as a screen-reader user would, and a search on
the map that shows what it found, in Chromium."""

from urllib.parse import parse_qs, urlparse

import pytest

from industry.models import ResearchInstitution

from ..factories import enterprise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_a_short_name_suggests_the_record_and_enter_opens_it_on_the_map(page, live_server, demo):
    page.goto(f"{live_server.url}/dashboard/")
    box = page.locator("#site-q")
    box.fill("港科大")
    page.wait_for_selector("#site-q-list [role=option]")
    assert box.get_attribute("aria-expanded") == "true"
    assert page.locator("#site-q-list [role=group] .suggestion-kind").first.inner_text()
    assert page.locator("[data-suggest-status]").inner_text().startswith("1")
    box.press("ArrowDown")
    option = page.locator("#site-q-list [role=option]").first
    assert option.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    pk = ResearchInstitution.objects.get(name_zh="香港科技大学(广州)").pk
    page.wait_for_url(f"**/?layers=institutions&open=institutions%3A{pk}")
    box = page.locator("#q")  # the map's own search box has the same suggestions
    box.fill("华工")
    page.wait_for_selector("#q-list [role=option]")
    box.press("Escape")
    assert page.locator("#q-list").is_hidden()


def test_a_search_on_the_map_fits_the_map_to_what_it_finds(page, live_server, demo):
    enterprise("远处的示例公司", lat=22.95, lng=113.35)
    page.goto(f"{live_server.url}/?map=11/22.75000/113.55000")
    page.wait_for_selector("#result-list li")
    page.fill("#q", "远处的示例公司")
    page.wait_for_function("(new URLSearchParams(location.search).get('map') || '').startsWith('15/')")
    zoom, lat, lng = (float(part) for part in parse_qs(urlparse(page.url).query)["map"][0].split("/"))
    assert abs(lat - 22.95) < 0.001 and abs(lng - 113.35) < 0.001
    assert page.locator("#result-list li").count() == 1
