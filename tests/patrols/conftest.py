"""Patrol fixtures: a fixed day (Tuesday 2026-06-02, 08:00 Asia/Shanghai), the patrol posts of the property-cs catalogue
held in the project (物业管理员（巡楼）, 清洁监管员, 环境管理主管), and a route of three checkpoints walked daily at 10:00 and
15:00 (an hour per round): P01 the power room (electrical, unit A-101), P02 the refuse station (cleaning, A-101), P03
the roof door (no category, no unit)."""
import datetime as dt
from importlib import import_module

import pytest
import time_machine
from django.apps import apps

from dutydesk.patrols import services
from dutydesk.tickets.models import TicketCategory
from tests.factories import BuildingFactory, ProjectFactory, UnitFactory, UserFactory, hold

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 6, 2)
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def at(hhmm, day=DAY):
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, hours, minutes, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def traveller():
    """Every test starts on Tuesday 2026-06-02 at 08:00 in Shanghai; ``traveller.move_to(...)`` moves on."""
    with time_machine.travel(at("08:00"), tick=False) as traveller:
        yield traveller


@pytest.fixture
def categories(db):
    """The work-order categories of the patrols migration (a transactional test's flush empties them)."""
    import_module("dutydesk.patrols.migrations.0002_ticket_categories").load(apps, None)
    return {category.code: category for category in TicketCategory.objects.filter(project=None)}


@pytest.fixture
def patrollers(staff, project):
    """The patrol officer, the cleaning inspector and the environment supervisor of the project."""
    users = {}
    for username, post_code in [("officer", "patrol-officer"), ("cleaner", "cleaning-inspector"),
                                ("envsup", "env-supervisor")]:
        users[username] = UserFactory(username=username, first_name={"officer": "何巡楼", "cleaner": "方清洁",
                                                                     "envsup": "郑主管"}[username])
        hold(users[username], post_code, project)
    return users


@pytest.fixture
def lobby_unit(building):
    return UnitFactory(building=building, floor=1, number="101")


@pytest.fixture
def route(patrollers, project, lobby_unit, categories):
    from dutydesk.org.models import Post

    return services.route_create(
        project=project, actor=patrollers["envsup"], name="A座公共区域巡查", post=Post.objects.get(code="patrol-officer"),
        schedule={"times": ["10:00", "15:00"], "window_minutes": 60},
        checkpoints=[{"code": "P01", "name": "配电房", "location": "负一层", "category": categories["electrical"],
                      "unit": lobby_unit},
                     {"code": "P02", "name": "垃圾中转站", "category": categories["cleaning"], "unit": lobby_unit},
                     {"code": "P03", "name": "天台门"}])


@pytest.fixture
def morning(route):
    """The route's 10:00 round of the day (released when the route was laid out)."""
    return route.rounds.get(starts_at=at("10:00"))


@pytest.fixture
def elsewhere(catalog, categories):
    """A second project with its own patrol officer, route and round: none of the test staff hold a post there."""
    from dutydesk.org.models import Post

    project = ProjectFactory(code="elsewhere", name="别处花园")
    unit = UnitFactory(building=BuildingFactory(project=project, name="C"), floor=1, number="101")
    supervisor = UserFactory(username="elsewhere-env")
    hold(supervisor, "env-supervisor", project)
    route = services.route_create(project=project, actor=supervisor, name="别处巡查",
                                  post=Post.objects.get(code="patrol-officer"), schedule={"times": ["10:00"]},
                                  checkpoints=[{"code": "X1", "name": "大门", "unit": unit}])
    return {"project": project, "route": route, "round": route.rounds.get(), "supervisor": supervisor}
