from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from decimal import Decimal

from dutydesk.billing import services
from dutydesk.billing.models import Bill, BillLine, BillRun, MeterReading, OneOffCharge, UnitCharge
from tests.factories import ResidentFactory


def _sum_lines(bill):
    return sum((line.amount for line in bill.lines.all()), Decimal("0"))


def test_it_bills_the_management_fee_per_m2(run, billed_unit):
    bill = Bill.objects.get(unit=billed_unit, period="2026-10")
    line = bill.lines.get()
    assert (line.quantity, line.unit_price, line.days, line.amount) == (Decimal("88.50"), Decimal("3.50"), 31, Decimal("309.75"))
    assert bill.amount == Decimal("309.75")
    assert bill.due_date == date(2026, 10, 15)
    assert (run.bills_created, run.total) == (1, Decimal("309.75"))


def test_running_the_same_period_twice_gives_the_same_bills(run, project, billed_unit):
    again, created = services.bill_run_create(project=project, period="2026-10")
    assert not created and again.pk == run.pk
    assert Bill.objects.filter(unit=billed_unit).count() == 1
    assert BillLine.objects.count() == 1 and BillRun.objects.count() == 1


def test_it_pro_rates_a_move_in_within_the_month(project, mgmt_fee, make_unit):
    unit = make_unit("301", area="100.00")
    UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2020, 1, 1))
    ResidentFactory(unit=unit, move_in_date=date(2026, 10, 21))  # 11 of 31 days
    services.bill_run_create(project=project, period="2026-10")
    line = BillLine.objects.get(bill__unit=unit)
    # 100 × 3.50 × 11 / 31 = 124.1935… → 124.19
    assert (line.days, line.amount) == (11, Decimal("124.19"))


def test_it_pro_rates_a_move_out_and_a_charge_start(project, mgmt_fee, make_unit):
    leaving = make_unit("302", area="100.00")
    UnitCharge.objects.create(unit=leaving, item=mgmt_fee, start=date(2020, 1, 1))
    ResidentFactory(unit=leaving, move_in_date=date(2021, 1, 1), move_out_date=date(2026, 10, 10))
    starting = make_unit("303", area="60.00")
    UnitCharge.objects.create(unit=starting, item=mgmt_fee, start=date(2026, 10, 16))  # 16 of 31 days
    services.bill_run_create(project=project, period="2026-10")
    assert BillLine.objects.get(bill__unit=leaving).amount == Decimal("112.90")  # 350 × 10/31 = 112.903
    assert BillLine.objects.get(bill__unit=starting).amount == Decimal("108.39")  # 210 × 16/31 = 108.387


def test_it_rounds_half_up_to_the_cent(project, make_unit):
    fee = services.charge_item_save(project=project, code="m", name="管理费", basis="per_m2", unit_price="2.50")
    unit = make_unit("304", area="10.05")  # 25.125 → 25.13 (half up, not banker's 25.12)
    UnitCharge.objects.create(unit=unit, item=fee, start=date(2020, 1, 1))
    services.bill_run_create(project=project, period="2026-10")
    assert BillLine.objects.get(bill__unit=unit).amount == Decimal("25.13")


def test_a_vacant_unit_gets_its_discount(project, mgmt_fee, make_unit):
    unit = make_unit("305", area="100.00", status="vacant")
    UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2020, 1, 1), vacant_discount_percent=30)
    services.bill_run_create(project=project, period="2026-10")
    assert BillLine.objects.get(bill__unit=unit).amount == Decimal("245.00")


def test_metered_water_is_billed_by_tier(project, water, make_unit, staff):
    unit = make_unit("306")
    MeterReading.objects.create(unit=unit, item=water, period="2026-09", reading=100, usage=0)
    services.meter_reading_record(unit=unit, item=water, period="2026-10", reading="135.50", user=staff["archivist"])
    services.bill_run_create(project=project, period="2026-10")
    lines = list(BillLine.objects.filter(bill__unit=unit).order_by("unit_price"))
    assert [(line.quantity, line.unit_price, line.amount) for line in lines] == [
        (Decimal("20.00"), Decimal("3.45"), Decimal("69.00")),
        (Decimal("10.00"), Decimal("4.83"), Decimal("48.30")),
        (Decimal("5.50"), Decimal("6.90"), Decimal("37.95")),
    ]
    assert Bill.objects.get(unit=unit).amount == Decimal("155.25")


def test_one_off_charges_go_on_the_bill_once(project, billed_unit, staff):
    with time_machine.travel(datetime(2026, 10, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        charge = OneOffCharge.objects.create(project=project, unit=billed_unit, amount=Decimal("80.00"),
                                             description="更换水龙头", source="repair", source_id=7)
    late = OneOffCharge.objects.create(project=project, unit=billed_unit, amount=Decimal("5.00"), description="开锁")
    services.bill_run_create(project=project, period="2026-10")
    bill = Bill.objects.get(unit=billed_unit, period="2026-10")
    assert bill.amount == Decimal("389.75")
    assert bill.lines.get(kind="one_off").description == "更换水龙头"
    charge.refresh_from_db()
    assert charge.billed_at is not None
    services.bill_run_create(project=project, period="2026-11")
    # created in November: on the November bill, not on October's
    assert Bill.objects.get(unit=billed_unit, period="2026-11").lines.get(kind="one_off").source_id == late.pk


def test_bill_totals_equal_the_sum_of_their_lines_to_the_cent(project, mgmt_fee, water, make_unit):
    for index, area in enumerate(["88.33", "101.07", "67.89", "143.21", "59.99"]):
        unit = make_unit(f"40{index}", area=area)
        UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2026, 10, 1 + index * 5))
        MeterReading.objects.create(unit=unit, item=water, period="2026-10", reading=50, usage=Decimal("17.37") * index)
    run, _ = services.bill_run_create(project=project, period="2026-10")
    bills = list(Bill.objects.filter(run=run).prefetch_related("lines"))
    assert len(bills) == 5
    assert all(bill.amount == _sum_lines(bill) for bill in bills)
    assert run.total == sum(bill.amount for bill in bills)


def test_an_adjustment_appends_a_credit_line_and_never_edits(bill, staff):
    services.bill_adjust(bill=bill, amount="-9.75", reason="面积更正", user=staff["manager"])
    bill.refresh_from_db()
    assert bill.amount == Decimal("300.00") == _sum_lines(bill)
    assert bill.lines.filter(kind="charge").get().amount == Decimal("309.75")
