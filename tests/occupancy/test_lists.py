"""Lists cost a fixed number of queries whatever their length (steps, workers with their passes, inspections with
their photos are fetched in one query each)."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.archive.models import Unit
from dutydesk.occupancy import services
from tests.factories import ResidentFactory, UnitFactory, valid_id_number


def _add(staff, building, first, last):
    """Units ``first``…``last - 1`` of floors 5 and 6, each with a move-in, an approved renovation with two workers
    and a failed inspection, and a move-out."""
    for index in range(first, last):
        vacant = UnitFactory(building=building, floor=5, number=f"50{index}", status=Unit.Status.VACANT)
        newcomer = ResidentFactory(unit=vacant, id_number=valid_id_number(20 + index))
        move_in = services.move_in_open(unit=vacant, resident=newcomer, date=date(2026, 6, 1), clerk=staff["frontdesk"])
        services.move_in_step_done(move_in=move_in, code="documents", clerk=staff["frontdesk"])
        lived = UnitFactory(building=building, floor=6, number=f"60{index}")
        owner = ResidentFactory(unit=lived)
        renovation = services.renovation_apply(unit=lived, clerk=staff["frontdesk"], contractor=f"装修队{index}",
                                               starts_on=date(2026, 6, 2), ends_on=date(2026, 6, 20), deposit="1000",
                                               workers=[{"name": "甲"}, {"name": "乙"}])
        services.renovation_approve(renovation=renovation, approver=staff["supervisor"])
        services.renovation_inspect(renovation=renovation, inspector=staff["butler"], result="fail", note="未防护")
        services.move_out_open(unit=lived, resident=owner, date=date(2026, 6, 30), clerk=staff["frontdesk"])


@pytest.fixture
def many(staff, building):
    """Six units, each with a move-in, an approved renovation with two workers and an inspection, and a move-out."""
    _add(staff, building, 0, 6)


def _queries(client, path, size):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"page_size": size})
    assert response.status_code == 200
    return len(captured), response.json()["count"]


@pytest.mark.parametrize("path", ["/api/v1/move-ins/", "/api/v1/renovations/", "/api/v1/move-outs/"])
def test_api_lists_do_not_grow_with_the_page(staff, api, many, path):
    client = api(staff["butler"])
    few, count = _queries(client, path, 2)
    all_of_them, _count = _queries(client, path, 200)
    assert count == 6 and few == all_of_them


@pytest.mark.parametrize("path", ["/occupancy/move-ins/", "/occupancy/renovations/", "/occupancy/move-outs/"])
def test_pages_do_not_grow_with_the_list(staff, client, many, path, django_assert_max_num_queries):
    client.force_login(staff["supervisor"])
    client.get(path)  # warm the session and the catalogue caches
    with django_assert_max_num_queries(14):
        response = client.get(path)
    assert response.status_code == 200 and response.content.decode().count("<tr") == 7  # header + 6


def test_detail_pages_cost_a_fixed_number_of_queries(staff, client, many, django_assert_max_num_queries):
    from dutydesk.occupancy.models import MoveIn, Renovation

    client.force_login(staff["supervisor"])
    renovation, move_in = Renovation.objects.first(), MoveIn.objects.first()
    client.get(f"/occupancy/renovations/{renovation.pk}/")
    with django_assert_max_num_queries(20):
        assert client.get(f"/occupancy/renovations/{renovation.pk}/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/occupancy/move-ins/{move_in.pk}/").status_code == 200


@pytest.mark.parametrize("path", ["/occupancy/move-ins/", "/occupancy/move-ins/?status=open", "/occupancy/move-outs/",
                                  "/occupancy/renovations/", "/occupancy/renovations/?q=A-601",
                                  "/api/v1/move-ins/", "/api/v1/renovations/", "/api/v1/move-outs/"])
@pytest.mark.parametrize("who", ["supervisor", "butler"])
def test_lists_cost_the_same_for_two_rows_or_six(staff, client, building, path, who):
    """A list scoped by a whole-project post reads its rows by their own project (no join to units); a floor butler's
    by the floors' units as one subquery."""
    client.force_login(staff[who])

    def listed():
        client.get(path)  # the session and the catalogue caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    _add(staff, building, 0, 2)
    few = listed()
    _add(staff, building, 2, 6)
    assert listed() == few


def test_a_floor_butler_lists_the_floors_rows_only(staff, api, building, other_building):
    _add(staff, building, 0, 2)
    elsewhere = UnitFactory(building=other_building, floor=6, number="601", status=Unit.Status.VACANT)
    services.move_in_open(unit=elsewhere, resident=ResidentFactory(unit=elsewhere, id_number=valid_id_number(40)),
                          date=date(2026, 6, 1), clerk=staff["supervisor"])
    assert api(staff["butler"]).get("/api/v1/move-ins/").json()["count"] == 2
    assert api(staff["supervisor"]).get("/api/v1/move-ins/").json()["count"] == 3


def test_the_search_finds_the_unit_and_its_residents(staff, client, building):
    _add(staff, building, 0, 3)
    client.force_login(staff["supervisor"])
    html = client.get("/occupancy/renovations/", {"q": "A-601"}).content.decode()
    assert "装修队1" in html and "装修队0" not in html and "装修队2" not in html


def test_the_search_looks_among_the_viewers_units(staff, building, other_building):
    """In a group of 400 projects a unit number or a surname matches thousands of units; the search box keeps the
    viewer's: the project's for a supervisor, the floors' for a floor butler (building A floors 1–15)."""
    from dutydesk.occupancy import selectors
    from tests.factories import BuildingFactory, ProjectFactory

    mine = UnitFactory(building=building, floor=6, number="601")
    other_buildings = UnitFactory(building=other_building, floor=6, number="601")
    elsewhere = UnitFactory(building=BuildingFactory(project=ProjectFactory(code="elsewhere"), name="A"), floor=6,
                            number="601")
    for unit in (mine, other_buildings, elsewhere):
        ResidentFactory(unit=unit, name=f"王{unit.pk}")
    assert set(selectors.units_matching("601", staff["supervisor"])) == {mine.pk, other_buildings.pk}
    assert set(selectors.units_matching("王", staff["supervisor"])) == {mine.pk, other_buildings.pk}
    assert selectors.units_matching("601", staff["butler"]) == [mine.pk]
    assert selectors.units_matching("王", staff["butler"]) == [mine.pk]
    assert elsewhere.pk not in selectors.units_matching("A-601", staff["supervisor"])
