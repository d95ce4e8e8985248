"""Requests the database cannot take: query strings with NUL characters (400), and pages while it is away (503)."""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def reject_nul_characters(get_response):
    """A NUL character in an admin query string is refused up front, naming the parameter.

    PostgreSQL cannot store or compare text with NUL; forms and the public pages' filters refuse or
    ignore it, but the admin's list filters and autocomplete would pass it to the database.
    """

    def middleware(request):
        if not request.path_info.startswith("/admin/"):
            return get_response(request)
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return HttpResponseBadRequest(
                    f"The query parameter {name.replace(chr(0), '')!r} contains a NUL character.",
                    content_type="text/plain; charset=utf-8",
                )
        return get_response(request)

    return middleware


class DatabaseUnavailableMiddleware:
    """Turn a lost or refused database connection, or a SQLite write that gave up waiting for the lock held
    by a long import, into "try again shortly" (503 with Retry-After; JSON for the API).

    Clients, proxies and monitoring then see a temporary outage rather than a bug; the next
    request after the database is back opens a fresh connection (CONN_HEALTH_CHECKS).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        first_line = next(iter(str(exception).splitlines()), type(exception).__name__)
        # SQLite lets one writer at a time: a write that waited SQLITE_TIMEOUT for a long import's
        # transaction (the worker's) gives up with "database is locked". Nothing was written: try again.
        busy = isinstance(exception, OperationalError) and first_line == "database is locked"
        connection = connections["default"]
        if not busy and connection.connection is not None and connection.is_usable():
            return None  # the database answers: a real error (e.g. a missing table), reported as such
        logger.warning("database %s on %s: %s", "busy" if busy else "unavailable", request.path, first_line)
        if request.path.startswith(("/api/", "/ogc/")):
            detail = f"The database is {'busy' if busy else 'unavailable'}; try again shortly."
            response = JsonResponse({"detail": detail}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html", {"busy": busy}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
