"""A ticket a resident files in the portal has no first-ask owner yet (首问负责): it is routed to the floor butler's
post covering the unit (else the front-desk post), shows "待认领" on every staff page, and the first staff member
of that post to claim it becomes its owner for good (a second claim: 409)."""
import pytest
from django.test import Client

from dutydesk.tickets import services
from dutydesk.tickets.models import Ticket
from tests.factories import UnitFactory


@pytest.fixture
def portal_ticket(staff, resident_user, unit):
    return services.ticket_create(actor=resident_user, unit=unit, kind="repair", title="厨房漏水")


def test_it_is_routed_to_the_butler_of_the_floor(portal_ticket, staff):
    assert portal_ticket.owner is None
    assert portal_ticket.assigned_post.code == "floor-butler"


def test_off_the_butlers_floors_it_goes_to_the_front_desk_post(staff, building, resident_user):
    from tests.factories import ResidentFactory

    high = UnitFactory(building=building, floor=20, number="2001")
    ResidentFactory(unit=high, user=resident_user, name="李四", phone="13900000020")
    ticket = services.ticket_create(actor=resident_user, unit=high, kind="repair", title="门锁坏了")
    assert ticket.assigned_post.code == "frontdesk-assistant"


@pytest.mark.parametrize("who", ["manager", "supervisor", "frontdesk", "butler", "archivist", "engineer"])
def test_every_staff_page_shows_it_as_unclaimed_and_never_fails(portal_ticket, staff, who):
    client = Client()
    client.force_login(staff[who])
    for url in [f"/tickets/{portal_ticket.pk}/", "/tickets/?q=all", "/tickets/?q=new", "/tickets/?q=today",
                "/tickets/?q=post", "/tickets/", "/"]:
        response = client.get(url)
        assert response.status_code in (200, 403, 404), (who, url, response.status_code)
        if response.status_code == 200 and portal_ticket.number in response.content.decode():
            assert "待认领" in response.content.decode(), (who, url)


def test_the_butler_sees_it_in_the_post_queue_and_claims_it(portal_ticket, staff):
    client = Client()
    client.force_login(staff["butler"])
    assert portal_ticket.number in client.get("/tickets/?q=post").content.decode()
    page = client.get(f"/tickets/{portal_ticket.pk}/").content.decode()
    assert 'id="action-claim"' in page
    client.post(f"/tickets/{portal_ticket.pk}/claim/")
    portal_ticket.refresh_from_db()
    assert portal_ticket.owner == staff["butler"]
    assert portal_ticket.events.filter(action="claim", actor=staff["butler"]).exists()


def test_a_second_claim_is_a_conflict_and_the_owner_stays(portal_ticket, staff, api):
    assert api(staff["butler"]).post(f"/api/v1/tickets/{portal_ticket.pk}/claim").status_code == 200
    second = api(staff["frontdesk"]).post(f"/api/v1/tickets/{portal_ticket.pk}/claim")
    assert second.status_code == 409
    assert Ticket.objects.get(pk=portal_ticket.pk).owner == staff["butler"]


def test_a_post_that_may_not_take_tickets_cannot_claim(portal_ticket, staff, api):
    assert api(staff["cardclerk"]).post(f"/api/v1/tickets/{portal_ticket.pk}/claim").status_code in (403, 404)
    assert Ticket.objects.get(pk=portal_ticket.pk).owner is None


def test_dispatching_it_makes_the_dispatcher_its_owner_as_before(portal_ticket, staff):
    services.ticket_dispatch(ticket=portal_ticket, actor=staff["supervisor"], assignee=staff["engineer"])
    portal_ticket.refresh_from_db()
    assert portal_ticket.owner == staff["supervisor"]
