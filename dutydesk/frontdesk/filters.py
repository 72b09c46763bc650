"""The register lists' filters (shared/API.md "Front desk registers"): ``?status=lent&overdue=true`` and the like.
An id that is not a number is ignored; a flag is on for 1/true/yes."""
import django_filters
from django.db.models import QuerySet

from dutydesk.core.filters import FlagFilter, IntFilter
from dutydesk.frontdesk import selectors
from dutydesk.frontdesk.models import AccessPass, Card, Key, MailItem, Visit


class KeyFilter(django_filters.FilterSet):
    status = django_filters.CharFilter()
    overdue = FlagFilter(selectors.overdue_keys)
    kind = django_filters.CharFilter()
    unit = IntFilter(field_name="unit_id")
    project = IntFilter(field_name="project_id")
    q = django_filters.CharFilter(field_name="label", lookup_expr="icontains")

    class Meta:
        model = Key
        fields: list[str] = []


class VisitFilter(django_filters.FilterSet):
    inside = FlagFilter(lambda visits: visits.filter(left_at__isnull=True))
    unit = IntFilter(field_name="unit_id")
    date = django_filters.CharFilter(field_name="arrived_at", lookup_expr="date")
    pass_code = django_filters.CharFilter(method="filter_pass_code")

    class Meta:
        model = Visit
        fields: list[str] = []

    def filter_pass_code(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pass_code=value.strip().upper())


class AccessPassFilter(django_filters.FilterSet):
    expired = FlagFilter(selectors.expired_passes)
    status = django_filters.CharFilter()
    kind = django_filters.CharFilter()
    unit = IntFilter(field_name="unit_id")

    class Meta:
        model = AccessPass
        fields: list[str] = []


class CardFilter(django_filters.FilterSet):
    status = django_filters.CharFilter()
    resident = IntFilter(field_name="resident_id")

    class Meta:
        model = Card
        fields: list[str] = []


class MailFilter(django_filters.FilterSet):
    status = django_filters.CharFilter()
    building = IntFilter(field_name="unit__building_id")
    floor = IntFilter(field_name="unit__floor")
    unit = IntFilter(field_name="unit_id")

    class Meta:
        model = MailItem
        fields: list[str] = []
