"""The staff's tools around the Django admin: the record admin, input checks, map widgets, roles, refused stale
saves, history, freshness, the staff home page (home.py), address search (geocoding.py), spreadsheet
import/export and its background tasks (background.py).

Imported by the apps' admin modules, import code and commands; it imports only nansha.records and the jobs app
(background jobs, which imports nothing of nansha).
"""
