"""The staff walk-through in Debian's Chromium: bad rows explained, fixed and imported, a refused concurrent edit."""

import pytest
from django.contrib.auth.models import Group, User

from industry.models import ChainSegment, Enterprise
from nansha.staff.roles import EDITORS
from parks.models import Park

from ..conftest import keep_on_machine
from ..job_worker import work_off

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
SOURCE = "browser walk"
HEADER = "name_zh,credit_code,ownership,segments,park,founded_on,source\n"
GOOD = [
    f"甲生物,91440300708461136T,private,car-t,广东医谷,2019-05-01,{SOURCE}",
    f"乙生物,,民营企业,car-t,,,{SOURCE}",
]
BAD = [
    f"丙生物,91440300708461136X,private,,,,{SOURCE}",
    f"丁生物,,state,stem-cells,,,{SOURCE}",
    f"戊生物,,,,无此园区,2021-02-30,{SOURCE}",
]
FIXED = [
    f"丙生物,,private,,,,{SOURCE}",
    f"丁生物,,state_owned,car-t,,,{SOURCE}",
    f"戊生物,,,,广东医谷,2021-02-28,{SOURCE}",
]


@pytest.fixture
def signed_in(browser, live_server, transactional_db):  # the database outlives the pages (see conftest.page)
    """Open a logged-in English browser session for a new editor; returns a function of the username."""
    ChainSegment.objects.get_or_create(code="car-t", defaults={"name_zh": "CAR-T", "stage": "midstream"})
    Park.objects.get_or_create(name_zh="广东医谷", defaults={"kind": "industrial_park", "source": SOURCE})
    contexts = []

    def sign_in(username):
        user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=EDITORS))
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        contexts.append(context)
        page = keep_on_machine(context.new_page(), live_server.url)
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#site-name")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def upload(page, live_server, tmp_path, rows):
    path = tmp_path / "enterprises.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8-sig")
    page.goto(f"{live_server.url}/admin/industry/enterprise/")
    page.click("a.import_link")
    page.set_input_files("input[name=import_file]", str(path))
    page.select_option("select[name=format]", label="csv")
    page.click("form[enctype] input[type=submit]")
    page.wait_for_selector(".job-page")  # the job's page: the worker checks the file
    work_off()  # the real worker (django-tasks-db's loop), here in the test's process and database
    page.wait_for_selector(".job-problems, input[name=confirm]")  # the page reloads once the job has finished


def test_a_staff_member_imports_fixes_and_edits_without_losing_anything(signed_in, live_server, tmp_path):
    alice = signed_in("alice")

    # A spreadsheet with three bad rows: exactly those three are explained, and nothing is applied.
    upload(alice, live_server, tmp_path, GOOD + BAD)
    text = alice.content()
    for problem in ("credit_code", "state", "stem-cells", "无此园区", "2021-02-30"):
        assert problem in text, problem
    assert alice.locator("input[name=confirm]").count() == 0
    problems = alice.locator(".job-problems li").all_inner_texts()
    assert {line.split(",")[0] for line in problems} == {"Row 3", "Row 4", "Row 5"}  # the three bad rows
    assert not Enterprise.objects.exists()
    alice.screenshot(path=str(tmp_path / "import-errors.png"), full_page=True)

    # Fixed, it previews as five new records; confirming applies them.
    upload(alice, live_server, tmp_path, GOOD + FIXED)
    assert "new: 5" in alice.locator(".job-totals").inner_text()
    alice.click("input[name=confirm]")
    alice.wait_for_selector(".job-page")
    work_off()
    alice.wait_for_selector("text=Imported: 5 new")
    assert Enterprise.objects.count() == 5

    # A colleague edits the same record at the same time: the second save is refused, nothing is lost.
    bob = signed_in("bob")
    record = Enterprise.objects.get(name_zh="甲生物")
    url = f"{live_server.url}/admin/industry/enterprise/{record.pk}/change/"
    alice.goto(url)
    bob.goto(url)
    alice.fill("#id_name_en", "Alpha Biotech")
    alice.click("input[name=_save]")
    alice.wait_for_selector(".messagelist .success")
    bob.fill("#id_name_en", "Alpha Biology")
    bob.click("input[name=_save]")
    bob.wait_for_selector(".errornote")
    assert "someone else saved this record" in bob.content()
    assert "alice" in bob.locator(".errorlist.nonfield").inner_text()
    assert bob.input_value("#id_name_en") == "Alpha Biology"  # Bob's input is still there
    record.refresh_from_db()
    assert record.name_en == "Alpha Biotech"
    bob.screenshot(path=str(tmp_path / "conflict.png"), full_page=True)

    # Every change is in the record's history: the import and Alice's edit, by name.
    alice.goto(f"{live_server.url}/admin/industry/enterprise/{record.pk}/history/")
    history = alice.locator("#change-history").inner_text()
    assert "alice" in history and "Alpha Biotech" in history
    assert record.history.filter(history_user__username="alice").count() >= 2
