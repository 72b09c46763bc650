from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from dutydesk.billing import jobs, services
from dutydesk.billing.models import BillingPolicy, DunningNotice, DunningRun, LateFee, UnitCharge
from dutydesk.core.models import Notification
from dutydesk.inbox.models import Task

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _enable(project, rate="0.000500", grace=5, cap=10):
    BillingPolicy.objects.update_or_create(project=project, defaults={
        "late_fee_enabled": True, "late_fee_daily_rate": Decimal(rate), "late_fee_grace_days": grace,
        "late_fee_cap_percent": cap})


def test_late_fees_are_off_by_default(bill, project):
    assert services.late_fees_compute(project=project, as_of=date(2026, 12, 31)) == 0
    assert not LateFee.objects.exists()


def test_a_late_fee_accrues_after_the_grace_days(bill, project):
    _enable(project)
    services.late_fees_compute(project=project, as_of=date(2026, 10, 20))  # due 15th + 5 grace days
    assert not LateFee.objects.exists()
    services.late_fees_compute(project=project, as_of=date(2026, 10, 30))
    fee = LateFee.objects.get(bill=bill)
    # 309.75 × 0.0005 × 10 days = 1.54875 → 1.55
    assert (fee.days, fee.amount) == (10, Decimal("1.55"))
    services.late_fees_compute(project=project, as_of=date(2026, 10, 30))
    assert LateFee.objects.get(bill=bill).amount == Decimal("1.55")


def test_a_late_fee_stops_at_its_cap(bill, project):
    _enable(project, rate="0.005000", cap=10)
    services.late_fees_compute(project=project, as_of=date(2027, 6, 1))
    assert LateFee.objects.get(bill=bill).amount == Decimal("30.98")  # 10 % of 309.75 = 30.975 → 30.98


def test_the_next_run_bills_the_late_fee_as_its_own_line(bill, project):
    _enable(project)
    services.late_fees_compute(project=project, as_of=date(2026, 10, 30))
    services.bill_run_create(project=project, period="2026-11")
    november = bill.unit.bills.get(period="2026-11")
    line = november.lines.get(kind="late_fee")
    assert line.amount == Decimal("1.55") and november.amount == Decimal("311.30")
    assert LateFee.objects.get(bill=bill).status == "billed"


def test_a_manager_waives_a_late_fee_with_a_reason(bill, project, staff, api):
    _enable(project)
    services.late_fees_compute(project=project, as_of=date(2026, 10, 30))
    fee = LateFee.objects.get()
    assert api(staff["frontdesk"]).post(f"/api/v1/late-fees/{fee.pk}/waive", {"reason": "x"}, format="json").status_code == 403
    assert api(staff["manager"]).post(f"/api/v1/late-fees/{fee.pk}/waive", {}, format="json").status_code == 400
    response = api(staff["manager"]).post(f"/api/v1/late-fees/{fee.pk}/waive", {"reason": "首次逾期"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "waived"
    services.bill_run_create(project=project, period="2026-11")
    assert not bill.unit.bills.get(period="2026-11").lines.filter(kind="late_fee").exists()
    assert api(staff["manager"]).post(f"/api/v1/late-fees/{fee.pk}/waive", {"reason": "x"}, format="json").status_code == 409


def test_dunning_on_the_25th_gives_each_butler_one_task_and_notifies_residents(
        project, mgmt_fee, make_unit, staff, resident_user, bill, other_building):
    from tests.factories import UnitFactory

    outside = UnitFactory(building=other_building, floor=2, number="B201")
    UnitCharge.objects.create(unit=outside, item=mgmt_fee, start=date(2020, 1, 1))
    paid = make_unit("303")
    UnitCharge.objects.create(unit=paid, item=mgmt_fee, start=date(2026, 11, 1))
    services.bill_run_create(project=project, period="2026-11")
    with time_machine.travel(datetime(2026, 11, 25, 8, tzinfo=SHANGHAI)):
        assert jobs.dunning(datetime(2026, 11, 25, 8, tzinfo=SHANGHAI)) == 1
        assert jobs.dunning(datetime(2026, 11, 25, 9, tzinfo=SHANGHAI)) == 0  # idempotent
    run = DunningRun.objects.get()
    balances = {n.unit.number: n.balance for n in DunningNotice.objects.filter(run=run)}
    # A-1201 owes October and November; 303 owes November; B201 (no butler) owes November
    assert balances == {"1201": Decimal("619.50"), "303": Decimal("350.00"), "B201": Decimal("309.75")}
    butler_task = Task.objects.get(assignee=staff["butler"], source="billing.dunning")
    assert "A-1201" in butler_task.description and "A-303" in butler_task.description
    assert "B201" not in butler_task.description
    assert Task.objects.get(post__code="cs-supervisor", source="billing.dunning").title.endswith("未分配楼层管家")
    assert Notification.objects.filter(user=resident_user, title__contains="缴费提醒").count() == 1


def test_dunning_runs_only_on_the_10th_and_25th(bill):
    assert jobs.dunning(datetime(2026, 11, 24, 8, tzinfo=SHANGHAI)) == 0
    assert not DunningRun.objects.exists()


def test_the_dunning_notices_print_as_pdf(bill, project, staff, api):
    import io

    from pypdf import PdfReader
    run, _ = services.dunning_run_create(project=project, on=date(2026, 11, 10))
    response = api(staff["butler"]).get(f"/api/v1/billing/dunning/{run.pk}/notices")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "催缴通知单" in text and "A-1201" in text and "309.75" in text


def test_the_fee_notice_job_creates_the_archivist_task_for_the_current_period(billed_unit, project, catalog):
    services.bill_run_create(project=project, period="2026-11")
    now = datetime(2026, 11, 2, 8, tzinfo=SHANGHAI)
    assert jobs.fee_notice_tasks(now) == 1
    assert jobs.fee_notice_tasks(now) == 0
    assert Task.objects.filter(source="billing.fee_notices").count() == 1
