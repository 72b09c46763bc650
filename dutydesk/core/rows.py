"""What the lists whose rows are written in Python share (the work-order queues, the units, the residents).

At a group's scale a list page is mostly its rows: 50 rows through ``{% for %}`` cost ~650 template-variable
lookups and 50 ``{% url %}`` reversals, about as much as the database's whole work for the page (issue 11,
docs/scaling.md "Where a list page's time goes"). Those lists write their rows in a plain function; the rest of the
page stays a template."""
from collections.abc import Callable

from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize

_MARK = 987_654_321  # a key no URL pattern's own text contains


def url_for_pk(name: str) -> Callable[[int], str]:
    """``url(pk)`` for a route taking one integer key: reversed once (per language prefix, per call of this
    function), then only joined, instead of a resolver walk per row."""
    head, tail = reverse(name, args=[_MARK]).split(str(_MARK))
    return lambda pk: f"{head}{pk}{tail}"


def whole_number(value: int) -> str:
    """A count as ``{{ value }}`` writes it: without thousands separators (the project's setting) that is ``str``,
    and ``localize`` costs ~4 µs a number (three format lookups), which 12,000 cells of a report notice."""
    return localize(value) if settings.USE_THOUSAND_SEPARATOR else str(value)
