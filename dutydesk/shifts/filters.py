"""The shifts lists' filters. An id that is not a number is ignored; a bad month or day is the parameter's 400."""
from datetime import date

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from dutydesk.core.errors import BusinessRuleError
from dutydesk.core.filters import FlagFilter, IntFilter, ListFilter
from dutydesk.core.periods import Period
from dutydesk.shifts.models import Handover, Roster, RosterEntry, SwapRequest


@extend_schema_field(OpenApiTypes.STR)
class MonthFilter(django_filters.CharFilter):
    """``?month=YYYY-MM`` on a ``YYYY-MM`` field (``day_field``: on a date field, the days of that month)."""

    def __init__(self, *args, day_field: str | None = None, **kwargs):
        self.day_field = day_field
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        period = Period.parse(value, "month")
        if self.day_field:
            return qs.filter(**{f"{self.day_field}__gte": period.start, f"{self.day_field}__lt": period.end})
        return qs.filter(**{self.field_name: period.label})


@extend_schema_field(OpenApiTypes.DATE)
class DayFilter(django_filters.CharFilter):
    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if not value:
            return qs
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise BusinessRuleError({self.field_name: [_("Use the form YYYY-MM-DD.")]}) from None
        return qs.filter(**{self.field_name: day})


class RosterFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id")
    post = IntFilter(field_name="post_id")
    month = MonthFilter(field_name="month")

    class Meta:
        model = Roster
        fields: list[str] = []


class EntryFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id")
    post = IntFilter(field_name="post_id")
    user = IntFilter(field_name="user_id")
    day = DayFilter(field_name="day")
    month = MonthFilter(field_name="day", day_field="day")
    status = ListFilter(field_name="status")

    class Meta:
        model = RosterEntry
        fields: list[str] = []


class SwapFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id")
    post = IntFilter(field_name="post_id")
    status = ListFilter(field_name="status")

    class Meta:
        model = SwapRequest
        fields: list[str] = []


class HandoverFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id")
    post = IntFilter(field_name="post_id")
    shift = ListFilter(field_name="shift")
    day = DayFilter(field_name="day")
    acknowledged = django_filters.BooleanFilter(field_name="acknowledged_at", lookup_expr="isnull", exclude=True)
    escalated = FlagFilter(lambda queryset: queryset.filter(escalated_at__isnull=False))

    class Meta:
        model = Handover
        fields: list[str] = []
