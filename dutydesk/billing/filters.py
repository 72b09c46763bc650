"""The billing lists' filters (shared/API.md "Billing": ``/api/v1/bills/?unit=&period=&status=`` and the like). An id
that is not a number is ignored."""
import django_filters
from django.db.models import QuerySet

from dutydesk.billing import selectors
from dutydesk.billing.models import Bill, ChargeItem, LateFee, MeterReading, Payment, UnitCharge
from dutydesk.core.filters import IntFilter


class ChargeItemFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id")

    class Meta:
        model = ChargeItem
        fields: list[str] = []


class UnitChargeFilter(django_filters.FilterSet):
    unit = IntFilter(field_name="unit_id")

    class Meta:
        model = UnitCharge
        fields: list[str] = []


class MeterReadingFilter(django_filters.FilterSet):
    unit = IntFilter(field_name="unit_id")
    item = IntFilter(field_name="item_id")
    period = django_filters.CharFilter()

    class Meta:
        model = MeterReading
        fields: list[str] = []


class BillFilter(django_filters.FilterSet):
    unit = IntFilter(field_name="unit_id")
    project = IntFilter(field_name="project_id")
    period = django_filters.CharFilter()
    status = django_filters.CharFilter(method="filter_status")

    class Meta:
        model = Bill
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """``unpaid``: every bill not fully paid; else the status itself."""
        return selectors.with_status(queryset, value)


class PaymentFilter(django_filters.FilterSet):
    unit = IntFilter(field_name="unit_id")
    bill = IntFilter(field_name="bill_id")
    project = IntFilter(field_name="project_id")

    class Meta:
        model = Payment
        fields: list[str] = []


class LateFeeFilter(django_filters.FilterSet):
    bill = IntFilter(field_name="bill_id")

    class Meta:
        model = LateFee
        fields: list[str] = []
