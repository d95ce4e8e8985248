"""Indexes for the search box on PostgreSQL: trigram (pg_trgm) GIN indexes for `icontains` / `contains`
on names and pinyin, and an index on the upper-cased credit code for its case-insensitive match.
SQLite has no such index kinds; its searches scan, which is fine at its scale."""

from django.db import migrations

INDEXES = {
    "enterprise_name_zh_trgm": "USING gin (UPPER(name_zh) gin_trgm_ops)",
    "enterprise_name_en_trgm": "USING gin (UPPER(name_en) gin_trgm_ops)",
    "enterprise_pinyin_trgm": "USING gin (name_pinyin gin_trgm_ops)",
    "enterprise_credit_upper": "(UPPER(credit_code))",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON industry_enterprise {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("industry", "0003_name_pinyin")]
    operations = [migrations.RunPython(create, drop)]
