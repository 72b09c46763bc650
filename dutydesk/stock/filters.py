"""The stores lists' filters (shared/API.md "Stock"). An id that is not a number is ignored."""
import django_filters
from django.db.models import Q, QuerySet

from dutydesk.core.filters import FlagFilter, IntFilter, ListFilter
from dutydesk.stock.models import Issue, Item, Receipt, StockCount


class ItemFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id")
    active = FlagFilter(lambda queryset: queryset.filter(active=True))
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = Item
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value)) if value else queryset


class ReceiptFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id")
    item = IntFilter(field_name="item_id")
    zone = ListFilter(field_name="zone")

    class Meta:
        model = Receipt
        fields: list[str] = []


class IssueFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id")
    item = IntFilter(field_name="item_id")

    class Meta:
        model = Issue
        fields: list[str] = []


class CountFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id")
    item = IntFilter(field_name="item_id")

    class Meta:
        model = StockCount
        fields: list[str] = []
