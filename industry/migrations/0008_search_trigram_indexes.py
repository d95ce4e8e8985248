"""Trigram (pg_trgm) GIN indexes on the normalised search columns (see nansha.records.trigram_indexes)."""

from django.db import migrations

from nansha.records.trigram_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("industry", "0007_search_fields")]
    operations = [trigram_indexes("industry_enterprise", "industry_hospital", "industry_researchinstitution", "industry_fund", "industry_serviceplatform", "industry_product", "industry_signedproject", "industry_clinicalproject")]
