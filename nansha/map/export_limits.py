"""How much of the map a caller may export, and how often: no export may hold a web worker for long (issue 13).

- Rows: an export of anonymous visitors holds at most MAP_EXPORT_MAX_ROWS_ANONYMOUS records; partners (a valid
  X-Api-Key) and logged-in staff, who are those the one rule gives contacts (presentation.audience), at most
  MAP_EXPORT_MAX_ROWS. An Excel workbook is built whole in memory, so it holds at most MAP_XLSX_MAX_ROWS for
  anyone (CSV streams and is offered instead). A larger export is refused with a message, never cut silently.
- Rate: anonymous visitors make at most MAP_EXPORT_RATE_ANONYMOUS exports ("10/min": a number per s, min, hour
  or day) from one client address (as the API's throttles see it: nansha.api.access.client_address), counted in
  fixed windows in the cache every app process shares (nansha.ops.cache), so the limit holds across workers.
"""

import math
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from nansha.api.access import client_address
from nansha.ops.cache import shared_cache

MINUTE, HOUR, DAY = 60, 3600, 86400
PERIODS = {"s": 1, "sec": 1, "second": 1, "m": MINUTE, "min": MINUTE, "minute": MINUTE}
PERIODS |= {"h": HOUR, "hour": HOUR, "d": DAY, "day": DAY}


def parse_rate(rate):
    """(requests, seconds) of a rate such as "10/min"; ImproperlyConfigured for anything else."""
    number, _slash, period = str(rate).partition("/")
    try:
        requests, seconds = int(number), PERIODS[period.strip().lower()]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(f"An export rate is a number per s, min, hour or day, not {rate!r}.") from None
    if requests < 1:
        raise ImproperlyConfigured(f"An export rate allows at least one request, not {rate!r}.")
    return requests, seconds


def row_limit(signed_in):
    """The most records one export may hold for a caller: partners and staff (signed_in) or anonymous visitors."""
    return settings.MAP_EXPORT_MAX_ROWS if signed_in else settings.MAP_EXPORT_MAX_ROWS_ANONYMOUS


def seconds_to_wait(request):
    """Count an anonymous export from the request's address; the whole seconds to wait if it is over the rate.

    Returns None when the export may go ahead. Each call counts one request, refused or not.
    """
    return count_and_wait(request, "map-export", settings.MAP_EXPORT_RATE_ANONYMOUS)


def count_and_wait(request, scope, rate):
    """Count one request of `scope` (a short name) from the request's address against `rate` (e.g. "5/hour").

    Returns None while the address is within the rate, else the whole seconds until its window ends. Counted in
    fixed windows in the shared cache, so the limit holds across app processes; refused requests count too.
    """
    requests, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    key = f"nansha:{scope}:{client_address(request)}:{period}:{window}"
    cache = shared_cache()
    cache.add(key, 0, period + 1)
    try:
        made = cache.incr(key)  # atomic in Redis; the database cache reads and writes (a lost count at worst)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period + 1)
        made = 1
    if made <= requests:
        return None
    return max(1, math.ceil((window + 1) * period - now))
