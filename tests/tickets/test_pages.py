"""Staff pages (queues, intake, ticket page, return visits) and the resident portal pages."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dutydesk.tickets import services
from dutydesk.tickets.models import Ticket
from tests.factories import ResidentFactory, UnitFactory
from tests.tickets.test_lifecycle_api import _png


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_the_queues_show_due_and_remaining_time(staff, make_ticket, as_user):
    ticket = make_ticket(kind="repair", priority="urgent")
    services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"])
    page = as_user(staff["engineer"]).get("/tickets/?q=work")
    assert page.status_code == 200
    html = page.content.decode()
    assert ticket.number in html and ("剩余" in html or "超时" in html)
    for queue in ("mine", "post", "overdue", "today", "new", "all"):
        assert as_user(staff["supervisor"]).get(f"/tickets/?q={queue}").status_code == 200


def test_a_post_without_tickets_view_gets_403_on_the_queues(staff, as_user):
    assert as_user(staff["cardclerk"]).get("/tickets/").status_code == 403


def test_the_lookup_finds_the_caller_by_phone_or_unit(staff, resident, as_user):
    client = as_user(staff["frontdesk"])
    by_phone = client.get("/tickets/lookup/", {"term": "1391234"}).content.decode()
    assert resident.name in by_phone and f'data-resident="{resident.pk}"' in by_phone
    by_unit = client.get("/tickets/lookup/", {"lookup": "A-1201"}).content.decode()
    assert f'data-unit="{resident.unit_id}"' in by_unit


def test_the_intake_saves_a_phone_complaint_from_a_typed_unit(staff, resident, plumbing, as_user):
    response = as_user(staff["frontdesk"]).post("/tickets/new/", {
        "lookup": "13912345678", "kind": "complaint", "category": plumbing.pk, "priority": "normal",
        "channel": "phone", "title": "水压太低"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == f"/tickets/{ticket.pk}/"
    assert (ticket.owner, ticket.resident, ticket.category, ticket.channel) == (staff["frontdesk"], resident, plumbing, "phone")


def test_the_intake_shows_errors_and_saves_nothing(staff, as_user):
    response = as_user(staff["frontdesk"]).post("/tickets/new/", {"lookup": "Z-9999", "kind": "complaint", "title": "x"})
    assert response.status_code == 200 and "A-1201" in response.content.decode()
    assert not Ticket.objects.exists()


def test_the_ticket_page_offers_the_actions_of_the_user(staff, make_ticket, as_user):
    ticket = make_ticket()
    supervisor_page = as_user(staff["supervisor"]).get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="action-dispatch"' in supervisor_page
    frontdesk_page = as_user(staff["frontdesk"]).get(f"/tickets/{ticket.pk}/").content.decode()
    assert 'id="action-dispatch"' not in frontdesk_page and "受理" in frontdesk_page  # the timeline


def test_the_dispatch_choices_are_the_projects_workers_each_once(staff, make_ticket, as_user, project, building):
    """Everyone holding a post that works tickets in the project, once however many holdings (the butler holds two
    ranges), and nobody else (the archivist's post works no ticket)."""
    import re

    from tests.factories import UserFactory, hold

    hold(staff["butler"], "floor-butler", project, building=building, floor_from=16, floor_to=30)
    archivist = UserFactory(username="archivist-only")
    hold(archivist, "archivist", project)
    page = as_user(staff["supervisor"]).get(f"/tickets/{make_ticket().pk}/").content.decode()
    select = page[page.index('id="dispatch-assignee"'):]
    chosen = re.findall(r'<option value="(\d+)"', select[:select.index("</select>")])
    assert chosen.count(str(staff["butler"].pk)) == 1 and str(staff["engineer"].pk) in chosen
    assert str(archivist.pk) not in chosen


def test_page_actions_run_the_services_and_report_conflicts(staff, make_ticket, as_user):
    ticket = make_ticket(kind="repair")
    client = as_user(staff["supervisor"])
    client.post(f"/tickets/{ticket.pk}/dispatch/", {"assignee": staff["engineer"].pk})
    assert Ticket.objects.get().status == "dispatched"
    response = client.post(f"/tickets/{ticket.pk}/return_visit/", {"method": "phone", "satisfaction": "5"}, follow=True)
    assert Ticket.objects.get().status == "dispatched"
    assert "error" in response.content.decode()
    engineer = as_user(staff["engineer"])
    engineer.post(f"/tickets/{ticket.pk}/start/")
    engineer.post(f"/tickets/{ticket.pk}/resolve/", {"resolution": "已修复", "labour_minutes": "30", "charge_amount": "20"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.labour_minutes, str(ticket.charge.amount)) == ("resolved", 30, "20.00")


def test_the_return_visit_queue_pages_past_fifty_in_a_constant_number_of_queries(staff, make_ticket, as_user):
    """The 51st resolved work order is on page 2 (before, the queue had no pager: it stayed out of reach)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tickets = []
    for n in range(51):
        ticket = make_ticket(title=f"回访{n:02d}")
        services.ticket_start(ticket=ticket, actor=staff["supervisor"])
        services.ticket_resolve(ticket=ticket, actor=staff["supervisor"], resolution="已处理")
        tickets.append(ticket)
    client = as_user(staff["frontdesk"])
    with CaptureQueriesContext(connection) as first:
        page_one = client.get("/tickets/return-visits/").content.decode()
    assert "共 51 条" in page_one and "?page=2" in page_one
    assert tickets[0].number in page_one and tickets[50].number not in page_one  # oldest first
    with CaptureQueriesContext(connection) as second:
        page_two = client.get("/tickets/return-visits/?page=2").content.decode()
    assert tickets[50].number in page_two and tickets[0].number not in page_two
    assert len(second.captured_queries) <= len(first.captured_queries)  # 1 row or 50: the same statements


def test_a_floor_butlers_return_visit_queue_is_their_floors_read_by_their_units(staff, make_ticket, as_user,
                                                                                   building):
    """A butler sees the resolved work orders of their floors only, through their units' ids: a join let PostgreSQL
    walk the project's resolved work orders looking for theirs (0.35 s at 600,000 units for a butler with none)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UnitFactory

    high_floor_unit = UnitFactory(building=building, floor=20, number="2001")  # the butler holds floors 1–15
    mine, upstairs = make_ticket(title="本层回访"), make_ticket(unit=high_floor_unit, resident=None, title="高层回访")
    for ticket in (mine, upstairs):
        services.ticket_start(ticket=ticket, actor=staff["supervisor"])
        services.ticket_resolve(ticket=ticket, actor=staff["supervisor"], resolution="已处理")
    with CaptureQueriesContext(connection) as queries:
        page = as_user(staff["butler"]).get("/tickets/return-visits/").content.decode()
    assert mine.number in page and upstairs.number not in page
    listed = next(q["sql"] for q in queries.captured_queries
                  if "\"tickets_ticket\".\"status\" = 'resolved'" in q["sql"] and "ORDER BY" in q["sql"])
    assert '"archive_unit"."floor"' not in listed.split(" WHERE ", 1)[1]
    assert mine.number in as_user(staff["frontdesk"]).get("/tickets/return-visits/").content.decode()
    assert upstairs.number in as_user(staff["frontdesk"]).get("/tickets/return-visits/").content.decode()


def test_the_return_visit_queue_lists_resolved_complaints(staff, make_ticket, as_user):
    ticket = make_ticket()
    services.ticket_start(ticket=ticket, actor=staff["supervisor"])
    services.ticket_resolve(ticket=ticket, actor=staff["supervisor"], resolution="已协调")
    client = as_user(staff["frontdesk"])
    assert ticket.number in client.get("/tickets/return-visits/").content.decode()
    client.post(f"/tickets/{ticket.pk}/return_visit/", {"method": "phone", "satisfaction": "4", "next": "/tickets/return-visits/"}, follow=True)  # the message names it once
    assert Ticket.objects.get().status == "closed"
    assert ticket.number not in client.get("/tickets/return-visits/").content.decode()
    assert client.get("/tickets/reports/return-visits/?period=2026-03").status_code == 200


def test_the_portal_files_a_repair_with_photos_and_shows_only_own_tickets(staff, resident_user, building, make_ticket, as_user):
    client = as_user(resident_user)
    assert client.get("/portal/tickets/new/").status_code == 200
    response = client.post("/portal/tickets/new/", {
        "unit": resident_user.resident_profiles.get().unit_id, "kind": "repair", "title": "阳台漏水",
        "description": "下雨时渗水", "photos": [_png("p1.png")]})
    ticket = Ticket.objects.get(title="阳台漏水")
    assert response.status_code == 302 and ticket.channel == "portal" and ticket.attachments.count() == 1
    neighbour_unit = UnitFactory(building=building, floor=5, number="501")
    other = make_ticket(kind="repair", unit=neighbour_unit, resident=ResidentFactory(unit=neighbour_unit))
    listing = client.get("/portal/tickets/").content.decode()
    assert "阳台漏水" in listing and other.number not in listing
    assert client.get(f"/portal/tickets/{other.pk}/").status_code == 404
    assert client.get(f"/portal/tickets/{ticket.pk}/").status_code == 200


def test_the_resident_rates_a_resolved_ticket_in_the_portal(staff, resident_user, make_ticket, as_user):
    ticket = make_ticket(kind="repair")
    services.ticket_start(ticket=ticket, actor=staff["supervisor"])
    services.ticket_resolve(ticket=ticket, actor=staff["supervisor"], resolution="已修好")
    client = as_user(resident_user)
    assert "satisfaction" in client.get(f"/portal/tickets/{ticket.pk}/").content.decode()
    client.post(f"/portal/tickets/{ticket.pk}/", {"satisfaction": "1", "comment": "没修好"})
    ticket.refresh_from_db()
    assert ticket.status == "in_progress" and ticket.return_visits.get().method == "portal"


def test_the_portal_rejects_a_non_image_upload(staff, resident_user, as_user):
    client = as_user(resident_user)
    client.post("/portal/tickets/new/", {"unit": resident_user.resident_profiles.get().unit_id, "kind": "repair",
                                         "title": "x", "photos": [SimpleUploadedFile("virus.exe", b"MZ")]})
    assert not Ticket.objects.exists()


def test_the_return_visit_score_has_no_default_and_a_low_score_says_the_ticket_is_reopened(staff, make_ticket, client):
    """One click must not mean "satisfied"; a score ≤ 2 reopens the ticket and the clerk is told so."""
    from dutydesk.tickets.models import Ticket

    ticket = make_ticket(kind="repair")
    services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"])
    services.ticket_start(ticket=ticket, actor=staff["engineer"])
    services.ticket_resolve(ticket=ticket, actor=staff["engineer"], resolution="已修")
    client.force_login(staff["frontdesk"])
    page = client.get("/tickets/return-visits/").content.decode()
    select = page[page.index('name="satisfaction"'):]
    select = select[:select.index("</select>")]
    assert "required" in select and '<option value="">' in select and "selected" not in select
    missing = client.post(f"/tickets/{ticket.pk}/return_visit/", {"method": "phone", "satisfaction": ""}, follow=True)
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"
    assert "满意度" in missing.content.decode()
    reopened = client.post(f"/tickets/{ticket.pk}/return_visit/", {"method": "phone", "satisfaction": "2",
                                                                   "next": "/tickets/return-visits/"}, follow=True)
    text = reopened.content.decode()
    assert "已重新打开" in text and ticket.number in text
    assert Ticket.objects.get(pk=ticket.pk).status == "in_progress"


def test_next_never_leaves_the_site(staff, make_ticket, client):
    ticket = make_ticket()
    client.force_login(staff["frontdesk"])
    response = client.post(f"/tickets/{ticket.pk}/comment/", {"note": "x", "next": "https://evil.example/"})
    assert response["Location"] == f"/tickets/{ticket.pk}/"
