"""``{% panels "home" %}`` / ``{% panels "unit" unit=unit %}``: the panels other apps contribute (core/panels.py)."""
from typing import Any

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from dutydesk.core.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: Context, slot: str, **kwargs: Any) -> SafeString:
    return render_panels(slot, context["request"], **kwargs)
