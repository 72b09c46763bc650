"""The seed routines of 004 篇2 run by themselves: the 17:00 check and the 09:00 complaint follow-up."""
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine

from dutydesk.core.scheduler import run_tick
from dutydesk.inbox.models import Task
from dutydesk.tickets import services
from tests.tickets.conftest import local

SWEEPS = ["tickets.sweep_1700", "tickets.sweep_0900"]


def test_by_17_00_each_receiver_gets_one_task_listing_todays_open_tickets(staff, make_ticket):
    with time_machine.travel(local(2026, 3, 10, 9, 30), tick=False):
        open_one = make_ticket(kind="repair", title="灯不亮")
        done = make_ticket(kind="enquiry", title="快递柜在哪")
        services.ticket_start(ticket=done, actor=staff["frontdesk"])
        services.ticket_resolve(ticket=done, actor=staff["frontdesk"], resolution="已答复")
        butlers = make_ticket(kind="complaint", title="电梯异响", actor=staff["butler"])
    make_ticket(kind="repair", title="昨天的", now=local(2026, 3, 9, 10, 0))  # not today's
    # the list is there half an hour before the 17:00 check is due (seeds/004_418914185ea837fa.txt:126 篇2: 17:00前)
    assert run_tick(local(2026, 3, 10, 16, 29), only=SWEEPS)["tickets.sweep_1700"] == 0
    assert run_tick(local(2026, 3, 10, 16, 30), only=SWEEPS)["tickets.sweep_1700"] == 2
    tasks = {t.assignee.username: t for t in Task.objects.filter(source="tickets")}
    assert set(tasks) == {"frontdesk", "butler"}
    assert open_one.number in tasks["frontdesk"].description
    assert done.number not in tasks["frontdesk"].description and "昨天的" not in tasks["frontdesk"].description
    assert butlers.number in tasks["butler"].description
    assert tasks["frontdesk"].due_at == local(2026, 3, 10, 17, 0)
    # once only, whatever the number of ticks
    assert run_tick(local(2026, 3, 10, 17, 1), only=SWEEPS)["tickets.sweep_1700"] == 0
    assert run_tick(local(2026, 3, 10, 21, 0), only=SWEEPS)["tickets.sweep_1700"] == 0
    assert Task.objects.filter(source="tickets").count() == 2


def test_the_17_00_check_is_one_task_the_routine_task_with_the_sweeps_list_in_it(staff, make_ticket, project):
    """The catalogue's routine daily-1700-check and the sweep are one duty (004 篇2 item 5): the front desk gets one task
    due at 17:00 carrying the list; an owner without that routine (the butler) still gets the sweep's own task."""
    with time_machine.travel(local(2026, 3, 10, 9, 30), tick=False):
        open_one = make_ticket(kind="repair", title="灯不亮")
        complaint = make_ticket(kind="complaint", title="噪音投诉")
        butlers = make_ticket(kind="complaint", title="电梯异响", actor=staff["butler"])
    run_tick(local(2026, 3, 10, 0, 5), only=["duties.routines"])
    check = Task.objects.get(source="routine", routine__code="daily-1700-check", assignee=staff["frontdesk"])
    assert check.due_at == local(2026, 3, 10, 17, 0) and open_one.number not in check.description
    assert run_tick(local(2026, 3, 10, 16, 30), only=SWEEPS)["tickets.sweep_1700"] == 2
    check.refresh_from_db()
    assert open_one.number in check.description and complaint.number in check.description
    assert "2" in check.description.splitlines()[0] and check.url.startswith("/tickets/")
    assert Task.objects.filter(assignee=staff["frontdesk"], due_at=local(2026, 3, 10, 17, 0),
                               routine__code="daily-1700-check").count() == 1
    assert not Task.objects.filter(source="tickets", assignee=staff["frontdesk"]).exists()
    (own,) = Task.objects.filter(source="tickets")
    assert own.assignee == staff["butler"] and butlers.number in own.description
    # the same happens at 09:00: the follow-up list goes into the routine task daily-0900-complaint-followup
    run_tick(local(2026, 3, 11, 0, 5), only=["duties.routines"])
    assert run_tick(local(2026, 3, 11, 8, 0), only=SWEEPS)["tickets.sweep_0900"] == 2
    follow_up = Task.objects.get(source="routine", routine__code="daily-0900-complaint-followup",
                                 assignee=staff["frontdesk"], due_at=local(2026, 3, 11, 9, 0))
    assert complaint.number in follow_up.description and "灯不亮" not in follow_up.description  # a repair
    assert not Task.objects.filter(source_key__startswith="tickets:sweep0900:", assignee=staff["frontdesk"]).exists()


def test_a_routine_task_already_done_gets_no_second_task(staff, make_ticket):
    make_ticket(kind="repair", title="灯不亮", now=local(2026, 3, 10, 9, 30))
    run_tick(local(2026, 3, 10, 0, 5), only=["duties.routines"])
    check = Task.objects.get(source="routine", routine__code="daily-1700-check", assignee=staff["frontdesk"])
    check.status = Task.Status.DONE
    check.save()
    assert run_tick(local(2026, 3, 10, 16, 30), only=SWEEPS)["tickets.sweep_1700"] == 0
    assert not Task.objects.filter(source="tickets").exists()


def test_before_09_00_owners_of_unfinished_complaints_get_a_follow_up_task(staff, make_ticket):
    yesterday = make_ticket(kind="complaint", title="噪音投诉", now=local(2026, 3, 9, 15, 0))
    older = make_ticket(kind="complaint", title="停车位被占", now=local(2026, 3, 6, 15, 0), actor=staff["butler"])
    finished = make_ticket(kind="complaint", title="已解决的投诉", now=local(2026, 3, 9, 11, 0))
    services.ticket_start(ticket=finished, actor=staff["supervisor"], now=local(2026, 3, 9, 12, 0))
    services.ticket_resolve(ticket=finished, actor=staff["supervisor"], resolution="已处理", now=local(2026, 3, 9, 13, 0))
    make_ticket(kind="repair", title="昨天的报修", now=local(2026, 3, 9, 15, 0))  # not a complaint
    make_ticket(kind="complaint", title="今天的投诉", now=local(2026, 3, 10, 7, 30))  # today's
    assert run_tick(local(2026, 3, 10, 7, 59), only=SWEEPS)["tickets.sweep_0900"] == 0
    assert run_tick(local(2026, 3, 10, 8, 0), only=SWEEPS)["tickets.sweep_0900"] == 2
    tasks = {t.assignee.username: t for t in Task.objects.filter(source_key__startswith="tickets:sweep0900:")}
    assert set(tasks) == {"frontdesk", "butler"}
    assert yesterday.number in tasks["frontdesk"].description
    assert finished.number not in tasks["frontdesk"].description and "今天的投诉" not in tasks["frontdesk"].description
    assert "昨天的报修" not in tasks["frontdesk"].description
    assert older.number in tasks["butler"].description
    assert tasks["frontdesk"].due_at == local(2026, 3, 10, 9, 0)
    assert run_tick(local(2026, 3, 10, 8, 1), only=SWEEPS)["tickets.sweep_0900"] == 0
    assert Task.objects.filter(source_key__startswith="tickets:sweep0900:").count() == 2


def test_the_sweeps_run_by_themselves_on_the_next_day_again(staff, make_ticket):
    make_ticket(kind="complaint", title="噪音投诉", now=local(2026, 3, 9, 15, 0))
    run_tick(local(2026, 3, 10, 8, 30), only=SWEEPS)
    run_tick(local(2026, 3, 11, 8, 30), only=SWEEPS)
    assert Task.objects.filter(source_key__startswith="tickets:sweep0900:").count() == 2


def test_after_the_sweep_a_tick_costs_the_same_few_queries_however_many_tickets_are_open(staff, make_ticket):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def later_tick_queries():
        with CaptureQueriesContext(connection) as queries:
            run_tick(local(2026, 3, 10, 17, 30), only=SWEEPS)
        return len(queries)

    make_ticket(kind="complaint", title="投诉 0", now=local(2026, 3, 9, 15, 0))
    run_tick(local(2026, 3, 10, 17, 0), only=SWEEPS)  # both sweeps of the day have run
    few = later_tick_queries()
    for number in range(1, 30):
        make_ticket(kind="complaint", title=f"投诉 {number}", now=local(2026, 3, 9, 15, 0))
        make_ticket(kind="repair", title=f"报修 {number}", now=local(2026, 3, 10, 10, 0))
    assert later_tick_queries() == few <= 2  # one mark lookup per sweep, no ticket loaded


def test_a_long_follow_up_lists_the_first_50_and_counts_the_rest(staff, make_ticket, monkeypatch):
    for number in range(53):
        make_ticket(kind="complaint", title=f"投诉 {number:02d}", now=local(2026, 3, 9, 8, 0) + timedelta(minutes=number))
    run_tick(local(2026, 3, 10, 8, 0), only=SWEEPS)
    task = Task.objects.get(source_key__startswith="tickets:sweep0900:")
    lines = task.description.splitlines()
    assert "53" in task.title and len(lines) == 51
    assert "投诉 00" in lines[0] and "投诉 49" in lines[49] and "投诉 50" not in task.description
    assert lines[50] == "……另有 3 张，见工单列表"


SEED = """
from dutydesk.org.catalog import import_catalog
from dutydesk.org.catalog_yaml import load_shipped
from dutydesk.tickets import services
from tests.factories import BuildingFactory, ProjectFactory, UnitFactory, UserFactory, hold
from tests.tickets.conftest import local
import_catalog(load_shipped("property-cs"))
project = ProjectFactory(code="cli")
unit = UnitFactory(building=BuildingFactory(project=project, name="A"), floor=12, number="1201")
clerk = UserFactory(username="clerk")
hold(clerk, "frontdesk-assistant", project)
services.ticket_create(actor=clerk, unit=unit, kind="complaint", title="噪音", now=local(2026, 3, 10, 10, 0))
"""


@pytest.mark.own_database
@pytest.mark.django_db(transaction=True)
def test_the_documented_scheduler_command_creates_the_tasks(tmp_path, migrated_sqlite):
    """`dutydesk scheduler --once --now ...` (docs) against a file database, as a real process."""
    root = Path(__file__).resolve().parents[2]
    database = tmp_path / "scheduler.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DUTYDESK_DEBUG": "1", "DUTYDESK_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "dutydesk.settings", "PYTHONPATH": str(root)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    def run(*args):
        done = subprocess.run([sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    migrated_sqlite(database)
    run("-c", "import django; django.setup()\n" + SEED)
    out = run("-m", "dutydesk", "scheduler", "--once", "--now", "2026-03-10T17:05:00+08:00")
    assert "tickets.sweep_1700: 1" in out
    run("-m", "dutydesk", "scheduler", "--once", "--now", "2026-03-10T17:10:00+08:00")
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT source, title, description FROM duties_task WHERE title LIKE '%17:00%'").fetchall()
    # one task for the 17:00 check: the routine's (the same tick made it first), with the sweep's list in it
    assert [(source, title) for source, title, _list in rows] == [("routine", "17:00前检查当天各登记事项的处理情况，并对未完成事项加以追索")]
    assert "噪音" in rows[0][2]


def _user_id(database):
    with sqlite3.connect(database) as db:
        return db.execute("SELECT id FROM auth_user WHERE username = 'clerk'").fetchone()[0]


def test_the_follow_up_tasks_of_every_owner_are_written_in_one_step(staff, make_ticket, project):
    """Every receiver of a group gets their list at 08:00: the same statements for 2 owners as for 8."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory, hold

    def statements(day, owners):
        for owner in owners:
            make_ticket(kind="complaint", title="噪音投诉", now=local(2026, 3, day - 1, 15, 0), actor=owner)
        with CaptureQueriesContext(connection) as captured:
            created = run_tick(local(2026, 3, day, 8, 0), only=["tickets.sweep_0900"])["tickets.sweep_0900"]
        return created, len(captured)

    clerks = []
    for number in range(6):
        clerk = UserFactory(username=f"clerk-{number}")
        hold(clerk, "frontdesk-assistant", project)
        clerks.append(clerk)
    few = statements(10, [staff["frontdesk"], staff["butler"]])
    Task.objects.filter(source="tickets").delete()
    many = statements(11, clerks)
    assert few[0] == 2 and many[0] == 8  # yesterday's two complaints are still open too
    assert many[1] == few[1]
