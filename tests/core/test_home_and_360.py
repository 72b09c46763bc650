"""Each post lands on a home with its work due now; the unit and resident pages show the 360° view from every
module the viewer's posts allow — and nothing they do not. Query counts do not grow with the rows."""
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dutydesk.tickets import services
from tests.factories import ResidentFactory


def _page(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def worked(staff, unit, resident):
    tickets = []
    for n in range(3):
        ticket = services.ticket_create(actor=staff["frontdesk"], unit=unit, resident=resident, kind="repair",
                                        title=f"报修{n}")
        services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"])
        tickets.append(ticket)
    return tickets


def test_the_engineer_home_shows_the_work_given_to_them(staff, worked):
    page = _page(staff["engineer"], "/")
    assert 'id="tickets-home"' in page and worked[0].number in page
    assert 'id="tasks-home"' in page
    assert "维修技工" in page and "You hold no post" not in page


def test_the_supervisor_home_offers_the_dispatch_queue_and_the_team(staff, worked):
    page = _page(staff["supervisor"], "/")
    assert "?q=new" in page and 'id="tasks-home"' in page


def test_the_front_desk_home_shows_the_registers_open_now(staff):
    page = _page(staff["frontdesk"], "/")
    assert 'id="desk-home"' in page


def test_the_unit_page_is_a_360_view(staff, unit, worked):
    page = _page(staff["manager"], f"/units/{unit.pk}/")
    assert 'id="tickets-panel"' in page and worked[0].number in page
    assert 'id="desk-panel"' in page


def test_a_post_without_the_permission_sees_no_panel_of_that_module(staff, unit, worked):
    page = _page(staff["cardclerk"], f"/units/{unit.pk}/")
    assert 'id="tickets-panel"' not in page and worked[0].number not in page


def test_the_resident_page_shows_their_tickets(staff, resident, worked):
    page = _page(staff["manager"], f"/residents/{resident.pk}/")
    assert worked[0].number in page


def test_home_and_unit_page_queries_do_not_grow_with_rows(staff, unit, resident):
    client = Client()
    client.force_login(staff["manager"])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.ticket_create(actor=staff["frontdesk"], unit=unit, resident=resident, kind="repair", title="一")
    small = (count("/"), count(f"/units/{unit.pk}/"))
    for n in range(6):
        other = ResidentFactory(unit=unit, name=f"住户{n}", phone=f"1390000{n:04d}")
        services.ticket_create(actor=staff["frontdesk"], unit=unit, resident=other, kind="complaint", title=f"投诉{n}")
    large = (count("/"), count(f"/units/{unit.pk}/"))
    assert large[0] <= small[0] + 2 and large[1] <= small[1] + 2, (small, large)
