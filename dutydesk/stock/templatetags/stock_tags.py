"""``qty``: a quantity as people write it (12, 12.5, 0.125), without the three stored decimal places."""
from decimal import Decimal

from django import template

from dutydesk.stock.services import quantity_text

register = template.Library()


@register.filter
def qty(value: Decimal | int | None) -> str:
    return quantity_text(value)
