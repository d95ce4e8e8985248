"""Every page works under the real Content-Security-Policy header, in Debian's Chromium with tiles refused.

The `page` fixture (tests/conftest.py) fails any test during which the browser reported a violation, so each
test here only has to show that its page does its job.
"""

from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model

from industry.models import Enterprise, Hospital
from parks.models import Park

from ..factories import enterprise
from ..job_worker import work_off

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def visit(page, url):
    """Open `url` and check that it came with a policy that allows no inline or eval'd script."""
    response = page.goto(url)
    assert response.ok, url
    header = response.headers.get("content-security-policy")
    assert header, f"no Content-Security-Policy on {url}"
    script_src = next(part for part in header.split(";") if part.split()[0] == "script-src").split()
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, header
    return response


def tile_hosts_asked(page):
    """The tile servers the page asked (and the test refused): the policy let those requests out."""
    return {urlparse(url).hostname for url in page.outside_requests}


@pytest.fixture
def staff_page(page, live_server, demo):
    get_user_model().objects.create_superuser("staff", "staff@example.org", PASSWORD)
    visit(page, f"{live_server.url}/admin/login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return page


def test_the_policy_refuses_an_injected_inline_script_and_the_test_notices(page, live_server, demo):
    visit(page, f"{live_server.url}/chain/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
          document.body.setAttribute("onclick", "window.clicked = true");
        }"""
    )
    page.click("h1")
    page.wait_for_function("true")  # let the console messages arrive
    assert page.evaluate("[window.injected, window.clicked]") == [None, None]
    assert any("script-src" in violation for violation in page.csp_violations)
    page.csp_violations.clear()  # expected here; any other test with a violation fails


def test_the_map_draws_markers_filters_and_opens_cards(page, live_server, demo):
    enterprise("CAR-T公司", segments=["car-t"], lat=22.79, lng=113.55)
    visit(page, f"{live_server.url}/?layers=enterprises,hospitals")
    page.wait_for_selector("#result-list li")
    assert page.locator(".kind-hospitals").count() == 2  # markers drawn
    before = page.text_content("#result-total")

    page.check('input[name="segment"][value="car-t"]')  # a filter click updates the list
    page.wait_for_function(f"document.querySelector('#result-total').textContent !== {before!r}")
    assert page.locator("#result-list li").all_text_contents()[0].startswith("CAR-T公司")

    page.click("#result-list li:first-child button")  # a card, fetched and inserted by the map's script
    page.wait_for_selector("#card:not([hidden]) .record-card")

    page.check('input[name="base"][value="gaode"]')  # the other base map's tiles are allowed too
    page.wait_for_function("document.querySelectorAll('.leaflet-tile').length > 0")
    page.wait_for_timeout(300)
    assert "tile.openstreetmap.org" in tile_hosts_asked(page)
    assert any(host.endswith(".is.autonavi.com") for host in tile_hosts_asked(page))


def test_the_chain_leads_to_the_map(page, live_server, demo):
    visit(page, f"{live_server.url}/chain/")
    assert page.locator(".chain .stage").count() == 3
    counts = page.eval_on_selector_all(
        ".chain a.node", "nodes => nodes.map(n => [n.dataset.segment, n.querySelector('.n').firstChild.textContent])"
    )
    code = next(code for code, count in counts if int(count) > 0)
    page.click(f'.chain a.node[data-segment="{code}"]')
    page.wait_for_selector("#result-list li")
    assert page.is_checked(f'input[name="segment"][value="{code}"]')


def test_the_dashboard_draws_its_charts(page, live_server, demo):
    visit(page, f"{live_server.url}/dashboard/")
    page.wait_for_selector(".chart svg path", state="attached")
    assert page.locator(".chart svg").count() == page.locator(".chart:not([hidden])").count() > 0


def test_matching_answers_and_prints(page, live_server, demo):
    visit(page, f"{live_server.url}/match/")
    page.check('input[name="segments"][value="car-t"]')
    page.select_option("#id_use", "office")
    page.click("button.primary")
    page.wait_for_selector(".brief")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.click("[data-print]")  # a listener added by print.js, not an onclick attribute
    assert page.evaluate("window.printed") is True


def test_a_record_page_shows_its_map(page, live_server, demo):
    hospital = Hospital.objects.get(name_zh="中山大学附属第一(南沙)医院")
    visit(page, f"{live_server.url}/hospitals/{hospital.pk}/")
    page.wait_for_selector("#detail-map .leaflet-marker-icon, #detail-map path.leaflet-interactive")
    park = Park.objects.filter(status="published").exclude(lat=None).first()
    visit(page, f"{live_server.url}/parks/{park.pk}/")
    page.wait_for_selector("#detail-map .leaflet-marker-icon, #detail-map path.leaflet-interactive")


def test_admin_changelist_and_map_widgets(staff_page, live_server):
    page = staff_page
    visit(page, f"{live_server.url}/admin/industry/enterprise/")
    page.check("#action-toggle")  # the admin's own scripts select every row
    assert page.locator("tr.selected").count() == page.locator("input.action-select").count() > 0

    visit(page, f"{live_server.url}/admin/industry/enterprise/add/")
    page.wait_for_selector("#id_position_map.leaflet-container")
    page.locator("#id_position_map").scroll_into_view_if_needed()
    box = page.locator("#id_position_map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    lat, lng = float(page.input_value("#id_lat")), float(page.input_value("#id_lng"))
    assert 22.5 < lat < 23.1 and 113.2 < lng < 113.9

    park = Park.objects.get(name_zh="横沥生物医药产业园")
    visit(page, f"{live_server.url}/admin/parks/park/{park.pk}/change/")
    page.wait_for_selector("#id_outline_map .leaflet-draw-draw-polygon")


def test_admin_history_pages(staff_page, live_server):
    page = staff_page
    record = Enterprise.objects.first()
    visit(page, f"{live_server.url}/admin/industry/enterprise/{record.pk}/change/")
    page.fill("#id_name_en", "Renamed for the history test")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    visit(page, f"{live_server.url}/admin/industry/enterprise/{record.pk}/history/")
    assert "Renamed for the history test" in page.text_content("#change-history")  # django-simple-history's list
    page.click("#change-history a[href*='/history/'] >> nth=-1")  # the earlier state, as a form to revert to
    page.wait_for_selector("#id_position_map.leaflet-container")
    assert page.input_value("#id_name_en") != "Renamed for the history test"


def test_admin_import_preview_and_export_pages(staff_page, live_server, tmp_path):
    page = staff_page
    visit(page, f"{live_server.url}/admin/industry/enterprise/import/")
    sheet = tmp_path / "enterprises.csv"
    sheet.write_text("name_zh,source,lat,lng\n导入测试企业,browser test,22.8,113.53\n", encoding="utf-8")
    page.set_input_files("input[type=file]", str(sheet))
    assert page.locator("select.guess_format option:checked").text_content().strip().lower() == "csv"  # its script
    page.click("input[type=submit]")
    page.wait_for_selector(".job-page")  # the job's page (progress polled by its script) while the worker checks
    work_off()  # the real worker (django-tasks-db's loop), in the test's process and database
    page.wait_for_selector(".job-problems, input[name=confirm]")  # reloaded by its script when the job is done

    visit(page, f"{live_server.url}/admin/industry/enterprise/")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "export_admin_action")
    page.click("button[name=index]")
    page.wait_for_selector("input.select-toggle")  # "Select all" fields: an inline onchange handler as shipped
    page.uncheck("input.select-toggle")
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]:visible')
    assert fields.count() > 0 and not any(fields.nth(i).is_checked() for i in range(fields.count()))


def test_swagger_ui_lists_the_operations(page, live_server):
    visit(page, f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() > 10
    page.click(".opblock-summary >> nth=0")
    page.wait_for_selector(".try-out__btn")


def test_redoc_renders_and_searches(page, live_server):
    visit(page, f"{live_server.url}/api/redoc/")
    page.wait_for_selector(".api-info h1")
    page.fill("input.search-input", "enterprise")  # the search index lives in a worker (worker-src blob:)
    page.wait_for_selector('[data-role="search:results"] [role=menuitem]')
    # Redoc always asks cdn.redoc.ly for its logo. The policy refuses it, as it should (nothing is fetched
    # from other hosts), and Redoc then hides the image: that refusal is the one violation allowed here.
    logo = [violation for violation in page.csp_violations if "https://cdn.redoc.ly/" in violation]
    assert logo and all("img-src" in violation for violation in logo)
    page.csp_violations[:] = [violation for violation in page.csp_violations if violation not in logo]


def test_the_browsable_api_runs_its_scripts(page, live_server, demo):
    visit(page, f"{live_server.url}/api/v1/enterprises/")
    page.wait_for_selector("pre.prettyprint span.pln", state="attached")  # prettify.js coloured the response
    page.click(".format-selection .dropdown-toggle, .btn-group .dropdown-toggle >> nth=0")
    page.wait_for_selector(".dropdown-menu", state="visible")  # Bootstrap's script


def test_the_lockout_page_shows_under_the_policy(page, live_server, demo):
    get_user_model().objects.create_superuser("staff", "staff@example.org", PASSWORD)
    visit(page, f"{live_server.url}/admin/login/")
    for _ in range(5):
        page.fill("#id_username", "staff")
        page.fill("#id_password", "wrong password")
        with page.expect_navigation() as navigation:
            page.click("input[type=submit]")
    assert navigation.value.status == 429
    assert "Sign-in temporarily locked" in page.text_content("h1")


def test_the_ogc_items_page_draws_its_features(page, live_server):
    outline = {"type": "Polygon", "coordinates": [[[113.5, 22.7], [113.52, 22.7], [113.52, 22.72], [113.5, 22.7]]]}
    Park.objects.create(
        name_zh="有轮廓园",
        source="测试",
        status="published",
        kind="industrial_park",
        lat=22.71,
        lng=113.51,
        outline=outline,
    )
    visit(page, f"{live_server.url}/ogc/collections/parks/items?f=html")
    page.wait_for_selector("#ogc-map path.leaflet-interactive")
    assert "有轮廓园" in page.inner_text("table")
    # on a phone the feature table scrolls in its own box: the page itself is never wider than the screen
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, f"{live_server.url}/ogc/collections/parks/items?f=html")
    page.wait_for_selector("#ogc-map path.leaflet-interactive")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 395)"
        ".slice(0, 8).map(e => e.tagName + '.' + e.className)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
