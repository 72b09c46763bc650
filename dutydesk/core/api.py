"""API conventions of shared/API.md: Bearer tokens, pagination, error bodies, 409 conflicts. The domain errors
themselves live in ``dutydesk.core.errors``; here they become HTTP answers."""
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dutydesk.core.errors import CONFLICT_DETAIL, BusinessRuleError, StateConflict
from dutydesk.core.permissions import Denied


class Conflict(exceptions.APIException):
    """The action conflicts with the object's state (a key already lent, resolving a closed ticket)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = CONFLICT_DETAIL
    default_code = "conflict"


def _as_error_lists(detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return {key: _as_error_lists(value) if isinstance(value, dict) else [str(v) for v in (value if isinstance(value, list) else [value])]
                for key, value in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in detail]}
    return {"non_field_errors": [str(detail)]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, BusinessRuleError):
        return Response({"errors": exc.errors}, status=400)
    if isinstance(exc, StateConflict):
        return Response({"detail": exc.detail}, status=409)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return Response({"errors": _as_error_lists(detail)}, status=400)
    if isinstance(exc, Denied):
        exc = exceptions.PermissionDenied(str(exc))
    if isinstance(exc, ObjectDoesNotExist):
        exc = Http404()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": _as_error_lists(exc.detail)}
    return response
