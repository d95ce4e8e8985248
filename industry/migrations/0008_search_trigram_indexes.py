"""Trigram (pg_trgm) GIN indexes on the normalised search columns, so that the search's LIKE '%...%'
uses an index on PostgreSQL. SQLite has no such index; its search scans the normalised column."""

from django.db import migrations

TABLES = "industry_enterprise industry_hospital industry_researchinstitution industry_fund industry_serviceplatform industry_product industry_signedproject industry_clinicalproject".split()
COLUMNS = ("search_names", "search_text")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        for column in COLUMNS:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for column in COLUMNS:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("industry", "0007_search_fields")]
    operations = [migrations.RunPython(create, drop)]
