"""``qty``: a quantity as people write it (12, 12.5, 0.125), without the three stored decimal places;
``{% item_options items selected show_available %}``: the options of an item picker."""
from collections.abc import Iterable
from decimal import Decimal
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from dutydesk.stock.services import quantity_text

register = template.Library()


@register.filter
def qty(value: Decimal | int | None) -> str:
    return quantity_text(value)


@register.simple_tag
def item_options(items: Iterable[Any], selected: Any = "", show_available: bool = False) -> SafeString:
    """``<option>`` per item, "code name（unit · bin）", with what may be issued when ``show_available`` (items from
    ``selectors.levels``). Built here with plain escaping, not in a template loop: a store keeps thousands of items
    and the loop was most of the form's time (scripts/bench_modules.py)."""
    chosen = str(selected or "")
    available = escape(_("available"))
    options = []
    for item in items:
        where = f"{escape(item.unit)} · {escape(item.bin)}" if item.bin else escape(item.unit)
        stock = f" · {available} {quantity_text(item.on_hand)}" if show_available else ""
        mark = " selected" if str(item.pk) == chosen else ""
        label = f"{escape(item.code)} {escape(item.name)}（{where}）{stock}"
        options.append(f'<option value="{item.pk}"{mark}>{label}</option>')
    return mark_safe("".join(options))  # noqa: S308  every value above is escaped


@register.simple_tag
def item_code_options(items: Iterable[tuple[int, str, str]], selected: Any = "") -> SafeString:
    """``<option>`` per item, "code name" (the ledger's filter), from ``(pk, code, name)`` rows, built like
    ``item_options``."""
    chosen = str(getattr(selected, "pk", selected) or "")
    return mark_safe("".join(  # noqa: S308  every value is escaped
        f'<option value="{pk}"{" selected" if str(pk) == chosen else ""}>{escape(code)} {escape(name)}</option>'
        for pk, code, name in items))
