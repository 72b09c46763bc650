from django import template

from dutydesk.tickets.table import remaining_text, status_css

register = template.Library()


@register.simple_tag
def remaining(ticket):
    """'3h 20m left' / 'overdue 1h 5m' / '' for finished tickets."""
    return remaining_text(ticket.remaining_minutes)


@register.filter
def status_class(ticket):
    return status_css(ticket.status, ticket.is_overdue)


@register.filter
def status_label(value):
    from dutydesk.tickets.models import Status

    return Status(value).label if value in Status.values else (value or "—")


@register.filter
def action_label(value):
    from dutydesk.tickets.workflow import ACTION_LABELS

    return ACTION_LABELS.get(value, value)
