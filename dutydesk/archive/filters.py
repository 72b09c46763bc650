"""The archive lists' filters (shared/API.md "Archive": ``/api/v1/units/?project=&building=&floor=&number=``,
``/api/v1/residents/?unit=&phone=&q=``). An id that is not a number is ignored; a floor may be below ground (-1)."""
import django_filters
from django.db.models import QuerySet

from dutydesk.archive import selectors
from dutydesk.archive.models import Building, Resident, Unit
from dutydesk.core.filters import IntFilter


class BuildingFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id", signed=True)

    class Meta:
        model = Building
        fields: list[str] = []


class UnitFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id", signed=True)
    building = IntFilter(field_name="building_id", signed=True)
    floor = IntFilter(signed=True)
    number = django_filters.CharFilter()
    status = django_filters.CharFilter()
    q = django_filters.CharFilter(method="search")

    class Meta:
        model = Unit
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A unit code as clerks type it ("A-1201", "1201"), or a resident's name or phone."""
        return selectors.search_units(queryset, value)


class ResidentFilter(django_filters.FilterSet):
    unit = IntFilter(field_name="unit_id", signed=True)
    phone = django_filters.CharFilter()
    role = django_filters.CharFilter()
    q = django_filters.CharFilter(method="search")

    class Meta:
        model = Resident
        fields: list[str] = []

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Name, phone or unit number ("A-1203" or "1203")."""
        return selectors.search_residents(queryset, value)
