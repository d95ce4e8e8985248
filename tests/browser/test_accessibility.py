"""Every public page passes axe-core (vendored: tests/vendor/axe-core) without a serious or critical violation.

axe-core is the accessibility engine of Deque (WCAG 2.x rules: names of controls, labels, contrast, landmarks,
ARIA use...). It runs inside each page in Chromium, at desktop and phone widths, in the three languages.
"""

from pathlib import Path

import pytest

from industry.models import Enterprise, Fund, Hospital, ResearchInstitution, ServicePlatform
from parks.models import Park
from policies.models import Policy

from ..conftest import keep_on_machine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js").read_text()
SERIOUS = {"serious", "critical"}
LANGUAGES = ["zh-hans", "zh-hant", "en"]

RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " :: " + (n.failureSummary || "").split("\\n")[1]),
  }));
}"""


def public_pages():
    """Every kind of public page, with a record of each kind the demo data holds."""
    first = {model: model.objects.published().first() for model in (Enterprise, Park, Hospital, ResearchInstitution)}
    pages = [
        "/",
        "/chain/",
        "/dashboard/",
        "/match/",
        "/match/?segments=car-t&area_min=300&ownership=private",
        "/policies/",
        f"/policies/{Policy.objects.published().first().pk}/",
        f"/enterprises/{first[Enterprise].pk}/",
        f"/parks/{first[Park].pk}/",
        f"/hospitals/{first[Hospital].pk}/",
        f"/institutions/{first[ResearchInstitution].pk}/",
        "/ogc/",
        "/ogc/collections",
        "/ogc/collections/parks/items?f=html",
    ]
    for model, name in ((Fund, "funds"), (ServicePlatform, "platforms")):
        record = model.objects.published().first()
        if record:
            pages.append(f"/{name}/{record.pk}/")
    return pages


def violations_of(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate(AXE + "\n;0")  # through the DevTools protocol: the page's CSP does not apply
    found = page.evaluate(RUN_AXE)
    return [v for v in found if v["impact"] in SERIOUS]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_no_public_page_has_a_serious_accessibility_violation(browser, live_server, demo, language, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_extra_http_headers({"Accept-Language": language})
    page = keep_on_machine(context.new_page(), live_server.url)
    problems = {}
    try:
        for path in public_pages():
            found = violations_of(page, f"{live_server.url}{path}")
            if found:
                problems[path] = found
    finally:
        context.close()
    lines = [f"{path}: {v['id']} ({v['impact']}) {v['help']}: {v['nodes']}" for path, f in problems.items() for v in f]
    assert not problems, "\n".join(lines)
