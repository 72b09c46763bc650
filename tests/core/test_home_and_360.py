"""Each post lands on a home with its work due now; the unit and resident pages show the 360° view from every
module the viewer's posts allow — and nothing they do not. Query counts do not grow with the rows."""
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dutydesk.tickets import services
from tests.factories import ResidentFactory


def _page(user, url):
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def worked(staff, unit, resident):
    tickets = []
    for n in range(3):
        ticket = services.ticket_create(actor=staff["frontdesk"], unit=unit, resident=resident, kind="repair",
                                        title=f"报修{n}")
        services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"])
        tickets.append(ticket)
    return tickets


def test_the_engineer_home_shows_the_work_given_to_them(staff, worked):
    page = _page(staff["engineer"], "/")
    assert 'id="tickets-home"' in page and worked[0].number in page
    assert 'id="tasks-home"' in page
    assert "维修技工" in page and "You hold no post" not in page


def test_the_supervisor_home_offers_the_dispatch_queue_and_the_team(staff, worked):
    page = _page(staff["supervisor"], "/")
    assert "?q=new" in page and 'id="tasks-home"' in page


def test_the_front_desk_home_shows_the_registers_open_now(staff):
    page = _page(staff["frontdesk"], "/")
    assert 'id="desk-home"' in page


def test_the_unit_page_is_a_360_view(staff, unit, worked):
    page = _page(staff["manager"], f"/units/{unit.pk}/")
    assert 'id="tickets-panel"' in page and worked[0].number in page
    assert 'id="desk-panel"' in page


def test_a_post_without_the_permission_sees_no_panel_of_that_module(staff, unit, worked):
    page = _page(staff["cardclerk"], f"/units/{unit.pk}/")
    assert 'id="tickets-panel"' not in page and worked[0].number not in page


def test_the_resident_page_shows_their_tickets(staff, resident, worked):
    page = _page(staff["manager"], f"/residents/{resident.pk}/")
    assert worked[0].number in page


def test_home_and_unit_page_queries_do_not_grow_with_rows(staff, unit, resident):
    client = Client()
    client.force_login(staff["manager"])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.ticket_create(actor=staff["frontdesk"], unit=unit, resident=resident, kind="repair", title="一")
    small = (count("/"), count(f"/units/{unit.pk}/"))
    for n in range(6):
        other = ResidentFactory(unit=unit, name=f"住户{n}", phone=f"1390000{n:04d}")
        services.ticket_create(actor=staff["frontdesk"], unit=unit, resident=other, kind="complaint", title=f"投诉{n}")
    large = (count("/"), count(f"/units/{unit.pk}/"))
    assert large[0] <= small[0] + 2 and large[1] <= small[1] + 2, (small, large)


def _statements_on(queries, table):
    return [q["sql"] for q in queries if f'"{table}"' in q["sql"]]


def test_the_front_desk_home_counts_each_register_once_in_one_statement(staff, project, unit):
    """Keys out (one overdue since yesterday), parcels waiting: the right figures, read in one statement."""
    import time_machine
    from datetime import timedelta

    from dutydesk.core import clock
    from dutydesk.frontdesk import services as desk

    yesterday = clock.now() - timedelta(days=1)
    with time_machine.travel(yesterday, tick=False):
        late = desk.key_register(project=project, clerk=staff["frontdesk"], label="A-1201 大门")
        desk.key_lend(key=late, clerk=staff["frontdesk"], borrower_name="王师傅", borrower_phone="13900000001",
                      purpose="维修")
    for label in ("B-0301 大门", "机房"):
        key = desk.key_register(project=project, clerk=staff["frontdesk"], label=label)
        desk.key_lend(key=key, clerk=staff["frontdesk"], borrower_name="李师傅", borrower_phone="13900000002",
                      purpose="保洁")
    for n in range(4):
        desk.mail_sign_for(unit=unit, clerk=staff["frontdesk"], sender=f"快递{n}")
    client = Client()
    client.force_login(staff["frontdesk"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    panel = page[page.index('id="desk-home"'):]
    panel = panel[:panel.index("</section>")]
    assert '借出的钥匙 <span class="pill">3</span> <span class="pill overdue">逾期 1</span>' in " ".join(panel.split())
    assert '待领邮件包裹 <span class="pill">4</span>' in " ".join(panel.split()), panel
    assert len(_statements_on(queries.captured_queries, "frontdesk_mailitem")) == 1
    assert len(_statements_on(queries.captured_queries, "frontdesk_key")) == 1


def test_my_tasks_counts_overdue_and_today_in_one_statement(staff, project):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    from dutydesk.inbox.services import task_create_once

    ten = datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(ten, tick=False):
        for n, due in enumerate([ten - timedelta(hours=2), ten - timedelta(days=2), ten + timedelta(minutes=5),
                                 ten + timedelta(days=1)]):
            task_create_once(source="manual", source_key=f"home-{n}", title=f"任务{n}", due_at=due,
                             assignee=staff["frontdesk"], project=project)
        client = Client()
        client.force_login(staff["frontdesk"])
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/").content.decode()
    heading = " ".join(page[page.index('id="tasks-home"'):page.index("</h2>", page.index('id="tasks-home"'))].split())
    counts = [sql for sql in _statements_on(queries.captured_queries, "duties_task")
              if "COUNT" in sql and "GROUP BY" not in sql]  # (the KPI card groups the month's routine tasks)
    assert len(counts) == 1, counts
    assert "逾期 2" in heading and "今日到期 2" in heading, heading  # 08:00 and 10:05 today; two days ago


def test_a_butler_of_many_floor_ranges_has_their_floors_read_once_on_the_home_page(staff, project, building, unit,
                                                                                     resident):
    """One statement reads the units of a butler's floors; every panel (work orders, registers, fee collection, the
    KPI cards) takes their ids. As building/floor ranges, a butler of 19 ranges in a 600,000-unit project put 57
    conditions into each of ten statements (~75 ms of building them) and PostgreSQL read the whole month's bills
    (scripts/bench_crawl.py). The same statements for one range as for four, and the tickets of every range."""
    from dutydesk.frontdesk import services as desk
    from tests.factories import BuildingFactory, UnitFactory, hold

    butler = staff["butler"]
    desk.mail_sign_for(unit=unit, clerk=staff["frontdesk"], sender="快递一")
    client = Client()
    client.force_login(butler)

    def home():
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/").content.decode()
        ranged = [q["sql"] for q in queries.captured_queries if '"archive_unit"."floor" >=' in q["sql"]]
        return page, len(queries), ranged

    page, one_range, ranged = home()
    assert _desk_figure(page, "待领邮件包裹") == "1" and len(ranged) == 1 and "ANY(" not in ranged[0], ranged
    for name in "CDE":
        hold(butler, "floor-butler", project, building=BuildingFactory(project=project, name=name), floor_from=1,
             floor_to=9)
    far = UnitFactory(building=building.__class__.objects.get(project=project, name="E"), floor=3, number="301")
    desk.mail_sign_for(unit=far, clerk=staff["frontdesk"], sender="快递二")
    desk.mail_sign_for(unit=UnitFactory(building=far.building, floor=12, number="1201"), clerk=staff["frontdesk"],
                       sender="不在他楼层的快递")
    page, four_ranges, ranged = home()
    assert _desk_figure(page, "待领邮件包裹") == "2"  # building E floor 3, not floor 12
    assert four_ranges == one_range and len(ranged) == 1, ranged


def _desk_figure(page, label):
    panel = " ".join(page[page.index('id="desk-home"'):].split())
    return panel.split(label + ' <span class="pill">', 1)[1].split("<", 1)[0]


def test_a_group_managers_home_speaks_of_five_projects_whatever_they_hold(staff, project, unit):
    """A group's customer-service manager holds the post in every project (hundreds). The home page computed each
    project's KPI card and collection rate: ten statements a project (40 projects: 335 statements, 816 ms). It shows
    the first five and says how many more there are (the scorecards and billing pages show each); its statements
    stop growing after five."""
    from dutydesk.core.panels import HOME_PROJECTS
    from tests.factories import ProjectFactory, UserFactory, hold

    manager = UserFactory(username="group-manager")
    hold(manager, "cs-manager", project)

    def home():
        client = Client()
        client.force_login(manager)
        client.get("/")  # the session and the catalogue caches
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/").content.decode()
        return page, len(queries)

    for number in range(HOME_PROJECTS - 1):
        hold(manager, "cs-manager", ProjectFactory(code=f"estate{number}", name=f"小区{number}"))
    page, five = home()
    assert "另有" not in page and page.count("客户服务经理 · ") == HOME_PROJECTS
    for number in range(HOME_PROJECTS - 1, HOME_PROJECTS + 1):
        hold(manager, "cs-manager", ProjectFactory(code=f"estate{number}", name=f"小区{number}"))
    page, seven = home()
    assert seven == five
    assert page.count("客户服务经理 · ") == HOME_PROJECTS and "小区5" not in page.split('id="kpis-home"')[1]
    assert page.count("另有 2 个项目") == 2  # under the KPI cards and under the collection rates


def test_the_greeting_names_five_posts_and_counts_the_rest(staff, project):
    """The greeting named every holding: 40 lines of "客户服务经理（项目）" for a group's manager."""
    from tests.factories import ProjectFactory, UserFactory, hold

    manager = UserFactory(username="group-greeted")
    for number in range(7):
        hold(manager, "cs-manager", ProjectFactory(code=f"greet{number}", name=f"问候{number}"))
    greeting = _page(manager, "/").split('class="home-panels"')[0]
    assert greeting.count("客户服务经理</a>") == 5 and "及另外 2 项" in greeting
    assert "问候0" in greeting and "问候6" not in greeting
