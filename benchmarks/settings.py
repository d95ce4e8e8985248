"""Settings for `make bench`: production settings plus the baseline views and a per-request query count."""

from nansha.settings.base import *  # noqa: F403
from nansha.settings.base import MIDDLEWARE

ROOT_URLCONF = "benchmarks.urls"
MIDDLEWARE = ["benchmarks.middleware.count_queries", *MIDDLEWARE]
API_THROTTLE_RATES = {"anonymous": "10000000/min", "partner": "10000000/min", "paging": "10000000/min"}
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Measure the work, not the cache: every request is computed (the cache is measured separately).
PUBLIC_DATA_CACHE_SECONDS = 0
