"""Swaps: two people of a post exchange two shifts they agreed on (seeds/002_59da8478c28f7f86.txt:1356 篇6
需自行对接其他客服人员,并提前上报(需提供双方达成一致依据证明)); the supervisor post approves, then the roster changes."""
from datetime import date

import pytest

from dutydesk.shifts.models import RosterEntry, SwapRequest
from tests.factories import UserFactory, hold

pytestmark = pytest.mark.django_db
D15, D16 = date(2026, 11, 15), date(2026, 11, 16)


@pytest.fixture
def two_shifts(put, desk):
    return put(desk[0], D15, "a"), put(desk[1], D16, "c")


def _ask(api, user, mine, theirs, reason="已与何前台商量好"):
    return api(user).post("/api/v1/swaps/", {"entry": mine.pk, "other_entry": theirs.pk, "reason": reason},
                          format="json")


def test_the_supervisor_approves_and_the_two_change_shifts(api, staff, desk, two_shifts):
    mine, theirs = two_shifts
    asked = _ask(api, desk[0], mine, theirs)
    assert asked.status_code == 201, asked.content
    swap = asked.json()
    assert (swap["status"], swap["entry_user"], swap["other_user"]) == ("pending", desk[0].pk, desk[1].pk)
    approved = api(staff["supervisor"]).post(f"/api/v1/swaps/{swap['id']}/approve", {}, format="json")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert RosterEntry.objects.get(pk=mine.pk).user == desk[1]
    assert RosterEntry.objects.get(pk=theirs.pk).user == desk[0]
    assert RosterEntry.objects.get(pk=mine.pk).history.latest().history_user == staff["supervisor"]
    assert api(staff["supervisor"]).post(f"/api/v1/swaps/{swap['id']}/approve", {},
                                         format="json").status_code == 409


def test_only_the_supervisor_post_approves(api, staff, project, desk, two_shifts):
    mine, theirs = two_shifts
    swap = _ask(api, desk[0], mine, theirs).json()
    path = f"/api/v1/swaps/{swap['id']}/approve"
    assert api(desk[1]).post(path, {}, format="json").status_code == 403  # the counterpart
    env = UserFactory(username="env-boss")
    hold(env, "env-supervisor", project)  # may approve swaps, but not of the front desk (another reporting line)
    assert api(env).post(path, {}, format="json").status_code == 403
    assert SwapRequest.objects.get(pk=swap["id"]).status == "pending"
    assert api(staff["manager"]).post(path, {}, format="json").status_code == 200  # above, through the lines


def test_a_roster_changed_meanwhile_makes_the_approval_a_conflict(api, staff, project, desk, two_shifts):
    mine, theirs = two_shifts
    swap = _ask(api, desk[0], mine, theirs).json()
    other = RosterEntry.objects.get(pk=theirs.pk)
    other.user = desk[2]
    other.save()
    assert api(staff["supervisor"]).post(f"/api/v1/swaps/{swap['id']}/approve", {},
                                         format="json").status_code == 409
    assert RosterEntry.objects.get(pk=mine.pk).user == desk[0]


def test_one_waiting_swap_per_shift(api, desk, put, two_shifts):
    mine, theirs = two_shifts
    assert _ask(api, desk[0], mine, theirs).status_code == 201
    third = put(desk[2], D16, "b")
    assert _ask(api, desk[0], mine, third).status_code == 409


def test_swaps_that_make_no_sense_are_refused(api, staff, desk, put, two_shifts):
    mine, theirs = two_shifts
    same_person = put(desk[0], D16, "b")
    assert _ask(api, desk[0], mine, same_person).status_code == 400
    past = put(desk[1], date(2026, 11, 3), "a")
    response = _ask(api, desk[0], mine, past)
    assert response.status_code == 400 and "entry" in response.json()["errors"]
    # a bystander may not ask on behalf of two others; the roster keeper may
    assert _ask(api, desk[2], mine, theirs).status_code == 403
    assert _ask(api, staff["supervisor"], mine, theirs).status_code == 201


def test_the_counterpart_declines_and_the_requester_withdraws(api, staff, desk, put, two_shifts):
    mine, theirs = two_shifts
    swap = _ask(api, desk[0], mine, theirs).json()
    assert api(desk[2]).post(f"/api/v1/swaps/{swap['id']}/reject", {}, format="json").status_code == 403
    declined = api(desk[1]).post(f"/api/v1/swaps/{swap['id']}/reject", {"note": "那天有事"}, format="json")
    assert declined.status_code == 200 and declined.json()["status"] == "rejected"
    again = _ask(api, desk[0], mine, theirs).json()
    assert api(desk[2]).post(f"/api/v1/swaps/{again['id']}/cancel", {}, format="json").status_code == 403
    assert api(desk[0]).post(f"/api/v1/swaps/{again['id']}/cancel", {}, format="json").json()["status"] == "cancelled"
    assert api(desk[0]).post(f"/api/v1/swaps/{again['id']}/cancel", {}, format="json").status_code == 409
