"""The inbox API (API.md "Duty engine"): GET /api/v1/tasks/?assignee=me&due=… and POST …/complete."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.duties.services import routine_tasks_generate
from dutydesk.inbox.services import task_create_once
from dutydesk.org.models import Post

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _task(key, due, **kwargs):
    return task_create_once(source="keys", source_key=key, title=f"任务 {key}", due_at=due, **kwargs)[0]


def test_my_inbox_today_lists_routine_and_module_tasks_with_the_api_fields(staff, project, api):
    routine_tasks_generate(day=NOW.date())
    _task("overdue-key-1", NOW + timedelta(hours=2), assignee=staff["frontdesk"], project=project)
    body = api(staff["frontdesk"]).get("/api/v1/tasks/", {"assignee": "me", "due": "today"}).json()
    rows = body["results"]
    assert {"id", "title", "post", "duty", "due_at", "status", "source"} <= set(rows[0])
    sources = {r["source"] for r in rows}
    assert sources == {"routine", "keys"}
    check = next(r for r in rows if r["source"] == "routine" and r["due_at"] == "2026-06-10T17:00:00+08:00"
                 and "17:00" in r["title"])
    assert check["post"] == Post.objects.get(code="frontdesk-assistant").pk
    assert check["duty"] == check["title"]  # the routine's text (Chinese by default)
    assert all(r["status"] == "open" for r in rows)
    assert not any(r["due_at"].startswith("2026-06-11") for r in rows)


def test_overdue_and_upcoming_filters(staff, project, api):
    late = _task("late", NOW - timedelta(hours=1), assignee=staff["frontdesk"], project=project)
    soon = _task("soon", NOW + timedelta(days=2), assignee=staff["frontdesk"], project=project)
    client = api(staff["frontdesk"])
    overdue = [r["id"] for r in client.get("/api/v1/tasks/", {"assignee": "me", "due": "overdue"}).json()["results"]]
    upcoming = [r["id"] for r in client.get("/api/v1/tasks/", {"assignee": "me", "due": "upcoming"}).json()["results"]]
    assert overdue == [late.pk] and upcoming == [soon.pk]
    assert client.get("/api/v1/tasks/", {"due": "someday"}).status_code == 400


def test_a_shared_post_task_appears_for_every_holder(staff, second_frontdesk, project, api):
    shared = _task("shared", NOW + timedelta(hours=1), post=Post.objects.get(code="frontdesk-assistant"), project=project)
    for user in (staff["frontdesk"], second_frontdesk):
        ids = [r["id"] for r in api(user).get("/api/v1/tasks/", {"assignee": "me"}).json()["results"]]
        assert shared.pk in ids
    assert shared.pk not in [r["id"] for r in api(staff["archivist"]).get("/api/v1/tasks/", {"assignee": "me"}).json()["results"]]


def test_a_supervisor_sees_subordinates_tasks_but_not_as_their_own(staff, project, api):
    task = _task("fd", NOW + timedelta(hours=1), assignee=staff["frontdesk"], project=project,
                 post=Post.objects.get(code="frontdesk-assistant"))
    client = api(staff["supervisor"])
    assert task.pk in [r["id"] for r in client.get("/api/v1/tasks/").json()["results"]]
    assert task.pk not in [r["id"] for r in client.get("/api/v1/tasks/", {"assignee": "me"}).json()["results"]]
    assert client.post(f"/api/v1/tasks/{task.pk}/complete", {"note": "x"}, format="json").status_code == 403
    # the front desk is not above the supervisor: no view of the supervisor's tasks
    own = _task("sup", NOW + timedelta(hours=1), assignee=staff["supervisor"], project=project)
    assert api(staff["frontdesk"]).get(f"/api/v1/tasks/{own.pk}/").status_code == 404


def test_complete_records_the_note_and_twice_is_a_conflict(staff, project, api):
    task = _task("c1", NOW + timedelta(hours=1), assignee=staff["frontdesk"], project=project)
    client = api(staff["frontdesk"])
    response = client.post(f"/api/v1/tasks/{task.pk}/complete", {"note": "已核对"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"
    task.refresh_from_db()
    assert task.note == "已核对" and task.completed_by == staff["frontdesk"] and task.completed_at is not None
    again = client.post(f"/api/v1/tasks/{task.pk}/complete", {"note": "again"}, format="json")
    assert again.status_code == 409
    task.refresh_from_db()
    assert task.note == "已核对"
    assert task.history.count() == 2


def test_completing_another_persons_task_is_not_found(staff, project, api):
    task = _task("other", NOW + timedelta(hours=1), assignee=staff["archivist"], project=project)
    response = api(staff["frontdesk"]).post(f"/api/v1/tasks/{task.pk}/complete", {"note": "x"}, format="json")
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == "open"


def test_complete_takes_photo_evidence_and_rejects_a_non_image(staff, project, api):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    task = _task("photo", NOW + timedelta(hours=1), assignee=staff["frontdesk"], project=project)
    client = api(staff["frontdesk"])
    bad = client.post(f"/api/v1/tasks/{task.pk}/complete",
                      {"note": "x", "evidence": SimpleUploadedFile("a.png", b"not an image", "image/png")},
                      format="multipart")
    assert bad.status_code == 400 and "evidence" in bad.json()["errors"]
    task.refresh_from_db()
    assert task.status == "open"
    good = client.post(f"/api/v1/tasks/{task.pk}/complete",
                       {"note": "拍照", "evidence": SimpleUploadedFile("a.png", buffer.getvalue(), "image/png")},
                       format="multipart")
    assert good.status_code == 200
    assert good.json()["evidence"].startswith("/files/tasks/")  # served after a permission check (core/files.py)
    assert client.get(good.json()["evidence"]).status_code == 200
    assert api(staff["cardclerk"]).get(good.json()["evidence"]).status_code == 404


def test_the_task_list_runs_a_constant_number_of_queries(staff, project, api):
    for day in range(6):
        routine_tasks_generate(day=NOW.date() + timedelta(days=day))
    client = api(staff["supervisor"])
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/tasks/", {"page_size": 2}).status_code == 200
    with CaptureQueriesContext(connection) as large:
        response = client.get("/api/v1/tasks/", {"page_size": 200})
    assert response.json()["count"] > 10
    assert len(small) == len(large)


def test_the_task_api_needs_a_token_and_a_post(staff, resident_user, api):
    assert api().get("/api/v1/tasks/").status_code == 401
    assert api(resident_user).get("/api/v1/tasks/").status_code == 403
