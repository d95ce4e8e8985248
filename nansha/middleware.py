"""Pages while the database does not answer: 503 with Retry-After, not a 500."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Turn a lost or refused database connection into "try again shortly" (JSON for the API).

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
        logger.warning("database unavailable on %s: %s", request.path, first_line)
        if request.path.startswith(("/api/", "/ogc/")):
            response = JsonResponse({"detail": "The database is unavailable; try again shortly."}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
