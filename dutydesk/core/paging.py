"""Counting that stays cheap at a group's scale: a list of ten million rows is never counted to the end.

``bounded_count(queryset)`` counts at most ``COUNT_CAP + 1`` rows (``SELECT COUNT(*) FROM (SELECT id … LIMIT n)``),
so a tab or a list header shows "10,000+" instead of scanning every row; ``BoundedPaginator`` pages with that count.
Under the cap the figure is exact, so a tab still equals what its list shows."""
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 10_000


def bounded_count(queryset: QuerySet[Any]) -> int:
    """The number of rows, or ``COUNT_CAP + 1`` when there are more."""
    return queryset.order_by().values("pk")[: COUNT_CAP + 1].count()


def is_capped(count: int) -> bool:
    return count > COUNT_CAP


class BoundedPaginator(Paginator):
    object_list: QuerySet[Any]  # a queryset: the count is bounded in SQL

    @cached_property
    def count(self) -> int:
        return bounded_count(self.object_list)

    @property
    def capped(self) -> bool:
        return is_capped(self.count)

    def page(self, number: int | str) -> Page[Any]:
        """A full page even at the cap (the plain paginator would stop at the counted row)."""
        valid = self.validate_number(number)
        bottom = (valid - 1) * self.per_page
        # Paginator._get_page (Django's hook for a Page subclass) is missing from django-stubs
        return self._get_page(self.object_list[bottom:bottom + self.per_page], valid, self)  # type: ignore[attr-defined]
