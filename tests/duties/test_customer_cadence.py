"""No customer goes more than a week without a contact (seeds/000_d44081c6db2527f0.txt:366 篇16) and a newly assigned
customer is contacted within a week (seeds/002_59da8478c28f7f86.txt:1000 篇4): the floor butler's residents, chased by a
daily job (dutydesk/duties/cadence.py)."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.core.scheduler import run_tick
from dutydesk.duties import services
from dutydesk.duties.cadence import customer_contact_tasks
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import task_complete
from dutydesk.tickets import services as tickets
from tests.factories import ResidentFactory, UnitFactory

SH = ZoneInfo("Asia/Shanghai")
JOB = ["duties.customer_contact"]


def at(day, hour=0, minute=5):
    return datetime(2026, 3, day, hour, minute, tzinfo=SH)


def chased(resident):
    return Task.objects.filter(source="customer_contact", source_key__startswith=f"customer_contact:{resident.pk}:")


@pytest.fixture
def customers(staff, building, unit, resident):
    """The butler holds A floors 1–15: 张三 of A-1201 (the ``resident`` fixture, no move-in date: a customer of
    long standing) and a tenant who moved into A-0301 on 8 March; not theirs: a family member, someone who moved out,
    a resident of A-2001 (floor 20)."""
    newcomer = ResidentFactory(unit=UnitFactory(building=building, floor=3, number="0301"), name="李四", role="tenant",
                               move_in_date=date(2026, 3, 8))
    ResidentFactory(unit=unit, name="张小三", role="family")
    ResidentFactory(unit=unit, name="王五", move_out_date=date(2026, 2, 1))
    high = ResidentFactory(unit=UnitFactory(building=building, floor=20, number="2001"), name="赵六")
    return {"old": resident, "new": newcomer, "high": high}


def test_each_customer_past_the_week_gets_one_task_for_their_butler(staff, customers):
    assert run_tick(at(10), only=JOB) == {"duties.customer_contact": 2}
    old, new = chased(customers["old"]).get(), chased(customers["new"]).get()
    assert old.assignee == new.assignee == staff["butler"] and old.post.code == "floor-butler"
    assert "张三" in old.title and "A-1201" in old.title and old.due_at == at(10, 17, 0)
    # moved in on the 8th: a week to reach the new tenant, to the 15th
    assert "李四" in new.title and new.due_at == at(15, 17, 0)
    assert old.url == f"/residents/{customers['old'].pk}/"
    assert Task.objects.filter(source="customer_contact").count() == 2  # not the family, the moved out, floor 20
    # the next days: the open tasks are not doubled
    assert run_tick(at(11), only=JOB) == {"duties.customer_contact": 0}
    assert customer_contact_tasks(project=staff["butler"].holdings.get().project, now=at(12)) == 0


def test_a_contact_within_the_week_keeps_the_customer_off_the_list(staff, project, customers, unit):
    # an opinion collected from 张三 on the 5th, a return visit on a work order of A-0301 (the unit only) on the 9th
    services.opinion_record(project=project, unit=unit, resident=customers["old"], text="电梯偶尔异响",
                            actor=staff["butler"], received_at=at(5, 10))
    with time_machine.travel(at(9, 10), tick=False):
        ticket = tickets.ticket_create(actor=staff["frontdesk"], unit=customers["new"].unit, kind="repair", title="漏水")
        tickets.ticket_start(ticket=ticket, actor=staff["frontdesk"])
        tickets.ticket_resolve(ticket=ticket, actor=staff["frontdesk"], resolution="已修")
        tickets.ticket_return_visit(ticket=ticket, actor=staff["frontdesk"], method="phone", satisfaction=5)
    assert customer_contact_tasks(project=project, now=at(10)) == 0
    assert customer_contact_tasks(project=project, now=at(11)) == 0
    # 张三's week runs out on the 12th (contact on the 5th): due that day
    assert customer_contact_tasks(project=project, now=at(12)) == 1
    assert chased(customers["old"]).get().due_at == at(12, 17, 0)


def test_a_completed_task_is_the_contact_and_the_week_starts_again(staff, project, customers):
    customer_contact_tasks(project=project, now=at(10))
    with time_machine.travel(at(10, 15), tick=False):
        task_complete(task=chased(customers["old"]).get(), user=staff["butler"], note="上门回访，无意见")
    assert customer_contact_tasks(project=project, now=at(12)) == 0
    assert customer_contact_tasks(project=project, now=at(16)) == 0  # within the week of the visit on the 10th
    assert customer_contact_tasks(project=project, now=at(17)) >= 1
    assert chased(customers["old"]).count() == 2


def test_the_job_costs_the_same_queries_for_ten_times_the_customers(staff, project, building):
    def contacted_customers(count):
        for number in range(count):
            unit = UnitFactory(building=building, floor=5, number=f"05{len(units):02d}")
            units.append(unit)
            services.opinion_record(project=project, unit=unit, text="无意见", actor=staff["butler"],
                                    received_at=at(9, 10), resident=ResidentFactory(unit=unit))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert customer_contact_tasks(project=project, now=at(10)) == 0
        return len(captured)

    units = []
    contacted_customers(3)
    few = queries()
    contacted_customers(27)
    assert queries() == few <= 4


def test_without_a_post_that_owns_customers_nothing_is_chased(project, resident):
    assert customer_contact_tasks(project=project, now=at(10)) == 0
    assert run_tick(at(10), only=JOB) == {"duties.customer_contact": 0}


def test_the_tasks_of_a_go_live_are_created_in_one_step(staff, project, building):
    """Every customer of a butler at once (the first run after the archive is imported) costs the same statements
    for 3 customers as for 30: the tasks are inserted in bulk, with their history."""
    def statements_to_chase(count, first_floor):
        for number in range(count):
            ResidentFactory(unit=UnitFactory(building=building, floor=first_floor + number % 5,
                                             number=f"{first_floor + number % 5}{number:02d}"), name=f"业主{number}")
        Task.objects.filter(source="customer_contact").delete()
        with CaptureQueriesContext(connection) as captured:
            created = customer_contact_tasks(project=project, now=at(10))
        return created, len(captured)

    few = statements_to_chase(3, 1)
    many = statements_to_chase(27, 6)
    assert few[0] == 3 and many[0] == 30
    assert many[1] == few[1]
    assert Task.objects.filter(source="customer_contact").count() == 30
    assert Task.history.filter(source="customer_contact").count() >= 30  # the history is kept


def test_a_go_live_larger_than_a_batch_is_written_batch_by_batch(staff, project, building, monkeypatch):
    from dutydesk.inbox import services as inbox

    monkeypatch.setattr(inbox, "TASK_BATCH", 10)  # 2,000 in production: one statement carries 65,535 parameters
    for number in range(25):
        ResidentFactory(unit=UnitFactory(building=building, floor=1 + number % 5, number=f"9{number:02d}"),
                        name=f"业主{number}")
    assert customer_contact_tasks(project=project, now=at(10)) == 25
    assert Task.objects.filter(source="customer_contact").count() == 25
    assert customer_contact_tasks(project=project, now=at(10)) == 0
