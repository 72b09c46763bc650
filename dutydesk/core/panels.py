"""Panels: how an app adds a box to a page that a lower app owns, without importing upward.

A page names a *slot* ("home", "unit", "resident"); each app contributes panels to it from its own
``panels.py`` (found by autodiscovery, like ``admin.py``)::

    from dutydesk.core import panels

    @panels.register("unit", order=30, template="tickets/panels/unit_tickets.html")
    def unit_tickets(request, *, unit):
        if not access.has_perm(request.user, "tickets.view"):
            return None                      # None hides the panel (no permission, nothing to show)
        return {"tickets": selectors.for_unit(request.user, unit)[:10]}

and the page renders them with ``{% load panels %}{% panels "unit" unit=unit %}``. Panels render in
``order``; a panel's context function must be cheap (bounded queries, no N+1).
"""
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.functional import lazy
from django.utils.module_loading import autodiscover_modules
from django.utils.safestring import SafeString, mark_safe


# context(request, **page objects) -> the panel's template context, or None to hide it
PanelContext = Callable[..., dict[str, Any] | None]

# A home page's panels speak of at most this many of a person's projects: a group's manager holds a post in each of
# hundreds, and the KPI cards and the collection rates took ten statements a project (40 projects: 335 statements,
# 816 ms); the scorecards and the billing pages show every project, one at a time.
HOME_PROJECTS = 5


def first_projects(project_ids: Iterable[int]) -> tuple[list[int], int]:
    """The first ``HOME_PROJECTS`` of ``project_ids`` (each once, in order) and how many more there are."""
    distinct = list(dict.fromkeys(project_ids))
    return distinct[:HOME_PROJECTS], max(len(distinct) - HOME_PROJECTS, 0)


@dataclass(frozen=True)
class Panel:
    slot: str
    order: int
    template: str
    context: PanelContext


_registry: dict[str, list[Panel]] = defaultdict(list)
_discovered = False


def register(slot: str, *, template: str, order: int = 50) -> Callable[[PanelContext], PanelContext]:
    """Decorator: contribute the decorated context function as a panel of ``slot``."""
    def decorator(func: PanelContext) -> PanelContext:
        _registry[slot].append(Panel(slot=slot, order=order, template=template, context=func))
        _registry[slot].sort(key=lambda p: (p.order, p.template))
        return func
    return decorator


def panels_for(slot: str) -> list[Panel]:
    global _discovered
    if not _discovered:
        autodiscover_modules("panels")
        _discovered = True
    return list(_registry.get(slot, ()))


def render_panels(slot: str, request: HttpRequest, **kwargs: Any) -> SafeString:
    """The HTML of every panel of ``slot`` that has something to show for this request."""
    parts = []
    # Rendered without the context processors (the page around the panels already ran them once):
    # a panel gets the request, the user and a CSRF token for its forms.
    base = {"request": request, "user": getattr(request, "user", None), "csrf_token": lazy(lambda: get_token(request), str)()}
    for panel in panels_for(slot):
        context = panel.context(request, **kwargs)
        if context is None:
            continue
        parts.append(render_to_string(panel.template, {**base, **kwargs, **context}))
    return mark_safe("".join(parts))
