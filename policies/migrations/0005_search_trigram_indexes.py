"""Trigram (pg_trgm) GIN indexes on the normalised search columns (see nansha.records.trigram_indexes)."""

from django.db import migrations

from nansha.records.trigram_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("policies", "0004_search_fields")]
    operations = [trigram_indexes("policies_policy")]
