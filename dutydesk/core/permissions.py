"""Permission codes granted by posts.

Each domain app lists its codes in its own ``permissions.py`` (``PERMISSIONS = {code: label}``);
a post in the catalogue grants a list of them, and a staff member's permissions in a project are
the union over the posts they hold there.
"""
from functools import cache
from importlib import import_module

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

PERMISSIONS: dict[str, StrOrPromise] = {}


@cache
def all_permissions() -> dict[str, StrOrPromise]:
    codes = dict(PERMISSIONS)
    for app in settings.DOMAIN_APPS:
        try:
            module = import_module(f"{app}.permissions")
        except ModuleNotFoundError:
            continue
        codes.update(getattr(module, "PERMISSIONS", {}))
    return codes


def is_known(code: str) -> bool:
    return code in all_permissions()


class Denied(Exception):
    """Raised by services when the acting user's posts do not allow the action."""

    def __init__(self, message: StrOrPromise | None = None) -> None:
        super().__init__(message or _("Your posts do not allow this action."))
