"""Settings for `make bench`: production settings plus the baseline views and a per-request query count."""

from nansha.settings.base import *  # noqa: F403
from nansha.settings.base import MIDDLEWARE

ROOT_URLCONF = "benchmarks.urls"
MIDDLEWARE = ["benchmarks.middleware.count_queries", *MIDDLEWARE]
API_THROTTLE_RATES = {"anonymous": "10000000/min", "partner": "10000000/min", "paging": "10000000/min"}
# The map's exports are timed whole at every size (their caps are measured separately, with the real settings).
MAP_EXPORT_RATE_ANONYMOUS = "10000000/min"
MAP_EXPORT_MAX_ROWS_ANONYMOUS = MAP_EXPORT_MAX_ROWS = 10_000_000
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Measure the work, not the cache: every request is computed (the cache is measured separately).
PUBLIC_DATA_CACHE_SECONDS = 0
