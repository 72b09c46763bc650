"""The bill run's bulk write (issue 11): crash-safe, idempotent, totals equal to their lines, and on
PostgreSQL the same bills whether the per-row foreign-key checks run or are replaced by the
up-front check."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from dutydesk.billing import billrun, jobs, services
from dutydesk.billing.models import (Bill, BillingPolicy, BillLine, BillRun, LateFee, MeterReading, OneOffCharge,
                                     UnitCharge, UnitCredit)

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def busy_project(project, mgmt_fee, water, make_unit, staff):
    """October billed for A-301..A-305; then for November: a one-off repair, an accrued late fee,
    water readings, prepaid credit and a vacant unit with a 100 % discount (a bill of 0.00)."""
    units = [make_unit(f"30{i}", area=area) for i, area in enumerate(["88.50", "101.07", "67.89", "143.21"], 1)]
    vacant = make_unit("305", status="vacant")
    for unit in units:
        UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2020, 1, 1))
    UnitCharge.objects.create(unit=vacant, item=mgmt_fee, start=date(2020, 1, 1), vacant_discount_percent=100)
    services.bill_run_create(project=project, period="2026-10")
    BillingPolicy.objects.update_or_create(project=project, defaults={"late_fee_enabled": True,
                                                                      "late_fee_grace_days": 5})
    services.late_fees_compute(project=project, as_of=date(2026, 10, 30))  # 10 days late: 309.75 → 1.55
    with time_machine.travel(datetime(2026, 10, 20, 10, tzinfo=SHANGHAI)):
        OneOffCharge.objects.create(project=project, unit=units[0], amount=Decimal("80.00"), description="换水龙头")
    for index, unit in enumerate(units[:3]):
        MeterReading.objects.create(unit=unit, item=water, period="2026-11", reading=50,
                                    usage=Decimal("17.37") * (index + 1))
    services.payment_record(unit=units[1], amount="100.00", method="cash", user=staff["frontdesk"], prepay=True)
    return units, vacant


def _state(period):
    """What a run of ``period`` left, comparable across runs."""
    bills = sorted((b.unit.number, b.amount, b.paid, b.status, str(b.due_date))
                   for b in Bill.objects.filter(period=period).select_related("unit"))
    lines = sorted((line.bill.unit.number, line.kind, line.item_id, line.description, line.quantity, line.unit_price,
                    line.days, line.amount, line.source_id)
                   for line in BillLine.objects.filter(bill__period=period).select_related("bill__unit"))
    marks = (sorted(OneOffCharge.objects.filter(billed_at__isnull=False).values_list("pk", flat=True)),
             sorted((fee.pk, fee.status, fee.billed_on.unit.number if fee.billed_on else None)
                    for fee in LateFee.objects.select_related("billed_on__unit")),
             sorted(UnitCredit.objects.values_list("unit__number", "balance")))
    return bills, lines, marks


def _crash_at(monkeypatch, step):
    real = billrun._execute

    def execute(cursor, label, sql, params):
        real(cursor, label, sql, params)
        if label == step:
            raise RuntimeError(f"simulated crash after {step}")

    monkeypatch.setattr(billrun, "_execute", execute)


def test_the_totals_equal_the_line_sums_and_everything_billed_is_marked(busy_project, project):
    units, vacant = busy_project
    run, created = services.bill_run_create(project=project, period="2026-11")
    assert created
    bills = list(Bill.objects.filter(run=run).prefetch_related("lines"))
    assert len(bills) == run.bills_created == 5
    for bill in bills:
        assert bill.amount == sum((line.amount for line in bill.lines.all()), Decimal("0"))
    assert run.total == sum(bill.amount for bill in bills) == Bill.objects.filter(run=run).aggregate(
        total=Sum("amount"))["total"]
    first = Bill.objects.get(run=run, unit=units[0])
    # 309.75 management fee + 59.93 water (17.37 m³) + 80.00 repair + the October late fee 1.55
    # each line named: a charge and a metered tier after their item, a one-off after itself, a late fee by its month
    assert sorted(first.lines.values_list("kind", "description", "quantity", "unit_price", "amount")) == [
        ("charge", "物业管理费", Decimal("88.50"), Decimal("3.50"), Decimal("309.75")),
        ("late_fee", "滞纳金 2026-10", Decimal("1.00"), Decimal("1.55"), Decimal("1.55")),
        ("metered", "水费", Decimal("17.37"), Decimal("3.45"), Decimal("59.93")),
        ("one_off", "换水龙头", Decimal("1.00"), Decimal("80.00"), Decimal("80.00"))]
    assert OneOffCharge.objects.get().billed_at is not None
    fees = LateFee.objects.select_related("bill", "billed_on")
    assert {fee.status for fee in fees} == {"billed"} and len(fees) == 4  # the 0.00 October bill had no fee
    assert all(fee.billed_on.run_id == run.pk and fee.billed_on.unit_id == fee.bill.unit_id for fee in fees)
    credited = Bill.objects.get(run=run, unit=units[1])
    assert (credited.paid, credited.status) == (Decimal("100.00"), "partial")
    assert UnitCredit.objects.get(unit=units[1]).balance == Decimal("0.00")
    assert Bill.objects.get(run=run, unit=vacant).status == "paid"  # nothing to pay


@pytest.mark.parametrize("step", ["bills", "lines", "late fees billed"])
def test_a_crash_mid_run_leaves_no_half_run_and_a_rerun_bills_everything_once(busy_project, project, monkeypatch,
                                                                             step):
    before = _state("2026-11")
    _crash_at(monkeypatch, step)
    with pytest.raises(RuntimeError):
        services.bill_run_create(project=project, period="2026-11")
    assert _state("2026-11") == before  # no run, no bill, no line, nothing marked billed, credit untouched
    assert not BillRun.objects.filter(period="2026-11").exists()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"  # the foreign-key triggers are on again

    monkeypatch.undo()
    run, created = services.bill_run_create(project=project, period="2026-11")
    again, created_again = services.bill_run_create(project=project, period="2026-11")
    assert created and not created_again and again.pk == run.pk
    assert Bill.objects.filter(period="2026-11").count() == 5 == run.bills_created
    # 5 management fees, 7 water tiers (1 + 3 + 3), the repair, 4 late fees
    assert BillLine.objects.filter(bill__period="2026-11").count() == 5 + 7 + 1 + 4
    assert LateFee.objects.filter(status="billed").count() == 4


def test_the_background_job_rerun_after_a_crash_completes_the_run_once(busy_project, project, staff, monkeypatch):
    class Job:  # what the worker hands the job function
        created_by = staff["archivist"]

        def report(self, percent):
            pass

    _crash_at(monkeypatch, "lines")
    with pytest.raises(RuntimeError):
        jobs.bill_run(Job(), project=project.pk, period="2026-11")
    assert not Bill.objects.filter(period="2026-11").exists()
    monkeypatch.undo()
    first = jobs.bill_run(Job(), project=project.pk, period="2026-11")
    second = jobs.bill_run(Job(), project=project.pk, period="2026-11")
    assert (first["created"], second["created"]) == (True, False) and first["run"] == second["run"]
    assert first["bills_created"] == 5 == Bill.objects.filter(period="2026-11").count()


postgres = pytest.mark.skipif("connection.vendor != 'postgresql'")


@postgres
def test_the_bills_are_the_same_with_the_per_row_foreign_key_checks(busy_project, project, monkeypatch):
    class Undo(Exception):
        pass

    results = {}
    for name, can_skip in (("checked up front", True), ("row by row", False)):
        monkeypatch.setattr(billrun, "_references_held", lambda cursor, can_skip=can_skip: can_skip)
        try:
            with transaction.atomic():
                services.bill_run_create(project=project, period="2026-11")
                results[name] = _state("2026-11")
                raise Undo
        except Undo:
            pass
    assert results["checked up front"][1] and len(results["checked up front"][0]) == 5
    assert results["checked up front"] == results["row by row"]


@postgres
def test_the_foreign_key_triggers_are_on_again_after_a_run(run):
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(IntegrityError), transaction.atomic():
            BillLine.objects.create(bill_id=987654321, kind="charge", description="x", quantity=1, unit_price=1,
                                    amount=1)


@postgres
def test_the_lines_are_sorted_with_the_memory_the_site_configured(busy_project, project, monkeypatch, settings):
    """DUTYDESK_BILL_RUN_WORK_MEM: a small database server lowers the memory of the run's sort."""
    settings.DUTYDESK_BILL_RUN_WORK_MEM = "64MB"
    seen = {}
    execute = billrun._execute

    def execute_and_note(cursor, label, sql, params):
        if label == "stage lines":
            cursor.execute("SHOW work_mem")
            seen["stage lines"] = cursor.fetchone()[0]
        return execute(cursor, label, sql, params)

    monkeypatch.setattr(billrun, "_execute", execute_and_note)
    services.bill_run_create(project=project, period="2026-11")
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        after = cursor.fetchone()[0]
    assert seen == {"stage lines": "64MB"} and after != "64MB"  # for that statement only


def test_a_work_mem_that_is_not_a_size_stops_the_settings():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dutydesk.settings", "DUTYDESK_DEBUG": "1",
           "DUTYDESK_BILL_RUN_WORK_MEM": "768MB; DROP TABLE billing_bill"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "DUTYDESK_BILL_RUN_WORK_MEM" in result.stderr


@postgres
def test_a_big_run_takes_the_bills_statistics_again_once_committed(busy_project, project, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    """A run of many bills tells PostgreSQL's planner about the new month once it is committed (``ANALYZE``): a
    project's 600,000 bills of a month its statistics did not know were taken for one row, and the ledger's first page
    read and sorted all of them (2.3 s). A small run is left to autovacuum."""
    def rows_known():
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'billing_bill'::regclass")
            return cursor.fetchone()[0]

    before = rows_known()
    billrun.refresh_statistics(5)  # under STATISTICS_AFTER: nothing
    assert rows_known() == before != Bill.objects.count()
    monkeypatch.setattr(billrun, "STATISTICS_AFTER", 5)  # this run's five bills are "many"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run, _ = services.bill_run_create(project=project, period="2026-11")
    assert run.bills_created == 5 and len(callbacks) == 1
    assert rows_known() == Bill.objects.count() == 10  # October's five and November's, sampled
