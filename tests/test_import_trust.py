"""Trust in spreadsheet imports (issue 12, items 1, 6 and 9): the confirm step's pending file, formula quoting
that round-trips exactly, CSVs in other encodings, and NUL characters in cells."""

import csv
import io
import os
import tempfile

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core import signing
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from industry.models import Enterprise
from nansha.records.spreadsheet_cells import quote_formula, unquote_formula
from nansha.staff import import_progress
from nansha.staff.roles import EDITORS, VIEWERS
from nansha.staff.spreadsheets import IMPORTABLE, resource_for
from parks.models import Space
from tests.job_worker import invalid_rows, through_worker

SOURCE = "import trust test"
SECRET = "机密内容 secret-line"
TEMP_FOLDER = "import_export.tmp_storages.TempFolderStorage"
CACHE = "import_export.tmp_storages.CacheStorage"


def client_for(name, role):
    user = User.objects.create_user(name, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def editor(db):
    return client_for("erin", EDITORS)


@pytest.fixture
def other_editor(db):
    return client_for("eve", EDITORS)


@pytest.fixture
def viewer(db):
    return client_for("vic", VIEWERS)


@pytest.fixture(params=[TEMP_FOLDER, CACHE])
def storage(request, settings):
    """Each test of the confirm step runs with both of the temp storages the settings choose between."""
    settings.IMPORT_EXPORT_TMP_STORAGE_CLASS = request.param
    return request.param


def admin_url(model, step):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{step}")


def upload(text, name="enterprises.csv", encoding="utf-8-sig"):
    content = io.BytesIO(text.encode(encoding) if isinstance(text, str) else text)
    content.name = name
    return content


def good_file():
    return upload(f"name_zh,name_en,source\n甲生物,Alpha,{SOURCE}\n乙生物,,{SOURCE}\n")


def csv_index(client, model=Enterprise):
    formats = client.get(admin_url(model, "import")).context["form"].fields["format"].choices
    return next(value for value, label in formats if str(label).lower() == "csv")


def preview(client, content, model=Enterprise):
    """Upload a file; once the worker has checked it, the job's page (with the confirm form if it passed)."""
    response = client.post(admin_url(model, "import"), {"import_file": content, "format": csv_index(client, model)})
    return through_worker(client, response) if response.status_code == 302 else response


def confirm(client, data, model=Enterprise):
    """Confirm a checked import; the job's page once the worker has applied it."""
    return through_worker(client, client.post(admin_url(model, "process_import"), data))


def confirm_data(response):
    form = response.context["confirm_form"]
    return {name: form[name].value() or "" for name in form.fields}


def pending_name(data):
    """The stored file's name inside a confirm form's token (or the bare name, as before the token)."""
    try:
        return signing.loads(data["import_file_name"], salt=import_progress.PENDING_SALT)["file"]
    except (signing.BadSignature, AttributeError):
        return data["import_file_name"]


def pending_is_kept(name, storage_class):
    if storage_class == CACHE:
        from django.core.cache import cache

        return cache.get("django-import-export-" + name) is not None
    return os.path.exists(os.path.join(tempfile.gettempdir(), name))


def refused(response):
    """The confirmation was refused with our message, and nothing of any file was shown."""
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported. Upload it again." in page or "no longer here" in page, page[-2000:]
    assert SECRET not in page
    return page


@pytest.fixture
def planted_file():
    """A CSV-shaped text file in the server's temp folder, as any other program could leave there."""
    handle, path = tempfile.mkstemp(suffix=".csv", text=True)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(f"name_zh,source\n{SECRET},{SOURCE}\n")
    yield path
    if os.path.exists(path):
        os.remove(path)


# 1. The confirm step: only the file of a preview this user made of this kind, and once.


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(IMPORTABLE.values()))
@pytest.mark.parametrize("how", ["name", "path", "traversal"])
def test_a_confirmation_naming_a_file_of_the_temp_folder_is_refused_for_every_kind(editor, planted_file, label, how):
    model = apps.get_model(label)
    name = {
        "name": os.path.basename(planted_file),
        "path": planted_file,
        "traversal": "../../.." + planted_file,
    }[how]
    data = {"import_file_name": name, "original_file_name": "x.csv", "format": csv_index(editor, model)}
    refused(editor.post(admin_url(model, "process_import"), data, follow=True))
    assert not model.objects.exists()
    assert os.path.exists(planted_file)  # not deleted


@pytest.mark.django_db
def test_a_tampered_or_unsigned_token_is_refused_and_the_real_file_kept(editor, storage):
    data = confirm_data(preview(editor, good_file()))
    name = pending_name(data)
    token = data["import_file_name"]
    forged = signing.dumps({"file": name, "user": 1, "model": "industry.Enterprise"})  # not our salt
    for altered in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), token + "x", forged, name, ""):
        refused(
            editor.post(admin_url(Enterprise, "process_import"), {**data, "import_file_name": altered}, follow=True)
        )
    for altered in ({"format": "1"}, {"resource": "1"}):  # the signed format and resource cannot be swapped
        refused(editor.post(admin_url(Enterprise, "process_import"), {**data, **altered}, follow=True))
    assert not Enterprise.objects.exists()
    assert pending_is_kept(name, storage)
    confirm(editor, data)  # the untouched confirmation still imports
    assert Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_another_users_token_is_refused_and_stays_theirs(editor, other_editor, storage):
    theirs = confirm_data(preview(other_editor, good_file()))
    refused(editor.post(admin_url(Enterprise, "process_import"), theirs, follow=True))
    assert not Enterprise.objects.exists()
    assert pending_is_kept(pending_name(theirs), storage)
    confirm(other_editor, theirs)
    assert Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_a_viewer_cannot_confirm_anyones_import(editor, viewer, storage):
    data = confirm_data(preview(editor, good_file()))
    assert viewer.post(admin_url(Enterprise, "process_import"), data).status_code == 403
    assert pending_is_kept(pending_name(data), storage)
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_a_token_of_another_kind_is_refused(editor, storage):
    data = confirm_data(preview(editor, good_file()))
    refused(editor.post(admin_url(Space, "process_import"), data, follow=True))
    assert not Space.objects.exists() and not Enterprise.objects.exists()
    assert pending_is_kept(pending_name(data), storage)


@pytest.mark.django_db
def test_a_token_is_used_once(editor, storage):
    data = confirm_data(preview(editor, good_file()))
    confirm(editor, data)
    page = refused(editor.post(admin_url(Enterprise, "process_import"), data, follow=True))
    assert "no longer here" in page
    assert Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_of_two_confirmations_sent_at_once_only_one_takes_the_file(editor, storage):
    """A double click: both requests pass the checks before either imports; the claim lets one through."""
    data = confirm_data(preview(editor, good_file()))
    model_admin = admin.site._registry[Enterprise]
    request = RequestFactory().post(admin_url(Enterprise, "process_import"), data)
    request.user = User.objects.get(username="erin")
    forms = [model_admin.get_confirm_form_class(request)(**model_admin.get_confirm_form_kwargs(request)) for _ in "ab"]
    assert all(form.is_valid() for form in forms)
    assert [model_admin.claim_pending_file(request, form) for form in forms] == [True, False]


@pytest.mark.django_db
def test_an_old_preview_is_refused_as_expired(editor, storage, settings, monkeypatch):
    data = confirm_data(preview(editor, good_file()))
    monkeypatch.setattr(import_progress, "PENDING_MAX_AGE", -1)
    page = refused(editor.post(admin_url(Enterprise, "process_import"), data, follow=True))
    assert "more than 6 hours old" in page
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_a_preview_that_cannot_be_confirmed_leaves_no_file_behind(editor, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the temp folder storage's folder, for this test
    preview(editor, upload(f"name_zh,founded_on,source\n甲生物,2021-02-30,{SOURCE}\n"))  # a bad row
    preview(editor, upload(b"\x00\x01garbage\xff"))  # not a sheet
    assert list(tmp_path.iterdir()) == []
    data = confirm_data(preview(editor, good_file()))
    assert [path.name for path in tmp_path.iterdir()] == [os.path.basename(pending_name(data))]
    confirm(editor, data)
    assert list(tmp_path.iterdir()) == [] and Enterprise.objects.count() == 2


# 6. Formula quoting: the whole class neutralised, every stored text read back exactly.

# What a spreadsheet runs as a formula at the start of a cell (OWASP "CSV Injection", plus the line feed).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

RISKY = [
    "=1+1",
    "\n=1+1",
    "\r\n=1+1",
    "\t=1+1",
    "abc;=1+1",
    "abc,=1+1",
    "abc\t=1+1",
    'abc;"=1+1"',
    "abc; =1+1",
    "a;@SUM(A1)",
    "-2+3",
    "+86 20 1234",
]
TRICKY = ["'=1+1", "'quoted", "''", "'", "x;'y", "x;''=1", "a;'=b", "it's", "O'Neil;=1"]


def runs_as_formula(cell):
    """Whether a spreadsheet could run part of the cell: it starts with a formula character, or a separator
    (then spaces or double quotes) is followed by one."""
    if not isinstance(cell, str) or cell.startswith("'"):
        inner = cell[1:] if isinstance(cell, str) else ""
        return any(
            inner[i] in ",;\t" and inner[i + 1 :].lstrip(' "').startswith(FORMULA_START) for i in range(len(inner))
        )
    return cell.startswith(FORMULA_START) or any(
        cell[i] in ",;\t" and cell[i + 1 :].lstrip(' "').startswith(FORMULA_START) for i in range(len(cell))
    )


@pytest.mark.parametrize("text", RISKY + TRICKY)
def test_every_formula_text_is_neutralised_and_reads_back_exactly(text):
    cell = quote_formula(text)
    assert not runs_as_formula(cell), repr(cell)
    assert unquote_formula(cell) == text


@given(st.text(alphabet=st.sampled_from(list("ab'=+-@;,\t\r\n \"")), max_size=12) | st.text(max_size=12))
@example("'=1")
def test_quoting_is_safe_and_exact_for_any_text(text):
    cell = quote_formula(text)
    assert not runs_as_formula(cell), repr(cell)
    assert unquote_formula(cell) == text


@pytest.mark.django_db
@pytest.mark.parametrize("text", RISKY + TRICKY)
def test_an_exported_and_reimported_text_is_stored_exactly_as_it_was(editor, text):
    record = Enterprise.objects.create(name_zh="甲生物", name_en=text, description_zh=text, source=SOURCE)
    exported = resource_for(Enterprise)().export(Enterprise.objects.all())
    column = exported.headers.index("name_en")
    assert not runs_as_formula(exported[0][column])
    content = upload(exported.csv)
    response = preview(editor, content)
    outcome = response.context["outcome"]
    assert outcome["problem_count"] == 0, outcome["problems"]
    assert outcome["totals"]["skip"] == 1, f"{text!r} read back as a change"  # nothing changed
    confirm(editor, confirm_data(response))
    record.refresh_from_db()
    assert (record.name_en, record.description_zh) == (text, text)


@pytest.mark.django_db
def test_the_map_export_neutralises_separators_and_line_feeds(demo):
    Enterprise.objects.filter(pk=Enterprise.objects.filter(status="published").first().pk).update(
        name_en="abc;=1+1", address_zh="\n=HYPERLINK(1)"
    )
    response = Client().get("/map/export.csv?layers=enterprises")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'abc;'=1+1" in cells and "'\n=HYPERLINK(1)" in cells
    assert not any(runs_as_formula(cell) for cell in cells)


# 9. Encodings other than UTF-8 and GB18030; NUL characters.

JAPANESE = "name_zh,source\n東京都港区の製薬会社,資料\n"


@pytest.mark.django_db
@pytest.mark.parametrize("encoding,named", [("shift_jis", "Shift-JIS"), ("cp932", "Shift-JIS")])
def test_a_shift_jis_csv_is_refused_naming_its_encoding(editor, encoding, named):
    response = preview(editor, upload(JAPANESE, encoding=encoding))
    page = response.content.decode()
    assert "neither UTF-8 nor GB18030" in page and named in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_the_command_refuses_a_shift_jis_csv_naming_its_encoding(db, tmp_path):
    path = tmp_path / "enterprises.csv"
    path.write_bytes(JAPANESE.encode("shift_jis"))
    with pytest.raises(CommandError, match="Shift-JIS"):
        call_command("import_records", "enterprises", str(path), verbosity=0)
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["癌症细胞疫苗", "¥100 °C ±5", "ＡＢＣ，１２３", "华南生物（二期）——“创新药”", "華南生物"]
)
def test_chinese_text_saved_as_gb18030_is_still_read(editor, name):
    response = preview(editor, upload(f"name_zh,source\n{name},{SOURCE}\n", encoding="gb18030"))
    outcome = response.context["outcome"]
    assert outcome["totals"]["new"] == 1 and outcome["problem_count"] == 0
    confirm(editor, confirm_data(response))
    assert Enterprise.objects.get().name_zh == name


NUL_FILE = f"name_zh,name_en,source\n甲生物,Alpha,{SOURCE}\n乙生物,Be\x00ta,{SOURCE}\n"


@pytest.mark.django_db
def test_a_nul_character_in_a_cell_is_refused_naming_row_and_column_in_the_admin(editor):
    rows = invalid_rows(preview(editor, upload(NUL_FILE)))
    assert [(number, list(errors)) for number, errors in rows.items()] == [(2, ["name_en"])]
    assert "NUL" in rows[2]["name_en"][0]
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_a_nul_character_in_a_cell_is_refused_naming_row_and_column_on_the_command_line(db, tmp_path, capsys):
    path = tmp_path / "enterprises.csv"
    path.write_bytes(NUL_FILE.encode("utf-8"))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_records", "enterprises", str(path), verbosity=0)
    assert "Row 2, column name_en: contains a NUL character" in capsys.readouterr().err
    assert not Enterprise.objects.exists()
