"""A walk through every public page in Chromium at 1440 and 390 px in the three languages (issue 21).

Each page must
- pass axe-core (vendored: tests/vendor/axe-core), Deque's accessibility engine (WCAG 2.x rules: names of
  controls, labels, contrast, landmarks, ARIA use...), without a serious or critical violation;
- fit its window: no horizontal scrolling, no text spilling out of its box, no two labels drawn over each other.
Screenshots of every page are written when SCREENSHOT_DIR names a folder (nothing reads them back).
"""

import os
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


# What does not fit: the page wider than the window; a text box whose text runs past it (its content is wider than
# the box while the box lets it show); two pieces of text drawn over each other (leaf text elements whose boxes
# intersect, neither inside the other). Leaflet's own panes are left out: markers may overlap on a map.
LAYOUT_PROBLEMS = r"""() => {
  const problems = [];
  const root = document.documentElement;
  const width = window.innerWidth;
  if (root.scrollWidth > width + 1) problems.push(`page ${root.scrollWidth}px wide in ${width}px`);
  const folded = (e) => e.closest("details:not([open])") && !e.closest("details:not([open]) > summary");
  const visible = (e) => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden" && !folded(e)
    && !e.closest(".leaflet-container, [hidden], .visually-hidden, .print-only, svg, select");
  const classes = (e) => (typeof e.className === "string" ? e.className.trim().split(/\s+/).filter(Boolean) : []);
  const tag = (e) => [e.tagName.toLowerCase() + (e.id ? "#" + e.id : ""), ...classes(e)].join(".");
  const name = (e) => `${tag(e)} “${e.textContent.trim().slice(0, 40)}”`;
  const texts = [...document.body.querySelectorAll("*")].filter((e) => visible(e)
    && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
  for (const e of texts) {
    const s = getComputedStyle(e);
    if (s.overflowX === "visible" && s.display !== "inline" && e.scrollWidth > e.clientWidth + 2 && e.clientWidth > 0)
      problems.push(`text spills out of ${name(e)}: ${e.scrollWidth} > ${e.clientWidth}`);
  }
  // Line by line: an inline element wrapped over two lines has a box per line, not one box around both.
  const boxes = texts.map((e) => [e, [...e.getClientRects()].filter((r) => r.width > 0 && r.height > 0)]);
  const cross = (ra, rb) => Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left) > 2
    && Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top) > 2;
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, ras] = boxes[i], [b, rbs] = boxes[j];
      if (a.contains(b) || b.contains(a)) continue;
      if (ras.some((ra) => rbs.some((rb) => cross(ra, rb)))) problems.push(`${name(a)} overlaps ${name(b)}`);
    }
  }
  return problems.slice(0, 10);
}"""
SHOTS = Path(os.environ["SCREENSHOT_DIR"]) if os.environ.get("SCREENSHOT_DIR") else None


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


def problems_of(page, url):
    """What is wrong with the page at `url`: ["axe: …", "layout: …"]."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate(AXE + "\n;0")  # through the DevTools protocol: the page's CSP does not apply
    found = [v for v in page.evaluate(RUN_AXE) if v["impact"] in SERIOUS]
    problems = [f"axe: {v['id']} ({v['impact']}) {v['help']}: {v['nodes']}" for v in found]
    return problems + [f"layout: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_every_public_page_is_accessible_and_fits_its_window(browser, live_server, demo, language, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_extra_http_headers({"Accept-Language": language})
    page = keep_on_machine(context.new_page(), live_server.url)
    problems = []
    try:
        for path in public_pages():
            problems += [f"{path}: {p}" for p in problems_of(page, f"{live_server.url}{path}")]
            if SHOTS:
                name = path.strip("/").replace("/", "_").replace("?", "_") or "map"
                page.screenshot(path=str(SHOTS / f"walk-{name[:60]}-{language}-{width}.png"), full_page=True)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_the_walk_sees_what_does_not_fit(browser):
    """The layout check itself: a page too wide, a text spilling out of its box, two labels drawn over each other."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_content(
        """<body style="margin:0">
        <p style="width:600px">A paragraph wider than a phone</p>
        <div style="width:50px;white-space:nowrap">A label far too long for its box</div>
        <div style="position:relative;height:40px"><span style="position:absolute;left:0;top:0">Left label</span>
          <span style="position:absolute;left:10px;top:5px">Right label</span></div>
        <details><summary>Folded</summary><p style="width:900px">Folded text is not checked</p></details>
        </body>"""
    )
    problems = page.evaluate(LAYOUT_PROBLEMS)
    context.close()
    assert any(p.startswith("page 600px wide") for p in problems)
    assert any("text spills out of div" in p and "A label far too long" in p for p in problems)
    assert any("Left label" in p and "overlaps" in p and "Right label" in p for p in problems)
    assert not any("Folded text" in p for p in problems)
