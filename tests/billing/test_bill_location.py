"""A bill says where its unit is (``Bill.building``, ``Bill.floor``): the month's collection by building and by floor
is read off the bills alone, and a unit moved in the archive takes its bills with it (a trigger, billing 0008)."""
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.archive.models import Unit
from dutydesk.billing import selectors, services
from dutydesk.core import clock
from dutydesk.billing.models import Bill, UnitCharge

PERIOD = "2026-10"


@pytest.fixture
def billed(project, mgmt_fee, make_unit, other_building, staff):
    """Two units on floor 3 and 14 of building A, one on floor 3 of B, each billed for two months; the first pays
    its October bill."""
    units = [make_unit("301", floor=3), make_unit("1401", floor=14, area="60.00"),
             Unit.objects.create(project=project, building=other_building, floor=3, number="302",
                                 area_m2=Decimal("80.00"))]
    for unit in units:
        UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2020, 1, 1))
    for period in ("2026-09", PERIOD):
        services.bill_run_create(project=project, period=period)
    clerk = staff["frontdesk"]
    services.payment_record(bill=units[0].bills.get(period=PERIOD), amount="350.00", method="cash", user=clerk)
    return units


def _locations():
    return {(bill.unit_id, bill.period): (bill.building_id, bill.floor) for bill in Bill.objects.all()}


def test_the_bill_run_writes_each_bill_where_its_unit_is(billed):
    assert _locations() == {(unit.pk, period): (unit.building_id, unit.floor)
                            for unit in billed for period in ("2026-09", PERIOD)}


def test_a_unit_moved_takes_its_bills_and_its_figures_with_it(billed, project, building, other_building, staff, api):
    a301, a1401, b302 = billed
    cells = selectors.collection_by_floor(project=project, period=PERIOD)
    assert cells == {(building.pk, 3): (Decimal("350.00"), Decimal("350.00")),
                     (building.pk, 14): (Decimal("210.00"), Decimal("0.00")),
                     (other_building.pk, 3): (Decimal("280.00"), Decimal("0.00"))}
    # the floor is corrected through the API, as a manager would; the butler of floors 1–15 of A gains the unit
    assert api(staff["manager"]).patch(f"/api/v1/units/{b302.pk}/", {"floor": 5}, format="json").status_code == 200
    Unit.objects.filter(pk=b302.pk).update(building=building)  # and its building, as a bulk correction would
    after = _locations()
    assert after[b302.pk, "2026-09"] == after[b302.pk, PERIOD] == (building.pk, 5)
    assert after[a301.pk, PERIOD] == (building.pk, 3) and after[a1401.pk, PERIOD] == (building.pk, 14)
    assert selectors.collection_by_floor(project=project, period=PERIOD)[building.pk, 5] == (Decimal("280.00"),
                                                                                             Decimal("0.00"))
    assert (other_building.pk, 3) not in selectors.collection_by_floor(project=project, period=PERIOD)
    by_building = selectors.collection_by_building(project=project, period=PERIOD)
    assert by_building == {building.pk: (Decimal("840.00"), Decimal("350.00"))}
    # a change of the unit's other fields leaves its bills alone (the trigger fires on building and floor only)
    Unit.objects.filter(pk=a301.pk).update(area_m2=Decimal("1.00"))
    assert _locations() == after


def test_a_unit_billed_for_no_recurring_charge_is_placed_too(project, mgmt_fee, make_unit, other_building):
    """The bill run takes a bill's building and floor from its recurring charges' lines; a unit billed only for
    something else (a paid repair) is looked up on its own."""
    charged = make_unit("301", floor=3)
    UnitCharge.objects.create(unit=charged, item=mgmt_fee, start=date(2020, 1, 1))
    repaired = Unit.objects.create(project=project, building=other_building, floor=9, number="901",
                                   area_m2=Decimal("70.00"))
    services.one_off_charge_create(project=project, unit=repaired, amount=Decimal("80.00"), description="有偿维修",
                                   source="repair", source_id=1)
    month = clock.today().strftime("%Y-%m")  # a charge handed over is billed from the month it was handed over in
    services.bill_run_create(project=project, period=month)
    assert _locations() == {(charged.pk, month): (charged.building_id, 3), (repaired.pk, month): (other_building.pk, 9)}


def test_a_bill_made_on_its_own_is_where_its_unit_is(billed, project):
    unit = billed[1]
    run = Bill.objects.filter(unit=unit).first().run
    bill = Bill.objects.create(project=project, unit=unit, run=run, period="2027-01", amount=Decimal("1.00"),
                               due_date=date(2027, 1, 15), created_at=run.created_at)
    bill.refresh_from_db()
    assert (bill.building_id, bill.floor) == (unit.building_id, 14)


def test_the_collection_by_floor_and_by_building_read_the_bills_alone(billed, project):
    with CaptureQueriesContext(connection) as read:
        selectors.collection_by_floor(project=project, period=PERIOD)
        selectors.collection_by_building(project=project, period=PERIOD)
    assert len(read.captured_queries) == 2
    assert not [query["sql"] for query in read.captured_queries if "archive_unit" in query["sql"]]
