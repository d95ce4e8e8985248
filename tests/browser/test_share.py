"""Sharing in Chromium (issue 21): the map's QR code and link, the map framed by an allowed site, the A4 brief."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from django.core.management import call_command

from ..conftest import keep_on_machine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_pages(pdf):
    """The page count of a PDF Chromium printed (its page tree's /Count)."""
    return max(int(n) for n in re.findall(rb"/Count (\d+)", pdf))


@pytest.fixture
def english(browser, live_server, transactional_db):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    context.set_extra_http_headers({"Accept-Language": "en"})
    page = keep_on_machine(context.new_page(), live_server.url)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def test_the_share_box_gives_the_link_and_qr_code_of_the_current_view(english, live_server, demo):
    page = english
    page.goto(f"{live_server.url}/?layers=parks,hospitals")
    page.wait_for_selector("#result-list li")
    page.click("#share-view summary")
    page.wait_for_function(
        "document.querySelector('#share-qr').complete && document.querySelector('#share-qr').naturalWidth > 0"
    )
    link = page.input_value("#share-link")
    assert link == page.url
    qr = page.get_attribute("#share-qr", "src")
    assert parse_qs(urlparse(qr).query)["path"][0] == link.removeprefix(live_server.url)
    assert "embed=1" in page.input_value("#share-embed")
    # The view moves: the link and the code follow it.
    page.click("input[name=layer][value=hospitals]")
    page.wait_for_function("!location.search.includes('hospitals')")
    assert page.input_value("#share-link") == page.url
    assert "hospitals" not in unquote(page.get_attribute("#share-qr", "src"))
    assert not page.errors


@pytest.fixture
def outside_site(live_server):
    """Another site (a real HTTP server on this machine, on its own port: another origin) whose page frames the
    embedded map; its origin is the value. Chromium refuses a local page inside a page it thinks public, so
    the framing page cannot be faked by routing."""
    frame = f'<iframe id="f" src="{live_server.url}/?embed=1&layers=parks" width="800" height="500"></iframe>'
    html = f"<!doctype html><title>host</title>{frame}"

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def frame_page(page, origin):
    page.route(f"{origin}/**", lambda route: route.continue_())  # the outside site is allowed to this page
    page.goto(f"{origin}/")


def test_an_allowed_site_frames_the_map_alone(english, live_server, demo, settings, outside_site):
    settings.EMBED_ALLOWED_ORIGINS = [outside_site]
    page = english
    frame_page(page, outside_site)
    frame = page.frame_locator("#f")
    frame.locator(".leaflet-container").wait_for()
    assert frame.locator(".topbar").count() == 0
    assert not frame.locator("#panel").is_visible()
    assert frame.locator("#embed-open").get_attribute("target") == "_blank"
    href = frame.locator("#embed-open").get_attribute("href")
    assert "embed" not in href and "layers=parks" in href
    assert not page.errors


def test_any_other_site_is_refused_the_frame(english, live_server, demo, settings, outside_site):
    settings.EMBED_ALLOWED_ORIGINS = ["https://www.gzns.gov.cn"]
    page = english
    frame_page(page, outside_site)
    page.wait_for_function("() => true")  # the frame's answer has come (refused or not)
    page.wait_for_timeout(1000)
    assert page.frame_locator("#f").locator(".leaflet-container").count() == 0
    assert any("frame-ancestors https://www.gzns.gov.cn" in v for v in page.csp_violations)
    page.csp_violations.clear()  # the refusal this test expects, not a fault of the site's pages


@pytest.mark.parametrize(
    "query",
    [
        "segments=car-t",
        "segments=car-t&use=gmp_production&area_min=300&area_max=3000&cleanroom=gmp_c&rent_max=100&ownership=private",
        "segments=gene-therapy&segments=medical-devices&fixed_asset_investment_wan=30000&ownership=foreign",
    ],
)
def test_the_printed_brief_fits_two_a4_pages_with_needs_date_link_and_qr(english, live_server, demo, query):
    call_command("generate_synthetic", enterprises=300, seed=5, verbosity=0)  # spaces to match, besides the article's
    page = english
    page.goto(f"{live_server.url}/match/?{query}")
    page.emulate_media(media="print")
    header = page.locator(".print-header")
    assert header.is_visible()
    assert "Printed on" in header.inner_text() and "/match/?" in header.inner_text()
    page.wait_for_function("document.querySelector('.print-header img').naturalWidth > 0")
    assert page.locator(".stated").is_visible()
    assert pdf_pages(page.pdf(format="A4")) <= 2
