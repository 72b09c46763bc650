"""Template filters for amounts and rates: ``{{ bill.amount|yuan }}``, ``{{ rate|rate }}``, ``{{ pct|percent }}``."""
from django import template

from dutydesk.core.money import format_amount, format_percent, format_rate

register = template.Library()


@register.filter
def yuan(value: object) -> str:
    """¥222,586.29"""
    return format_amount(value)


@register.filter
def amount(value: object) -> str:
    """222,586.29 (no currency sign, for table columns headed 金额/元)."""
    return format_amount(value, symbol="")


@register.filter
def rate(value: object) -> str:
    """A 0..1 rate as 88.57 %."""
    return format_rate(value)


@register.filter
def percent(value: object) -> str:
    """A figure already in percent as 88.57 %."""
    return format_percent(value)
