"""Staff notes are internal by default: a resident sees the steps of their request, their own notes, replies marked
for them and the resolution — never a staff note, a dispatch note or an escalation reason (issue: a note reached the
resident through the portal page and the history API)."""
import pytest
from django.test import Client

from dutydesk.tickets import services

INTERNAL = "内部备注：业主情绪激动，注意沟通"
DISPATCH_NOTE = "派单备注：先查楼上单元"
REPLY = "您好，维修师傅明天上午到访"
RESOLUTION = "已更换水龙头"


@pytest.fixture
def worked_ticket(staff, resident_user, unit):
    ticket = services.ticket_create(actor=resident_user, unit=unit, kind="repair", title="厨房水龙头漏水",
                                    description="一直滴水")
    services.ticket_comment(ticket=ticket, actor=staff["frontdesk"], note=INTERNAL)
    services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"], note=DISPATCH_NOTE)
    services.ticket_comment(ticket=ticket, actor=staff["frontdesk"], note=REPLY, to_resident=True)
    services.ticket_start(ticket=ticket, actor=staff["engineer"])
    services.ticket_resolve(ticket=ticket, actor=staff["engineer"], resolution=RESOLUTION)
    return ticket


def test_the_resident_page_shows_replies_and_resolution_but_no_staff_note(worked_ticket, resident_user):
    client = Client()
    client.force_login(resident_user)
    page = client.get(f"/portal/tickets/{worked_ticket.pk}/").content.decode()
    assert REPLY in page and RESOLUTION in page and "一直滴水" in page
    assert INTERNAL not in page
    assert DISPATCH_NOTE not in page


def test_the_history_api_hides_staff_notes_from_the_resident(worked_ticket, resident_user, api):
    events = api(resident_user).get(f"/api/v1/tickets/{worked_ticket.pk}/history").json()
    notes = " ".join(e["note"] for e in events)
    assert REPLY in notes and RESOLUTION in notes
    assert INTERNAL not in notes and DISPATCH_NOTE not in notes
    assert "comment" not in [e["action"] for e in events]
    assert "dispatch" in [e["action"] for e in events]  # the step is shown, its note is not


def test_staff_see_every_note(worked_ticket, staff, api):
    notes = " ".join(e["note"] for e in api(staff["supervisor"]).get(f"/api/v1/tickets/{worked_ticket.pk}/history").json())
    assert INTERNAL in notes and DISPATCH_NOTE in notes and REPLY in notes
    client = Client()
    client.force_login(staff["supervisor"])
    assert INTERNAL in client.get(f"/tickets/{worked_ticket.pk}/").content.decode()
