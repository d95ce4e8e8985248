"""The staff home page: my records to verify, recent changes by others, my jobs, with counts and links (issue 19)."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from industry.models import Enterprise
from jobs.models import Job
from nansha.staff import home
from nansha.staff.freshness import record_kinds
from parks.models import Park

SOURCE = "test fixture"
URL = "/admin/mine/"


def saved(record, user, **changes):
    """`record` saved by `user`, as the admin would record it in the history."""
    for name, value in changes.items():
        setattr(record, name, value)
    record._history_user = user
    record.save()
    return record


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_superuser("alice", "alice@example.org", "pw")


@pytest.fixture
def bob(db):
    return get_user_model().objects.create_superuser("bob", "bob@example.org", "pw")


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def work(alice, bob):
    today = timezone.localdate()
    return {
        "never": saved(Enterprise(name_zh="甲从未核实", source=SOURCE), alice),
        "old": saved(Enterprise(name_zh="乙久未核实", source=SOURCE, verified_on=date(2020, 1, 1)), alice),
        "fresh": saved(Enterprise(name_zh="丙刚核实", source=SOURCE, verified_on=today), alice),
        "bobs": saved(Park(name_zh="丁园区", kind="industrial_park", source=SOURCE), bob),
        "bob_changed_alices": saved(Enterprise.objects.get(name_zh="丙刚核实"), bob, name_en="Bing"),
    }


def section(page, element_id):
    """The part of the page from the module `element_id` to the next module."""
    start = page.index(f'id="{element_id}"')
    end = page.find('<div class="module"', start)
    return page[start : end if end > 0 else None]


@pytest.mark.django_db
def test_my_stale_records_are_listed_with_counts_and_links(as_alice, work):
    page = as_alice.get(URL).content.decode()
    mine = section(page, "my-stale")
    assert "My records to verify · 2" in mine
    for name in ("甲从未核实", "乙久未核实"):
        record = work["never"] if name.startswith("甲") else work["old"]
        assert f'href="{reverse("admin:industry_enterprise_change", args=[record.pk])}">{name}' in mine
    assert "丙刚核实" not in mine and "丁园区" not in mine  # verified today; not Alice's
    assert "never verified" in mine and "verified 2020-01-01" in mine
    assert f'href="{reverse("freshness")}?kind=enterprise"' in mine


@pytest.mark.django_db
def test_recent_changes_by_others_leave_out_mine(as_alice, work, bob):
    changes = section(as_alice.get(URL).content.decode(), "changes-by-others")
    assert "Recent changes by others (last 7 days) · 2" in changes
    park_history = reverse("admin:parks_park_history", args=[work["bobs"].pk])
    enterprise_history = reverse("admin:industry_enterprise_history", args=[work["fresh"].pk])
    assert "bob" in changes and f'href="{park_history}">丁园区' in changes
    assert changes.index(enterprise_history) < changes.index(park_history)  # the latest first
    assert "甲从未核实" not in changes and "乙久未核实" not in changes  # Alice's own changes


@pytest.mark.django_db
def test_my_jobs_are_listed_with_how_many_are_unfinished(as_alice, alice, bob):
    done = Job.objects.create(owner=alice, kind=Job.Kind.IMPORT, model="industry.Enterprise", status=Job.Status.DONE)
    Job.objects.create(owner=alice, kind=Job.Kind.EXPORT, model="parks.Park", status=Job.Status.RUNNING)
    Job.objects.create(owner=bob, kind=Job.Kind.EXPORT, model="parks.Space", status=Job.Status.QUEUED)
    jobs = section(as_alice.get(URL).content.decode(), "my-jobs")
    assert "· 2 (1 not finished)" in jobs
    assert reverse("admin:jobs_job_page", args=[done.pk]) in jobs and "parks.Space" not in jobs


@pytest.mark.django_db
def test_the_home_page_costs_the_same_queries_whatever_the_amount_of_work(as_alice, alice, bob, work):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert as_alice.get(URL).status_code == 200
        return len(captured)

    few = queries()
    for n in range(25):
        saved(Enterprise(name_zh=f"企业{n}", source=SOURCE), alice)
        saved(Park(name_zh=f"园区{n}", kind="industrial_park", source=SOURCE), bob)
        Job.objects.create(owner=alice, kind=Job.Kind.EXPORT, model="parks.Park")
    more = queries()
    assert more == few, "\n".join(q["sql"][:300] for q in connection.queries[-more:])
    # session and user, then one query per kind of record for my stale records and one for others' changes,
    # one for my jobs, and two for my leads (leads/home.py: the first ten and their count)
    assert few == 2 + 2 * len(record_kinds()) + 1 + 2


@pytest.mark.django_db
def test_dates_and_times_are_local(as_alice, alice, bob):
    record = saved(Park(name_zh="深夜园区", kind="industrial_park", source=SOURCE), bob)
    entry = record.history.latest()
    entry.history_date = timezone.now().replace(hour=17, minute=30, second=0, microsecond=0) - timedelta(days=1)
    entry.save()  # 17:30 UTC is 01:30 the next day in Shanghai
    changes = section(as_alice.get(URL).content.decode(), "changes-by-others")
    local = timezone.localtime(entry.history_date)
    assert f"{local:%Y-%m-%d} 01:30" in changes


@pytest.mark.django_db
def test_another_app_adds_a_section_and_nothing_shows_without_one(as_alice):
    # The leads app's own section (leads/home.py) is there already; another app adds one beside it.
    assert [s.title for s in as_alice.get(URL).context["sections"]] == ["My leads"]

    def my_visits(request):
        return home.HomeSection(
            title="My visits", count=3, url="/admin/visits/", rows=[("王先生", "/admin/visits/1/")]
        )

    home.register_section(my_visits)
    try:
        page = as_alice.get(URL).content.decode()
    finally:
        home.SECTIONS.remove(my_visits)
    assert '<a class="section" href="/admin/visits/">My visits</a> · 3' in page
    assert '<a href="/admin/visits/1/">王先生</a>' in page


@pytest.mark.django_db
def test_the_admin_index_links_to_the_home_page(as_alice):
    assert f'href="{URL}"' in as_alice.get("/admin/").content.decode()


@pytest.mark.django_db
def test_staff_without_view_permission_see_no_records_of_that_kind(client, alice, work):
    from django.contrib.auth.models import Permission

    clerk = get_user_model().objects.create_user("clerk", password="pw", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_park"))
    saved(Enterprise.objects.get(name_zh="甲从未核实"), clerk, name_en="Jia")
    client.force_login(clerk)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "丁园区" in page and "甲从未核实" not in page and "Jia" not in page
