"""Backup and restore of everything the site stores, as one gzip-compressed JSON Lines file.

The first line is a header: the format, when and from which kind of database the backup was made, the migrations
that database had applied, and the content types and permissions. Then one line per record in Django's
serialization format (`{"model": ..., "pk": ..., "fields": {...}}`), model after model, each record with its
many-to-many links. The last line counts the records per model, so that a file cut short is refused.

Kept: every installed model's rows (the three apps' records, their history, users, groups, API keys, the admin's
log, django-axes' records...) except what migrate rebuilds and sessions. Content types and permissions are
numbered by each database in its own order, so records refer to them by natural key (app label and model name;
codename); every other key is written as it is, so a restore gives every record back its id, on SQLite and
PostgreSQL alike, and a backup of one restores into the other.

A restore replaces all of that in one transaction: either every record of the file is in and they all refer to
records that exist, or the database is left as it was.
"""

import datetime
import gzip
import json
import os
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import django
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.serializers import jsonl, python
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone

from nansha.ops.cache import bump_data_version

FORMAT = "nansha-backup"
FORMAT_VERSION = 1
# Rebuilt by migrate (content types, permissions) or not worth keeping (sessions: a restore logs everyone out).
NOT_BACKED_UP = {"contenttypes.ContentType", "auth.Permission", "sessions.Session"}
BY_NATURAL_KEY = (ContentType, Permission)
M2M_BATCH = 1000


class BackupError(Exception):
    """What is wrong with a backup file or a restore, said for the person who runs the command."""


def backed_up_models():
    """Every installed model with a table of its own, except NOT_BACKED_UP; by app (INSTALLED_APPS), then name."""
    return [
        model
        for app_config in apps.get_app_configs()
        for model in sorted(app_config.get_models(), key=lambda model: model._meta.model_name)
        if model._meta.managed and not model._meta.proxy and model._meta.label not in NOT_BACKED_UP
    ]


# ---------------------------------------------------------------- backup


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder without its rounding of times to milliseconds: a backup keeps them to the microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class RecordSerializer(jsonl.Serializer):
    """Django's JSON Lines, with natural keys for references to content types and permissions only.

    Many-to-many links come from the rows' prefetched links (see model_rows): Django's own serializer would
    build a query per row and link field even then.
    """

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = issubclass(field.related_model, BY_NATURAL_KEY)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        if not field.remote_field.through._meta.auto_created:
            return  # an explicit through model is backed up as a model of its own
        by_natural_key = issubclass(field.related_model, BY_NATURAL_KEY)
        self._current[field.name] = [
            related.natural_key() if by_natural_key else self._value_from_field(related, related._meta.pk)
            for related in obj._prefetched_objects_cache[field.name]
        ]

    def start_serialization(self):
        super().start_serialization()
        self.json_kwargs["cls"] = ExactJSONEncoder

    def end_object(self, obj):
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs) + "\n")
        self._current = None


def backup(path, *, using="default"):
    """Write everything to `path`; the number of records written per model label.

    The file appears only when complete (written beside it, then renamed). On PostgreSQL the whole backup reads
    one snapshot, so records saved meanwhile cannot make it inconsistent.
    """
    path = Path(path)
    partial = path.with_name(f".{path.name}.partial")
    connection = connections[using]
    counts = {}
    try:
        outermost = not connection.in_atomic_block
        # Readable by its owner only: the file holds password and API-key hashes and login addresses.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with (
            transaction.atomic(using=using),
            os.fdopen(descriptor, "wb") as raw,
            gzip.open(raw, "wt", encoding="utf-8") as stream,
        ):
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            write_line(stream, header(connection))
            for model in backed_up_models():
                rows = model_rows(model, using)
                counts[model._meta.label] = 0

                def counted(rows, label=model._meta.label):
                    for row in rows:
                        counts[label] += 1
                        yield row

                RecordSerializer().serialize(counted(rows), stream=stream)
            write_line(stream, {"end": {"records": counts}})
        os.replace(partial, path)
    except OSError as error:
        raise BackupError(f"Cannot write {path}: {error.strerror or error}.") from error
    except DatabaseError as error:
        raise BackupError(f"Cannot read the database: {error}".strip()) from error
    finally:
        partial.unlink(missing_ok=True)
    return counts


def write_line(stream, value):
    stream.write(json.dumps(value, ensure_ascii=False) + "\n")


def header(connection):
    using = connection.alias
    permissions = Permission.objects.using(using).select_related("content_type").order_by("pk")
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "created": timezone.now().isoformat(timespec="seconds"),
        "django": django.get_version(),
        "database": connection.vendor,
        "migrations": sorted(applied_migrations(connection)),
        "content_types": list(ContentType.objects.using(using).order_by("pk").values_list("app_label", "model")),
        "permissions": [[p.codename, *p.content_type.natural_key(), p.name] for p in permissions],
    }


def applied_migrations(connection):
    return {f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()}


def model_rows(model, using):
    """All rows of `model` by primary key, fetched in chunks, with what the serializer asks of each prefetched."""
    natural_fks = [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and issubclass(field.related_model, BY_NATURAL_KEY)
    ]
    links = [
        Prefetch(
            field.name,
            queryset=field.related_model._base_manager.select_related("content_type")
            if field.related_model is Permission
            else field.related_model._base_manager.only("pk"),
        )
        for field in model._meta.many_to_many
        if field.serialize and field.remote_field.through._meta.auto_created
    ]
    rows = model._base_manager.using(using).order_by("pk").select_related(*natural_fks).prefetch_related(*links)
    return rows.iterator(chunk_size=2000)


# ---------------------------------------------------------------- restore


class BackupFile:
    """A backup being read: `header` at once, then `records()` one at a time, then `counts` from its last line."""

    def __init__(self, path):
        self.path = Path(path)
        self.line_number = 0
        self.counts = None
        try:
            self._stream = gzip.open(self.path, "rt", encoding="utf-8")
        except OSError as error:
            raise BackupError(f"Cannot read {self.path}: {error.strerror or error}.") from error
        try:
            self._lines = self._read_lines()
            self.header = self._read_header()
        except BaseException:
            self._stream.close()
            raise

    def _read_header(self):
        try:
            header = json.loads(next(self._lines, ""))
        except OSError as error:
            raise BackupError(f"Cannot read {self.path}: {error.strerror or error}.") from error
        except ValueError:
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise BackupError(f"{self.path} is not a backup made by `manage.py backup` (no backup header).")
        if header.get("version") != FORMAT_VERSION:
            raise BackupError(
                f"{self.path} is a backup in format version {header.get('version')}; "
                f"this site reads version {FORMAT_VERSION}."
            )
        return header

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._stream.close()

    def _read_lines(self):
        try:
            for line in self._stream:
                self.line_number += 1
                yield line
        except gzip.BadGzipFile as error:
            if self.line_number == 0 and "Not a gzipped file" in str(error):
                raise BackupError(f"{self.path} is not a backup made by `manage.py backup` (not gzip).") from error
            raise BackupError(f"{self.path} is corrupt after line {self.line_number} ({error}).") from error
        except EOFError as error:
            raise BackupError(f"{self.path} is truncated: it stops in line {self.line_number + 1}.") from error
        except (zlib.error, UnicodeDecodeError) as error:
            raise BackupError(f"{self.path} is corrupt after line {self.line_number} ({error}).") from error

    def where(self):
        return f"{self.path}, line {self.line_number}"

    def records(self):
        """The records as Django's serializers write them; refuses a file without its closing line."""
        for line in self._lines:
            try:
                item = json.loads(line)
            except ValueError as error:
                raise BackupError(f"{self.where()}: not a JSON record ({error}); the file is corrupt.") from error
            if isinstance(item, dict) and "model" in item:
                yield item
            elif isinstance(item, dict) and isinstance(item.get("end"), dict):
                self.counts = item["end"].get("records")
                break
            else:
                raise BackupError(f"{self.where()}: neither a record nor the closing line; the file is corrupt.")
        else:
            raise BackupError(f"{self.path} is truncated: it ends at line {self.line_number}, before its last line.")
        for line in self._lines:  # to the end, so that gzip checks the file's checksum
            if line.strip():
                raise BackupError(f"{self.where()}: more after the closing line; the file is corrupt.")


def check_migrations(backup_file, connection):
    """Refuse a backup made at other migrations than the database's: its records would not fit the tables."""
    ours = applied_migrations(connection)
    theirs = set(backup_file.header.get("migrations", []))
    if ours == theirs:
        return
    problems = []
    if missing := sorted(theirs - ours):
        problems.append(f"this database lacks {few(missing)} (run `manage.py migrate` first)")
    if extra := sorted(ours - theirs):
        problems.append(
            f"the backup's database had not applied {few(extra)} "
            "(restore into a database migrated to the backup's migrations, then migrate)"
        )
    raise BackupError(f"{backup_file.path} was made at other migrations than this database's: {'; '.join(problems)}.")


def count_lines(counts, *, all_models=False):
    """One line per model: its label and number of records (only models with records unless all_models)."""
    return [f"  {label}: {count}" for label, count in counts.items() if count or all_models]


def few(names, shown=4):
    return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")


def restore(path, *, using="default", confirm=None):
    """Replace everything in the database with the backup at `path`, in one transaction.

    `confirm(header)` is asked once the file is known to be a backup that fits this database; when it answers
    False nothing happens and None is returned. Else the number of records restored per model label.
    """
    connection = connections[using]
    with BackupFile(path) as backup_file:
        check_migrations(backup_file, connection)
        if confirm is not None and not confirm(backup_file.header):
            return None
        ContentType.objects.clear_cache()
        try:
            with transaction.atomic(using=using):
                counts = replace_everything(backup_file, connection)
        except DatabaseError as error:
            raise BackupError(f"{backup_file.where()}: the database refused the data ({error}).".strip()) from error
        finally:
            ContentType.objects.clear_cache()
    bump_data_version()  # the site's cached responses are of the data replaced
    return counts


def replace_everything(backup_file, connection):
    using = connection.alias
    models = backed_up_models()
    tables = [model._meta.db_table for model in models]
    tables += [through._meta.db_table for through in auto_created_throughs(models)]
    if apps.is_installed("django.contrib.sessions"):
        tables.append(apps.get_model("sessions", "Session")._meta.db_table)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Checks deferred by earlier writes in this transaction (a test's) would make PostgreSQL refuse to
            # TRUNCATE; checking them now clears them.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for statement in connection.ops.sql_flush(no_style(), tables):
            cursor.execute(statement)
    add_missing_content_types_and_permissions(backup_file.header, using)

    counts = Counter()
    links = defaultdict(list)  # rows of the many-to-many tables, inserted in batches
    records = python.Deserializer(backup_file.records(), using=using)
    while True:
        try:
            record = next(records)
            m2m_data = record.m2m_data
            # Raw: no model save() logic, and signals know it is a load (so no history entries are added).
            record.save(save_m2m=False, using=using, force_insert=True)
            for name, targets in m2m_data.items():
                add_links(links, record.object, name, targets, using)
        except StopIteration:
            break
        except (BackupError, DatabaseError):
            raise
        except Exception as error:  # what the deserializer says of a record that does not fit its model
            raise BackupError(f"{backup_file.where()}: {error}") from error
        counts[record.object._meta.label] += 1
    for through, rows in links.items():
        through._base_manager.using(using).bulk_create(rows)

    expected = {label: count for label, count in (backup_file.counts or {}).items() if count}
    if dict(counts) != expected:
        raise BackupError(
            f"{backup_file.path} is corrupt: its last line counts {sum(expected.values())} records, "
            f"the file holds {sum(counts.values())}."
        )
    try:
        connection.check_constraints(table_names=tables)
    except DatabaseError as error:
        raise BackupError(f"{backup_file.path}: records refer to records that are not there ({error}).") from error
    with connection.cursor() as cursor:  # PostgreSQL: new records get ids above the restored ones
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    return {model._meta.label: counts[model._meta.label] for model in models}


def auto_created_throughs(models):
    return [
        field.remote_field.through
        for model in models
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]


def add_links(links, instance, name, targets, using):
    field = instance._meta.get_field(name)
    through = field.remote_field.through
    source = through._meta.get_field(field.m2m_field_name()).attname
    target = through._meta.get_field(field.m2m_reverse_field_name()).attname
    links[through].extend(through(**{source: instance.pk, target: pk}) for pk in targets)
    if len(links[through]) >= M2M_BATCH:
        through._base_manager.using(using).bulk_create(links.pop(through))


def add_missing_content_types_and_permissions(header, using):
    """Those the backup names that the database lacks, e.g. of a model since removed, named in the admin's log."""
    content_types = ContentType.objects.db_manager(using)
    present = set(content_types.values_list("app_label", "model"))
    content_types.bulk_create(
        ContentType(app_label=app_label, model=model)
        for app_label, model in header.get("content_types", [])
        if (app_label, model) not in present
    )
    permissions = Permission.objects.db_manager(using)
    present = set(permissions.values_list("codename", "content_type__app_label", "content_type__model"))
    missing = [entry for entry in header.get("permissions", []) if tuple(entry[:3]) not in present]
    if missing:
        ids = {(ct.app_label, ct.model): ct.pk for ct in content_types.all()}
        permissions.bulk_create(
            Permission(codename=codename, content_type_id=ids[(app_label, model)], name=name)
            for codename, app_label, model, name in missing
        )
