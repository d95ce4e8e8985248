"""API errors as JSON that names what was wrong; never a 500 for what a caller can send."""

from concurrency.exceptions import RecordModifiedError
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, ProtectedError):
        response = Response(
            {"detail": _("Other records still refer to this one; change or remove them first.")},
            status=status.HTTP_409_CONFLICT,
        )
        return response
    if isinstance(exc, RecordModifiedError):
        record = exc.target
        stored = type(record)._default_manager.filter(pk=record.pk).values_list("version", flat=True).first()
        return Response(
            {
                "detail": _(
                    "The record was changed by someone else after you read it; your change was not applied. "
                    "Read it again and re-apply your change to the current version."
                ),
                "your_version": record.version,
                "current_version": stored,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, Http404) and str(exc).endswith("matches the given query."):
        # get_object_or_404's message ("No Enterprise matches the given query.") is English whatever the language.
        exc = exceptions.NotFound(_("No record with this id."))
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    return drf_exception_handler(exc, context)


def not_found(request, exception=None):
    """Django's 404 for every URL; under /api/ and /ogc/ (a URL no route matches, e.g. an id that is not a
    number) JSON as the API's own 404s are, so that clients read one kind of error."""
    if request.path.startswith(("/api/", "/ogc/")):
        return JsonResponse({"detail": _("No such resource: see the API document at /api/schema/.")}, status=404)
    return page_not_found(request, exception)
