"""The text index the search looks up (SQLite FTS5 trigram tables kept by triggers; PostgreSQL trigram on the
pinyin key): see nansha.records.text_index."""

from django.db import migrations

from nansha.records.text_index import text_indexes


class Migration(migrations.Migration):
    dependencies = [("policies", "0008_english_labels_without_chinese")]
    operations = [text_indexes("policies_policy")]
