"""The list filters of the patrols API: routes ``?project=&active=``; rounds ``?route=&project=&status=open,done
&overdue=true&walker=&date=YYYY-MM-DD&month=YYYY-MM`` (a round is in the day it starts, in the month it falls due).
An id that is not a number is ignored; a bad date or month is a 400."""
from datetime import timedelta
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dutydesk.core import clock
from dutydesk.core.filters import FlagFilter, IntFilter, ListFilter
from dutydesk.core.periods import Period
from dutydesk.patrols import selectors
from dutydesk.patrols.models import Round, Route


class RouteFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id")
    active = FlagFilter(lambda routes: routes.filter(active=True))

    class Meta:
        model = Route
        fields: list[str] = []


class MonthFilter(django_filters.CharFilter):
    """``?month=2026-06``: the rounds that fell due in that month (the KPI's drill-down)."""

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if not value:
            return qs
        period = Period.parse(value, "month")
        return qs.filter(due_at__gte=period.start_at, due_at__lt=period.end_at)


class RoundFilter(django_filters.FilterSet):
    route = IntFilter(field_name="route_id")
    project = IntFilter(field_name="project_id")
    walker = IntFilter(field_name="walker_id")
    status = ListFilter()
    overdue = FlagFilter(lambda rounds: selectors.overdue(rounds))
    date = django_filters.DateFilter(method="on_day", help_text="the local day the rounds start (YYYY-MM-DD)",
                                     error_messages={"invalid": _("Give the day as YYYY-MM-DD.")})
    month = MonthFilter(field_name="month", help_text="the month the rounds fell due (YYYY-MM)")

    class Meta:
        model = Round
        fields: list[str] = []

    def on_day(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        start = clock.at(value, "00:00")
        return queryset.filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
