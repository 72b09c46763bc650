"""Lists cost a fixed number of queries whatever their length (steps, workers with their passes, inspections with
their photos are fetched in one query each)."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.archive.models import Unit
from dutydesk.occupancy import services
from tests.factories import ResidentFactory, UnitFactory, valid_id_number


@pytest.fixture
def many(staff, building):
    """Six units, each with a move-in, an approved renovation with two workers and an inspection, and a move-out."""
    for index in range(6):
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
