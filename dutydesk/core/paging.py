"""Counting that stays cheap at a group's scale: a list of ten million rows is never counted to the end.

``bounded_count(queryset)`` counts at most ``COUNT_CAP + 1`` rows (``SELECT COUNT(*) FROM (SELECT id … LIMIT n)``),
so a tab or a list header shows "10,000+" instead of scanning every row; ``BoundedPaginator`` pages with that count.
Under the cap the figure is exact, so a tab still equals what its list shows."""
from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000


def bounded_count(queryset) -> int:
    """The number of rows, or ``COUNT_CAP + 1`` when there are more."""
    return queryset.order_by().values("pk")[: COUNT_CAP + 1].count()


def is_capped(count) -> bool:
    return count > COUNT_CAP


class BoundedPaginator(Paginator):
    @cached_property
    def count(self):
        return bounded_count(self.object_list)

    @property
    def capped(self):
        return is_capped(self.count)

    def page(self, number):
        """A full page even at the cap (the plain paginator would stop at the counted row)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom:bottom + self.per_page], number, self)
