"""Who is on duty at a moment (``selectors.on_duty``): the people rostered on a running shift, not on leave — and a
night shift that crosses midnight belongs to the day it started, so at 01:00 yesterday's night shift is on duty."""
from datetime import date

import pytest

from dutydesk.shifts import selectors, services
from tests.shifts.conftest import TODAY, at

pytestmark = pytest.mark.django_db
TOMORROW = date(2026, 11, 11)


@pytest.fixture
def night(shifts):
    """The project's c shift made a night shift, 22:00–06:00 (a security or lobby night watch)."""
    return services.shift_update(shift=shifts["c"], starts_at=at(TODAY, "22:00").time(), ends_at=at(TODAY, "06:00").time())


def test_a_night_shift_is_on_duty_after_midnight(project, desk_post, desk, put, night):
    assert night.crosses_midnight
    put(desk[2], TODAY, "c")
    put(desk[3], TOMORROW, "c")
    put(desk[0], TOMORROW, "a")
    on = lambda day, hhmm: list(selectors.on_duty(project, desk_post, at(day, hhmm)))  # noqa: E731
    assert on(TODAY, "21:59") == []
    assert on(TODAY, "22:00") == [desk[2]]
    assert on(TODAY, "23:30") == [desk[2]]
    assert on(TOMORROW, "01:00") == [desk[2]]  # yesterday's night shift, not tomorrow's
    assert on(TOMORROW, "05:59") == [desk[2]]
    assert on(TOMORROW, "06:00") == []
    assert on(TOMORROW, "09:00") == [desk[0]]
    assert on(TOMORROW, "23:00") == [desk[3]]


def test_someone_on_leave_is_not_on_duty(project, desk_post, desk, put, night, traveller):
    put(desk[2], date(2026, 11, 12), "c")
    put(desk[1], date(2026, 11, 12), "c")
    services.leave_record(project=project, user=desk[2], day=date(2026, 11, 12), reason="病假")
    assert list(selectors.on_duty(project, desk_post, at(date(2026, 11, 13), "02:00"))) == [desk[1]]


def test_on_duty_is_per_post_and_project(project, staff, desk_post, desk, put, other_project_staff):
    put(desk[0], TODAY, "a")
    assert list(selectors.on_duty(project, desk_post, at(TODAY, "10:00"))) == [desk[0]]
    assert list(selectors.on_duty(project, staff["visitordesk"].holdings.get().post, at(TODAY, "10:00"))) == []
    other = other_project_staff.holdings.get().project
    assert list(selectors.on_duty(other, desk_post, at(TODAY, "10:00"))) == []
    assert selectors.on_duty_by_post([project.pk], at=at(TODAY, "13:00")) == {(project.pk, desk_post.pk): [desk[0]]}


def test_on_duty_takes_two_queries_whatever_the_roster(project, desk_post, desk, put,
                                                       django_assert_num_queries):
    for n in range(1, 20):
        put(desk[n % 4], date(2026, 11, n), "abc"[n % 3])
    with django_assert_num_queries(2):
        list(selectors.on_duty(project, desk_post, at(TODAY, "13:00")))


def test_the_api_answers_for_a_moment_after_midnight(api, staff, project, desk_post, desk, put, night):
    put(desk[2], TODAY, "c")
    response = api(staff["supervisor"]).get(
        f"/api/v1/on-duty?project={project.pk}&post={desk_post.pk}&at=2026-11-11T01:30:00%2B08:00")
    assert response.status_code == 200
    assert [u["id"] for u in response.json()["users"]] == [desk[2].pk]
