"""A new user's phone (390x844) and desktop (1440x900) (issue 21): the map page does not scroll into the folded
panel's empty space, admin pages are no wider than the screen, and no /dashboard/ chart label is cut."""

import os
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from industry.models import ChainSegment

from ..conftest import keep_on_machine
from .test_page_polish import overlapping

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
LOCALES = {"zh-hans": "zh-CN", "zh-hant": "zh-TW", "en": "en-US"}
PASSWORD = "a-long-test-password"
# Screenshots to look at, written only when SCREENSHOT_DIR names a folder; nothing reads them back.
SHOTS = Path(os.environ["SCREENSHOT_DIR"]) if os.environ.get("SCREENSHOT_DIR") else None


def open_page(browser, live_server, viewport, language):
    context = browser.new_context(viewport=viewport, locale=LOCALES[language])
    context.set_extra_http_headers({"Accept-Language": language})
    return context, keep_on_machine(context.new_page(), live_server.url)


def shoot(page, name):
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("language", LOCALES)
def test_the_map_on_a_phone_does_not_scroll_into_the_folded_panel(browser, live_server, demo, language):
    context, page = open_page(browser, live_server, PHONE, language)
    page.goto(live_server.url)
    page.wait_for_selector("#result-list li", state="attached")
    assert not page.locator("#panel").is_visible()
    assert page.evaluate("document.documentElement.scrollHeight") <= PHONE["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, f"map-390-{language}")
    page.click(".panel-toggle")
    page.wait_for_timeout(300)  # the panel slides up
    assert page.locator("#panel").is_visible()
    box = page.locator("#panel").bounding_box()
    assert box["height"] > 200 and box["y"] + box["height"] <= PHONE["height"] + 1
    assert page.evaluate("document.documentElement.scrollHeight") <= PHONE["height"]
    shoot(page, f"map-390-{language}-panel")
    context.close()


def admin_urls():
    """The index, and each registered model's changelist, add form and the change form of its first record."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{name}_changelist"))
        if first := model._default_manager.order_by("pk").first():
            urls.append(reverse(f"{name}_change", args=[first.pk]))
        urls.append(reverse(f"{name}_add"))  # a model without one answers 403, which must fit too
    return urls


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_admin_page_is_wider_than_a_phone(browser, live_server, demo, language):
    get_user_model().objects.create_superuser("staff", "staff@example.org", PASSWORD)
    context, page = open_page(browser, live_server, PHONE, language)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    shoot(page, f"admin-index-390-{language}")
    too_wide = {}
    for url in admin_urls():
        page.goto(f"{live_server.url}{url}")
        if (width := page.evaluate("document.documentElement.scrollWidth")) > PHONE["width"]:
            too_wide[url] = width
    assert too_wide == {}
    context.close()


# Every text drawn in each chart's SVG: its text and whether its box leaves the chart's box.
CHART_TEXTS = """() => Object.fromEntries([...document.querySelectorAll('.chart:not([hidden])')].map((chart) => {
  const outer = chart.getBoundingClientRect();
  const texts = [...chart.querySelectorAll('svg text')]
    .filter((t) => t.textContent.trim() && t.getAttribute('opacity') !== '0' && t.getBoundingClientRect().width > 0)
    .map((t) => {
      const r = t.getBoundingClientRect();
      const outside = r.left < outer.left - 1 || r.right > outer.right + 1 || r.top < outer.top - 1
        || r.bottom > outer.bottom + 1;
      return [t.textContent.trim(), r.left, r.top, r.right, r.bottom, outside];
    });
  return [chart.id.replace('chart-', ''), texts];
}))"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_no_dashboard_chart_label_is_cut_on_a_phone(browser, live_server, demo, language):
    longest = ChainSegment.objects.filter(parent=None).order_by("pk").first()
    longest.name_en = "Pharmacogenomicsimmunohistochemistrylaboratories and elderly-care services"
    longest.save()
    context, page = open_page(browser, live_server, PHONE, language)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#chart-policy_level svg text")
    figures = {f["key"]: f for f in page.evaluate("JSON.parse(document.getElementById('dashboard-data').textContent)")}
    charts = page.evaluate(CHART_TEXTS)
    assert {"segment", "policy_level"} <= set(charts)
    for key, texts in charts.items():
        assert [t[0] for t in texts if t[5]] == [], key  # nothing drawn outside the chart's box
        assert [t[0] for t in texts if "…" in t[0] or "..." in t[0]] == [], key  # nothing truncated
        drawn = "".join(t[0] for t in texts).replace(" ", "")
        shown = figures[key]["bars"][: figures[key]["shown"] or None]
        assert [b["label"] for b in shown if b["label"].replace(" ", "") not in drawn] == [], key
        assert overlapping([t[:5] for t in texts]) == [], key
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, f"dashboard-390-{language}")
    page.set_viewport_size(DESKTOP)
    page.wait_for_timeout(500)
    shoot(page, f"dashboard-1440-{language}")
    context.close()


# The search box's hint, measured in its own font, against the room inside the box.
PLACEHOLDER_FITS = """() => {
  const input = document.querySelector('#q'); const s = getComputedStyle(input);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${s.fontSize} ${s.fontFamily}`;
  const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
  return [Math.ceil(context.measureText(input.placeholder).width), room];
}"""


@pytest.mark.parametrize("language", LOCALES)
def test_the_header_on_a_phone_leaves_the_screen_to_the_page(browser, live_server, demo, language):
    """At most a sixth of a 390x844 screen (it took a quarter in English), and the search hint is not cut."""
    context, page = open_page(browser, live_server, PHONE, language)
    try:
        for path in ["/", "/dashboard/", "/chain/", "/match/"]:
            page.goto(f"{live_server.url}{path}")
            height = page.evaluate("document.querySelector('.topbar').getBoundingClientRect().height")
            assert height <= PHONE["height"] / 6, f"{path}: header {height:.0f} px"
            if path == "/":
                hint, room = page.evaluate(PLACEHOLDER_FITS)
                assert hint <= room, f"the search hint needs {hint} px, the box has {room}"
    finally:
        context.close()
