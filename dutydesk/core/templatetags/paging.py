"""``{{ count|bounded }}``: a count from ``core.paging.bounded_count``, "10,000+" when it reached the cap."""
from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from dutydesk.core import paging

register = template.Library()


@register.filter
def bounded(count: int | None) -> str:
    if count is None or count == "":
        return ""
    return f"{intcomma(paging.COUNT_CAP)}+" if paging.is_capped(count) else intcomma(count)
