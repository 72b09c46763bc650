"""Collection rate and arrears on a fixture with known bills and payments."""
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dutydesk.billing import services
from dutydesk.billing.models import Bill, UnitCharge

PERIODS = ["2026-04", "2026-07", "2026-09", "2026-10"]


@pytest.fixture
def ledger(project, mgmt_fee, make_unit, staff):
    """A: 100 m² → 350.00 a month; B: 60 m² → 210.00. A paid October; B paid 123.45 of
    October and 100.00 of September."""
    a, b = make_unit("101", area="100.00"), make_unit("102", area="60.00")
    for unit in (a, b):
        UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2020, 1, 1))
    for period in PERIODS:
        services.bill_run_create(project=project, period=period)
    clerk = staff["frontdesk"]
    services.payment_record(bill=a.bills.get(period="2026-10"), amount="350.00", method="cash", user=clerk)
    services.payment_record(bill=b.bills.get(period="2026-10"), amount="123.45", method="wechat", user=clerk)
    services.payment_record(bill=b.bills.get(period="2026-09"), amount="100.00", method="bank", user=clerk)
    return a, b


def test_collection_rate_is_received_over_receivable_to_four_decimals(ledger, project, staff, api):
    body = api(staff["manager"]).get("/api/v1/reports/collection-rate", {"project": project.pk, "period": "2026-10"}).json()
    # 473.45 / 560.00 = 0.845446…
    assert (body["receivable"], body["received"], body["rate"]) == ("560.00", "473.45", "0.8454")
    assert body["target"] == "0.9500"


def test_collection_rate_by_building_butler_and_month(ledger, project, staff, api, other_building):
    client = api(staff["manager"])
    params = {"project": project.pk, "period": "2026-10"}
    buildings = client.get("/api/v1/reports/collection-rate", {**params, "by": "building"}).json()["by_building"]
    assert [(b["name"], b["rate"]) for b in buildings] == [("A", "0.8454")]
    butlers = client.get("/api/v1/reports/collection-rate", {**params, "by": "butler"}).json()["by_butler"]
    assert [(b["name"], b["receivable"], b["rate"]) for b in butlers] == [(staff["butler"].first_name, "560.00", "0.8454")]
    months = client.get("/api/v1/reports/collection-rate", {**params, "by": "month"}).json()["by_month"]
    assert [(m["period"], m["rate"], m["meets_target"]) for m in months] == [
        ("2026-04", "0.0000", False), ("2026-07", "0.0000", False), ("2026-09", "0.1786", False),
        ("2026-10", "0.8454", False)]


def test_arrears_are_aged_by_days_past_the_due_date(ledger, project, staff, api):
    body = api(staff["manager"]).get("/api/v1/reports/arrears", {"project": project.pk, "as_of": "2026-11-01"}).json()
    rows = {row["unit_label"]: row for row in body["results"]}
    assert {k: rows["A-101"][k] for k in ("d0_30", "d31_90", "d91_180", "over_180", "total")} == {
        "d0_30": "0.00", "d31_90": "350.00", "d91_180": "350.00", "over_180": "350.00", "total": "1050.00"}
    assert {k: rows["A-102"][k] for k in ("d0_30", "d31_90", "d91_180", "over_180", "total")} == {
        "d0_30": "86.55", "d31_90": "110.00", "d91_180": "210.00", "over_180": "210.00", "total": "616.55"}


@pytest.mark.parametrize(("as_of", "bucket"), [("2026-11-14", "d0_30"), ("2026-11-15", "d31_90")])
def test_thirty_days_past_due_is_the_first_bucket_and_thirty_one_the_second(ledger, project, staff, api, as_of, bucket):
    body = api(staff["manager"]).get("/api/v1/reports/arrears", {"project": project.pk, "as_of": as_of}).json()
    row = next(r for r in body["results"] if r["unit_label"] == "A-102")
    assert Decimal(row[bucket]) >= Decimal("86.55")


def test_bills_not_yet_due_are_not_arrears(ledger, project, staff, api):
    body = api(staff["manager"]).get("/api/v1/reports/arrears", {"project": project.pk, "as_of": "2026-04-14"}).json()
    assert body["results"] == []


def test_reports_deny_residents_and_other_projects(ledger, project, staff, api, resident_user):
    assert api(resident_user).get("/api/v1/reports/collection-rate", {"project": project.pk}).status_code == 403
    assert api(staff["manager"]).get("/api/v1/reports/arrears", {"project": 999999}).status_code == 404
    assert api(staff["manager"]).get("/api/v1/reports/arrears", {}).status_code == 400
    assert api(staff["manager"]).get("/api/v1/reports/collection-rate", {"project": project.pk, "period": "2026-13"}).status_code == 400


def test_daily_cash_up_per_clerk(ledger, project, staff, api):
    from dutydesk.core import clock
    body = api(staff["manager"]).get("/api/v1/reports/cash-up", {"project": project.pk, "date": clock.today().isoformat()}).json()
    totals = {row["method"]: row["net"] for row in body["rows"]}
    assert totals == {"cash": "350.00", "wechat": "123.45", "bank": "100.00"}


def test_excel_exports_of_bills_payments_and_arrears(ledger, project, staff, api):
    client = api(staff["manager"])
    bills = client.get("/api/v1/billing/export/bills", {"project": project.pk, "period": "2026-10"})
    sheet = load_workbook(io.BytesIO(bills.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["101", "102"]
    payments = load_workbook(io.BytesIO(client.get("/api/v1/billing/export/payments", {"project": project.pk}).content)).active
    assert payments.max_row == 4
    arrears = client.get("/api/v1/reports/arrears/export", {"project": project.pk, "as_of": "2026-11-01"})
    rows = list(load_workbook(io.BytesIO(arrears.content)).active.iter_rows(min_row=2, values_only=True))
    assert [(r[0], float(r[-1])) for r in rows] == [("A-101", 1050.0), ("A-102", 616.55)]


def test_bill_list_runs_a_constant_number_of_queries(ledger, project, staff, api):
    client = api(staff["manager"])
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/bills/", {"page_size": 2}).status_code == 200
    with CaptureQueriesContext(connection) as large:
        body = client.get("/api/v1/bills/", {"page_size": 200}).json()
    assert body["count"] == 8 and len(small) == len(large)


def test_bill_list_filters_and_shape(ledger, project, staff, api):
    a, _b = ledger
    body = api(staff["manager"]).get("/api/v1/bills/", {"unit": a.pk, "period": "2026-10"}).json()
    assert body["count"] == 1
    bill = body["results"][0]
    assert {k: bill[k] for k in ("unit", "period", "amount", "paid", "balance", "status", "due_date")} == {
        "unit": a.pk, "period": "2026-10", "amount": "350.00", "paid": "350.00", "balance": "0.00", "status": "paid",
        "due_date": "2026-10-15"}
    assert bill["lines"] == [{"id": bill["lines"][0]["id"], "kind": "charge", "item": "mgmt", "description": "物业管理费",
                              "quantity": "100.00", "unit_price": "3.50", "days": 31, "amount": "350.00"}]
    unpaid = api(staff["manager"]).get("/api/v1/bills/", {"status": "open"}).json()
    assert unpaid["count"] == 5
    assert Bill.objects.count() == 8
