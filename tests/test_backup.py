"""`manage.py backup` and `manage.py restore`: everything comes back as it was, or nothing changes.

The tests run on the suite's database (SQLite or PostgreSQL); the last one restores a backup of it into a fresh
database of the other kind.
"""

import gzip
import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from rest_framework_api_key.models import APIKey

from industry.models import ChainSegment, Enterprise
from nansha.datasets.demo import load_demo
from nansha.ops import cache
from parks.models import Park
from policies.models import Policy
from tests.test_health import database_url, manage, scratch_postgres_database

NOT_BACKED_UP = {ContentType, Permission, apps.get_model("sessions", "Session")}


@pytest.fixture
def site(db):
    """The demo data, staff and what they leave behind: groups, an API key, the admin's log, history."""
    load_demo()
    editors, _created = Group.objects.get_or_create(name="editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="parks"))
    admin = User.objects.create_superuser("admin", "admin@example.org", "pw-admin-1")
    editor = User.objects.create_user("editor", "editor@example.org", "pw-editor-1", is_staff=True)
    editor.groups.add(editors)
    editor.user_permissions.add(Permission.objects.get(codename="view_policy"))
    APIKey.objects.create_key(name="partner")
    park = Park.objects.order_by("pk").first()
    park._history_user = editor
    park.description_en = "Edited by an editor."
    park.save()
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Park),
        object_id=str(park.pk),
        object_repr=str(park),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Description (English)"]}}]',
    )
    return park


def snapshot():
    """Every row of every model that a backup keeps, serialized, by model label."""
    rows = {}
    for model in apps.get_models():
        if model in NOT_BACKED_UP or model._meta.proxy or not model._meta.managed:
            continue
        records = serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True, use_natural_primary_keys=False
        )
        for record in records:  # links in a stable order
            for field in model._meta.many_to_many:
                record["fields"][field.name] = sorted(record["fields"][field.name], key=repr)
        rows[model._meta.label] = records
    return rows


def assert_same_rows(after, before):
    """Model by model, so that a failure names the model."""
    assert list(after) == list(before)
    for label, rows in before.items():
        assert after[label] == rows, label


def change_everything(park):
    """What staff might do after a backup: edit, delete, create, in records, history and accounts."""
    park.name_en = "Renamed"
    park.save()
    Enterprise.objects.all().delete()
    Policy.objects.create(title_zh="新政策", source="test", level="district")
    User.objects.filter(username="editor").delete()
    Group.objects.all().delete()
    APIKey.objects.create_key(name="another partner")


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_a_restore_brings_back_every_record_exactly(site, tmp_path):
    before = snapshot()
    path = tmp_path / "site.jsonl.gz"

    output = run("backup", str(path))

    total = sum(len(rows) for rows in before.values())
    assert f"Wrote {total} records to {path}:" in output
    assert path.stat().st_mode & 0o777 == 0o600  # it holds password hashes: its owner's only
    assert f"  industry.Enterprise: {len(before['industry.Enterprise'])}\n" in output and "  auth.User: 2\n" in output
    assert len(before["parks.HistoricalPark"]) > len(before["parks.Park"])  # history is data too
    assert before["rest_framework_api_key.APIKey"] and before["admin.LogEntry"] and before["auth.Group"]

    change_everything(site)
    assert snapshot() != before

    output = run("restore", str(path), "--no-input")

    assert (
        f"Restored {total} records from {path}:" in output and f"  parks.Park: {len(before['parks.Park'])}\n" in output
    )
    assert_same_rows(snapshot(), before)
    editor = User.objects.get(username="editor")
    assert editor.check_password("pw-editor-1") and editor.has_perm("parks.change_park")


def test_new_records_get_fresh_ids_after_a_restore(site, tmp_path):
    path = tmp_path / "site.jsonl.gz"
    run("backup", str(path))
    highest = Park.objects.order_by("-pk").first().pk
    Park.objects.all().delete()

    run("restore", str(path), "--no-input")

    park = Park.objects.create(name_zh="新园区", source="test", kind="industrial_park")
    assert park.pk > highest
    assert park.history.get().history_type == "+"
    assert ChainSegment.objects.create(code="new", name_zh="新环节", stage="upstream").pk
    assert User.objects.create_user("newcomer").pk > User.objects.get(username="editor").pk


def test_a_restore_clears_the_sites_cached_responses(site, tmp_path):
    path = tmp_path / "site.jsonl.gz"
    run("backup", str(path))
    version = cache.data_version()

    run("restore", str(path), "--no-input")

    assert cache.data_version() != version


def test_a_restore_asks_first(site, tmp_path, monkeypatch):
    path = tmp_path / "site.jsonl.gz"
    run("backup", str(path))
    change_everything(site)
    changed = snapshot()
    questions = []

    monkeypatch.setattr("builtins.input", lambda question: questions.append(question) or "no")
    with pytest.raises(CommandError, match="Restore cancelled: nothing changed"):
        run("restore", str(path))
    assert "This replaces everything in the database" in questions[0]
    assert_same_rows(snapshot(), changed)

    monkeypatch.setattr("builtins.input", lambda question: "yes")
    run("restore", str(path))
    assert snapshot() != changed


def read_lines(path):
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return stream.read().splitlines(keepends=True)


def write_lines(path, lines):
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.writelines(lines)


def first_record(lines, model):
    return next(number for number, line in enumerate(lines) if f'"model": "{model}"' in line)


def cut_short(path):
    path.write_bytes(path.read_bytes()[:-300])


def drop_last_line(path):
    write_lines(path, read_lines(path)[:-1])


def drop_a_record(path):
    lines = read_lines(path)
    del lines[first_record(lines, "parks.park")]
    write_lines(path, lines)


def garble_a_record(path):
    lines = read_lines(path)
    number = first_record(lines, "industry.enterprise")
    lines[number] = lines[number][:40] + "\n"
    write_lines(path, lines)


def set_field(path, model, field, value):
    lines = read_lines(path)
    number = first_record(lines, model)
    record = json.loads(lines[number])
    record["fields"][field] = value
    lines[number] = json.dumps(record, ensure_ascii=False) + "\n"
    write_lines(path, lines)


def repeat_a_record(path):
    lines = read_lines(path)
    number = first_record(lines, "parks.park")
    lines.insert(number, lines[number])
    write_lines(path, lines)


def change_migrations(path):
    lines = read_lines(path)
    header = json.loads(lines[0])
    header["migrations"] = [name for name in header["migrations"] if not name.startswith("parks.")]
    lines[0] = json.dumps(header) + "\n"
    write_lines(path, lines)


DAMAGES = {
    "not gzip": (lambda path: path.write_text("model,pk\nparks.park,1\n"), "is not a backup made by"),
    "gzip of something else": (lambda path: write_lines(path, ['{"rows": []}\n']), "is not a backup made by"),
    "cut short": (cut_short, "is truncated"),
    "without its last line": (drop_last_line, "is truncated: it ends at line"),
    "a record missing": (drop_a_record, "is corrupt: its last line counts"),
    "a garbled record": (garble_a_record, r"line \d+: not a JSON record"),
    "a record that refers to nothing": (
        lambda path: set_field(path, "industry.clinicalproject", "hospital", 999_999),
        "records refer to records that are not there",
    ),
    "a record with a wrong value": (
        lambda path: set_field(path, "parks.park", "lat", "north"),
        r"line \d+: .*north",
    ),
    "a record with an unknown field": (
        lambda path: set_field(path, "parks.park", "no_such_field", 1),
        r"line \d+: .*no_such_field",
    ),
    "a record twice": (repeat_a_record, r"line \d+: the database refused the data"),
    "other migrations": (change_migrations, "was made at other migrations than this database's"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_backup_changes_nothing(site, tmp_path, damage):
    damage_file, message = DAMAGES[damage]
    path = tmp_path / "site.jsonl.gz"
    run("backup", str(path))
    damage_file(path)
    change_everything(site)
    current = snapshot()

    with pytest.raises(CommandError, match=message):
        run("restore", str(path), "--no-input")

    assert_same_rows(snapshot(), current)


def test_a_missing_file_is_named():
    with pytest.raises(CommandError, match="Cannot read nowhere.jsonl.gz: No such file or directory"):
        run("restore", "nowhere.jsonl.gz", "--no-input")


def records_of(path):
    """The backup's records (not its header), as parsed JSON: the same whatever database wrote them."""
    return [json.loads(line) for line in read_lines(path)[1:]]


MIGRATE_RESTORE_BACKUP = (
    "from django.core.management import call_command; "
    "call_command('migrate', interactive=False, verbosity=0); "
    "call_command('restore', {source!r}, interactive=False, verbosity=0); "
    "call_command('backup', {copy!r}, verbosity=0)"
)


def test_a_backup_restores_into_the_other_kind_of_database(site, tmp_path):
    """SQLite to PostgreSQL in the SQLite run, PostgreSQL to SQLite in the PostgreSQL run."""
    source, copy = tmp_path / "source.jsonl.gz", tmp_path / "copy.jsonl.gz"
    run("backup", str(source))
    script = MIGRATE_RESTORE_BACKUP.format(source=str(source), copy=str(copy))

    if connection.vendor == "sqlite":
        with scratch_postgres_database("restore") as name:
            manage("shell", "--command", script, database_url=database_url(name))
    else:
        manage("shell", "--command", script, database_url=f"sqlite:///{tmp_path / 'copy.sqlite3'}")

    assert json.loads(read_lines(copy)[0])["database"] != connection.vendor
    assert records_of(copy) == records_of(source)
