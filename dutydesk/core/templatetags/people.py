"""``{{ user|person }}``: a person's name as staff read it (full name, else the login name); "—" for nobody.
Safe on an empty relation (an unclaimed ticket has no owner, a deleted clerk no user)."""
from typing import Any

from django import template

register = template.Library()


@register.filter
def person(user: Any) -> str:
    if user is None or user == "":
        return "—"
    return (user.get_full_name() if hasattr(user, "get_full_name") else "") or getattr(user, "username", "") or "—"


def person_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """``person`` of a user read as values (a list's row without model instances): Django's full name (first and
    last, trimmed), else the login name, else "—"."""
    return f"{first_name or ''} {last_name or ''}".strip() or username or "—"
