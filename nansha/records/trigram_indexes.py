"""A migration operation: trigram (pg_trgm) GIN indexes on the normalised search columns.

They let the search's LIKE '%...%' use an index on PostgreSQL; on SQLite the operation does nothing
(its search scans the normalised column). Used by each app's search-index migration.
"""

from django.db import migrations

COLUMNS = ("search_names", "search_text")


def trigram_indexes(*tables):
    """A RunPython creating (and on reverse dropping) a trigram index on each search column of `tables`."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table in tables:
            for column in COLUMNS:
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
                )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in tables:
            for column in COLUMNS:
                schema_editor.execute(f"DROP INDEX IF EXISTS {table}_{column}_trgm")

    return migrations.RunPython(create, drop)
