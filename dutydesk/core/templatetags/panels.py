"""``{% panels "home" %}`` / ``{% panels "unit" unit=unit %}``: the panels other apps contribute (core/panels.py)."""
from django import template

from dutydesk.core.panels import render_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot, **kwargs):
    return render_panels(slot, context["request"], **kwargs)
