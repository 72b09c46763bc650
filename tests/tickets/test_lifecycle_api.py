"""The lifecycle through the API of shared/API.md: 首问 owner, dispatch, start, resolve, return visit."""
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from dutydesk.billing.models import OneOffCharge
from dutydesk.tickets.models import Ticket, TicketEvent
from tests.factories import ProjectFactory, BuildingFactory, UnitFactory
from tests.tickets.conftest import local


def test_the_whole_lifecycle_keeps_the_owner_and_a_complete_history(staff, unit, resident, api):
    frontdesk, supervisor, engineer = staff["frontdesk"], staff["supervisor"], staff["engineer"]
    created = api(frontdesk).post("/api/v1/tickets/", {
        "kind": "complaint", "unit": unit.pk, "resident": resident.pk, "title": "楼上噪音", "description": "夜间装修",
        "channel": "phone", "priority": "normal"}, format="json")
    assert created.status_code == 201, created.json()
    ticket = created.json()
    assert ticket["number"].startswith("KF-") and ticket["number"].endswith("-000001")
    assert ticket["owner"] == frontdesk.pk and ticket["status"] == "new" and ticket["assignee"] is None
    assert ticket["response_due"] and ticket["resolution_due"]
    url = f"/api/v1/tickets/{ticket['id']}"

    dispatched = api(supervisor).post(f"{url}/dispatch", {"assignee": engineer.pk}, format="json")
    assert dispatched.status_code == 200, dispatched.json()
    assert dispatched.json()["status"] == "dispatched"
    assert dispatched.json()["assignee"] == engineer.pk
    assert dispatched.json()["owner"] == frontdesk.pk  # 首问负责制: dispatch never moves the owner

    assert api(engineer).post(f"{url}/start").json()["status"] == "in_progress"
    resolved = api(engineer).post(f"{url}/resolve", {"resolution": "已协调楼上住户停止夜间施工"}, format="json")
    assert resolved.json()["status"] == "resolved"
    visited = api(frontdesk).post(f"{url}/return-visit", {"method": "phone", "satisfaction": 4, "comment": "满意"},
                                  format="json")
    assert visited.status_code == 200, visited.json()
    assert visited.json()["status"] == "closed" and visited.json()["owner"] == frontdesk.pk

    history = api(supervisor).get(f"{url}/history").json()
    assert [(h["action"], h["from_status"], h["to_status"]) for h in history] == [
        ("created", "", "new"), ("dispatch", "new", "dispatched"), ("start", "dispatched", "in_progress"),
        ("resolve", "in_progress", "resolved"), ("return_visit", "resolved", "resolved"), ("closed", "resolved", "closed")]
    assert [h["actor"] for h in history] == [frontdesk.pk, supervisor.pk, engineer.pk, engineer.pk, frontdesk.pk, frontdesk.pk]
    assert set(history[0]) >= {"at", "actor", "action", "from_status", "to_status", "note"}
    assert Ticket.objects.get().history.count() >= 5  # simple_history too


@pytest.mark.parametrize("action, body", [("resolve", {"resolution": "x"}), ("return-visit", {"method": "phone", "satisfaction": 5}),
                                          ("resume", {}), ("close", {})])
def test_it_answers_409_to_an_illegal_transition_from_new(staff, make_ticket, api, action, body):
    ticket = make_ticket()
    response = api(staff["supervisor"]).post(f"/api/v1/tickets/{ticket.pk}/{action}", body, format="json")
    assert response.status_code == 409
    assert "detail" in response.json()
    assert Ticket.objects.get().status == "new"


@pytest.mark.parametrize("action, body", [("dispatch", None), ("start", {}), ("resolve", {"resolution": "x"}),
                                          ("return-visit", {"method": "phone", "satisfaction": 5}),
                                          ("escalate", {"reason": "x"}), ("hold", {"reason": "x"}),
                                          ("cancel", {"reason": "x"}), ("reopen", {"reason": "x"}),
                                          ("comment", {"note": "x"})])
def test_it_answers_409_to_anything_on_a_closed_ticket(staff, make_ticket, api, action, body):
    from dutydesk.tickets import services

    ticket = make_ticket(kind="enquiry")
    services.ticket_start(ticket=ticket, actor=staff["frontdesk"])
    services.ticket_resolve(ticket=ticket, actor=staff["frontdesk"], resolution="已答复")
    services.ticket_close(ticket=ticket, actor=staff["frontdesk"])
    body = body if body is not None else {"assignee": staff["engineer"].pk}
    response = api(staff["supervisor"]).post(f"/api/v1/tickets/{ticket.pk}/{action}", body, format="json")
    assert response.status_code == 409, response.json()
    assert Ticket.objects.get().status == "closed"


def _resolved(make_ticket, staff, kind="complaint"):
    from dutydesk.tickets import services

    ticket = make_ticket(kind=kind)
    services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"])
    services.ticket_start(ticket=ticket, actor=staff["engineer"])
    services.ticket_resolve(ticket=ticket, actor=staff["engineer"], resolution="已处理")
    return ticket


def test_satisfaction_2_reopens_the_ticket(staff, make_ticket, api):
    ticket = _resolved(make_ticket, staff)
    response = api(staff["frontdesk"]).post(f"/api/v1/tickets/{ticket.pk}/return-visit",
                                            {"method": "phone", "satisfaction": 2, "comment": "还在漏"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "in_progress" and body["reopen_count"] == 1 and body["resolved_at"] is None
    assert TicketEvent.objects.filter(ticket=ticket, action="reopened", to_status="in_progress").exists()
    assert ticket.return_visits.get().outcome == "reopened"


def test_satisfaction_4_closes_the_ticket(staff, make_ticket, api):
    ticket = _resolved(make_ticket, staff)
    response = api(staff["frontdesk"]).post(f"/api/v1/tickets/{ticket.pk}/return-visit",
                                            {"method": "sms", "satisfaction": 4}, format="json")
    assert response.json()["status"] == "closed" and response.json()["closed_at"]
    assert ticket.return_visits.get().outcome == "closed"


def test_a_complaint_cannot_be_closed_without_its_return_visit(staff, make_ticket, api):
    ticket = _resolved(make_ticket, staff)
    assert api(staff["supervisor"]).post(f"/api/v1/tickets/{ticket.pk}/close").status_code == 409


@pytest.mark.parametrize("body, field", [({"method": "fax", "satisfaction": 4}, "method"),
                                         ({"method": "phone", "satisfaction": 6}, "satisfaction"),
                                         ({"method": "phone"}, "satisfaction")])
def test_it_rejects_a_bad_return_visit(staff, make_ticket, api, body, field):
    ticket = _resolved(make_ticket, staff)
    response = api(staff["frontdesk"]).post(f"/api/v1/tickets/{ticket.pk}/return-visit", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Ticket.objects.get().status == "resolved" and not ticket.return_visits.exists()


def test_numbers_are_gapless_per_project_and_year(staff, unit, api, settings):
    settings.DUTYDESK_TOKEN_DAYS = 3650  # the test spans a new year; token expiry is not its subject
    client = api(staff["frontdesk"])
    body = {"kind": "repair", "unit": unit.pk, "title": "水管漏水"}
    with time_machine.travel(local(2026, 3, 10, 10, 0), tick=False):
        assert client.post("/api/v1/tickets/", body, format="json").json()["number"] == "KF-2026-000001"
        assert client.post("/api/v1/tickets/", {**body, "title": ""}, format="json").status_code == 400
        assert client.post("/api/v1/tickets/", body, format="json").json()["number"] == "KF-2026-000002"
    with time_machine.travel(local(2027, 1, 1, 9, 5), tick=False):
        assert client.post("/api/v1/tickets/", body, format="json").json()["number"] == "KF-2027-000001"
    other_unit = UnitFactory(building=BuildingFactory(project=ProjectFactory()))
    from tests.factories import hold
    hold(staff["frontdesk"], "frontdesk-assistant", other_unit.project)
    with time_machine.travel(local(2026, 3, 11, 10, 0), tick=False):
        assert client.post("/api/v1/tickets/", {**body, "unit": other_unit.pk}, format="json").json()["number"] == "KF-2026-000001"
        assert client.post("/api/v1/tickets/", body, format="json").json()["number"] == "KF-2026-000003"


@pytest.mark.parametrize("body, field", [
    ({"kind": "gripe", "title": "x"}, "kind"),
    ({"kind": "repair", "title": ""}, "title"),
    ({"kind": "repair", "title": "x", "channel": "pigeon"}, "channel"),
    ({"kind": "repair", "title": "x", "priority": "asap"}, "priority"),
    ({"kind": "repair", "title": "x", "unit": 999999}, "unit"),
])
def test_it_rejects_bad_input_and_stores_nothing(staff, unit, api, body, field):
    response = api(staff["frontdesk"]).post("/api/v1/tickets/", {"unit": unit.pk, **body}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Ticket.objects.exists()


def test_it_rejects_a_resident_of_another_unit(staff, unit, building, api):
    from tests.factories import ResidentFactory

    stranger = ResidentFactory(unit=UnitFactory(building=building, floor=3))
    response = api(staff["frontdesk"]).post("/api/v1/tickets/", {"kind": "repair", "unit": unit.pk, "title": "x",
                                                                 "resident": stranger.pk}, format="json")
    assert response.status_code == 400 and "resident" in response.json()["errors"]
    assert not Ticket.objects.exists()


def test_a_post_without_tickets_create_gets_403(staff, unit, api):
    response = api(staff["cardclerk"]).post("/api/v1/tickets/", {"kind": "repair", "unit": unit.pk, "title": "x"}, format="json")
    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_the_front_desk_may_not_dispatch(staff, make_ticket, api):
    ticket = make_ticket()
    response = api(staff["frontdesk"]).post(f"/api/v1/tickets/{ticket.pk}/dispatch", {"assignee": staff["engineer"].pk}, format="json")
    assert response.status_code == 403
    assert Ticket.objects.get().status == "new"


def test_an_engineer_may_not_start_someone_elses_ticket(staff, project, make_ticket, api):
    from tests.factories import UserFactory, hold

    other = UserFactory(username="engineer2")
    hold(other, "repair-technician", project)
    ticket = make_ticket(kind="repair")
    api(staff["supervisor"]).post(f"/api/v1/tickets/{ticket.pk}/dispatch", {"assignee": staff["engineer"].pk}, format="json")
    assert api(other).post(f"/api/v1/tickets/{ticket.pk}/start").status_code == 403
    assert api(staff["engineer"]).post(f"/api/v1/tickets/{ticket.pk}/start").status_code == 200


def test_dispatch_needs_a_person_who_works_tickets(staff, make_ticket, api):
    ticket = make_ticket()
    response = api(staff["supervisor"]).post(f"/api/v1/tickets/{ticket.pk}/dispatch", {"assignee": staff["cardclerk"].pk}, format="json")
    assert response.status_code == 400 and "assignee" in response.json()["errors"]
    assert api(staff["supervisor"]).post(f"/api/v1/tickets/{ticket.pk}/dispatch", {}, format="json").status_code == 400


def test_a_holder_takes_a_ticket_from_the_post_queue(staff, make_ticket, api):
    from dutydesk.org.models import Post

    ticket = make_ticket(kind="repair")
    post = Post.objects.get(code="repair-technician")
    response = api(staff["supervisor"]).post(f"/api/v1/tickets/{ticket.pk}/dispatch", {"post": post.pk}, format="json")
    assert response.json()["assigned_post"] == post.pk and response.json()["assignee"] is None
    queue = api(staff["engineer"]).get("/api/v1/tickets/", {"queue": "post"}).json()
    assert [t["id"] for t in queue["results"]] == [ticket.pk]
    taken = api(staff["engineer"]).post(f"/api/v1/tickets/{ticket.pk}/take")
    assert taken.status_code == 200 and taken.json()["assignee"] == staff["engineer"].pk
    assert api(staff["engineer"]).get("/api/v1/tickets/", {"queue": "post"}).json()["count"] == 0
    assert api(staff["engineer"]).post(f"/api/v1/tickets/{ticket.pk}/take").status_code == 409
    assert api(staff["frontdesk"]).post(f"/api/v1/tickets/{ticket.pk}/take").status_code == 403


def test_a_repair_records_materials_labour_and_a_paid_service_charge(staff, make_ticket, api, unit):
    ticket = make_ticket(kind="repair", location="厨房水槽下")
    api(staff["supervisor"]).post(f"/api/v1/tickets/{ticket.pk}/dispatch", {"assignee": staff["engineer"].pk}, format="json")
    api(staff["engineer"]).post(f"/api/v1/tickets/{ticket.pk}/start")
    response = api(staff["engineer"]).post(f"/api/v1/tickets/{ticket.pk}/resolve", {
        "resolution": "更换角阀", "materials": "角阀 x1", "labour_minutes": 40, "charge_amount": "35.5"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["materials"] == "角阀 x1" and body["labour_minutes"] == 40 and body["charge_amount"] == "35.50"
    assert body["location"] == "厨房水槽下"
    charge = OneOffCharge.objects.get()
    assert (charge.source, charge.source_id, charge.unit, str(charge.amount)) == ("repair", ticket.pk, unit, "35.50")


@pytest.mark.parametrize("body, field", [({"charge_amount": "-5"}, "charge_amount"), ({"charge_amount": "0"}, "charge_amount"),
                                         ({"resolution": ""}, "resolution")])
def test_it_rejects_a_bad_resolve_and_charges_nothing(staff, make_ticket, api, body, field):
    ticket = make_ticket(kind="repair")
    api(staff["supervisor"]).post(f"/api/v1/tickets/{ticket.pk}/dispatch", {"assignee": staff["engineer"].pk}, format="json")
    api(staff["engineer"]).post(f"/api/v1/tickets/{ticket.pk}/start")
    response = api(staff["engineer"]).post(f"/api/v1/tickets/{ticket.pk}/resolve", {"resolution": "修好", **body}, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]
    assert not OneOffCharge.objects.exists() and Ticket.objects.get().status == "in_progress"


def test_a_complaint_cannot_carry_a_paid_service_charge(staff, make_ticket, api):
    ticket = make_ticket(kind="complaint")
    api(staff["supervisor"]).post(f"/api/v1/tickets/{ticket.pk}/start")
    response = api(staff["supervisor"]).post(f"/api/v1/tickets/{ticket.pk}/resolve", {"resolution": "x", "charge_amount": "10"}, format="json")
    assert response.status_code == 400
    assert not OneOffCharge.objects.exists()


def _png(name="leak.png"):
    import base64

    pixel = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    return SimpleUploadedFile(name, pixel, content_type="image/png")


def test_photos_are_uploaded_with_the_ticket_and_later(staff, unit, api):
    client = api(staff["frontdesk"])
    response = client.post("/api/v1/tickets/", {"kind": "repair", "unit": unit.pk, "title": "天花板渗水",
                                                "files": [_png("a.png"), _png("b.png")]}, format="multipart")
    assert response.status_code == 201, response.json()
    assert [a["name"] for a in response.json()["attachments"]] == ["a.png", "b.png"]
    more = client.post(f"/api/v1/tickets/{response.json()['id']}/attachments", {"files": [_png("c.png")]}, format="multipart")
    assert more.status_code == 200 and len(more.json()["attachments"]) == 3
    bad = client.post(f"/api/v1/tickets/{response.json()['id']}/attachments",
                      {"files": [SimpleUploadedFile("x.exe", b"MZ")]}, format="multipart")
    assert bad.status_code == 400 and "files" in bad.json()["errors"]
    assert len(client.get(f"/api/v1/tickets/{response.json()['id']}").json()["attachments"]) == 3


def test_an_enquiry_answered_on_the_spot_is_closed_by_its_owner(staff, make_ticket, api):
    ticket = make_ticket(kind="enquiry", title="停车卡怎么办理")
    client = api(staff["frontdesk"])
    assert client.post(f"/api/v1/tickets/{ticket.pk}/start").json()["assignee"] == staff["frontdesk"].pk
    assert client.post(f"/api/v1/tickets/{ticket.pk}/resolve", {"resolution": "已告知办理流程"}, format="json").status_code == 200
    assert client.post(f"/api/v1/tickets/{ticket.pk}/close").json()["status"] == "closed"


def test_cancel_needs_a_reason_and_the_owner_or_a_dispatcher(staff, make_ticket, api):
    ticket = make_ticket()
    assert api(staff["engineer"]).post(f"/api/v1/tickets/{ticket.pk}/cancel", {"reason": "重复"}, format="json").status_code == 403
    assert api(staff["frontdesk"]).post(f"/api/v1/tickets/{ticket.pk}/cancel", {}, format="json").status_code == 400
    response = api(staff["frontdesk"]).post(f"/api/v1/tickets/{ticket.pk}/cancel", {"reason": "重复登记"}, format="json")
    assert response.json()["status"] == "cancelled"


def test_a_manual_reopen_from_resolved_counts(staff, make_ticket, api):
    ticket = _resolved(make_ticket, staff, kind="repair")
    response = api(staff["frontdesk"]).post(f"/api/v1/tickets/{ticket.pk}/reopen", {"reason": "业主来电仍漏水"}, format="json")
    assert response.json()["status"] == "in_progress" and response.json()["reopen_count"] == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_resolving_at_once_give_one_success_and_one_conflict(staff, make_ticket):
    """Real concurrency needs PostgreSQL row locks."""
    from django.db import connection

    from dutydesk.core.errors import StateConflict
    from dutydesk.tickets import services
    from tests.support.concurrency import in_threads

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    ticket = make_ticket(kind="repair")
    services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"])
    services.ticket_start(ticket=ticket, actor=staff["engineer"])
    users = [staff["engineer"], staff["supervisor"]]
    results, errors = in_threads(2, lambda i: services.ticket_resolve(ticket=ticket, actor=users[i], resolution="修好"))
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], StateConflict)
    assert TicketEvent.objects.filter(ticket=ticket, action="resolve").count() == 1
