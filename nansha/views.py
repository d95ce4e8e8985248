"""Pages that combine the apps."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from industry.models import ClinicalProject, Enterprise, Hospital, ResearchInstitution, ServicePlatform
from parks.models import Park, Space
from policies.models import Policy

logger = logging.getLogger(__name__)


def home(request):
    """Placeholder home page until the investor map lands: what the map holds, in published records."""
    counts = [
        (model._meta.verbose_name_plural, model.objects.published().count())
        for model in (Enterprise, Park, Space, Hospital, ResearchInstitution, ServicePlatform, Policy, ClinicalProject)
    ]
    return render(request, "home.html", {"counts": counts})


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("health check: database unavailable", exc_info=True)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
