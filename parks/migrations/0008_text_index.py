"""The text index the search looks up (SQLite FTS5 trigram tables kept by triggers; PostgreSQL trigram on the
pinyin key): see nansha.records.text_index."""

from django.db import migrations

from nansha.records.text_index import text_indexes


class Migration(migrations.Migration):
    dependencies = [("parks", "0007_search_trigram_indexes")]
    operations = [text_indexes("parks_park")]
