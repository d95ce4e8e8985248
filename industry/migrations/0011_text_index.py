"""The text index the search looks up (SQLite FTS5 trigram tables kept by triggers; PostgreSQL trigram on the
pinyin key): see nansha.records.text_index."""

from django.db import migrations

from nansha.records.text_index import text_indexes


class Migration(migrations.Migration):
    dependencies = [("industry", "0010_english_labels_without_chinese")]
    operations = [text_indexes("industry_enterprise", "industry_hospital", "industry_researchinstitution", "industry_fund", "industry_serviceplatform", "industry_product", "industry_signedproject", "industry_clinicalproject")]
