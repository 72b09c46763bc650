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
