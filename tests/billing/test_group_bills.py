"""A group's bills through the API (``GET /api/v1/bills/`` without ``?project=``): someone who sees several projects
whole reads the ledger month by month, each month project by project, each project by building and unit
(``billing.selectors.MonthByMonth`` over several projects). Sorting every visible bill for one page took 1.1 s for
40 projects' 1.8 million bills."""
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.billing import services
from dutydesk.billing.models import Bill, ChargeItem, UnitCharge
from tests.factories import BuildingFactory, ProjectFactory, UnitFactory, hold

pytestmark = pytest.mark.django_db

LEDGER = ("-period", "project_id", "unit__building__name", "unit__number")


def _billed_project(project, layout, periods):
    """Units of ``layout`` ({building name: [unit numbers]}) paying a fixed fee, billed for each of ``periods``."""
    fee = services.charge_item_save(project=project, code="mgmt", name="物业管理费", basis="per_unit",
                                    unit_price="100.00", kind=ChargeItem.Kind.MANAGEMENT)
    for name, numbers in layout.items():
        building = project.buildings.filter(name=name).first() or BuildingFactory(project=project, name=name)
        for number in numbers:
            unit = UnitFactory(building=building, floor=1, number=number, area_m2=Decimal("50.00"))
            UnitCharge.objects.create(unit=unit, item=fee, start=date(2020, 1, 1))
    for period in periods:
        services.bill_run_create(project=project, period=period)


@pytest.fixture
def group(project, staff):
    """Three projects: 阳光花园 (the staff's) billed for September and October; 西园 for September only (its October
    not run yet); 东苑 for both. Building and unit names repeat between them. The manager holds the CS manager's post
    in all three."""
    west = ProjectFactory(organisation=project.organisation, name="西园")
    east = ProjectFactory(organisation=project.organisation, name="东苑")
    _billed_project(project, {"B": ["101"], "A": ["201", "101"]}, ["2026-09", "2026-10"])
    _billed_project(west, {"A": ["101", "102"]}, ["2026-09"])
    _billed_project(east, {"A": ["101"], "C": ["101"]}, ["2026-09", "2026-10"])
    for each in (west, east):
        hold(staff["manager"], "cs-manager", each)
    return [project, west, east]


def _labels(bills):
    return [(bill.period, bill.project_id, bill.unit.building.name + "-" + bill.unit.number) for bill in bills]


def _all_pages(client, size, **params):
    """Every page of the list, each page's count and its rows as (period, project, unit label)."""
    rows, counts, number = [], set(), 1
    while True:
        body = client.get("/api/v1/bills/", {"page_size": size, "page": number, **params}).json()
        counts.add(body["count"])
        rows += [(bill["period"], Bill.objects.get(pk=bill["id"]).project_id, bill["unit_label"])
                 for bill in body["results"]]
        if not body["next"]:
            return counts, rows
        number += 1


def test_a_groups_bills_read_month_by_month_each_month_project_by_project(group, staff, api):
    manager = api(staff["manager"])
    ledger = _labels(Bill.objects.select_related("unit__building").order_by(*LEDGER))
    assert len(ledger) == 12 and ledger[0][0] == "2026-10" and ledger[-1][0] == "2026-09"
    # October: 阳光花园 (A-101, A-201, B-101) then 东苑; 西园 has no October yet
    assert [row[1:] for row in ledger[:5]] == [(group[0].pk, "A-101"), (group[0].pk, "A-201"), (group[0].pk, "B-101"),
                                               (group[2].pk, "A-101"), (group[2].pk, "C-101")]
    for size in (1, 2, 5, 50):  # pages across a project's end and a month's end alike
        assert _all_pages(manager, size) == ({12}, ledger)
    october = [row for row in ledger if row[0] == "2026-10"]
    assert _all_pages(manager, 2, period="2026-10") == ({5}, october)
    september = [row for row in ledger if row[0] == "2026-09"]
    assert _all_pages(manager, 3, period="2026-09") == ({7}, september)
    assert manager.get("/api/v1/bills/", {"period": "2026-11"}).json() == {
        "count": 0, "next": None, "previous": None, "results": []}
    assert manager.get("/api/v1/bills/", {"page_size": 5, "page": 4}).status_code == 404


@pytest.mark.parametrize("few_to_sort", [0, 1_000])
def test_a_page_past_the_first_names_the_units_project_when_its_month_holds_many_bills(group, staff, api, monkeypatch,
                                                                                       few_to_sort):
    """Past the first page, a project's month of many bills is walked from the project's own units (their
    (project, building, floor) index); a month of few is sorted as it is. The pages are the ledger's either way."""
    from dutydesk.billing import selectors

    monkeypatch.setattr(selectors, "FEW_TO_SORT", few_to_sort)
    manager = api(staff["manager"])
    ledger = _labels(Bill.objects.select_related("unit__building").order_by(*LEDGER))
    assert _all_pages(manager, 1) == ({12}, ledger)
    with CaptureQueriesContext(connection) as queries:
        body = manager.get("/api/v1/bills/", {"page_size": 1, "page": 2}).json()  # 阳光花园's October, its second row
    assert [bill["unit_label"] for bill in body["results"]] == ["A-201"]
    walked = [query["sql"] for query in queries.captured_queries if '"archive_building"."name" ASC' in query["sql"]]
    assert len(walked) == 1
    assert (f'"archive_unit"."project_id" = {group[0].pk}' in walked[0]) is (few_to_sort == 0)


def test_a_groups_unpaid_bills_page_across_the_projects_by_what_is_paid(group, staff, api):
    first_of_east = Bill.objects.filter(project=group[2], period="2026-10").order_by("unit__building__name").first()
    services.payment_record(bill=first_of_east, amount=first_of_east.amount, method="cash", user=staff["frontdesk"])
    unpaid = _labels(Bill.objects.select_related("unit__building").exclude(pk=first_of_east.pk).order_by(*LEDGER))
    manager = api(staff["manager"])
    assert _all_pages(manager, 2, status="unpaid") == ({11}, unpaid)
    assert _all_pages(manager, 2, status="paid") == ({1}, [("2026-10", group[2].pk, "A-101")])


def test_a_page_of_the_groups_newest_month_reads_only_the_projects_it_shows(group, staff, api):
    """The first page of two rows lies in 阳光花园's October: no other project and no other month is read for its rows;
    the months are probed in one statement for every project."""
    manager = api(staff["manager"])
    with CaptureQueriesContext(connection) as queries:
        body = manager.get("/api/v1/bills/", {"page_size": 2}).json()
    assert [bill["unit_label"] for bill in body["results"]] == ["A-101", "A-201"] and body["count"] == 12
    walked = [query["sql"] for query in queries.captured_queries if '"archive_building"."name" ASC' in query["sql"]]
    assert len(walked) == 1 and f'"billing_bill"."project_id" = {group[0].pk}' in walked[0]
    assert "2026-09" not in walked[0]
    assert not [query["sql"] for query in queries.captured_queries
                if "2026-09" in query["sql"] or f'"project_id" = {group[2].pk}' in query["sql"]]


def test_a_superuser_reads_every_projects_ledger_the_same_way(group, staff, api):
    admin = get_user_model().objects.create_superuser("root-billing", password="x")
    ledger = _labels(Bill.objects.select_related("unit__building").order_by(*LEDGER))
    assert _all_pages(api(admin), 4) == ({12}, ledger)


def test_one_units_bills_and_a_floor_butlers_are_sorted_as_they_are(group, staff, api):
    """``?unit=`` and a butler's floors are a few bills: the plain sort, in the same order."""
    unit = Bill.objects.filter(project=group[2]).order_by("id").first().unit
    manager = api(staff["manager"])
    assert _all_pages(manager, 1, unit=unit.pk) == ({2}, [("2026-10", group[2].pk, "A-101"),
                                                          ("2026-09", group[2].pk, "A-101")])
    butler = staff["butler"]  # building A floors 1–15 of 阳光花园, and now building A of 东苑 too
    east_a = group[2].buildings.get(name="A")
    hold(butler, "floor-butler", group[2], building=east_a, floor_from=1, floor_to=1)
    mine = [row for row in _labels(Bill.objects.select_related("unit__building").order_by(*LEDGER))
            if row[2].startswith("A-") and row[1] in (group[0].pk, group[2].pk)]
    assert _all_pages(api(butler), 2) == ({len(mine)}, mine)


def test_a_manager_of_one_project_sees_none_of_the_others_bills(group, staff, api):
    """The denial: 阳光花园's front-desk clerk and a manager of 西园 alone each see their own project's bills only."""
    clerk = api(staff["frontdesk"])
    counts, rows = _all_pages(clerk, 3)
    assert counts == {6} and {row[1] for row in rows} == {group[0].pk}
    west_manager = get_user_model().objects.create_user("west-manager", password="x")
    hold(west_manager, "cs-manager", group[1])
    counts, rows = _all_pages(api(west_manager), 50)
    assert counts == {2} and {row[1] for row in rows} == {group[1].pk}
    assert api(west_manager).get("/api/v1/bills/", {"project": group[0].pk}).json()["count"] == 0


@pytest.mark.parametrize("few_to_sort", [0, 1_000])
def test_a_page_deep_into_a_month_walks_from_the_building_it_starts_in(project, staff, api, monkeypatch, few_to_sort):
    """Past ``SKIP_BY_BUILDING`` rows into one project's month, the month's bills are counted building by building
    and the page is walked from its building on, not from the month's first bill (600,000 units: the last page of a
    month 1.1 s → 0.35 s); that count says how far the month reaches too, so it is not counted twice; every page is still the ledger's, whether the month's units are read off their project's
    index (many bills) or not (few)."""
    from dutydesk.billing import selectors

    _billed_project(project, {"C": ["101", "102", "103"], "A": ["101", "102"], "B": ["101", "102", "103", "104"]},
                    ["2026-09", "2026-10"])
    monkeypatch.setattr(selectors, "SKIP_BY_BUILDING", 2)
    monkeypatch.setattr(selectors, "FEW_TO_SORT", few_to_sort)
    ledger = _labels(Bill.objects.select_related("unit__building").order_by(*LEDGER))
    manager = api(staff["manager"])
    for size in (1, 2, 3, 4):
        assert _all_pages(manager, size, project=project.pk) == ({18}, ledger)
    assert _all_pages(manager, 2, project=project.pk, period="2026-09") == ({9}, ledger[9:])
    with CaptureQueriesContext(connection) as queries:
        body = manager.get("/api/v1/bills/", {"project": project.pk, "page_size": 2, "page": 3}).json()
    assert [bill["unit_label"] for bill in body["results"]] == ["B-103", "B-104"]  # October's fifth and sixth
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    counted = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "GROUP BY" not in q["sql"]]
    # the month counted once, per building (what says how far it reaches too), beside the paginator's count
    assert len(grouped) == 1 and len(counted) == 1
    walked = [q["sql"] for q in queries.captured_queries if '"archive_building"."name" ASC' in q["sql"]]
    assert len(walked) == 1 and '"archive_building"."name" >= \'B\'' in walked[0]


def test_a_groups_months_are_probed_for_the_lists_own_bills_one_projects_for_any(group, staff, api):
    """Several projects: a project without unpaid bills in a month is skipped by the probe of the months, which asks
    for unpaid bills. One project: its months are probed for any bill, since a filter's rows may lie anywhere in a
    month (walking the index backwards for a unit number read 582,000 bills at 600,000 units)."""
    manager = api(staff["manager"])

    def probes(**params):
        with CaptureQueriesContext(connection) as queries:
            assert manager.get("/api/v1/bills/", {"status": "unpaid", **params}).status_code == 200
        return [q["sql"] for q in queries.captured_queries
                if q["sql"].startswith('SELECT "archive_project"."id" AS "pk", (SELECT')]

    across = probes()
    assert across and all('"paid" < (' in sql for sql in across)
    alone = probes(project=group[0].pk)
    assert alone and not [sql for sql in alone if '"paid" < (' in sql]
