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
