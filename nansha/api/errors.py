"""API errors as JSON that names what was wrong; never a 500 for what a caller can send."""

from concurrency.exceptions import RecordModifiedError
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, ProtectedError):
        response = Response(
            {"detail": "Other records still refer to this one; change or remove them first."},
            status=status.HTTP_409_CONFLICT,
        )
        return response
    if isinstance(exc, RecordModifiedError):
        record = exc.target
        stored = type(record)._default_manager.filter(pk=record.pk).values_list("version", flat=True).first()
        return Response(
            {
                "detail": "The record was changed by someone else after you read it; your change was not applied. "
                "Read it again and re-apply your change to the current version.",
                "your_version": record.version,
                "current_version": stored,
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    return drf_exception_handler(exc, context)
