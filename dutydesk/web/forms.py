"""A page's form errors, said the way the API says them: the page and the API validate the same input with the
same serializers and services, so a page shows the API's 400 messages beside its form."""
from rest_framework.exceptions import ValidationError

from dutydesk.core.errors import BusinessRuleError


def error_lists(exc: ValidationError | BusinessRuleError) -> dict[str, list[str]]:
    """A serializer's ``ValidationError`` or a service's ``BusinessRuleError`` as ``{field: [message]}`` (the body
    of the API's 400 answer)."""
    if isinstance(exc, BusinessRuleError):
        return exc.errors
    detail = exc.detail
    if isinstance(detail, dict):
        return {key: [str(m) for m in (value if isinstance(value, list) else [value])] for key, value in detail.items()}
    return {"non_field_errors": [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def error_text(exc: ValidationError | BusinessRuleError) -> str:
    """All the messages in one line, for a page that reports them above the form (``messages.error``)."""
    return " ".join(message for messages in error_lists(exc).values() for message in messages)
