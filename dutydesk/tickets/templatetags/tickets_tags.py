from django import template
from django.utils.translation import gettext as _

register = template.Library()


def _span(minutes):
    minutes = abs(int(minutes))
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(days)sd %(hours)sh") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)sh %(minutes)sm") % {"hours": hours, "minutes": mins}
    return _("%(minutes)sm") % {"minutes": mins}


@register.simple_tag
def remaining(ticket):
    """'3h 20m left' / 'overdue 1h 5m' / '' for finished tickets."""
    minutes = ticket.remaining_minutes
    if minutes is None:
        return ""
    if minutes < 0:
        return _("overdue %(span)s") % {"span": _span(minutes)}
    return _("%(span)s left") % {"span": _span(minutes)}


@register.filter
def status_class(ticket):
    if ticket.is_overdue:
        return "overdue"
    return {"resolved": "good", "closed": "good"}.get(ticket.status, "")


@register.filter
def status_label(value):
    from dutydesk.tickets.models import Status

    return Status(value).label if value in Status.values else (value or "—")


@register.filter
def action_label(value):
    from dutydesk.tickets.workflow import ACTION_LABELS

    return ACTION_LABELS.get(value, value)
