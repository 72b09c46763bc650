from datetime import datetime
from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def field_errors(errors: Any, name: str, form_op: str | None = None, op: str | None = None) -> SafeString | str:
    """The errors of one field, shown under the form that was posted (``op``)."""
    if not hasattr(errors, "get") or name not in errors or (op is not None and form_op != op):
        return ""
    return format_html_join("", '<div class="error" data-field="{}">{}</div>', ((name, m) for m in errors[name]))


@register.simple_tag
def posted_value(posted: Any, name: str, default: Any = "", form_op: str | None = None, op: str | None = None) -> Any:
    """What the clerk typed, kept when the form comes back with errors."""
    if not hasattr(posted, "get") or (op is not None and form_op != op):
        return default
    return posted.get(name, default)


@register.simple_tag
def selected_if(posted: Any, name: str, value: object, form_op: str | None = None, op: str | None = None) -> str:
    """`` selected`` on the option the clerk chose, when the form comes back with errors."""
    if not hasattr(posted, "get") or (op is not None and form_op != op):
        return ""
    return " selected" if str(posted.get(name, "")) == str(value) else ""


@register.filter
def when(moment: datetime | None) -> str:
    """A due time people read at a glance: "今天 17:00", "明天 17:00", else "11月25日 17:00"."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from dutydesk.core import clock

    if not moment:
        return "—"
    local = timezone.localtime(moment)
    days = (local.date() - clock.today()).days
    if local.hour == 0 and local.minute == 0:  # "by the end of the day": midnight reads as 24:00 of that day
        days -= 1
        if days == 0:
            return _("today %(time)s") % {"time": "24:00"}
    if days == 0:
        return _("today %(time)s") % {"time": f"{local:%H:%M}"}
    if days == 1:
        return _("tomorrow %(time)s") % {"time": f"{local:%H:%M}"}
    return _("%(month)s/%(day)s %(time)s") % {"month": local.month, "day": local.day, "time": f"{local:%H:%M}"}
