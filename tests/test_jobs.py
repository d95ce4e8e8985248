"""Imports and exports as background jobs (issue 13): a real worker (django-tasks-db's), progress, cancel,
all or nothing, another user's job, and the limits of an upload, each with a clear message."""

import contextlib
import io
import os
import re
import sqlite3
import subprocess
import sys
import time
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.urls import reverse

from industry.models import Enterprise
from jobs import live
from jobs.models import Job
from jobs.services import Cancelled, Progress
from nansha.staff.roles import EDITORS
from tests.job_worker import through_worker, work_off

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
                text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:XFD{declared_rows}"/>', text)
                text = text.replace("</sheetData>", f'<row r="{declared_rows}" customHeight="1" ht="20"/></sheetData>')
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


# Exports of a large changelist: a job with a file only its owner downloads.


@pytest.mark.django_db
def test_a_large_export_is_a_job_whose_file_only_its_owner_downloads(editor, other_editor, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    Enterprise.objects.bulk_create(Enterprise(name_zh=f"企业{i}", source=SOURCE) for i in range(3))
    url = reverse("admin:industry_enterprise_export")
    form = editor.get(url).context["form"]
    csv_index = next(value for value, label in form.fields["format"].choices if str(label).lower() == "csv")
    data = {"format": csv_index, "resource": 0}
    data.update({name: "on" for name in form.fields if name.startswith("enterpriseresource_")})
    page = through_worker(editor, editor.post(url, data))
    job = Job.objects.get(kind=Job.Kind.EXPORT)
    assert (job.status, job.rows_done, job.rows_total) == (Job.Status.DONE, 3, 3)
    download = reverse("admin:jobs_job_download", args=[job.pk])
    assert download in page.content.decode()
    response = editor.get(download)
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert content.count("企业") == 3
    refused = other_editor.get(download)
    assert refused.status_code == 403 and "started by another user" in refused.content.decode()
    missing = editor.get(reverse("admin:jobs_job_download", args=["00000000-0000-0000-0000-000000000000"]))
    assert missing.status_code == 404 and "no job with this id" in missing.content.decode()


@pytest.mark.django_db
def test_old_jobs_and_their_files_are_deleted_after_the_days_kept(editor, settings):
    from django.core.management import call_command
    from django.utils import timezone

    settings.EXPORT_INLINE_MAX_ROWS = 0
    Enterprise.objects.create(name_zh="甲", source=SOURCE)
    job = Job.objects.create(owner=editor.user, kind=Job.Kind.EXPORT, model="industry.Enterprise", file_format="csv")
    from nansha.staff.background import export_file

    export_file.enqueue(str(job.pk))
    work_off()
    job.refresh_from_db()
    storage, name = job.result_file.storage, job.result_file.name
    assert storage.exists(name)
    Job.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - timezone.timedelta(days=settings.JOB_RESULT_DAYS)
    )
    call_command("delete_old_jobs", verbosity=0)
    assert not Job.objects.exists() and not storage.exists(name)


# Limits and bad files: a clear message, nothing changed.


def failed_check(client, content, name="enterprises.csv", label="csv"):
    """Upload a file and let the worker check it; the job, which failed, and its page."""
    page = through_worker(client, start_check(client, content, name, label))
    job = Job.objects.filter(owner=client.user).latest("created_at")
    assert job.status == Job.Status.FAILED and job.message in page.content.decode()
    assert not Enterprise.objects.exists()
    return job


@pytest.mark.django_db
def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(editor, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    response = start_check(editor, csv_rows(1) + "x" * (1024 * 1024))
    assert response.status_code == 200
    assert "the most an import takes is 1 MB" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_row_limit_is_refused(editor, settings):
    settings.IMPORT_MAX_ROWS = 5
    job = failed_check(editor, csv_rows(6))
    assert "more than 5 rows" in job.message
    job = failed_check(
        editor, xlsx([["name_zh", "source"], *[[f"企业{i}", SOURCE] for i in range(6)]]), "e.xlsx", "xlsx"
    )
    assert "more than 5 rows" in job.message
    # At the limit it is read; blank rows at the end are not rows.
    good = xlsx([["name_zh", "source"], *[[f"企业{i}", SOURCE] for i in range(5)], [None, None], ["", " "]])
    through_worker(editor, start_check(editor, good, "e.xlsx", "xlsx"))
    assert Job.objects.filter(owner=editor.user).latest("created_at").outcome["totals"]["new"] == 5


def test_an_xlsx_is_read_by_its_real_rows_not_its_declared_dimension():
    """Formatting that reaches row 1,048,576 (and a dimension saying so) is not a million rows to read."""
    from nansha.staff.sheet_reading import LimitedXLSX

    content = xlsx([["name_zh", "source"], ["甲", SOURCE], ["乙", SOURCE]], declared_rows=1_048_576)
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert len(content) < 10_000
    dataset = LimitedXLSX().create_dataset(content)
    assert dataset.headers == ["name_zh", "source"] and len(dataset) == 2


@pytest.mark.django_db
def test_not_a_spreadsheet_a_truncated_xlsx_and_a_zip_bomb_are_refused(editor):
    job = failed_check(editor, b"\x00\x01garbage\xff" * 100, "e.xlsx", "xlsx")
    assert "not an .xlsx at all, or it was cut short" in job.message
    whole = xlsx([["name_zh", "source"], *[[f"企业{i}", SOURCE] for i in range(50)]])
    job = failed_check(editor, whole[: len(whole) // 2], "e.xlsx", "xlsx")
    assert "cut short" in job.message
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"0" * (20 * 1024 * 1024))
    job = failed_check(editor, bomb.getvalue(), "e.xlsx", "xlsx")
    assert "refused as unsafe" in job.message


# A worker killed mid-import: nothing applied, and the job is marked failed when a worker starts again.


@contextlib.contextmanager
def database_for_a_worker_process(tmp_path):
    """(DATABASE_URL, read) of the test's data for a worker in another process; read() gives the job's status and
    message and the number of enterprises as that process left them. The in-memory SQLite test database is copied
    to a file (another process cannot open it); PostgreSQL's test database is used as it is (this test commits)."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()

        def read(job_id):
            with contextlib.closing(sqlite3.connect(path)) as db:
                status, message = db.execute(
                    "SELECT status, message FROM jobs_job WHERE id = ?", [job_id.hex]
                ).fetchone()
                return status, message, db.execute("SELECT COUNT(*) FROM industry_enterprise").fetchone()[0]

        yield f"sqlite:///{path}", read
    else:
        password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
        url = (
            f"postgres://{settings_dict['USER']}{password}@{settings_dict['HOST'] or '127.0.0.1'}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )

        def read(job_id):
            job = Job.objects.get(pk=job_id)
            return job.status, job.message, Enterprise.objects.count()

        yield url, read


def worker_command(*options):
    return [sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay", "-v", "0", *options]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_applies_nothing_and_the_job_is_failed_when_a_worker_starts(tmp_path):
    from django.conf import settings
    from django.utils.module_loading import import_string

    from nansha.staff.background import apply_import

    owner = User.objects.create_user("kim", is_staff=True)
    stored = import_string(settings.IMPORT_EXPORT_TMP_STORAGE_CLASS)(read_mode="rb")
    stored.save(csv_rows(2_000).encode("utf-8"))
    job = Job.objects.create(
        owner=owner,
        kind=Job.Kind.IMPORT,
        model="industry.Enterprise",
        file_name=stored.name,
        file_format="csv",
        parameters={"language": "en"},  # the owner's language: the messages are in it
    )
    apply_import.enqueue(str(job.pk))
    with database_for_a_worker_process(tmp_path) as (url, read):
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "nansha.settings.test"}
        worker = subprocess.Popen(worker_command("--interval", "0.1"), cwd=settings.BASE_DIR, env=env)
        try:
            deadline = time.monotonic() + 90
            while not (live.progress(job.pk) or (0, 0))[0]:  # rows are being saved in the import's transaction
                assert worker.poll() is None and time.monotonic() < deadline, "the worker did not start the import"
                time.sleep(0.05)
        finally:
            worker.kill()
            worker.wait()
        status, _message, enterprises = read(job.pk)
        assert (status, enterprises) == ("running", 0)  # killed mid-import: the transaction never committed

        subprocess.run(worker_command("--batch"), cwd=settings.BASE_DIR, env=env, check=True, timeout=120)
        status, message, enterprises = read(job.pk)
        assert (status, enterprises) == ("failed", 0)
        assert "stopped before it finished. Nothing was changed" in message
    stored.remove()


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/admin/jobs/job/not-a-uuid/", "/admin/jobs/job/not-a-uuid/change/"])
def test_a_mistyped_job_address_is_no_such_job_not_a_server_error(editor, address):
    page = editor.get(address, follow=True)
    assert page.status_code == 404 and "no job with this id" in page.content.decode()


@pytest.mark.django_db
def test_progress_counts_refused_rows_too(editor):
    """A check of one good row and one refused row ends at 2 / 2, not 1 / 2."""
    start_check(editor, f"name_zh,source,founded_on\n甲,{SOURCE},2020-01-01\n乙,{SOURCE},2020-02-30\n")
    work_off()
    job = Job.objects.get()
    assert (job.status, job.rows_done, job.rows_total) == (Job.Status.DONE, 2, 2)
    assert job.outcome["problem_count"] == 1
    page = job_page(editor, job).content.decode()  # the good row's count is not shown as what the import does
    assert "Rows without problems (none was imported)" in page and "What the import would do" not in page


@pytest.mark.django_db
def test_a_file_with_a_header_and_no_rows_offers_nothing_to_confirm(editor):
    start_check(editor, "name_zh,source\n")
    work_off()
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.message == "The file has a header row but no rows below it: there is nothing to import."
    assert job_page(editor, job).context.get("confirm_form") is None


@pytest.mark.django_db
def test_an_unknown_column_is_reported_as_a_sentence_not_a_python_list(editor):
    start_check(editor, f"name_zh,source,phone_number\n甲,{SOURCE},123\n")
    work_off()
    job = Job.objects.get()
    assert job.outcome["base_errors"] == [
        "Unknown column(s): phone_number. The columns are: " + job.outcome["base_errors"][0].split(": ", 2)[2]
    ]
    assert not any("['" in line or "']" in line for line in job.outcome["problems"])
    page = job_page(editor, job).content.decode()
    assert "Unknown column(s): phone_number." in page and "[&#x27;" not in page


def test_a_file_just_over_the_upload_limit_never_reads_as_equal_to_it(settings):
    from nansha.staff.sheet_reading import UnreadableFile, check_upload_size

    settings.IMPORT_MAX_UPLOAD_MB = 20
    check_upload_size(20 * 1024 * 1024)  # at the limit: taken
    with pytest.raises(UnreadableFile) as refusal:
        check_upload_size(20 * 1024 * 1024 + 1)
    assert str(refusal.value).startswith("The file is 20.1 MB; the most an import takes is 20 MB.")
