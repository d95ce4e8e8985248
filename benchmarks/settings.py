"""Settings for `make bench`: production settings plus the baseline views and a per-request query count."""

import os

from nansha.settings.base import *  # noqa: F403
from nansha.settings.base import MIDDLEWARE

ROOT_URLCONF = "benchmarks.urls"
MIDDLEWARE = ["benchmarks.middleware.count_queries", *MIDDLEWARE]
# No API throttling: every request of the bench comes from one address, and DRF's throttle keeps that caller's
# history (one timestamp per request in the last minute) in one entry read and written at each request, so under
# load it would measure a list of thousands of timestamps rather than the app. (Its cost at a real rate: one
# shared-cache read and write per API request.)
API_THROTTLE_RATES = {}
# The map's exports are timed whole at every size (their caps are measured separately, with the real settings).
MAP_EXPORT_RATE_ANONYMOUS = "10000000/min"
MAP_EXPORT_MAX_ROWS_ANONYMOUS = MAP_EXPORT_MAX_ROWS = 10_000_000
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Measure the work, not the cache: every request is computed. The cache is measured by a second server started
# with BENCH_CACHE_SECONDS (benchmarks/run.py).
PUBLIC_DATA_CACHE_SECONDS = int(os.environ.get("BENCH_CACHE_SECONDS", "0"))
