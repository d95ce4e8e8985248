"""The admin's address search (/admin/geocode/?address=…): staff only, JSON, the server asks the service."""

from django.contrib import admin
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nansha.staff.geocoding import GeocodingError, geocode


@require_GET
def geocode_address(request):
    """{"lat", "lng" (WGS-84 degrees), "approximate", "level", "address", "service", "message"}, or
    {"error": why} with 400 (no address), 404 (nothing found), 502 (the service failed) or 503 (none configured)."""
    try:
        found = geocode(request.GET.get("address", ""))
    except GeocodingError as error:
        return JsonResponse({"error": str(error)}, status=error.status)
    if found.approximate:
        message = _("Found “%(address)s” only approximately (%(level)s): check the point on the map.")
    else:
        message = _("Found “%(address)s” (%(level)s).")
    return JsonResponse({**found.as_dict(), "message": message % {"address": found.address, "level": found.level}})


geocode_view = admin.site.admin_view(geocode_address)
