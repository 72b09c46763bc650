"""The vendors lists' filters. An id that is not a number is ignored; a bad month is the parameter's 400."""
import django_filters
from django.db.models import QuerySet

from dutydesk.core.filters import FlagFilter, IntFilter, ListFilter
from dutydesk.core.periods import Period
from dutydesk.vendors.models import Evaluation, Vendor
from dutydesk.vendors.selectors import year_months


class VendorFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id")
    kind = ListFilter(field_name="kind")
    active = FlagFilter(lambda queryset: queryset.filter(active=True))

    class Meta:
        model = Vendor
        fields: list[str] = []


class EvaluationFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id")
    vendor = IntFilter(field_name="vendor_id")
    post = IntFilter(field_name="post_id")
    month = django_filters.CharFilter(method="filter_month")
    year = IntFilter(method="filter_year")

    class Meta:
        model = Evaluation
        fields: list[str] = []

    def filter_month(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(month=Period.parse(value, "month").label) if value else queryset

    def filter_year(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        return queryset.filter(month__range=year_months(value)) if value is not None and 0 < value < 10000 else queryset
