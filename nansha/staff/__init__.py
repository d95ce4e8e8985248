"""The staff's tools around the Django admin: the record admin, input checks, map widgets, roles, refused stale
saves, history, freshness and spreadsheet import/export.

Imported by the apps' admin modules, import code and commands; it imports only nansha.records.
"""
