"""Real concurrency needs PostgreSQL (SQLite serialises writers): skipped on SQLite."""
import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction

from dutydesk.archive.models import Project, Unit
from dutydesk.billing import billrun, services
from dutydesk.billing.models import Bill, BillRun, Payment, Receipt, UnitCharge
from tests.support.concurrency import in_thread, in_threads

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


def _a_backend_waits_on_a_lock(statement_start, seconds=10):
    """Whether, within ``seconds``, another connection is seen waiting for a lock in a statement starting so."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s",
                           [statement_start + "%"])
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


def _delete_unit_and_its_charges(unit_id, lock_timeout=None):
    with transaction.atomic(), connection.cursor() as cursor:
        if lock_timeout:
            cursor.execute(f"SET LOCAL lock_timeout = '{lock_timeout}'")
        cursor.execute("DELETE FROM billing_unitcharge WHERE unit_id = %s", [unit_id])
        cursor.execute("DELETE FROM archive_unit WHERE id = %s", [unit_id])


def test_a_unit_cannot_be_deleted_while_its_project_is_locked_for_a_run(project, make_unit):
    """The bill run relies on it instead of locking every unit (archive migration 0006): while the project row is
    held FOR UPDATE, deleting one of its units waits; once the holder is done, it goes through."""
    unit = make_unit("901")
    with transaction.atomic():
        Project.objects.select_for_update().get(pk=project.pk)
        thread, outcome = in_thread(lambda: _delete_unit_and_its_charges(unit.pk, lock_timeout="300ms"))
        thread.join(10)
    assert "lock timeout" in str(outcome.get("error", "")).lower()
    assert Unit.objects.filter(pk=unit.pk).exists()
    _delete_unit_and_its_charges(unit.pk)  # nobody holds the project: deleted at once
    assert not Unit.objects.filter(pk=unit.pk).exists()


def test_a_unit_deleted_during_a_run_waits_and_then_fails_on_its_new_bill(project, mgmt_fee, make_unit, monkeypatch):
    """The run writes its bills with the per-row foreign-key checks off: a unit deleted meanwhile must not leave a
    bill pointing nowhere. The deletion waits for the run, then fails on the bill; the run's bills stand."""
    units = [make_unit(f"90{i}") for i in range(3)]
    for unit in units:
        UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2020, 1, 1))
    staged, go = threading.Event(), threading.Event()
    real = billrun._execute

    def execute(cursor, label, sql, params):
        real(cursor, label, sql, params)
        if label == "stage bills":  # the lines are computed from all three units: let the deletion start now
            staged.set()
            go.wait(10)

    monkeypatch.setattr(billrun, "_execute", execute)
    run_thread, run_outcome = in_thread(lambda: services.bill_run_create(project=project, period="2026-10"))
    assert staged.wait(10)
    delete_thread, delete_outcome = in_thread(lambda: _delete_unit_and_its_charges(units[1].pk))
    waited = _a_backend_waits_on_a_lock("DELETE FROM archive_unit")  # on the project the run holds
    go.set()
    run_thread.join(20)
    delete_thread.join(20)
    assert waited
    assert "error" not in run_outcome and run_outcome["result"][1] is True
    assert "foreign key" in str(delete_outcome.get("error", "")).lower()
    assert Unit.objects.filter(pk=units[1].pk).exists()
    assert sorted(Bill.objects.filter(period="2026-10").values_list("unit_id", flat=True)) == sorted(u.pk for u in units)
