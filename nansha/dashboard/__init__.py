"""The statistics dashboard (/dashboard/): charts and tables of published records."""
