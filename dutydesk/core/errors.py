"""Domain errors: what services raise when input breaks a rule or the object's state forbids the action.

They know nothing of HTTP; ``dutydesk.core.api.exception_handler`` turns them into the API's 400 and 409 bodies and
the pages show their messages."""
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

CONFLICT_DETAIL = _("This action conflicts with the current state of the object.")


class BusinessRuleError(Exception):
    """Raised by services for input that breaks a rule: becomes 400 {"errors": {field: [msg]}}."""

    def __init__(self, errors: str | Mapping[str, Any]) -> None:
        if isinstance(errors, str):
            errors = {"non_field_errors": [errors]}
        self.errors = {field: [str(m) for m in (msgs if isinstance(msgs, list | tuple) else [msgs])]
                       for field, msgs in errors.items()}
        super().__init__(self.errors)


class StateConflict(Exception):
    """Raised by services when an action does not fit the object's state: becomes 409."""

    def __init__(self, detail: object = None) -> None:
        self.detail = str(detail or CONFLICT_DETAIL)
        super().__init__(self.detail)
