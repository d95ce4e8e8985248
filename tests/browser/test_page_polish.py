"""What a first visitor sees on /chain/, /dashboard/ and /match/ at desktop and phone widths (issue 21)."""

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
def english_page(browser, live_server):
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
