"""Imports and exports as background jobs (issue 13): a real worker (django-tasks-db's), progress, cancel,
all or nothing, another user's job, and the limits of an upload, each with a clear message."""

import io
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from industry.models import Enterprise
from jobs import live
from jobs.models import Job
from jobs.services import Cancelled, Progress
from nansha.staff.roles import EDITORS
from tests.job_worker import work_off

SOURCE = "jobs test"


def client_for(name):
    user = User.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor(db):
    return client_for("erin")


@pytest.fixture
def other_editor(db):
    return client_for("eve")


def upload(content, name="enterprises.csv"):
    file = io.BytesIO(content.encode("utf-8-sig") if isinstance(content, str) else content)
    file.name = name
    return file


def csv_rows(count, start=0):
    lines = ["name_zh,name_en,source"] + [f"企业{i},Firm {i},{SOURCE}" for i in range(start, start + count)]
    return "\n".join(lines) + "\n"


def format_index(client, label):
    formats = client.get(reverse("admin:industry_enterprise_import")).context["form"].fields["format"].choices
    return next(value for value, text in formats if str(text).lower() == label)


def start_check(client, content, name="enterprises.csv", label="csv"):
    """Upload a file: the check is queued as a job, and the page goes to the job's page."""
    return client.post(
        reverse("admin:industry_enterprise_import"),
        {"import_file": upload(content, name), "format": format_index(client, label)},
    )


def job_page(client, job):
    return client.get(reverse("admin:jobs_job_page", args=[job.pk]))


def check_and_confirm(client, content):
    """Upload, let the worker check it, confirm from the job's page, let the worker apply it; the apply job."""
    assert start_check(client, content).status_code == 302
    work_off()
    check = Job.objects.filter(owner=client.user).latest("created_at")
    assert check.status == Job.Status.DONE, check.message
    page = job_page(client, check)
    form = page.context["confirm_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = client.post(reverse("admin:industry_enterprise_process_import"), data)
    assert response.status_code == 302
    apply = Job.objects.filter(owner=client.user, preview=False).latest("created_at")
    assert response.url == reverse("admin:jobs_job_page", args=[apply.pk])
    return apply


@pytest.mark.django_db
def test_an_import_is_checked_then_applied_by_the_worker_not_the_request(editor):
    response = start_check(editor, csv_rows(3))
    job = Job.objects.get()
    assert response.url == reverse("admin:jobs_job_page", args=[job.pk])
    assert job.status == Job.Status.QUEUED and job.preview and not Enterprise.objects.exists()
    work_off()
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == (Job.Status.DONE, 3, 3)
    assert job.outcome["totals"]["new"] == 3 and not Enterprise.objects.exists()  # a check keeps nothing
    page = job_page(editor, job).content.decode()
    assert "No problems found" in page and 'value="3"' in page
    apply = check_and_confirm(editor, csv_rows(2, start=10))
    assert apply.status == Job.Status.QUEUED
    work_off()
    apply.refresh_from_db()
    assert apply.status == Job.Status.DONE and apply.message == "Imported: 2 new, 0 changed, 0 unchanged."
    assert Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_progress_is_polled_by_its_owner_only(editor, other_editor):
    start_check(editor, csv_rows(2))
    job = Job.objects.get()
    url = reverse("admin:jobs_job_progress", args=[job.pk])
    assert editor.get(url).json()["status"] == "queued"
    live.set_progress(job.pk, 1, 2)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    state = editor.get(url).json()
    assert (state["done"], state["total"], state["finished"]) == (1, 2, False)
    refused = other_editor.get(url)
    assert refused.status_code == 403 and "another user" in refused.json()["error"]
    page = other_editor.get(reverse("admin:jobs_job_page", args=[job.pk]))
    assert page.status_code == 403 and "started by another user" in page.content.decode()
    assert not other_editor.get(reverse("admin:jobs_job_changelist")).context["cl"].result_list
    live.forget(job.pk)


@pytest.mark.django_db
def test_a_queued_job_cancelled_never_runs(editor):
    start_check(editor, csv_rows(2))
    job = Job.objects.get()
    response = editor.post(reverse("admin:jobs_job_cancel", args=[job.pk]), follow=True)
    assert "Cancelling" in response.content.decode()
    work_off()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED and job.started_at is None


@pytest.mark.django_db
def test_a_running_import_cancelled_between_rows_changes_nothing(editor, monkeypatch):
    """The cancel flag is read between rows; the import's transaction is rolled back."""
    apply = check_and_confirm(editor, csv_rows(50))

    def cancel_after_ten(self, done, total=None):
        self.done, self.total = done, total
        if done == 10:
            live.request_cancel(self.job_id)
        if live.cancel_requested(self.job_id):
            raise Cancelled

    monkeypatch.setattr(Progress, "__call__", cancel_after_ten)
    work_off()
    apply.refresh_from_db()
    assert apply.status == Job.Status.CANCELLED and "Nothing was changed" in apply.message
    assert apply.rows_done == 10
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_one_import_at_a_time_per_user(editor, other_editor):
    start_check(editor, csv_rows(1))
    second = start_check(editor, csv_rows(1))
    assert second.status_code == 200 and "one import at a time" in second.content.decode()
    assert start_check(other_editor, csv_rows(1)).status_code == 302  # others are not held up
    assert Job.objects.count() == 2


def xlsx(rows, *, declared_rows=None):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if declared_rows is None:
        return buffer.getvalue()
    # The sheet's XML declares a dimension reaching row `declared_rows` and has formatted empty rows far below.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = text.replace('<dimension ref="A1:C3"/>', f'<dimension ref="A1:XFD{declared_rows}"/>')
                text = text.replace("</sheetData>", f'<row r="{declared_rows}" customHeight="1" ht="20"/></sheetData>')
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()
