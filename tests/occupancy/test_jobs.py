"""Overdue renovations and failed inspections become tasks (occupancy/jobs.py): for the floor butler of the unit, else
the customer-service supervisor's post; once each (the job is idempotent), all found by one query."""
import datetime as dt
from datetime import date

from dutydesk.inbox.models import Task
from dutydesk.occupancy import jobs, services
from dutydesk.org.models import Post
from tests.factories import UnitFactory
from tests.occupancy.conftest import SHANGHAI


def at(day, hour=10):
    return dt.datetime(2026, 6, day, hour, 0, tzinfo=SHANGHAI)


def test_a_failed_inspection_becomes_the_butlers_task_once(staff, approved, traveller):
    services.renovation_inspect(renovation=approved, inspector=staff["butler"], result="fail", note="防水层未做闭水试验")
    assert jobs.renovation_followups(at(1, 11)) == 1
    task = Task.objects.get(source="occupancy.renovation")
    assert task.assignee == staff["butler"] and "A-1201" in task.title and "闭水试验" in task.title
    assert task.url == f"/occupancy/renovations/{approved.pk}/"
    traveller.move_to(at(1, 12))
    assert jobs.renovation_followups(at(1, 12)) == 0  # chased already
    assert Task.objects.filter(source="occupancy.renovation").count() == 1


def test_a_failed_inspection_passed_later_needs_no_task(staff, approved):
    services.renovation_inspect(renovation=approved, inspector=staff["butler"], result="fail", note="未防护")
    services.renovation_inspect(renovation=approved, inspector=staff["butler"], result="pass", note="已整改")
    assert jobs.renovation_followups(at(1, 11)) == 0


def test_an_overdue_renovation_is_chased_again_after_an_extension_runs_over(staff, approved, traveller):
    traveller.move_to(at(30))
    assert jobs.renovation_followups(at(30, 11)) == 0  # the last approved day is not over yet
    traveller.move_to(dt.datetime(2026, 7, 1, 10, tzinfo=SHANGHAI))
    assert jobs.renovation_followups(dt.datetime(2026, 7, 1, 10, 1, tzinfo=SHANGHAI)) == 1
    assert "2026-06-30" in Task.objects.get().title
    services.renovation_extend(renovation=approved, clerk=staff["frontdesk"], ends_on=date(2026, 7, 10))
    traveller.move_to(dt.datetime(2026, 7, 11, 10, tzinfo=SHANGHAI))
    assert jobs.renovation_followups(dt.datetime(2026, 7, 11, 10, 1, tzinfo=SHANGHAI)) == 1
    assert Task.objects.count() == 2


def test_units_no_butler_covers_go_to_the_supervisor_post(staff, other_building):
    unit_b = UnitFactory(building=other_building, floor=20, number="2001")
    renovation = services.renovation_apply(unit=unit_b, clerk=staff["frontdesk"], contractor="某装修队",
                                           starts_on=date(2026, 6, 2), ends_on=date(2026, 6, 9), deposit="0")
    services.renovation_approve(renovation=renovation, approver=staff["supervisor"])
    services.renovation_inspect(renovation=renovation, inspector=staff["supervisor"], result="fail", note="噪音超时")
    assert jobs.renovation_followups(at(1, 11)) == 1
    task = Task.objects.get()
    assert task.assignee is None and task.post == Post.objects.get(code="cs-supervisor")


def test_the_job_finds_its_work_in_a_fixed_number_of_queries(staff, approved, django_assert_max_num_queries):
    services.renovation_inspect(renovation=approved, inspector=staff["butler"], result="fail", note="未防护")
    with django_assert_max_num_queries(6):
        projects = list(jobs._projects(at(1, 11)))
        work = list(jobs.failed_unchased()) + list(jobs.overdue_unchased(at(1, 11)))
    assert projects == [approved.project] and len(work) == 1


def test_the_job_costs_the_same_for_two_renovations_or_six(staff, building, traveller):
    """Each overdue renovation and failed inspection was a task made on its own (two or three queries a row: 605
    queries for 200 rows at 10^5 renovations); now at once (scripts/bench_modules.py)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from tests.occupancy.test_lists import _add

    def chased(count):
        Task.objects.all().delete()
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            assert jobs.renovation_followups.func(at(25, 11), building.project) == 2 * count  # overdue, and failed
            transaction.set_rollback(True)
        return len(captured)

    _add(staff, building, 0, 2)
    traveller.move_to(at(25))
    few = chased(2)
    traveller.move_to(at(1))
    _add(staff, building, 2, 6)
    traveller.move_to(at(25))
    assert chased(6) == few
