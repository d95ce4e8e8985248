"""Spreadsheets as staff in China make them (issue 19): dates in Chinese locales and Excel date cells, codes
stored as numbers, names for linked vocabularies, CSV Excel opens as UTF-8, local dates, and who saved first."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from industry.models import ChainSegment, Enterprise, Honour
from jobs.models import Job
from nansha.records.validators import credit_code_check_character
from nansha.staff.roles import EDITORS
from tests import test_spreadsheets
from tests.admin_forms import form_data
from tests.job_worker import invalid_rows, through_worker, work_off
from tests.test_spreadsheets import HEADER, SOURCE, csv_file, import_url, preview

reference = test_spreadsheets.reference  # the fixtures of the spreadsheet tests: a park, segments and honours
editor = test_spreadsheets.editor  # a client logged in as an editor, "erin"

# 17:30 UTC is 01:30 the next day in Shanghai: a UTC date would be a day behind.
EVENING_UTC = "2026-11-29 17:30:00+00:00"
LOCAL_DAY = datetime.date(2026, 11, 30)


def row(name, **cells):
    values = dict.fromkeys(HEADER, "")
    values.update(name_zh=name, source=SOURCE, **cells)
    return [values[column] for column in HEADER]


def xlsx_file(rows, header=HEADER):
    book = openpyxl.Workbook()
    book.active.append(header)
    for values in rows:
        book.active.append(values)
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "enterprises.xlsx"
    return upload


def xlsx_preview(client, upload):
    formats = client.get(import_url(Enterprise)).context["form"].fields["format"].choices
    index = next(value for value, label in formats if str(label).lower() == "xlsx")
    response = client.post(import_url(Enterprise), {"import_file": upload, "format": index, "resource": 0})
    return through_worker(client, response)


def confirm(client, page):
    """Apply a checked import from its job page; the applied job's page."""
    data = {**page.context["outcome"]["confirm"], "confirm": "1"}
    return through_worker(client, client.post(page.context["confirm_url"], data))


# Item 2: dates as written in Chinese locales, and Excel date cells.


@pytest.mark.django_db
def test_dates_in_chinese_locale_forms_are_read_and_the_check_says_which_form(reference, editor):
    rows = [
        row("甲", founded_on="2019/3/5"),
        row("乙", founded_on="2019-3-5"),
        row("丙", founded_on="2019年3月5日"),
        row("丁", founded_on="2019.3.5"),
        row("戊", founded_on="2019-03-05"),
    ]
    page = preview(editor, csv_file(rows))
    outcome = page.context["outcome"]
    assert outcome["problem_count"] == 0, outcome["problems"]
    lines = outcome["readings"]
    assert len(lines) == 1 and "year/month/day (2019/3/5)" in lines[0] and "2019年3月5日" in lines[0]
    assert lines[0] in page.content.decode()
    confirm(editor, page)
    assert set(Enterprise.objects.values_list("founded_on", flat=True)) == {datetime.date(2019, 3, 5)}


@pytest.mark.django_db
def test_excel_date_cells_are_read_and_a_time_of_day_in_a_date_column_is_an_error_saying_so(reference, editor):
    rows = [
        row("甲", founded_on=datetime.datetime(2019, 3, 5)),  # an Excel date cell, 00:00
        row("乙", founded_on=datetime.datetime(2019, 3, 5, 14, 30)),
        row("丙", founded_on="2021-02-30"),  # no such day
        row("丁", founded_on="2019/3/5 09:15"),
    ]
    page = xlsx_preview(editor, xlsx_file(rows))
    errors = invalid_rows(page)
    assert list(errors) == [2, 3, 4]
    assert "has a time of day (14:30)" in errors[2]["founded_on"][0] and "date only" in errors[2]["founded_on"][0]
    assert errors[3]["founded_on"] == [
        "“2021-02-30” is not a date (write it as 2024-05-31, 2024/5/31, 2024.5.31 or 2024年5月31日)"
    ]
    assert "has a time of day (09:15)" in errors[4]["founded_on"][0]

    page = xlsx_preview(editor, xlsx_file(rows[:1]))
    assert page.context["outcome"]["readings"] == ["Dates read as Excel date cells."]
    confirm(editor, page)
    assert Enterprise.objects.get().founded_on == datetime.date(2019, 3, 5)


# Item 3: numbers in text columns.


def digit_credit_code():
    """A valid 18-character credit code made of digits only (its check character is a digit)."""
    for serial in range(100):
        first17 = f"914403007084611{serial:02d}"
        check = credit_code_check_character(first17)
        if check.isdigit():
            return first17 + check
    raise AssertionError("no all-digit code")


def with_exact_number(upload, placeholder, number):
    """The .xlsx `upload` with the number cell `placeholder` holding `number` exactly, as a program other than
    openpyxl may write it (openpyxl writes a large int as a float)."""
    source = zipfile.ZipFile(upload)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert f"<v>{placeholder}</v>".encode() in data
                data = data.replace(f"<v>{placeholder}</v>".encode(), f"<v>{number}</v>".encode())
            target.writestr(info, data)
    out.seek(0)
    out.name = upload.name
    return out


@pytest.mark.django_db
def test_a_credit_code_stored_as_a_number_is_explained_or_read_exactly(reference, editor):
    code = digit_credit_code()
    header = [*HEADER, "contact_phone"]
    rows = [
        [*row("甲", credit_code=float(code)), ""],  # as Excel stores it: 15 digits kept
        [*row("乙", credit_code=12345), 20123456.0],  # an exact whole number (below); a phone as a number
    ]
    page = xlsx_preview(editor, with_exact_number(xlsx_file(rows, header=header), 12345, code))
    errors = invalid_rows(page)
    assert list(errors) == [1], errors
    [message] = errors[1]["credit_code"]
    assert message.startswith("“9.14403007084611e+17” is a number in the sheet, not text")
    assert "(it reads 914403007084611000)" in message and "Format the column as Text" in message

    page = xlsx_preview(editor, with_exact_number(xlsx_file(rows[1:], header=header), 12345, code))
    assert page.context["outcome"]["problem_count"] == 0, page.context["outcome"]["problems"]
    confirm(editor, page)
    record = Enterprise.objects.get()
    assert (record.credit_code, record.contact_phone) == (code, "20123456")


# Item 9: linked vocabularies by code, Chinese name or English name.


@pytest.mark.django_db
def test_segments_and_honours_are_read_by_code_chinese_name_or_english_name(reference, editor):
    ChainSegment.objects.filter(code="car-t").update(name_en="CAR-T cell therapy")
    Honour.objects.filter(code="high-tech").update(name_en="High-tech enterprise")
    Honour.objects.create(code="gazelle", name_zh="瞪羚企业", name_en="Gazelle enterprise")
    header = [*HEADER, "honours"]
    rows = [
        [*row("甲", segments="CDMO；car-t cell THERAPY"), "高新技术企业;gazelle"],
        [*row("乙", segments="car-t"), "high-TECH enterprise"],
    ]
    page = preview(editor, csv_file(rows, header=header))
    assert page.context["outcome"]["problem_count"] == 0, page.context["outcome"]["problems"]
    confirm(editor, page)
    assert {s.code for s in Enterprise.objects.get(name_zh="甲").segments.all()} == {"car-t", "cdmo"}
    assert {h.code for h in Enterprise.objects.get(name_zh="甲").honours.all()} == {"high-tech", "gazelle"}
    assert [h.code for h in Enterprise.objects.get(name_zh="乙").honours.all()] == ["high-tech"]


@pytest.mark.django_db
def test_an_unknown_or_shared_name_is_an_error_naming_it(reference, editor):
    Honour.objects.create(code="gazelle", name_zh="瞪羚企业")
    Honour.objects.create(code="gazelle-2", name_zh="瞪羚企业")
    header = [*HEADER, "honours"]
    rows = [[*row("甲"), "瞪羚企业;高新技术企业"], [*row("乙"), "high-tech;独角兽"]]
    errors = invalid_rows(preview(editor, csv_file(rows, header=header)))
    assert errors[1]["honours"] == [
        "several records of kind honour have the name 瞪羚企业 (gazelle, gazelle-2); write the code instead"
    ]
    assert errors[2]["honours"] == ["unknown honour: 独角兽"]


# Item 4: CSV exports Excel reads as UTF-8.


def export_form_data(client, url, label):
    form = client.get(url).context["form"]
    index = next(value for value, name in form.fields["format"].choices if str(name).lower() == label)
    data = {"format": index, "resource": 0}
    data.update({name: "on" for name in form.fields if name.startswith("enterpriseresource_")})
    return data


@pytest.mark.django_db
def test_every_csv_the_admin_gives_starts_with_a_byte_order_mark(reference, editor, settings):
    Enterprise.objects.create(name_zh="甲生物", source=SOURCE)
    url = reverse("admin:industry_enterprise_export")
    inline = editor.post(url, export_form_data(editor, url, "csv"))
    assert inline.status_code == 200 and inline.content.startswith(b"\xef\xbb\xbf")
    assert "甲生物" in inline.content.decode("utf-8-sig")

    settings.EXPORT_INLINE_MAX_ROWS = 0  # made by the worker
    through_worker(editor, editor.post(url, export_form_data(editor, url, "csv")))
    job = Job.objects.get(kind=Job.Kind.EXPORT)
    response = editor.get(reverse("admin:jobs_job_download", args=[job.pk]))
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf") and not content.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")


# Item 10: local dates.


@pytest.mark.django_db
def test_export_files_are_named_by_the_local_date_in_the_evening_utc(reference, editor, settings):
    Enterprise.objects.create(name_zh="甲生物", source=SOURCE)
    url = reverse("admin:industry_enterprise_export")
    data = export_form_data(editor, url, "csv")
    with freeze_time(EVENING_UTC):
        inline = editor.post(url, data)
        assert f"Enterprise-{LOCAL_DAY:%Y-%m-%d}.csv" in inline["Content-Disposition"]

        settings.EXPORT_INLINE_MAX_ROWS = 0
        editor.post(url, data)
        work_off()
    job = Job.objects.get(kind=Job.Kind.EXPORT)
    assert job.result_file.name.rsplit("/", 1)[-1].startswith(f"enterprise-{LOCAL_DAY:%Y%m%d}-013000")


@pytest.mark.django_db
def test_mark_verified_today_and_the_job_list_use_the_local_date(reference, editor):
    record = Enterprise.objects.create(name_zh="甲生物", source=SOURCE)
    with freeze_time(EVENING_UTC):
        response = editor.post(reverse("freshness"), {"record": [f"enterprise:{record.pk}"]}, follow=True)
        assert response.status_code == 200 and f"verified on {LOCAL_DAY:%Y-%m-%d}" in response.content.decode()
        Job.objects.create(owner=User.objects.get(username="erin"), kind=Job.Kind.EXPORT, model="industry.Enterprise")
        jobs = editor.get(reverse("admin:jobs_job_changelist")).content.decode()
    record.refresh_from_db()
    assert record.verified_on == LOCAL_DAY
    assert "Nov. 30, 2026" in jobs and "Nov. 29, 2026" not in jobs


# Item 7: a stale save names who saved, also when it was the same user in another window.


def change_url(record):
    return reverse("admin:industry_enterprise_change", args=[record.pk])


@pytest.mark.django_db
def test_a_stale_save_by_the_same_user_in_another_window_says_so_and_links_to_the_saved_version(reference):
    user = User.objects.create_user("erin", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    record = Enterprise.objects.create(name_zh="甲生物", source=SOURCE)
    first_tab = form_data(client.get(change_url(record)))
    second_tab = form_data(client.get(change_url(record)))
    first_tab["name_en"] = "Alpha Bio"
    assert client.post(change_url(record), first_tab).status_code == 302
    second_tab["contact_phone"] = "020-1234"
    response = client.post(change_url(record), second_tab)
    page = response.content.decode()
    assert response.status_code == 200
    assert "someone else" not in page, page[page.find("errornote") :][:3000]
    assert "Not saved: you saved this record in another window after you opened it here" in page
    assert "Last saved by you, in another window on" in page, page[page.find("Not saved") :][:1500]
    latest = record.history.latest("history_date")
    version_url = reverse("admin:industry_enterprise_simple_history", args=[record.pk, latest.history_id])
    assert f'href="{version_url}"' in page
    assert f'href="{reverse("admin:industry_enterprise_history", args=[record.pk])}"' in page
    assert client.get(version_url).status_code == 200


@pytest.mark.django_db
def test_a_linked_enterprise_named_by_a_credit_code_in_a_number_cell_is_found_or_explained():
    import tablib

    from industry.models import EnterpriseFact
    from nansha.staff.spreadsheets import resource_for

    code = digit_credit_code()
    company = Enterprise.objects.create(name_zh="甲生物", credit_code=code, source=SOURCE)
    dataset = tablib.Dataset(headers=["enterprise", "kind", "value", "unit", "as_of", "source"])
    dataset.append([int(code), "revenue", 12000, "万元", datetime.datetime(2024, 12, 31), "年报"])
    dataset.append([float(code), "revenue", 13000, "万元", "2025/12/31", "年报"])
    result = resource_for(EnterpriseFact)().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    [refused] = result.invalid_rows
    assert refused.number == 2 and "is a number in the sheet, not text" in refused.error_dict["enterprise"][0]
    assert not EnterpriseFact.objects.exists()  # all rows or none

    del dataset[1]
    result = resource_for(EnterpriseFact)().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    assert not result.has_validation_errors() and not result.has_errors()
    assert company.facts.get().as_of == datetime.date(2024, 12, 31)


def test_what_the_check_says_of_dates_and_a_same_user_conflict_is_in_chinese_for_chinese_staff():
    from django.utils import translation

    from nansha.staff.cell_widgets import date_forms_read
    from nansha.staff.spreadsheets import resource_for

    resource = resource_for(Enterprise)()
    resource.fields["founded_on"].widget.clean("2019/3/5")
    with translation.override("zh-hans"):
        assert date_forms_read(resource) == ["日期按以下格式读取：年/月/日（2019/3/5）。"]
        assert str(translation.gettext("you, in another window")) == "您本人（在另一个窗口中）"
