"""The import pages and the enterprise list fit a 1,366 px and a 1,440 px window (issue 19, item 8), in Chromium."""

import pytest

from industry.models import ChainSegment, Enterprise
from nansha.staff.spreadsheets import resource_for
from parks.models import Park

from ..job_worker import work_off
from .test_staff_walk import signed_in  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1440, 1366)
LONG = "https://example.org/" + "x" * 380  # a long cell without a space: a URL, a pasted code, a run of text
# Where the page or a part of it is wider than its box: the page itself, and any table or list in the content.
OVERFLOWS = """() => {
  const root = document.documentElement;
  const wide = root.scrollWidth > root.clientWidth ? [`page: ${root.scrollWidth} > ${root.clientWidth}`] : [];
  for (const box of document.querySelectorAll('#content .results, #content table, #content ul, #content p')) {
    const name = box.className || box.tagName;
    if (box.scrollWidth > box.clientWidth + 1) wide.push(`${name}: ${box.scrollWidth} > ${box.clientWidth}`);
  }
  return wide;
}"""


def realistic_file(tmp_path):
    """Every enterprise as exported, long descriptions and all, plus a new row with long cells in every column."""
    park = Park.objects.get(name_zh="广东医谷")
    Enterprise.objects.update(
        description_zh="面向细胞与基因治疗的研发、中试与生产服务，" * 20,
        description_en="Research, pilot and production services for cell and gene therapy. " * 12,
        park=park,
        website="https://www.example.org/about/company/profile",
    )
    Enterprise.objects.filter(pk=Enterprise.objects.first().pk).update(name_en="")  # a blank cell
    sheet = resource_for(Enterprise)().export()
    row = dict.fromkeys(sheet.headers, LONG)
    row.update(id="", status="published", source="新闻稿 " * 40, verified_on="2024/3/5", lat="22.8", lng="113.5")
    sheet.append([row[h] for h in sheet.headers])
    path = tmp_path / f"企业-导出-{'长文件名' * 12}.csv"
    path.write_text(sheet.csv, encoding="utf-8-sig")
    return path


def upload(page, live_server, path):
    page.goto(f"{live_server.url}/admin/industry/enterprise/import/")
    page.set_input_files("input[name=import_file]", str(path))
    page.select_option("select[name=format]", label="csv")
    page.click("form[enctype] input[type=submit]")
    page.wait_for_selector(".job-page")
    work_off()
    page.wait_for_selector(".job-problems, input[name=confirm]")


def overflows_at(page, url=None, widths=WIDTHS):
    found = {}
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        if url:
            page.goto(url)
        if wide := page.evaluate(OVERFLOWS):
            found[width] = wide
    return found


def test_the_import_preview_of_a_file_with_long_rows_fits_the_window(signed_in, live_server, tmp_path, demo):  # noqa: F811
    page = signed_in("editor")
    assert overflows_at(page, f"{live_server.url}/admin/industry/enterprise/import/") == {}
    upload(page, live_server, realistic_file(tmp_path))
    assert page.locator(".job-problems li").count() > 5  # the long row's cells are refused, each named
    assert overflows_at(page) == {}
    text = page.inner_text("#content")
    assert "None" not in text and "00:00" not in text
    assert overflows_at(page, f"{live_server.url}/admin/jobs/job/") == {}


def test_the_enterprise_list_shows_every_column_at_1440_and_1366_px(signed_in, live_server, demo):  # noqa: F811
    park = Park.objects.get(name_zh="广东医谷")
    segment = ChainSegment.objects.first()
    Enterprise.objects.update(park=park, ownership="private", size_band="medium")
    for i, record in enumerate(Enterprise.objects.order_by("pk")):  # a full-length code in every row (each unique)
        Enterprise.objects.filter(pk=record.pk).update(credit_code=f"914403007084{i:05d}T")
    Enterprise.objects.first().segments.add(segment)
    page = signed_in("editor")
    found = overflows_at(page, f"{live_server.url}/admin/industry/enterprise/", widths=WIDTHS)
    assert found == {}
