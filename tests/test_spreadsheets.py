"""Spreadsheet import and export in the admin and on the command line: preview, per-row errors, all or nothing."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from industry.models import ChainSegment, Enterprise, Honour
from nansha.staff.roles import EDITORS
from nansha.staff.spreadsheets import resource_for
from parks.models import Park, Space
from policies.models import Policy
from tests.job_worker import invalid_rows, through_worker

SOURCE = "spreadsheet test"
GOOD_CODE = "91440300708461136T"  # a valid unified social credit code
HEADER = [
    "id",
    "name_zh",
    "name_en",
    "credit_code",
    "ownership",
    "segments",
    "park",
    "founded_on",
    "source",
    "lat",
    "lng",
]


@pytest.fixture
def reference(db):
    ChainSegment.objects.create(code="car-t", name_zh="CAR-T", stage="midstream")
    ChainSegment.objects.create(code="cdmo", name_zh="CDMO", stage="upstream")
    Honour.objects.create(code="high-tech", name_zh="高新技术企业")
    return Park.objects.create(name_zh="广东医谷", kind="industrial_park", source=SOURCE)


@pytest.fixture
def editor(db):
    user = User.objects.create_user("erin", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def csv_file(rows, header=HEADER, name="enterprises.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    upload = io.BytesIO(buffer.getvalue().encode("utf-8-sig"))
    upload.name = name
    return upload


def good_rows():
    return [
        [
            "",
            "甲生物",
            "Alpha Bio",
            GOOD_CODE,
            "private",
            "car-t",
            "广东医谷",
            "2019-05-01",
            SOURCE,
            "22.80",
            "113.53",
        ],
        ["", "乙生物", "", "", "民营企业", "car-t;cdmo", "", "", SOURCE, "", ""],
        ["", "丙生物", "", "", "", "", "", "2021-01-31", SOURCE, "", ""],
    ]


def bad_rows():
    return [
        ["", "丁生物", "", "91440300708461136X", "private", "", "", "", SOURCE, "", ""],  # wrong check character
        ["", "戊生物", "", "", "state", "stem-cells", "", "", SOURCE, "", ""],  # unknown choice and segment
        ["", "己生物", "", "", "", "", "无此园区", "2021-02-30", SOURCE, "22.8", ""],  # park, date, lng
    ]


def import_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")


def preview(client, upload, model=Enterprise):
    formats = client.get(import_url(model)).context["form"].fields["format"].choices
    csv_index = next(value for value, label in formats if str(label).lower() == "csv")
    response = client.post(import_url(model), {"import_file": upload, "format": csv_index, "resource": 0})
    return through_worker(client, response) if response.status_code == 302 else response


@pytest.mark.django_db
def test_three_bad_rows_are_each_explained_and_nothing_is_applied_then_the_fixed_file_imports(reference, editor):
    response = preview(editor, csv_file(good_rows() + bad_rows()))
    assert response.status_code == 200
    errors = invalid_rows(response)
    assert list(errors) == [4, 5, 6]
    assert set(errors[4]) == {"credit_code"}
    assert set(errors[5]) == {"ownership", "segments"}
    assert "stem-cells" in errors[5]["segments"][0]
    assert set(errors[6]) == {"park", "founded_on", "lng"}
    assert "无此园区" in errors[6]["park"][0] and "2021-02-30" in errors[6]["founded_on"][0]
    assert response.context["confirm_form"] is None  # no way to apply a file with bad rows
    page = response.content.decode()
    assert "credit_code" in page and "无此园区" in page
    assert not Enterprise.objects.exists()

    fixed = bad_rows()
    fixed[0][3] = ""  # no code rather than a wrong one
    fixed[1][4:6] = ["state_owned", "car-t"]
    fixed[2][6:8] = ["广东医谷", "2021-02-28"]
    fixed[2][10] = "113.5"
    response = preview(editor, csv_file(good_rows() + fixed))
    assert response.context["outcome"]["problem_count"] == 0
    assert response.context["outcome"]["totals"]["new"] == 6
    assert not Enterprise.objects.exists()  # the preview changes nothing

    confirm = response.context["confirm_form"]
    data = {name: confirm[name].value() or "" for name in confirm.fields}
    response = editor.post(reverse("admin:industry_enterprise_process_import"), data)
    assert response.status_code == 302
    through_worker(editor, response)
    assert Enterprise.objects.count() == 6
    alpha = Enterprise.objects.get(name_zh="甲生物")
    assert alpha.park == reference and alpha.founded_on.isoformat() == "2019-05-01"
    assert set(Enterprise.objects.get(name_zh="乙生物").segments.values_list("code", flat=True)) == {"car-t", "cdmo"}
    assert Enterprise.objects.get(name_zh="乙生物").ownership == "private"  # given as its Chinese label
    assert {entry.history_user.username for entry in alpha.history.all()} == {"erin"}
    assert {entry.history_change_reason for entry in alpha.history.all()} == {"后台导入 admin import"}


@pytest.mark.django_db
def test_the_import_applies_all_rows_or_none_when_a_row_turns_bad_after_the_preview(reference, editor):
    response = preview(editor, csv_file(good_rows()))
    confirm = response.context["confirm_form"]
    data = {name: confirm[name].value() or "" for name in confirm.fields}
    # Meanwhile a colleague registers an enterprise with the credit code of the file's first row.
    Enterprise.objects.create(name_zh="先来的", credit_code=GOOD_CODE, source=SOURCE)
    response = through_worker(editor, editor.post(reverse("admin:industry_enterprise_process_import"), data))
    assert "Nothing was imported" in response.content.decode()
    assert list(invalid_rows(response)) == [1]
    assert list(Enterprise.objects.values_list("name_zh", flat=True)) == ["先来的"]


@pytest.mark.django_db
def test_export_then_reimport_changes_nothing_and_an_edited_cell_updates_one_record(reference, editor):
    call_command("load_demo", verbosity=0)
    Enterprise.objects.update(park=reference)  # a related record goes out and comes back by its name
    Enterprise.objects.create(name_zh="公式", description_en='=HYPERLINK("http://x")', source=SOURCE)
    url = reverse("admin:industry_enterprise_changelist")
    ids = list(Enterprise.objects.values_list("pk", flat=True))
    response = editor.post(url, {"action": "export_admin_action", "_selected_action": ids})
    assert response.status_code == 200  # the export form, with the selection
    form = response.context["form"]
    xlsx_index = next(value for value, label in form.fields["format"].choices if str(label).lower() == "xlsx")
    data = {"format": xlsx_index, "resource": 0, "export_items": [str(pk) for pk in ids]}
    data.update({name: "on" for name in form.fields if name.startswith("enterpriseresource_")})
    exported = editor.post(reverse("admin:industry_enterprise_export"), data)
    assert exported.status_code == 200 and "spreadsheetml" in exported["Content-Type"]
    workbook = openpyxl.load_workbook(io.BytesIO(exported.content))
    rows = list(workbook.active.values)
    assert len(rows) == len(ids) + 1 and rows[0][0] == "id"
    assert {row[rows[0].index("park")] for row in rows[1:]} == {"广东医谷", None}
    assert any('\'=HYPERLINK("http://x")' in row for row in rows)  # text, not a formula Excel would run

    path_rows = [list(row) for row in rows]
    name_en = path_rows[0].index("name_en")
    demo_row = next(row for row in path_rows if row[path_rows[0].index("name_zh")] == "霖南基因科技(广东)有限公司")
    demo_row[name_en] = "Edited in Excel"  # the formula-like text goes back as it was: skipped
    upload = io.BytesIO()
    sheet = openpyxl.Workbook()
    for row in path_rows:
        sheet.active.append(row)
    sheet.save(upload)
    upload.seek(0)
    upload.name = "enterprises.xlsx"
    response = editor.post(import_url(Enterprise), {"import_file": upload, "format": xlsx_index, "resource": 0})
    outcome = through_worker(editor, response).context["outcome"]
    assert outcome["problem_count"] == 0, outcome["problems"]
    assert (outcome["totals"]["update"], outcome["totals"]["skip"]) == (1, len(ids) - 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"\x00\x01\x02garbage\xff\xfe", b"name_zh\n" + b'"' * 5000, b"", "名称,来源\n甲,乙\n".encode("gb18030")],
)
def test_a_file_that_is_not_a_sheet_is_refused_with_a_message_not_a_crash(reference, editor, content):
    upload = io.BytesIO(content)
    upload.name = "broken.csv"
    response = preview(editor, upload)
    assert response.status_code == 200
    assert not Enterprise.objects.exists()
    page = response.content.decode()
    assert "errornote" in page or "errorlist" in page or "import-error" in page or "Errors" in page


@pytest.mark.django_db
def test_an_unknown_column_is_named_rather_than_silently_dropped(reference, editor):
    response = preview(editor, csv_file([["甲生物", SOURCE, "x"]], header=["name_zh", "source", "phone_number"]))
    assert "phone_number" in response.content.decode()
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_the_command_imports_spaces_and_policies_with_a_dry_run_first(reference, tmp_path, capsys):
    path = tmp_path / "spaces.csv"
    path.write_text(
        "park,use,usable_area_m2,rent_yuan_m2_month,availability,source,verified_on\n"
        f"广东医谷,wet_lab,800,45,available,{SOURCE},2026-11-01\n"
        f"广东医谷,office,300.5,,available,{SOURCE},\n",
        encoding="utf-8",
    )
    call_command("import_records", "spaces", str(path), "--dry-run")
    assert "Dry run" in capsys.readouterr().out and not Space.objects.exists()
    call_command("import_records", "spaces", str(path))
    assert Space.objects.filter(park=reference).count() == 2

    bad = tmp_path / "policies.csv"
    bad.write_text(f"title_zh,source,level,max_amount_wan\n政策,{SOURCE},galactic,lots\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_records", "policies", str(bad))
    err = capsys.readouterr().err
    assert "column level" in err and "column max_amount_wan" in err
    assert not Policy.objects.exists()


@pytest.mark.django_db
def test_the_command_reads_a_gb18030_csv_as_excel_saves_it_in_china(reference, tmp_path):
    path = tmp_path / "institutions.csv"
    path.write_bytes(f"name_zh,kind,source\n华南理工大学,university,{SOURCE}\n".encode("gb18030"))
    call_command("import_records", "institutions", str(path), verbosity=0)
    from industry.models import ResearchInstitution

    assert ResearchInstitution.objects.get().name_zh == "华南理工大学"


@pytest.mark.django_db
def test_the_command_refuses_a_damaged_workbook_with_a_message(reference, tmp_path):
    path = tmp_path / "hospitals.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(CommandError, match="not a readable Excel"):
        call_command("import_records", "hospitals", str(path))


@pytest.mark.django_db
def test_text_excel_cannot_hold_is_exported_all_the_same(reference, editor):
    record = Enterprise.objects.create(name_zh="控制字符", description_en="bell\x07here", source=SOURCE)
    data = {"format": 1, "resource": 0, "export_items": [str(record.pk)]}
    response = editor.post(reverse("admin:industry_enterprise_export"), {**data, "enterpriseresource_id": "on"})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]


@pytest.mark.django_db
def test_an_export_takes_the_same_number_of_queries_for_3_or_30_records(reference):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    segment = ChainSegment.objects.get(code="car-t")
    counts = []
    for total in (3, 30):
        Enterprise.objects.all().delete()
        for i in range(total):
            Enterprise.objects.create(name_zh=f"企业{i}", park=reference, source=SOURCE).segments.add(segment)
        with CaptureQueriesContext(connection) as queries:
            dataset = resource_for(Enterprise)().export(Enterprise.objects.all())
        assert len(dataset) == total and set(dataset["park"]) == {"广东医谷"}
        counts.append(len(queries))
    assert counts[0] == counts[1]


def with_cell(dataset, column, value):
    """The first row of an exported sheet with one cell changed, as someone would in Excel."""
    row = list(dataset[0])
    row[dataset.headers.index(column)] = value
    return tuple(row)


@pytest.mark.django_db
def test_a_sheet_exported_before_a_colleagues_save_cannot_undo_it(reference, editor):
    record = Enterprise.objects.create(name_zh="甲生物", source=SOURCE)
    exported = resource_for(Enterprise)().export(Enterprise.objects.all())
    colleague = User.objects.create_user("colin", is_staff=True)
    record.contact_phone, record._history_user = "020-5555", colleague
    record.save()  # version 2, after the export

    exported[0] = with_cell(exported, "name_en", "Alpha")
    response = preview(editor, csv_file(list(exported), header=exported.headers))
    assert list(invalid_rows(response)) == [1]
    message = invalid_rows(response)[1]["version"][0]
    assert "sheet has version 1" in message and "at 2" in message and "colin" in message
    record.refresh_from_db()
    assert (record.name_en, record.contact_phone, record.version) == ("", "020-5555", 2)

    fresh = resource_for(Enterprise)().export(Enterprise.objects.all())  # exported again: applies
    fresh[0] = with_cell(fresh, "name_en", "Alpha")
    response = preview(editor, csv_file(list(fresh), header=fresh.headers))
    assert not invalid_rows(response)


@pytest.mark.django_db
@pytest.mark.parametrize("bad_id", ["1.5", "-1", "abc", "99999", "1e3", "\x00"])
def test_an_id_that_names_no_record_is_an_error_on_the_id_column(reference, editor, bad_id):
    Enterprise.objects.create(name_zh="甲生物", source=SOURCE)
    response = preview(editor, csv_file([[bad_id, "乙生物", SOURCE]], header=["id", "name_zh", "source"]))
    assert [list(errors) for errors in invalid_rows(response).values()] == [["id"]]
    assert Enterprise.objects.get().name_zh == "甲生物"


@pytest.mark.django_db
def test_confirming_twice_or_with_an_altered_form_asks_to_upload_again(reference, editor):
    response = preview(editor, csv_file(good_rows()))
    confirm = response.context["confirm_form"]
    data = {name: confirm[name].value() or "" for name in confirm.fields}
    url = reverse("admin:industry_enterprise_process_import")
    through_worker(editor, editor.post(url, data))
    assert Enterprise.objects.count() == 3
    for altered in ({}, {"format": "99"}, {"format": "abc"}, {"resource": "9"}, {"import_file_name": "nope"}):
        response = editor.post(url, {**data, **altered}, follow=True)
        assert response.status_code == 200
        assert "Upload it again" in response.content.decode() or "errorlist" in response.content.decode()
    assert Enterprise.objects.count() == 3


@pytest.mark.django_db
def test_the_admin_reads_a_csv_excel_saved_as_gb18030(reference, editor):
    upload = io.BytesIO(f"name_zh,ownership,source\n华南生物,民营企业,{SOURCE}\n".encode("gb18030"))
    upload.name = "gbk.csv"
    outcome = preview(editor, upload).context["outcome"]
    assert outcome["totals"]["new"] == 1 and outcome["problem_count"] == 0


def import_rows(rows, dry_run, header=HEADER, user=None):
    """Import `rows` through the resource as the background job does; (result, queries run)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nansha.staff.sheet_reading import ChineseCSV, read_dataset

    dataset = read_dataset(csv_file(rows, header=header).getvalue(), ChineseCSV())
    with CaptureQueriesContext(connection) as queries:
        result = resource_for(Enterprise)().import_data(
            dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True, user=user
        )
    return result, len(queries)


def linked_rows(count, start=0):
    return [
        ["", f"企业{i}", "", "", "private", "car-t;cdmo", "广东医谷", "", SOURCE, "", ""]
        for i in range(start, start + count)
    ]


@pytest.mark.django_db
def test_an_import_takes_a_constant_number_of_queries_per_row(reference):
    """New rows with links: each row costs its savepoints and its INSERT, in the check as in the apply.

    Pinned per row (the difference between 25 and 5 rows, over 20); the apply's links, history entries
    and their link snapshots are written in bulk at the end, a few statements per 1,000 rows. Before,
    19 queries a row in each step: constraint checks, lookups of the same park and segments, the link
    snapshot and the diff.
    """
    _result, check_5 = import_rows(linked_rows(5), dry_run=True)
    _result, check_25 = import_rows(linked_rows(25), dry_run=True)
    assert (check_25 - check_5) / 20 == 5  # the row's and the save's savepoints (2 pairs), the record's INSERT
    _result, apply_5 = import_rows(linked_rows(5), dry_run=False)
    _result, apply_25 = import_rows(linked_rows(25, start=100), dry_run=False)
    assert (apply_25 - apply_5) / 20 == 5
    assert apply_5 - check_5 <= 6  # links, history entries, their link snapshots: in bulk
    assert set(Enterprise.objects.get(name_zh="企业100").segments.values_list("code", flat=True)) == {"car-t", "cdmo"}
    assert Enterprise.objects.count() == 30


@pytest.mark.django_db
def test_an_imported_row_and_its_links_make_one_history_entry_that_holds_them(reference, editor):
    user = User.objects.get(username="erin")
    result, _queries = import_rows(linked_rows(1), dry_run=False, user=user)
    assert not result.has_errors() and not result.has_validation_errors()
    record = Enterprise.objects.get()
    [created] = record.history.all()
    assert created.history_type == "+" and created.history_user == user
    assert {link.chainsegment.code for link in created.segments.all()} == {"car-t", "cdmo"}

    changed = linked_rows(1)
    changed[0][0], changed[0][5] = str(record.pk), "cdmo"
    import_rows(changed, dry_run=False, user=user)
    latest, first = record.history.all()
    assert first == created and latest.history_type == "~"
    assert [link.chainsegment.code for link in latest.segments.all()] == ["cdmo"]


@pytest.mark.django_db
def test_two_rows_with_one_credit_code_are_refused_naming_the_row_that_holds_it(reference):
    rows = good_rows()[:1] * 2
    rows[1][1] = "甲生物二"
    result, _queries = import_rows(rows, dry_run=True)
    [row] = result.invalid_rows
    assert row.number == 2
    assert row.error_dict == {
        "credit_code": ["Another enterprise already has this credit code. (Alpha Bio, row 1 of this file)"]
    }
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_new_rows_written_in_several_batches_each_get_their_links_and_one_history_entry(reference, monkeypatch):
    from nansha.staff.history import CreatedRecordsHistory

    monkeypatch.setattr(CreatedRecordsHistory, "BATCH", 3)  # 7 rows: batches of 3, 3 and 1
    result, _queries = import_rows(linked_rows(7), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    for record in Enterprise.objects.all():
        [entry] = record.history.all()
        assert {link.chainsegment.code for link in entry.segments.all()} == {"car-t", "cdmo"}
        assert set(record.segments.values_list("code", flat=True)) == {"car-t", "cdmo"}
    assert Enterprise.objects.count() == 7
