"""Trigram (pg_trgm) GIN indexes on the normalised search columns (see nansha.records.trigram_indexes)."""

from django.db import migrations

from nansha.records.trigram_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("parks", "0006_search_fields")]
    operations = [trigram_indexes("parks_park")]
