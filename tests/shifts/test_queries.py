"""The lists and pages cost the same number of queries for 2 rows or 40 (no query per row)."""
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.shifts import services
from tests.shifts.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(project, desk_post, desk, roster, traveller):
    """A filled November, 20 handovers (half acknowledged) and 6 swaps waiting."""
    services.roster_fill(roster=roster, users=desk)
    for n in range(1, 21):
        day = date(2026, 11, n)
        traveller.move_to(at(day, "16:55"))
        entry = roster.entries.get(day=day, shift="a")
        handover = services.handover_record(project=project, post=desk_post, shift="a", notes=f"第{n}天交接",
                                            open_items=["待跟进事项"], handed_by=entry.user)
        if n % 2:
            taker = roster.entries.get(day=day, shift="b").user
            services.handover_acknowledge(handover=handover, user=taker)
    traveller.move_to(at(date(2026, 11, 10), "10:00"))
    for n in range(6):
        mine = roster.entries.filter(user=desk[0], day__gte=date(2026, 11, 12)).order_by("day")[n]
        theirs = roster.entries.filter(user=desk[1], day__gte=date(2026, 11, 12)).order_by("day")[n + 6]
        services.swap_request(entry=mine, other_entry=theirs, requested_by=desk[0])
    return project


def _queries(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, getattr(response, "content", b"")[:300]
    return len(captured)


@pytest.mark.parametrize("path", ["/api/v1/rosters/?month=2026-11", "/api/v1/roster-entries/?month=2026-11",
                                  "/api/v1/handovers/", "/api/v1/handovers/?mine=true", "/api/v1/swaps/",
                                  "/api/v1/shifts/"])
def test_api_lists_cost_the_same_for_two_rows_or_many(api, staff, busy, path):
    client = api(staff["supervisor"])
    joiner = "&" if "?" in path else "?"
    small = _queries(lambda: client.get(f"{path}{joiner}project={busy.pk}&page_size=2"))
    large = _queries(lambda: client.get(f"{path}{joiner}project={busy.pk}&page_size=200"))
    assert small == large, (small, large)


def test_a_roster_lists_its_month_in_constant_queries(api, staff, busy, desk_post, project):
    client = api(staff["supervisor"])
    with CaptureQueriesContext(connection) as captured:
        rosters = client.get(f"/api/v1/rosters/?project={project.pk}&month=2026-11").json()
    assert len(rosters["results"][0]["entries"]) == 90
    assert len(captured) <= 12


@pytest.mark.parametrize("path", ["/shifts/?month=2026-11&day=2026-11-12", "/shifts/handovers/?show=all",
                                  "/shifts/handovers/?show=mine", "/shifts/swaps/", "/shifts/times/",
                                  "/shifts/handovers/new/"])
def test_pages_take_a_bounded_number_of_queries(client, staff, desk, busy, path, django_assert_max_num_queries):
    client.force_login(desk[0] if path.endswith("new/") else staff["supervisor"])
    joiner = "&" if "?" in path else "?"
    with django_assert_max_num_queries(30):
        response = client.get(f"{path}{joiner}project={busy.pk}")
    assert response.status_code == 200
