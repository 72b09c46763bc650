"""The ticket read path: ``ticket_as_dict`` answers exactly what DRF's generic walk over the serializer's fields
answers, for tickets with and without every optional part; the detail costs a fixed number of queries."""
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dutydesk.core import clock
from dutydesk.org.models import Post
from dutydesk.tickets import selectors, services
from dutydesk.tickets.serializers import TicketSerializer, ticket_as_dict

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_tickets(staff, make_ticket, plumbing, resident, unit):
    bare = make_ticket(kind="enquiry", resident=None)  # no resident, category, assignee or posts
    full = make_ticket(kind="repair", category=plumbing, location="厨房")
    services.ticket_dispatch(ticket=full, actor=staff["supervisor"], assignee=staff["engineer"])
    services.ticket_start(ticket=full, actor=staff["engineer"])
    services.ticket_attach(ticket=full, actor=staff["engineer"],
                           files=[SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")])
    services.ticket_resolve(ticket=full, actor=staff["engineer"], resolution="换角阀", materials="角阀", labour_minutes=30,
                            charge_amount=Decimal("35.5"))
    held = make_ticket(kind="complaint")
    services.ticket_start(ticket=held, actor=staff["supervisor"])
    services.ticket_hold(ticket=held, actor=staff["supervisor"], reason="等业主")
    queued = make_ticket(kind="repair")
    services.ticket_dispatch(ticket=queued, actor=staff["supervisor"], post=Post.objects.get(code="repair-technician"))
    return [bare, full, held, queued]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_direct_representation_equals_the_generic_one_field_for_field(varied_tickets, staff, language):
    serializer = TicketSerializer()
    # one instant for both: "remaining minutes" read a minute apart differ by one (seen in CI)
    with translation.override(language), time_machine.travel(clock.now(), tick=False):
        for ticket in selectors.ticket_visible_to(staff["manager"]).filter(pk__in=[t.pk for t in varied_tickets]):
            direct, generic = ticket_as_dict(ticket), serializer.generic_representation(ticket)
            assert list(direct) == list(generic)
            assert direct == generic, ticket.number
    full = selectors.ticket_visible_to(staff["manager"]).get(pk=varied_tickets[1].pk)
    assert ticket_as_dict(full)["charge_amount"] == "35.50" and len(ticket_as_dict(full)["attachments"]) == 1
    assert ticket_as_dict(full)["assignee_name"] and ticket_as_dict(full)["category_name"]


def test_the_detail_costs_the_same_queries_whatever_the_ticket_carries(varied_tickets, staff, api):
    client = api(staff["manager"])
    counts = []
    for ticket in varied_tickets[:2]:  # bare: nothing to load; full: category, resident, charge, attachments
        client.get(f"/api/v1/tickets/{ticket.pk}/")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/api/v1/tickets/{ticket.pk}/")
        assert response.status_code == 200 and response.json()["number"] == ticket.number
        counts.append(len(ctx))
    # token + holdings + the ticket (unit, building, people and charge joined) + attachments; the full one adds
    # its resident and category (two primary-key reads), never a query per field
    assert counts[0] <= 4 and counts[1] <= counts[0] + 2, counts


def test_the_detail_still_refuses_a_ticket_outside_the_butlers_floors(varied_tickets, staff, api, project, other_building):
    from dutydesk.archive.models import Unit

    far = Unit.objects.create(project=project, building=other_building, floor=20, number="2001", area_m2="80.00")
    ticket = services.ticket_create(actor=staff["frontdesk"], unit=far, kind="repair", title="门锁坏")
    assert api(staff["butler"]).get(f"/api/v1/tickets/{ticket.pk}/").status_code == 404
    assert api(staff["manager"]).get(f"/api/v1/tickets/{ticket.pk}/").status_code == 200
