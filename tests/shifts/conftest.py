"""Fixtures of the shifts tests: a fixed day (2026-11-10, a Tuesday, 10:00 Asia/Shanghai), the seed's a/b/c shifts,
the front desk's four assistants (the seed's rota is four people: seeds/002_59da8478c28f7f86.txt:1382 篇6) on the
November roster of their post, and the customer-service supervisor above them."""
import datetime as dt
from datetime import date

import pytest
import time_machine

from dutydesk.org.models import Post
from dutydesk.shifts import services
from tests.factories import UserFactory, hold

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
TODAY = date(2026, 11, 10)


def at(day, hhmm):
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, hours, minutes, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def traveller():
    """Every test runs on 2026-11-10 at 10:00 in Shanghai; ``traveller.move_to(...)`` moves on."""
    with time_machine.travel(at(TODAY, "10:00"), tick=False) as traveller:
        yield traveller


@pytest.fixture
def desk_post(catalog):
    return Post.objects.get(code="frontdesk-assistant")


@pytest.fixture
def shifts(project):
    return {shift.code: shift for shift in services.shifts_ensure(project=project)}


@pytest.fixture
def desk(staff, project, shifts):
    """The four front-desk assistants: ``desk[0]`` is the staff fixture's "frontdesk" (林前台)."""
    staff["frontdesk"].first_name = "林前台"
    staff["frontdesk"].save(update_fields=["first_name"])
    people = [staff["frontdesk"]]
    for username, name in [("desk2", "何前台"), ("desk3", "罗前台"), ("desk4", "郑前台")]:
        user = UserFactory(username=username, first_name=name)
        hold(user, "frontdesk-assistant", project)
        people.append(user)
    return people


@pytest.fixture
def roster(project, desk_post, desk):
    return services.roster_create(project=project, post=desk_post, month="2026-11")


@pytest.fixture
def put(roster):
    """``put(user, day, shift)`` → the roster entry."""
    def entry(user, day, shift):
        return services.entry_add(roster=roster, user=user, day=day, shift=shift)
    return entry


@pytest.fixture
def today_rota(put, desk):
    """Today: a → desk[0], b → desk[1], c → desk[2]; tomorrow: a → desk[3], b → desk[0], c → desk[1]."""
    tomorrow = date(2026, 11, 11)
    return {("a", TODAY): put(desk[0], TODAY, "a"), ("b", TODAY): put(desk[1], TODAY, "b"),
            ("c", TODAY): put(desk[2], TODAY, "c"), ("a", tomorrow): put(desk[3], tomorrow, "a"),
            ("b", tomorrow): put(desk[0], tomorrow, "b"), ("c", tomorrow): put(desk[1], tomorrow, "c")}


@pytest.fixture
def other_project_staff(catalog):
    """A front-desk assistant of another project."""
    from tests.factories import ProjectFactory

    other = ProjectFactory(code="other", name="别处花园")
    user = UserFactory(username="elsewhere")
    hold(user, "frontdesk-assistant", other)
    return user
