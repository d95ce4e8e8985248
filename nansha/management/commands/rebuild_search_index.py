"""`manage.py rebuild_search_index`: recompute every record's search columns (and pinyin key) from its fields.

Saves keep the columns current; this is for data written around save() (bulk loads, SQL, restored
backups) and after a change to how text is normalised.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from nansha.records.models import SearchableRecord
from nansha.records.text_index import ensure_text_indexes

BATCH = 2000


def searchable_models():
    """Every concrete model the search box reads, in a stable order."""
    found = [m for m in apps.get_models() if issubclass(m, SearchableRecord) and not m._meta.abstract]
    return sorted(found, key=lambda m: m._meta.label)


def rebuild_search_index(models=None, batch=BATCH, only_empty=False):
    """Recompute the search columns of every row of `models` (default: all searchable ones), then refill their
    text index (nansha.records.text_index). Returns {label: rows}.

    only_empty: only rows whose search columns were never filled (rows that existed before the columns did).

    Rows are read and written in batches of `batch` ordered by id, each batch in one transaction;
    history and versions are left alone (the columns are derived, not edits).
    """
    counts = {}
    models = models or searchable_models()
    for model in models:
        columns = ["search_names", "search_text"]
        if any(f.name == "name_pinyin" for f in model._meta.concrete_fields):
            columns.append("name_pinyin")
        done, last_pk = 0, 0
        while True:
            rows = model._base_manager.filter(pk__gt=last_pk)
            if only_empty:
                rows = rows.filter(search_names="")
            rows = list(rows.order_by("pk")[:batch])
            if not rows:
                break
            for row in rows:
                row.refresh_search_fields()
            with transaction.atomic():
                model._base_manager.bulk_update(rows, columns)
            done, last_pk = done + len(rows), rows[-1].pk
        counts[model._meta.label] = done
    if not only_empty:
        ensure_text_indexes(models, rebuild=True)
    return counts


def fill_empty_search_columns(**kwargs):
    """After `migrate` (post_migrate): index the rows that existed before the search columns, so an upgraded
    database finds them without a manual rebuild, and put back any text index a migration dropped.
    A few cheap queries per model when there is nothing to do."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        ready = [
            model
            for model in searchable_models()
            if model._meta.db_table in tables
            and "search_names"
            in {column.name for column in connection.introspection.get_table_description(cursor, model._meta.db_table)}
        ]  # a migrate back to before the search columns leaves them out
    rebuild_search_index(ready, only_empty=True)
    ensure_text_indexes(ready)  # SQLite drops a table's triggers when a migration rebuilds the table


class Command(BaseCommand):
    help = "Recompute the search columns (normalised names, aliases, text, pinyin) of every searchable record."

    def handle(self, *args, **options):
        for label, count in rebuild_search_index().items():
            self.stdout.write(f"{label}: {count}")
