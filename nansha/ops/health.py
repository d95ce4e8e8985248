"""Operational endpoints."""

import logging
import threading

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

# A probe that outlives its wait (a database that accepts connections and never answers) keeps its thread until
# the driver gives up; while this many are still waiting, /healthz answers 503 at once rather than start another.
MAX_WAITING_PROBES = 4
_probe_slots = threading.BoundedSemaphore(MAX_WAITING_PROBES)


@never_cache
def healthz(request):
    """200 when the database answers, 503 (JSON, at once or within the connect timeout) when it does not.

    The question goes on a fresh connection in a thread of its own, so that a database that hangs cannot hold
    the request (and with it a gunicorn worker) longer than the wait: the connect timeout, 5 s unless
    DB_CONNECT_TIMEOUT says otherwise.
    """
    if not _probe_slots.acquire(blocking=False):
        return unavailable("timeout")
    probe = DatabaseProbe()
    probe.start()
    probe.join(probe_wait())
    if probe.is_alive():
        logger.warning("health check: the database did not answer within %s s", probe_wait())
        return unavailable("timeout")
    if probe.error is not None:
        logger.warning("health check: database unavailable: %s", probe.error)
        return unavailable("unreachable")
    return JsonResponse({"status": "ok", "database": "ok"})


def unavailable(reason):
    return JsonResponse({"status": "unavailable", "database": reason}, status=503)


def probe_wait():
    """Seconds to wait for the database: PostgreSQL's connect timeout (settings.base), else 5."""
    return float(settings.DATABASES["default"].get("OPTIONS", {}).get("connect_timeout", 5))


class DatabaseProbe(threading.Thread):
    """`SELECT 1` on a connection of this thread's own, closed afterwards; `error` says what went wrong."""

    def __init__(self):
        super().__init__(name="healthz-database-probe", daemon=True)
        self.error = None

    def run(self):
        try:
            self.ask()
        except Exception as error:  # whatever the driver raises, the answer is "unavailable"
            self.error = error
        finally:
            _probe_slots.release()

    def ask(self):
        connection = connections["default"]  # connections are per thread: this one is new
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        finally:
            connection.close()
