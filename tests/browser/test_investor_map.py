"""An investor uses the map in Debian's Chromium: filters, search, cards, sharing, export, language."""

import csv
import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command

from industry.models import Enterprise, Hospital
from parks.models import Park

from ..conftest import keep_on_machine
from ..factories import enterprise, hospital, park

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TILE_HOSTS = {
    "tile.openstreetmap.org",
    "webrd01.is.autonavi.com",
    "webrd02.is.autonavi.com",
    "webrd03.is.autonavi.com",
    "webrd04.is.autonavi.com",
}
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def investor(page, live_server, demo):
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def open_map(page, live_server, query=""):
    page.goto(f"{live_server.url}/{query}")
    page.wait_for_selector("#result-list li")
    return page


def total(page):
    return int(page.text_content("#result-total").split()[0])


def listed(page):
    return page.locator("#result-list li button > span:not(.meta)").all_text_contents()


def query_of(page):
    return parse_qs(urlparse(page.url).query)


def test_the_map_shows_the_demo_data_with_markers_clusters_and_counts(investor, live_server):
    call_command("generate_synthetic", enterprises=400, seed=3, verbosity=0)
    page = open_map(investor, live_server)
    assert page.locator(".kind-hospitals").count() == 2
    assert page.locator(".cluster-enterprises").count() > 0
    assert page.text_content('[data-total="parks"]') == str(Park.objects.published().count())  # the demo's and 10
    assert int(page.text_content('[data-facet="segment"][data-value="cell-therapy"]')) > 0
    assert not investor.errors
    assert {urlparse(u).hostname for u in page.outside_requests} <= TILE_HOSTS


def test_a_segment_filter_narrows_list_and_markers_and_is_kept_in_the_url(investor, live_server):
    enterprise("CAR-T公司", segments=["car-t"], lat=22.79, lng=113.55)
    page = open_map(investor, live_server, "?layers=enterprises,parks,platforms")
    before = total(page)
    markers_before = page.locator("path.leaflet-interactive, .kind-marker").count()
    page.check('input[name="segment"][value="car-t"]')
    page.wait_for_function("document.querySelector('#result-total').textContent.startsWith('1 ')")
    assert total(page) < before
    assert query_of(page)["segment"] == ["car-t"]
    assert listed(page) == ["CAR-T公司"]  # parks and platforms serving other segments drop out too
    assert page.locator("path.leaflet-interactive, .kind-marker").count() < markers_before

    page.reload()
    page.wait_for_selector("#result-list li")
    assert page.is_checked('input[name="segment"][value="car-t"]') and listed(page) == ["CAR-T公司"]

    shared = page.url  # a copied link opens the same view
    other = keep_on_machine(page.context.new_page(), live_server.url)
    other.goto(shared)
    other.wait_for_selector("#result-list li")
    assert other.is_checked('input[name="segment"][value="car-t"]')
    assert other.locator("#result-list li").count() == 1
    assert query_of(other)["map"] == query_of(page)["map"]

    page.go_back()  # the back button steps back to before the filter
    page.wait_for_function("!document.querySelector('input[name=segment][value=car-t]').checked")
    page.wait_for_function(f"document.querySelector('#result-total').textContent.startsWith('{before} ')")


def test_search_finds_an_enterprise_by_pinyin_initials(investor, live_server):
    page = open_map(investor, live_server)
    page.fill("#q", "lnjy")
    page.wait_for_function("document.querySelectorAll('#result-list li').length === 1")
    assert listed(page) == ["霖南基因科技(广东)有限公司"]
    assert query_of(page)["q"] == ["lnjy"]


def test_a_card_opens_from_the_list_and_from_a_marker(investor, live_server):
    page = open_map(investor, live_server, "?layers=hospitals")
    page.click("#result-list li:first-child button")
    page.wait_for_selector("#card:not([hidden]) .record-card")
    first = page.text_content("#card .record-name")
    assert first in listed(page)
    assert query_of(page)["open"][0].startswith("hospitals:")

    page.click(".card-close")
    assert page.is_hidden("#card")
    marker = page.locator(".kind-hospitals").last
    marker.click()
    page.wait_for_selector("#card:not([hidden]) .record-card")
    name = page.text_content("#card .record-name")
    current = page.locator("#result-list [aria-current]")
    assert current.count() == 1 and name in current.text_content()


def test_an_open_record_in_the_link_opens_its_card(investor, live_server):
    hospital = Hospital.objects.get(name_zh="中山大学附属第一(南沙)医院")
    page = open_map(investor, live_server, f"?open=hospitals:{hospital.pk}")
    page.wait_for_selector("#card:not([hidden]) .record-card")
    assert "中山大学附属第一(南沙)医院" in page.text_content("#card")


def test_export_returns_exactly_the_rows_on_screen(investor, live_server):
    for i in range(3):
        enterprise(f"干细胞{i}", segments=["stem-cell"])
    page = open_map(investor, live_server, "?segment=stem-cell&layers=enterprises")
    href = page.get_attribute("#export-csv", "href")
    response = page.request.get(f"{live_server.url}{href}")
    rows = list(csv.DictReader(io.StringIO(response.body().decode("utf-8-sig"))))
    assert [r["名称(中文)"] for r in rows] == listed(page)  # headers in the page's language
    assert len(rows) == total(page) == 3


def test_an_excel_export_over_the_limit_says_why_and_offers_csv(investor, live_server, settings):
    settings.MAP_XLSX_MAX_ROWS = 2
    page = open_map(investor, live_server, "?layers=hospitals,parks")
    page.click("#export-xlsx")
    page.wait_for_selector("#export-as-csv")
    assert "Excel" in page.text_content("h1")
    with page.expect_download() as download:
        page.click("#export-as-csv")
    assert download.value.suggested_filename.endswith(".csv")


def test_the_language_switch_shows_english(investor, live_server):
    page = open_map(investor, live_server, "?layers=parks")
    page.click("button[name=language][value=en]")
    page.wait_for_selector("#result-list li")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Layers" in page.text_content(".layers legend")
    assert "Guangdong Medical Valley" in listed(page)
    assert query_of(page)["layers"] == ["parks"]  # the view survives the switch


def test_a_name_with_markup_is_shown_as_text(investor, live_server):
    enterprise(XSS, segments=["car-t"])
    page = open_map(investor, live_server, "?q=img")
    assert listed(page) == [XSS]
    page.click("#result-list li:first-child button")
    page.wait_for_selector("#card:not([hidden]) .record-card")
    assert page.text_content("#card .record-name") == XSS
    page.hover("#map")
    assert not investor.dialogs and page.locator("img[src=x]").count() == 0


def test_bad_state_in_the_link_shows_the_map_with_a_note(investor, live_server):
    page = open_map(investor, live_server, "?segment=nonsense&founded_from=2020&founded_to=1990&page=999&map=x")
    notes = page.text_content("#notes")
    assert "nonsense" in notes and "2020" in notes
    assert "segment" not in query_of(page)  # what was ignored leaves the URL
    assert page.locator("#result-list li").count() > 0


def test_only_what_is_in_view(investor, live_server):
    enterprise("深圳企业", segments=["car-t"], lat=22.54, lng=114.06)
    page = open_map(investor, live_server, "?layers=enterprises&map=13/22.80/113.53")
    enterprise_count = total(page)
    page.check("#inview")
    page.wait_for_function(f"!document.querySelector('#result-total').textContent.startsWith('{enterprise_count} ')")
    assert "深圳企业" not in listed(page)
    assert "bbox=" in page.get_attribute("#export-csv", "href")


def test_the_chinese_base_map_keeps_the_view_in_wgs84(investor, live_server):
    page = open_map(investor, live_server, "?map=13/22.80000/113.53000")
    page.check('input[name="base"][value="gaode"]')
    page.wait_for_function("location.search.includes('base=gaode')")
    zoom, lat, lng = query_of(page)["map"][0].split("/")
    assert zoom == "13" and (float(lat), float(lng)) == pytest.approx((22.8, 113.53), abs=3e-4)  # within ~30 m
    # Markers are shifted onto GCJ-02: the same hospital sits elsewhere on screen than on OpenStreetMap.
    assert page.locator(".kind-hospitals").count() == 2


def test_the_map_is_usable_on_a_phone(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = keep_on_machine(context.new_page(), live_server.url)
    page.goto(live_server.url)
    assert page.is_hidden("#panel") or not page.locator("#panel").is_visible()
    page.click(".panel-toggle")
    page.wait_for_selector("#result-list li")
    assert page.locator("#panel").is_visible()
    page.click("#result-list li:first-child button")
    page.wait_for_selector("#card:not([hidden]) .record-card")
    page.wait_for_timeout(300)  # the panel slides away
    assert not page.locator("#panel").is_visible()  # the card is not hidden under the panel
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()


def test_a_clustered_layer_listed_whole_does_not_say_it_is_cut(investor, live_server, settings):
    settings.MAP_CLUSTER_THRESHOLD = 20  # clustered by the server, but each of the 60 in view is in the list
    call_command("generate_synthetic", enterprises=60, seed=5, verbosity=0)
    page = open_map(investor, live_server, "?layers=enterprises")
    page.wait_for_selector(".server-cluster")
    page.wait_for_function("document.querySelector('#result-total').textContent.trim() !== ''")
    assert page.locator("#result-list li").count() > 0
    assert not page.is_visible("#partial-list")


def test_park_names_sit_under_their_markers_not_on_them(investor, live_server):
    square = [[113.50, 22.80], [113.52, 22.80], [113.52, 22.82], [113.50, 22.82], [113.50, 22.80]]
    park("轮廓园", name_en="Outline Park", lat=22.81, lng=113.51, outline={"type": "Polygon", "coordinates": [square]})
    page = open_map(investor, live_server, "?layers=parks&map=14/22.81/113.51")
    label = page.locator(".park-label").bounding_box()
    marker = page.locator('#map .kind-parks[title="轮廓园"]').bounding_box()
    assert label["y"] >= marker["y"] + marker["height"] - 1  # below the marker, not over it
    assert page.evaluate("getComputedStyle(document.querySelector('.park-label')).pointerEvents") == "none"


def test_an_enterprise_row_says_what_it_is_where_and_its_honours(investor, live_server):
    home = park("行列园", name_en="Row Park")
    enterprise("行列生物", name_en="Row Bio", segments=["car-t"], honours=["high-tech", "tech-sme"], park=home)
    enterprise("无园企业", name_en="Parkless Co", segments=[], lat=None, lng=None)
    page = open_map(investor, live_server, "?layers=enterprises&q=行列生物")
    page.wait_for_function("document.querySelectorAll('#result-list li').length === 1")
    assert page.text_content("#result-list li .meta") == "CAR-T细胞治疗 · 行列园 · 2 项荣誉"
    page = open_map(investor, live_server, "?layers=enterprises&q=无园企业")
    page.wait_for_function("document.querySelectorAll('#result-list li').length === 1")
    assert page.text_content("#result-list li .meta") == "企业 · 位置未知"


def test_a_lone_record_among_server_clusters_is_its_marker_and_opens(investor, live_server, settings):
    settings.MAP_CLUSTER_THRESHOLD = 3  # hospitals come as server clusters
    Hospital.objects.all().delete()
    for i in range(4):
        hospital(f"群医院{i}", lat=22.80 + i * 0.0001, lng=113.53)
    hospital("独处医院", lat=22.86, lng=113.60)
    page = open_map(investor, live_server, "?layers=hospitals&map=12/22.83/113.56")
    page.wait_for_selector(".server-cluster")
    assert page.locator(".server-cluster").count() == 1  # the four together; the lone one is no "1"
    page.locator('.kind-hospitals[title="独处医院"]').click()
    page.wait_for_selector("#card:not([hidden]) .record-card")
    assert page.text_content("#card .record-name") == "独处医院"


def test_the_list_works_by_keyboard(investor, live_server):
    page = open_map(investor, live_server, "?layers=hospitals")
    page.focus("#result-list li:first-child button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#card:not([hidden]) .record-card")
    assert Enterprise.objects.count() >= 1


def test_park_outlines_are_drawn_with_their_names_on_the_map_and_the_park_page(investor, live_server):
    square = [[113.50, 22.80], [113.52, 22.80], [113.52, 22.82], [113.50, 22.82], [113.50, 22.80]]
    outlined = park("轮廓园", name_en="Outline Park", outline={"type": "Polygon", "coordinates": [square]})
    page = open_map(investor, live_server, "?layers=parks&map=13/22.81/113.51")
    assert page.text_content(".park-label") == "轮廓园"
    assert page.locator("#map path.leaflet-interactive").count() == 1
    page.goto(f"{live_server.url}/parks/{outlined.pk}/")
    page.wait_for_selector("#detail-map path.leaflet-interactive")
    assert page.locator("#detail-map .kind-parks").count() == 1


def test_a_large_layer_is_clustered_by_the_server_and_the_list_says_so(investor, live_server, settings):
    settings.MAP_CLUSTER_THRESHOLD = 20
    settings.MAP_LIST_LIMIT = 25  # fewer rows listed than the 60 in view: the list says it is cut
    call_command("generate_synthetic", enterprises=60, seed=5, verbosity=0)
    page = open_map(investor, live_server, "?layers=enterprises")
    page.wait_for_selector(".server-cluster")
    assert page.is_visible("#partial-list")
    counts = sum(int(t) for t in page.locator(".server-cluster span").all_text_contents())
    assert 0 < counts <= 60 and page.locator("#result-list li").count() > 0
    before = page.locator(".server-cluster").count()
    page.locator(".server-cluster").first.click()  # zooms in; the server counts the new view
    page.wait_for_function(f"document.querySelectorAll('.server-cluster').length !== {before}")


def test_a_search_that_finds_nothing_says_so_and_what_to_try(investor, live_server):
    page = open_map(investor, live_server, "?q=没有这种企业zzz")
    page.wait_for_selector("#result-list .empty-note")
    assert "没有找到“没有这种企业zzz”" in page.text_content("#result-list .empty-note")
    assert total(page) == 0
