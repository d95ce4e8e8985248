"""What a first visitor sees on /chain/, /dashboard/ and /match/ at desktop and phone widths (issue 21)."""

import re

import pytest

from industry.models import ChainSegment

from ..conftest import keep_on_machine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [(1440, 900), (390, 844)]

# Every box whose text spills: wider content than the box, or a part of it (the count) outside the box.
SPILLING = """(selector) => [...document.querySelectorAll(selector)].flatMap((box) => {
  const outer = box.getBoundingClientRect();
  const parts = [...box.querySelectorAll('*')].filter((e) => e.getClientRects().length);
  const outside = parts.filter((e) => {
    const r = e.getBoundingClientRect();
    return r.left < outer.left - 0.5 || r.right > outer.right + 0.5 || r.top < outer.top - 0.5
      || r.bottom > outer.bottom + 0.5;
  });
  return box.scrollWidth > box.clientWidth || outside.length
    ? [`${box.textContent.trim().replace(/\\s+/g, ' ')}: ${box.scrollWidth} > ${box.clientWidth} or `
       + `${outside.length} parts outside`] : [];
})"""


@pytest.fixture
def english_page(browser, live_server, transactional_db):  # the database outlives the page (see conftest.page)
    """A page asking for English, resized per test."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    context.set_extra_http_headers({"Accept-Language": "en"})
    page = keep_on_machine(context.new_page(), live_server.url)
    yield page
    context.close()


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_chain_labels_stay_inside_their_boxes_in_english(english_page, live_server, demo, width, height):
    # The longest English labels a segment may have: long words, and a name that fills the line to the count.
    downstream = ChainSegment.objects.filter(stage="downstream", parent=None).order_by("pk")
    first, second = downstream[0], downstream[1]
    first.name_en = "Health management, rehabilitation and elderly-care services"
    first.save()
    second.name_en = "Pharmacogenomicsimmunohistochemistrylaboratories"
    second.save()
    english_page.set_viewport_size({"width": width, "height": height})
    english_page.goto(f"{live_server.url}/chain/")
    assert "Pharmacogenomics" in english_page.locator(".chain").text_content()
    assert english_page.evaluate(SPILLING, ".node") == []
    assert english_page.evaluate("document.documentElement.scrollWidth") <= width


# The texts drawn in a chart's SVG (axis labels, value labels), as rectangles.
CHART_TEXTS = """(selector) => [...document.querySelectorAll(`${selector} svg text`)]
  .filter((t) => t.textContent.trim() && t.getAttribute('opacity') !== '0' && t.getBoundingClientRect().width > 0)
  .map((t) => {
    const r = t.getBoundingClientRect();
    return [t.textContent.trim(), r.left, r.top, r.right, r.bottom];
  })"""
COUNT_CHARTS = ["segment", "park", "founded", "support_kind", "clinical_stage"]
AXIS_CHARTS = [*COUNT_CHARTS, "space_park"]


def overlapping(rects):
    """Pairs of texts whose boxes cross by more than a pixel each way."""
    pairs = []
    for i, (a, *ra) in enumerate(rects):
        for b, *rb in rects[i + 1 :]:
            if min(ra[2], rb[2]) - max(ra[0], rb[0]) > 1 and min(ra[3], rb[3]) - max(ra[1], rb[1]) > 1:
                pairs.append((a, b))
    return pairs


@pytest.fixture
def many_parks(demo):
    """17 parks with large free spaces and a few enterprises each: a ranking longer than the chart's 15 rows."""
    from ..factories import enterprise, founded, park, space

    for n in range(17):
        host = park(f"排名园{n:02d}")
        space(host, use="office", area=9000 + 600 * n)
        enterprise(f"排名企业{n:02d}", park=host, founded_on=founded(2000 + n))


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_dashboard_count_axes_tick_at_whole_numbers_and_no_labels_overlap(
    english_page, live_server, many_parks, width, height
):
    english_page.set_viewport_size({"width": width, "height": height})
    english_page.goto(f"{live_server.url}/dashboard/")
    english_page.wait_for_selector("#chart-clinical_stage svg text")
    for key in COUNT_CHARTS:
        numbers = [t[0] for t in english_page.evaluate(CHART_TEXTS, f"#chart-{key}") if t[0][:1].isdigit()]
        assert numbers, key
        assert [n for n in numbers if not n.replace(",", "").isdigit()] == [], key  # no 0.5, 1.5 ticks
    for key in AXIS_CHARTS:
        assert overlapping(english_page.evaluate(CHART_TEXTS, f"#chart-{key}")) == [], key
    assert english_page.evaluate("document.documentElement.scrollWidth") <= width
    shown = re.search(r"top 15 of (\d+) parks", english_page.text_content("#note-park"))
    assert shown and int(shown.group(1)) > 15  # the article's, the public reports' and the sample parks


def test_match_shows_useful_policies_and_folds_the_rest(english_page, live_server, demo):
    english_page.set_viewport_size({"width": 390, "height": 844})
    english_page.goto(f"{live_server.url}/match/?segments=car-t&use=wet_lab&ownership=foreign")
    folded = english_page.locator("details.not-eligible")
    summary = folded.locator("summary").text_content()
    n = english_page.locator("details.not-eligible .policy-match").count()
    assert n >= 1 and summary.startswith(f"{n} ")
    assert not english_page.locator("details.not-eligible .policy-match").first.is_visible()
    folded.locator("summary").click()
    assert english_page.locator("details.not-eligible .policy-match").first.is_visible()
    assert english_page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize(("width", "height"), WIDTHS)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_park_page_fits_the_screen_and_its_favicon_loads(browser, live_server, demo, width, height, language):
    from decimal import Decimal

    from ..factories import park, space

    host = park("屏幕园", total_floor_area_m2=Decimal("323000.0"))
    space(host, use="wet_lab", area=Decimal("1470.0"), building="E栋", floor="4F", rent_yuan_m2_month=Decimal("80"))
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_extra_http_headers({"Accept-Language": language})
    page = keep_on_machine(context.new_page(), live_server.url)
    try:
        page.goto(f"{live_server.url}/parks/{host.pk}/")
        assert "323,000" in page.text_content(".facts")
        assert page.locator(".free-spaces td").first.is_visible()
        assert page.evaluate(SPILLING, ".free-spaces tbody tr") == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        icon = page.get_attribute('link[rel="icon"]', "href")
        assert page.request.get(f"{live_server.url}{icon}").status == 200
        assert page.request.get(f"{live_server.url}/favicon.ico").status == 200
    finally:
        context.close()
