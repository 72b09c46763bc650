"""The shifts API as shared/API.md "Property operations" states it: ``/shifts/`` (a|b|c with start/end),
``/rosters/?project=&month=``, ``POST /handovers/`` ``{project, shift, notes, open_items}`` and the next shift's
``POST /handovers/{id}/ack`` (409 when acknowledged already, 403 for anyone not on the next shift of the post)."""
from datetime import date

import pytest

from dutydesk.shifts.models import Handover, Roster, RosterEntry
from tests.shifts.conftest import TODAY, at

pytestmark = pytest.mark.django_db


def test_the_shifts_are_the_seeds_a_b_c(api, staff, project):
    # seeds/002_59da8478c28f7f86.txt:1368 a班:09:00—17:00; :1370 b班:12:00—20:00; :1372 c班:20:00—22:00(在家值班)
    response = api(staff["frontdesk"]).get(f"/api/v1/shifts/?project={project.pk}")
    assert response.status_code == 200
    shifts = {row["code"]: row for row in response.json()["results"]}
    assert {code: (row["start"], row["end"], row["on_call"]) for code, row in shifts.items()} == {
        "a": ("09:00:00", "17:00:00", False), "b": ("12:00:00", "20:00:00", False), "c": ("20:00:00", "22:00:00", True)}
    assert not any(row["crosses_midnight"] for row in shifts.values())


def test_only_the_manager_changes_the_shift_times(api, staff, project, shifts):
    path = f"/api/v1/shifts/{shifts['c'].pk}"
    assert api(staff["frontdesk"]).patch(path, {"end": "06:00"}, format="json").status_code == 403
    response = api(staff["manager"]).patch(path, {"start": "22:00", "end": "06:00"}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["start"], response.json()["end"], response.json()["crosses_midnight"]) == (
        "22:00:00", "06:00:00", True)
    bad = api(staff["manager"]).patch(path, {"start": "08:00", "end": "08:00"}, format="json")
    assert bad.status_code == 400 and "end" in bad.json()["errors"]


def test_the_supervisor_makes_the_monthly_roster_of_a_post(api, staff, project, desk_post, desk):
    client = api(staff["supervisor"])
    created = client.post("/api/v1/rosters/", {"project": project.pk, "post": desk_post.pk, "month": "2026-11"},
                          format="json")
    assert created.status_code == 201, created.content
    roster = created.json()
    assert (roster["post"], roster["month"], roster["entries"]) == (desk_post.pk, "2026-11", [])
    again = client.post("/api/v1/rosters/", {"project": project.pk, "post": desk_post.pk, "month": "2026-11"},
                        format="json")
    assert again.status_code == 409
    entry = client.post(f"/api/v1/rosters/{roster['id']}/entries", {"user": desk[1].pk, "day": "2026-11-12",
                                                                    "shift": "b"}, format="json")
    assert entry.status_code == 201, entry.content
    assert {k: entry.json()[k] for k in ("user", "day", "shift", "status")} == {
        "user": desk[1].pk, "day": "2026-11-12", "shift": "b", "status": "scheduled"}
    duplicate = client.post(f"/api/v1/rosters/{roster['id']}/entries", {"user": desk[1].pk, "day": "2026-11-12",
                                                                        "shift": "b"}, format="json")
    assert duplicate.status_code == 409
    outside = client.post(f"/api/v1/rosters/{roster['id']}/entries", {"user": desk[1].pk, "day": "2026-12-01",
                                                                      "shift": "b"}, format="json")
    assert outside.status_code == 400 and "day" in outside.json()["errors"]
    not_holder = client.post(f"/api/v1/rosters/{roster['id']}/entries", {"user": staff["archivist"].pk,
                                                                         "day": "2026-11-12", "shift": "a"}, format="json")
    assert not_holder.status_code == 400 and "user" in not_holder.json()["errors"]
    listed = client.get(f"/api/v1/rosters/?project={project.pk}&month=2026-11").json()
    assert listed["count"] == 1
    assert [(e["user"], e["day"], e["shift"]) for e in listed["results"][0]["entries"]] == [
        (desk[1].pk, "2026-11-12", "b")]
    assert client.get(f"/api/v1/rosters/?project={project.pk}&month=2026-12").json()["count"] == 0
    assert client.get(f"/api/v1/rosters/?project={project.pk}&month=11-2026").status_code == 400


def test_a_front_desk_assistant_may_read_the_roster_but_not_make_it(api, staff, project, desk_post, roster):
    client = api(staff["frontdesk"])
    assert client.get(f"/api/v1/rosters/?project={project.pk}&month=2026-11").status_code == 200
    assert client.post("/api/v1/rosters/", {"project": project.pk, "post": desk_post.pk, "month": "2026-12"},
                       format="json").status_code == 403
    assert client.post(f"/api/v1/rosters/{roster.pk}/entries", {"user": staff["frontdesk"].pk, "day": "2026-11-12",
                                                               "shift": "a"}, format="json").status_code == 403


def test_staff_outside_the_project_see_nothing_of_it(api, project, roster, other_project_staff):
    client = api(other_project_staff)
    assert client.get(f"/api/v1/rosters/{roster.pk}").status_code == 404
    assert client.get(f"/api/v1/rosters/?project={project.pk}").status_code == 403
    assert client.get("/api/v1/rosters/?project=999999").status_code == 404


def test_a_resident_has_no_shifts(api, resident_user, project):
    assert api(resident_user).get(f"/api/v1/shifts/?project={project.pk}").status_code == 403
    assert api(resident_user).get("/api/v1/handovers/").status_code == 403


def test_the_roster_fills_by_rotation(api, staff, project, roster, desk):
    response = api(staff["supervisor"]).post(f"/api/v1/rosters/{roster.pk}/fill",
                                             {"users": [u.pk for u in desk], "start": "2026-11-28"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["added"] == 9  # 28, 29, 30 November × a, b, c
    days = {(e.day, e.shift): e.user for e in RosterEntry.objects.filter(roster=roster)}
    assert days[(date(2026, 11, 28), "a")] == desk[27 % 4] and days[(date(2026, 11, 28), "b")] == desk[28 % 4]
    assert api(staff["supervisor"]).post(f"/api/v1/rosters/{roster.pk}/fill", {"users": [u.pk for u in desk],
                                         "start": "2026-11-28"}, format="json").json()["added"] == 0


def test_leave_takes_a_person_off_a_day(api, staff, project, put, desk):
    put(desk[2], date(2026, 11, 20), "a")
    put(desk[2], date(2026, 11, 20), "c")
    client = api(staff["supervisor"])
    response = client.post("/api/v1/leaves", {"project": project.pk, "user": desk[2].pk, "day": "2026-11-20",
                                              "reason": "家中有事"}, format="json")
    assert response.status_code == 200, response.content
    assert sorted((e["shift"], e["status"]) for e in response.json()["entries"]) == [("a", "leave"), ("c", "leave")]
    again = client.post("/api/v1/leaves", {"project": project.pk, "user": desk[2].pk, "day": "2026-11-20"},
                        format="json")
    assert again.status_code == 409
    not_rostered = client.post("/api/v1/leaves", {"project": project.pk, "user": desk[3].pk, "day": "2026-11-20"},
                               format="json")
    assert not_rostered.status_code == 400 and "day" in not_rostered.json()["errors"]
    assert api(staff["frontdesk"]).post("/api/v1/leaves", {"project": project.pk, "user": desk[2].pk,
                                        "day": "2026-11-21"}, format="json").status_code == 403


def _hand_over(client, project, **changes):
    body = {"project": project.pk, "shift": "a", "notes": "上午来访登记12人次，已全部离场",
            "open_items": ["A-1201漏水维修进度待跟进", "快递柜旁有一件无主包裹"], **changes}
    return client.post("/api/v1/handovers/", body, format="json")


def test_the_shift_hands_over_and_the_next_shift_acknowledges(api, staff, project, desk, today_rota, traveller):
    traveller.move_to(at(TODAY, "16:50"))
    response = _hand_over(api(desk[0]), project)
    assert response.status_code == 201, response.content
    handover = response.json()
    assert {k: handover[k] for k in ("day", "shift", "next_day", "next_shift", "status", "handed_by")} == {
        "day": "2026-11-10", "shift": "a", "next_day": "2026-11-10", "next_shift": "b", "status": "waiting",
        "handed_by": desk[0].pk}
    assert handover["open_items"] == ["A-1201漏水维修进度待跟进", "快递柜旁有一件无主包裹"]
    assert handover["post"] == today_rota[("a", TODAY)].post_id
    assert handover["ack_due_at"] == "2026-11-10T17:20:00+08:00"  # 30 minutes after the handover (b is on already)
    duplicate = _hand_over(api(desk[0]), project, notes="再写一次")
    assert duplicate.status_code == 409

    ack_path = f"/api/v1/handovers/{handover['id']}/ack"
    assert api(desk[2]).post(ack_path, {}, format="json").status_code == 403  # c, not the next shift
    assert api(staff["archivist"]).post(ack_path, {}, format="json").status_code == 403  # another post
    assert api(staff["supervisor"]).post(ack_path, {}, format="json").status_code == 403
    traveller.move_to(at(TODAY, "17:05"))
    acknowledged = api(desk[1]).post(ack_path, {"note": "已接班"}, format="json")
    assert acknowledged.status_code == 200, acknowledged.content
    assert (acknowledged.json()["status"], acknowledged.json()["acknowledged_by"]) == ("acknowledged", desk[1].pk)
    assert api(desk[1]).post(ack_path, {}, format="json").status_code == 409
    record = Handover.objects.get(pk=handover["id"])
    assert [h.history_type for h in record.history.order_by("history_date")] == ["+", "~"]
    assert record.history.latest().history_user == desk[1]


def test_the_c_shifts_handover_waits_for_the_mornings_a(api, desk, project, today_rota, traveller):
    traveller.move_to(at(TODAY, "21:55"))
    handover = _hand_over(api(desk[2]), project, shift="c", notes="晚间值班接听热线3次").json()
    assert (handover["next_day"], handover["next_shift"]) == ("2026-11-11", "a")
    assert handover["ack_due_at"] == "2026-11-11T09:30:00+08:00"  # from the start of the next shift
    assert api(desk[0]).post(f"/api/v1/handovers/{handover['id']}/ack", {}, format="json").status_code == 403
    assert api(desk[3]).post(f"/api/v1/handovers/{handover['id']}/ack", {}, format="json").status_code == 200


def test_only_the_people_on_the_shift_hand_it_over(api, staff, project, desk, today_rota, traveller):
    traveller.move_to(at(TODAY, "16:50"))
    assert _hand_over(api(desk[3]), project).status_code == 403  # a holder of the post, not on shift a today
    assert _hand_over(api(staff["archivist"]), project).status_code == 403  # no shifts.handover
    bad = _hand_over(api(desk[0]), project, notes="  ", open_items=["x" * 201])
    assert bad.status_code == 400 and {"notes", "open_items"} <= set(bad.json()["errors"])
    future = _hand_over(api(desk[0]), project, day="2026-11-12")
    assert future.status_code == 400 and "day" in future.json()["errors"]
    assert _hand_over(api(desk[0]), project, shift="x").status_code == 400


def test_without_a_roster_any_other_holder_of_the_post_acknowledges(api, staff, project, desk, shifts, traveller):
    traveller.move_to(at(TODAY, "16:50"))
    handover = _hand_over(api(desk[0]), project).json()
    path = f"/api/v1/handovers/{handover['id']}/ack"
    assert api(desk[0]).post(path, {}, format="json").status_code == 403  # not one's own handover
    assert api(staff["visitordesk"]).post(path, {}, format="json").status_code == 403  # another post
    assert api(desk[1]).post(path, {}, format="json").status_code == 200


def test_the_handover_list_filters_and_shows_mine_to_acknowledge(api, desk, project, today_rota, traveller):
    traveller.move_to(at(TODAY, "16:50"))
    first = _hand_over(api(desk[0]), project).json()
    client = api(desk[1])
    assert [h["id"] for h in client.get("/api/v1/handovers/?mine=true").json()["results"]] == [first["id"]]
    assert client.get("/api/v1/handovers/?mine=true").json()["count"] == 1
    assert api(desk[2]).get("/api/v1/handovers/?mine=true").json()["count"] == 0
    assert client.get("/api/v1/handovers/?acknowledged=false").json()["count"] == 1
    assert client.get("/api/v1/handovers/?acknowledged=true").json()["count"] == 0
    assert client.get("/api/v1/handovers/?day=2026-11-10&shift=a").json()["count"] == 1
    assert client.get("/api/v1/handovers/?day=bad").status_code == 400


def test_on_duty_answers_who_is_on_now(api, staff, project, desk, today_rota, desk_post):
    response = api(staff["supervisor"]).get(f"/api/v1/on-duty?project={project.pk}&post={desk_post.pk}")
    assert response.status_code == 200
    assert [u["id"] for u in response.json()["users"]] == [desk[0].pk]
    later = api(staff["supervisor"]).get(f"/api/v1/on-duty?project={project.pk}&at=2026-11-10T13:00:00%2B08:00")
    assert sorted(u["id"] for u in later.json()["users"]) == sorted([desk[0].pk, desk[1].pk])
    assert api(staff["supervisor"]).get(f"/api/v1/on-duty?project={project.pk}&at=yesterday").status_code == 400


def test_roster_entries_of_a_day_still_to_come_may_be_removed(api, staff, put, desk):
    past = put(desk[0], date(2026, 11, 2), "a")
    coming = put(desk[0], date(2026, 11, 20), "a")
    client = api(staff["supervisor"])
    assert client.delete(f"/api/v1/roster-entries/{past.pk}").status_code == 409
    assert api(desk[0]).delete(f"/api/v1/roster-entries/{coming.pk}").status_code == 403
    assert client.delete(f"/api/v1/roster-entries/{coming.pk}").status_code == 204
    assert not RosterEntry.objects.filter(pk=coming.pk).exists()
    assert Roster.objects.count() == 1
