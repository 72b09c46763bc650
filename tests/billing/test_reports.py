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
from tests.support.jobs import sheet_rows

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
    by_building = client.get("/api/v1/reports/collection-rate", {**params, "by": "building"}).json()
    assert [(b["name"], b["rate"]) for b in by_building["by_building"]] == [("A", "0.8454")]
    # the total added up from the buildings is the project's, as without ?by
    assert (by_building["receivable"], by_building["received"], by_building["rate"]) == ("560.00", "473.45", "0.8454")
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


def test_bills_and_arrears_list_buildings_by_name_and_count_households(project, mgmt_fee, make_unit, staff, api,
                                                                       client):
    """The lists walk the buildings by name (archive.selectors.in_building_name_order: the buildings' project is said
    so PostgreSQL can), whatever order they were created in; the arrears count households, not bills; a floor butler
    gets their floors' households only."""
    from tests.factories import BuildingFactory, UnitFactory

    a_low, a_high = make_unit("301", floor=3), make_unit("1601", floor=16)  # building A; the butler holds A 1–15F
    z = BuildingFactory(project=project, name="Z")
    c = BuildingFactory(project=project, name="C")  # created after Z, listed before it
    z_unit = UnitFactory(building=z, floor=2, number="201", area_m2=Decimal("50.00"))
    c_units = [UnitFactory(building=c, floor=1, number=n, area_m2=Decimal("50.00")) for n in ("102", "101")]
    for unit in (a_low, a_high, z_unit, *c_units):
        UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2020, 1, 1))
    for period in ("2026-09", "2026-10"):
        services.bill_run_create(project=project, period=period)
    services.payment_record(bill=c_units[0].bills.get(period="2026-09"), amount="175.00", method="cash",
                            user=staff["frontdesk"])

    client.force_login(staff["manager"])
    html = client.get("/billing/bills/", {"project": project.pk}).content.decode()
    shown = [label for label in ("A-1601", "A-301", "C-101", "C-102", "Z-201") if label in html]
    # by building name, then floor and number: A-301 (3F) before A-1601 (16F), though "1601" < "301" as text
    assert sorted(shown, key=html.index) == ["A-301", "A-1601", "C-101", "C-102", "Z-201"]

    body = api(staff["manager"]).get("/api/v1/reports/arrears", {"project": project.pk, "as_of": "2026-11-30"}).json()
    assert [row["unit_label"] for row in body["results"]] == ["A-301", "A-1601", "C-101", "C-102", "Z-201"]
    assert body["count"] == 5  # households, though each owes two bills (C-102 only October's)
    assert [row["bills"] for row in body["results"]] == [2, 2, 2, 1, 2]
    page = client.get("/billing/arrears/", {"project": project.pk, "as_of": "2026-11-30"}).content.decode()
    assert "1 / 1" in page and all(label in page for label in ("A-301", "C-101", "Z-201"))

    butler = api(staff["butler"]).get("/api/v1/reports/arrears", {"project": project.pk, "as_of": "2026-11-30"}).json()
    assert (butler["count"], [row["unit_label"] for row in butler["results"]]) == (1, ["A-301"])

    month = {"project": project.pk, "period": "2026-10"}  # the API's month of one project: the same walk, counted apart
    listed = api(staff["manager"]).get("/api/v1/bills/", {**month, "page_size": 2}).json()
    assert listed["count"] == 5 and [bill["unit_label"] for bill in listed["results"]] == ["A-301", "A-1601"]
    second = api(staff["manager"]).get("/api/v1/bills/", {**month, "page_size": 2, "page": 3}).json()
    assert [bill["unit_label"] for bill in second["results"]] == ["Z-201"]
    mine = api(staff["butler"]).get("/api/v1/bills/", month).json()
    assert (mine["count"], [bill["unit_label"] for bill in mine["results"]]) == (1, ["A-301"])
    # the month's Excel reads as the ledger does
    exported = sheet_rows(api(staff["manager"]).get("/api/v1/billing/export/bills", month))
    assert [f"{row[0]}-{row[1]}" for row in exported[1:]] == ["A-301", "A-1601", "C-101", "C-102", "Z-201"]


def test_a_projects_bills_are_paged_month_by_month_each_month_by_building(project, mgmt_fee, make_unit, staff, api,
                                                                           client):
    """Without a month the ledger reads newest month first, each month by building name, floor and number, and pages run
    across a month's end (billing.selectors.MonthByMonth); a page inside the newest month reads nothing of the older
    ones (600,000 units, three months: sorting every bill for one page took 1.7 s)."""
    from tests.factories import BuildingFactory, UnitFactory

    z = BuildingFactory(project=project, name="Z")
    units = [make_unit("301", floor=3), UnitFactory(building=z, floor=2, number="201", area_m2=Decimal("50.00")),
             make_unit("1601", floor=16)]
    for unit in units:
        UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2020, 1, 1))
    for period in ("2026-08", "2026-09", "2026-10"):
        services.bill_run_create(project=project, period=period)
    manager = api(staff["manager"])

    def page(number, **params):
        body = manager.get("/api/v1/bills/", {"project": project.pk, "page_size": 2, "page": number, **params}).json()
        return body["count"], [(bill["period"], bill["unit_label"]) for bill in body["results"]]

    ledger = [(period, label) for period in ("2026-10", "2026-09", "2026-08") for label in ("A-301", "A-1601", "Z-201")]
    assert [page(n) for n in (1, 2, 3, 4, 5)] == [(9, ledger[i:i + 2]) for i in (0, 2, 4, 6, 8)]
    assert page(2, period="2026-09") == (3, [("2026-09", "Z-201")])
    october_a = Bill.objects.get(period="2026-10", unit=units[2])
    services.payment_record(bill=october_a, amount=october_a.amount, method="cash", user=staff["frontdesk"])
    unpaid = ledger[:1] + ledger[2:]  # A-1601's October is paid: the unpaid ones, across the months' ends
    assert [page(n, status="unpaid") for n in (1, 2, 4)] == [(8, unpaid[0:2]), (8, unpaid[2:4]), (8, unpaid[6:8])]
    assert page(1, status="paid") == (1, [("2026-10", "A-1601")])
    assert page(1, status="open")[0] == 8 and page(1, status="partial") == (0, [])
    assert manager.get("/api/v1/bills/", {"project": project.pk, "page_size": 2, "page": 6}).status_code == 404

    with CaptureQueriesContext(connection) as first:
        assert page(1)[1] == ledger[:2]
    assert not [query["sql"] for query in first.captured_queries if "2026-09" in query["sql"]]

    client.force_login(staff["manager"])
    html = client.get("/billing/bills/", {"project": project.pk, "period": ""}).content.decode()
    assert html.count("A-1601") == 3 and html.index("2026-10") < html.index("2026-09") < html.index("2026-08")


def test_a_whole_project_posts_bills_are_scoped_by_the_bills_own_project(project, staff):
    """A bill carries its unit's project: a manager's bills are counted without a join to every unit (600,000 units:
    the households in arrears 268 → 41 ms), a floor butler's through their floors' units."""
    from dutydesk.billing.selectors import bills_visible_to

    manager_sql = str(bills_visible_to(staff["manager"]).values("pk").query)
    butler_sql = str(bills_visible_to(staff["butler"]).values("pk").query)
    # (the whole projects of a person's holdings as one term: "project_id IN (…)", one project or forty)
    assert "archive_unit" not in manager_sql and '"billing_bill"."project_id" IN (' in manager_sql
    assert '"archive_unit"."building_id" =' in butler_sql and '"archive_unit"."floor" <=' in butler_sql


def test_bills_across_projects_page_without_repeating_a_unit_of_the_same_name(project, mgmt_fee, make_unit, staff,
                                                                               api):
    """Two projects may both have building A's unit 101: the list of every project the manager works in reads each
    month project by project, so its pages neither repeat nor skip one of the two."""
    from tests.factories import BuildingFactory, ProjectFactory, UnitFactory, hold

    other = ProjectFactory(organisation=project.organisation, name="西园")
    twin = UnitFactory(building=BuildingFactory(project=other, name="A"), floor=1, number="101",
                       area_m2=Decimal("50.00"))
    UnitCharge.objects.create(unit=make_unit("101", floor=1), item=mgmt_fee, start=date(2020, 1, 1))
    fee = type(mgmt_fee).objects.get(pk=mgmt_fee.pk)
    fee.pk, fee.project = None, other
    fee.save()
    UnitCharge.objects.create(unit=twin, item=fee, start=date(2020, 1, 1))
    for each in (project, other):
        services.bill_run_create(project=each, period="2026-10")
    hold(staff["manager"], "cs-manager", other)
    manager = api(staff["manager"])
    with CaptureQueriesContext(connection) as queries:
        pages = [manager.get("/api/v1/bills/", {"page_size": 1, "page": n}).json() for n in (1, 2)]
    assert pages[0]["count"] == 2
    # a month's bills project by project (billing.selectors.MonthByMonth over the manager's projects)
    assert [page["results"][0]["id"] for page in pages] == list(Bill.objects.order_by("project_id")
                                                               .values_list("id", flat=True))
    walked = [q["sql"] for q in queries.captured_queries if '"archive_unit"."number" ASC' in q["sql"]]
    assert [f'"billing_bill"."project_id" = {each.pk}' in sql for sql, each in zip(walked, (project, other))] == [
        True, True]


def test_collection_rate_by_butler_adds_up_each_holdings_floors_however_many_holdings(ledger, project, staff, api,
                                                                                      building):
    """Each floor butler's holding adds up October's bills of its building and floors (both units lie on floor 3 of
    A), from one grouping of the month whatever the number of holdings: with 900 more (a large project's floor
    ranges), two sums per holding in one statement went past PostgreSQL's 1,664 columns, an error."""
    from dutydesk.org.models import Post, PostHolding
    from tests.factories import UserFactory, hold

    third = hold(UserFactory(username="floor-3", first_name="三楼"), "floor-butler", project, building=building,
                 floor_from=3, floor_to=3)
    upper = hold(UserFactory(username="floors-4-9", first_name="四至九楼"), "floor-butler", project,
                 building=building, floor_from=4, floor_to=9)
    unnamed = hold(UserFactory(username="no-name", first_name="", last_name=""), "floor-butler", project,
                   building=building, floor_from=2, floor_to=2)
    many = UserFactory(username="many-ranges", first_name="多段")
    butler_post = Post.objects.get(code="floor-butler")
    PostHolding.objects.bulk_create([PostHolding(user=many, post=butler_post, project=project, building=building,
                                                 floor_from=100 + n, floor_to=100 + n) for n in range(900)])
    with CaptureQueriesContext(connection) as queries:
        response = api(staff["manager"]).get("/api/v1/reports/collection-rate",
                                             {"project": project.pk, "period": "2026-10", "by": "butler"})
    assert response.status_code == 200
    rows = {row["holding"]: row for row in response.json()["by_butler"]}
    assert len(rows) == 904
    assert [(rows[third.pk][k], rows[upper.pk][k]) for k in ("receivable", "received", "rate")] == [
        ("560.00", "0.00"), ("473.45", "0.00"), ("0.8454", None)]
    demo = next(row for row in rows.values() if row["user"] == staff["butler"].pk)
    assert (demo["receivable"], demo["received"], demo["floors"]) == ("560.00", "473.45", [1, 15])
    assert {row["receivable"] for row in rows.values() if row["user"] == many.pk} == {"0.00"}
    # who and where, read with the holdings: the full name, else the login name
    assert ((rows[third.pk]["name"], rows[third.pk]["building"], rows[third.pk]["floors"])
            == ("三楼", building.name, [3, 3]))
    assert rows[unnamed.pk]["name"] == "no-name" and rows[unnamed.pk]["user"] == unnamed.user_id
    assert len(queries.captured_queries) < 15
