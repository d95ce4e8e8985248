"""Test settings: the base settings with a fixed key and a fast password hasher.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Tests of throttling set their own rates.
API_THROTTLE_RATES = {"anonymous": "100000/min", "partner": "100000/min", "paging": "100000/min"}
MAP_EXPORT_RATE_ANONYMOUS = "100000/min"
# One process runs the suite: the shared cache is kept in memory too, so that tests pin the queries of their own
# code, not the database cache's. The tests of sharing between processes run servers with the real settings
# (tests/test_shared_state.py).
if not REDIS_URL:  # noqa: F405
    CACHES["shared"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "nansha-shared"}  # noqa: F405
