"""``{{ count|bounded }}``: a count from ``core.paging.bounded_count``, "10,000+" when it reached the cap;
``{{ count|badge }}``: a tab's count, "999+" above ``BADGE_CAP`` (whichever cap it was counted with)."""
from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from dutydesk.core import paging

register = template.Library()


@register.filter
def bounded(count: int | None) -> str:
    if count is None or count == "":
        return ""
    return f"{intcomma(paging.COUNT_CAP)}+" if paging.is_capped(count) else intcomma(count)


@register.filter
def badge(count: int | None) -> str:
    if count is None or count == "":
        return ""
    return f"{paging.BADGE_CAP}+" if count > paging.BADGE_CAP else intcomma(count)
