"""The patrols API as shared/API.md "Property operations" writes it: routes ``{name, checkpoints: [{code, name}],
schedule}``; rounds as tasks and in ``GET /api/v1/patrols/rounds/?route=`` ``{id, route, due_at, status, checkpoints}``;
``POST /api/v1/patrols/rounds/{id}/checkpoints/{code}`` ``{"result": "ok|issue", "note"}``, an issue opening a work
order routed to the post that fixes it."""
from django.core.files.uploadedfile import SimpleUploadedFile

from dutydesk.inbox.models import Task
from dutydesk.patrols.models import Round, RoundCheckpoint, Route
from dutydesk.tickets.models import Ticket
from tests.patrols.conftest import PNG, at

ROUTE = {"name": "地下车库巡查", "schedule": {"times": ["09:00", "14:00", "20:00"]},
         "checkpoints": [{"code": "G1", "name": "车库入口"}, {"code": "G2", "name": "消防泵房", "category": "electrical"}]}


def test_a_supervisor_lays_out_a_route_and_its_rounds_appear_as_tasks_and_in_the_rounds_list(patrollers, api, project):
    client = api(patrollers["envsup"])
    response = client.post("/api/v1/patrols/routes/", {**ROUTE, "project": project.pk, "post": "patrol-officer"},
                           format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "地下车库巡查" and body["project"] == project.pk and body["post"] == "patrol-officer"
    assert [(c["code"], c["name"]) for c in body["checkpoints"]] == [("G1", "车库入口"), ("G2", "消防泵房")]
    assert body["schedule"] == {"times": ["09:00", "14:00", "20:00"], "window_minutes": 60,
                                "weekdays": [1, 2, 3, 4, 5, 6, 7]}
    # facilities go to the repair technicians by default; the QR code of a checkpoint opens its scan address
    assert body["checkpoints"][1]["post"] == "repair-technician"
    assert body["checkpoints"][0]["scan_url"].endswith(f"/patrols/scan/{body['id']}/G1/")

    # 08:00: the rounds of the rest of the day are released at once, each a task of the post that walks the route
    rounds = client.get("/api/v1/patrols/rounds/", {"route": body["id"]}).json()["results"]
    assert [r["due_at"] for r in rounds] == ["2026-06-02T21:00:00+08:00", "2026-06-02T15:00:00+08:00",
                                             "2026-06-02T10:00:00+08:00"]
    first = rounds[-1]
    assert set(first) >= {"id", "route", "due_at", "status", "checkpoints"}
    assert first["route"] == body["id"] and first["status"] == "open" and first["overdue"] is False
    assert [(c["code"], c["result"]) for c in first["checkpoints"]] == [("G1", None), ("G2", None)]
    task = Task.objects.get(pk=first["task"])
    assert (task.post.code, task.project, task.source, task.status) == ("patrol-officer", project, "patrols.round",
                                                                         "open")
    assert task.url == f"/patrols/rounds/{first['id']}/" and task.due_at == at("10:00")

    detail = client.get(f"/api/v1/patrols/routes/{body['id']}").json()
    assert detail["name"] == "地下车库巡查"
    assert api(patrollers["officer"]).get("/api/v1/patrols/routes/").json()["count"] == 1


def test_the_contract_body_alone_lays_out_a_route_walked_by_the_authors_post(patrollers, api):
    response = api(patrollers["envsup"]).post("/api/v1/patrols/routes/", ROUTE, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["post"] == "env-supervisor"


def test_a_bad_route_is_a_400_naming_the_field(patrollers, api):
    client = api(patrollers["envsup"])
    cases = [
        ({**ROUTE, "schedule": {"times": ["25:00"]}}, "schedule"),
        ({**ROUTE, "schedule": {"times": ["10:00"], "every_hours": 2}}, "schedule"),
        ({**ROUTE, "schedule": "daily"}, "schedule"),
        ({**ROUTE, "checkpoints": []}, "checkpoints"),
        ({**ROUTE, "checkpoints": [{"code": "G1", "name": "a"}, {"code": "g1", "name": "b"}]}, "checkpoints"),
        ({**ROUTE, "checkpoints": [{"code": "G 1", "name": "a"}]}, "checkpoints"),
        ({**ROUTE, "checkpoints": [{"code": "G1", "name": "a", "category": "no-such"}]}, "checkpoints"),
        ({**ROUTE, "name": ""}, "name"),
        ({**ROUTE, "post": "no-such-post"}, "post"),
    ]
    for body, field in cases:
        response = client.post("/api/v1/patrols/routes/", body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["errors"], (body, response.json())
    assert client.post("/api/v1/patrols/routes/", ROUTE, format="json").status_code == 201
    again = client.post("/api/v1/patrols/routes/", ROUTE, format="json")
    assert again.status_code == 400 and "name" in again.json()["errors"]
    assert Route.objects.count() == 1


def test_recording_ok_then_the_same_checkpoint_again_is_a_409(patrollers, api, morning):
    client = api(patrollers["officer"])
    url = f"/api/v1/patrols/rounds/{morning.pk}/checkpoints/P01"
    first = client.post(url, {"result": "ok"}, format="json")
    assert first.status_code == 200, first.content
    point = next(c for c in first.json()["checkpoints"] if c["code"] == "P01")
    assert point["result"] == "ok" and point["recorded_by"] == patrollers["officer"].pk
    assert point["recorded_at"] == "2026-06-02T08:00:00+08:00"
    assert first.json()["walker"] == patrollers["officer"].pk
    second = client.post(url, {"result": "issue", "note": "again"}, format="json")
    assert second.status_code == 409
    assert RoundCheckpoint.objects.get(round=morning, code="P01").result == "ok"
    assert not Ticket.objects.exists()


def test_an_issue_with_a_photo_opens_a_work_order_routed_to_the_post_that_fixes_it(patrollers, staff, api, morning,
                                                                                   categories, lobby_unit):
    photo = SimpleUploadedFile("door.png", PNG, content_type="image/png")
    response = api(patrollers["officer"]).post(f"/api/v1/patrols/rounds/{morning.pk}/checkpoints/P01",
                                               {"result": "issue", "note": "配电房门锁损坏", "photo": photo},
                                               format="multipart")
    assert response.status_code == 200, response.content
    point = next(c for c in response.json()["checkpoints"] if c["code"] == "P01")
    ticket = Ticket.objects.get(pk=point["ticket"])
    assert point["ticket_number"] == ticket.number and point["photo"].startswith("/files/patrols/")
    assert (ticket.kind, ticket.channel, ticket.category, ticket.unit) == ("repair", "patrol", categories["electrical"],
                                                                           lobby_unit)
    assert ticket.owner == patrollers["officer"]  # first ask: the walker who found it
    assert ticket.status == "dispatched" and ticket.assigned_post.code == "repair-technician"
    assert "配电房门锁损坏" in ticket.title and ticket.location == "负一层"
    assert ticket.attachments.count() == 1
    # the technician sees it in the post's queue and is told
    assert staff["engineer"].notifications.filter(url=f"/tickets/{ticket.pk}/").exists()
    # the photo is served to the staff who see the round, not to others
    officer = api(patrollers["officer"])
    assert officer.get(point["photo"]).status_code == 200
    assert api(staff["frontdesk"]).get(point["photo"]).status_code == 404


def test_a_cleaning_issue_goes_to_the_cleaning_inspector(patrollers, api, morning):
    response = api(patrollers["officer"]).post(f"/api/v1/patrols/rounds/{morning.pk}/checkpoints/P02",
                                               {"result": "issue", "note": "垃圾满溢未清运"}, format="json")
    assert response.status_code == 200, response.content
    ticket = Ticket.objects.get()
    assert ticket.category.code == "cleaning" and ticket.assigned_post.code == "cleaning-inspector"
    assert ticket.status == "dispatched"


def test_an_issue_needs_a_note_a_real_photo_and_a_unit(patrollers, api, morning, lobby_unit):
    client = api(patrollers["officer"])
    base = f"/api/v1/patrols/rounds/{morning.pk}/checkpoints"
    no_note = client.post(f"{base}/P01", {"result": "issue"}, format="json")
    assert no_note.status_code == 400 and "note" in no_note.json()["errors"]
    fake = SimpleUploadedFile("x.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    bad_photo = client.post(f"{base}/P01", {"result": "issue", "note": "坏了", "photo": fake}, format="multipart")
    assert bad_photo.status_code == 400 and "photo" in bad_photo.json()["errors"]
    bad_result = client.post(f"{base}/P01", {"result": "maybe"}, format="json")
    assert bad_result.status_code == 400 and "result" in bad_result.json()["errors"]
    no_unit = client.post(f"{base}/P03", {"result": "issue", "note": "天台门未锁"}, format="json")
    assert no_unit.status_code == 400 and "unit" in no_unit.json()["errors"]
    assert not Ticket.objects.exists() and not RoundCheckpoint.objects.exclude(result="").exists()
    with_unit = client.post(f"{base}/P03", {"result": "issue", "note": "天台门未锁", "unit": "A-101"}, format="json")
    assert with_unit.status_code == 200, with_unit.content
    assert Ticket.objects.get().unit == lobby_unit
    assert client.post(f"{base}/P99", {"result": "ok"}, format="json").status_code == 404


def test_the_last_checkpoint_completes_the_round_and_its_task(patrollers, api, morning, traveller):
    client = api(patrollers["officer"])
    traveller.move_to(at("10:05"))
    for code in ("P01", "P02"):
        assert client.post(f"/api/v1/patrols/rounds/{morning.pk}/checkpoints/{code}", {"result": "ok"},
                           format="json").json()["status"] == "open"
    done = client.post(f"/api/v1/patrols/rounds/{morning.pk}/checkpoints/P03", {"result": "ok"}, format="json").json()
    assert done["status"] == "done" and done["on_time"] is True and done["completed_at"] == "2026-06-02T10:05:00+08:00"
    task = Task.objects.get(pk=done["task"])
    assert task.status == "done" and task.completed_by == patrollers["officer"]
    assert morning.history.count() >= 2  # released, then walked: audited
    late = client.post(f"/api/v1/patrols/rounds/{morning.pk}/checkpoints/P01", {"result": "ok"}, format="json")
    assert late.status_code == 409


def test_a_round_closed_as_missed_takes_no_more_records(patrollers, api, morning):
    from dutydesk.patrols import services

    services.rounds_close_missed(project=morning.project, before=at("23:59"))
    response = api(patrollers["officer"]).post(f"/api/v1/patrols/rounds/{morning.pk}/checkpoints/P01",
                                               {"result": "ok"}, format="json")
    assert response.status_code == 409
    assert Round.objects.get(pk=morning.pk).status == "missed"


def test_the_rounds_list_filters(patrollers, api, route, traveller):
    client = api(patrollers["officer"])
    assert client.get("/api/v1/patrols/rounds/", {"status": "open"}).json()["count"] == 2
    assert client.get("/api/v1/patrols/rounds/", {"date": "2026-06-02"}).json()["count"] == 2
    assert client.get("/api/v1/patrols/rounds/", {"date": "2026-06-03"}).json()["count"] == 0
    assert client.get("/api/v1/patrols/rounds/", {"month": "2026-06"}).json()["count"] == 2
    assert client.get("/api/v1/patrols/rounds/", {"date": "June"}).status_code == 400
    assert client.get("/api/v1/patrols/rounds/", {"month": "2026-13"}).status_code == 400
    traveller.move_to(at("12:00"))
    assert client.get("/api/v1/patrols/rounds/", {"overdue": "true"}).json()["count"] == 1


def test_a_route_is_changed_by_code_and_a_new_time_is_released(patrollers, api, route):
    client = api(patrollers["envsup"])
    response = client.patch(f"/api/v1/patrols/routes/{route.pk}", {
        "schedule": {"times": ["10:00", "15:00", "19:00"]},
        "checkpoints": [{"code": "P01", "name": "配电房（负一层）"}, {"code": "P04", "name": "水泵房"}]}, format="json")
    assert response.status_code == 200, response.content
    assert [(c["code"], c["name"]) for c in response.json()["checkpoints"]] == [("P01", "配电房（负一层）"),
                                                                                ("P04", "水泵房")]
    assert route.rounds.count() == 3
    newest = route.rounds.get(starts_at=at("19:00"))
    assert list(newest.checkpoints.values_list("code", flat=True)) == ["P01", "P04"]
    # the rounds released before keep the checkpoints they were released with
    assert list(route.rounds.get(starts_at=at("10:00")).checkpoints.values_list("code", flat=True)) == [
        "P01", "P02", "P03"]
    assert api(patrollers["officer"]).patch(f"/api/v1/patrols/routes/{route.pk}", {"active": False},
                                            format="json").status_code == 403
