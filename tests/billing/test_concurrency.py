"""Real concurrency needs PostgreSQL (SQLite serialises writers): skipped on SQLite."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from dutydesk.billing import services
from dutydesk.billing.models import Bill, BillRun, Payment, Receipt, UnitCharge
from tests.support.concurrency import in_threads

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")



def test_twenty_concurrent_payments_get_receipts_one_to_twenty(project, mgmt_fee, make_unit, staff):
    units = [make_unit(f"6{i:02d}", floor=6) for i in range(4)]
    for unit in units:
        UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-10")
    bills = list(Bill.objects.filter(project=project).order_by("id"))
    clerk = staff["frontdesk"]

    _results, errors = in_threads(20, lambda i: services.payment_record(bill=bills[i % 4], amount="10.00", method="cash", user=clerk))

    assert errors == []
    assert sorted(Receipt.objects.filter(project=project).values_list("number", flat=True)) == list(range(1, 21))
    assert Payment.objects.count() == 20
    assert all(b.paid == Decimal("50.00") for b in Bill.objects.filter(project=project))


def test_concurrent_payments_never_overpay_a_bill(bill, staff):
    _results, errors = in_threads(5, lambda i: services.payment_record(bill=bill, amount="100.00", method="cash", user=staff["frontdesk"]))
    bill.refresh_from_db()
    assert bill.paid == Decimal("300.00") and len(errors) == 2  # 309.75 leaves room for three


def test_two_concurrent_runs_of_the_same_period_make_one_set_of_bills(project, billed_unit):
    results = []
    _results, errors = in_threads(2, lambda i: results.append(services.bill_run_create(project=project, period="2026-10")))
    assert errors == []
    assert sorted(created for _run, created in results) == [False, True]
    assert BillRun.objects.count() == 1 and Bill.objects.count() == 1
