"""Routines become tasks (issue 6 Deliver 1): the fake clock drives the scheduler job."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

from dutydesk.core import workdays as cn_calendar
from dutydesk.duties import jobs, routines
from dutydesk.inbox.models import Task
from dutydesk.org.models import Post, Routine

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _tick(moment):
    with time_machine.travel(moment, tick=False):
        return jobs.generate_routine_tasks(moment)


def _run_month(year, month, days, hours=(0, 8, 17, 23)):
    for offset in range(days):
        day = date(year, month, 1) + timedelta(days=offset)
        for hour in hours:
            _tick(datetime.combine(day, time(hour, 5), SHANGHAI))


def test_the_1700_routine_gives_each_front_desk_holder_30_tasks_in_a_30_day_month(staff, second_frontdesk):
    _run_month(2026, 6, 30)
    check = Routine.objects.get(post__code="frontdesk-assistant", code="daily-1700-check")
    for user in (staff["frontdesk"], second_frontdesk):
        tasks = Task.objects.filter(routine=check, assignee=user)
        assert tasks.count() == 30
        due = sorted(t.due_at.astimezone(SHANGHAI) for t in tasks)
        assert due[0] == datetime(2026, 6, 1, 17, 0, tzinfo=SHANGHAI)
        assert due[-1] == datetime(2026, 6, 30, 17, 0, tzinfo=SHANGHAI)
        assert {d.time() for d in due} == {time(17, 0)}


def test_running_generation_twice_creates_nothing_twice(staff):
    moment = datetime(2026, 6, 1, 8, 0, tzinfo=SHANGHAI)
    first = _tick(moment)
    assert first > 0
    count = Task.objects.count()
    assert _tick(moment) == 0
    assert _tick(moment + timedelta(hours=9)) == 0
    assert Task.objects.count() == count


def test_a_before_the_5th_routine_moves_past_the_national_day_holiday(staff):
    # 2026-10-05 is inside the National Day holiday; chinesecalendar gives 2026-10-08 (verified by hand)
    assert cn_calendar.is_working_day(date(2026, 10, 5)) is False
    expected = cn_calendar.next_working_day(date(2026, 10, 5))
    assert expected == date(2026, 10, 8)
    _tick(datetime(2026, 10, 1, 0, 5, tzinfo=SHANGHAI))
    summary = Routine.objects.get(post__code="archivist", code="monthly-summary-before-5th")
    task = Task.objects.get(routine=summary)
    assert task.due_at.astimezone(SHANGHAI) == datetime(2026, 10, 8, 17, 0, tzinfo=SHANGHAI)
    assert task.assignee is None and task.post == Post.objects.get(code="archivist")  # shared by the post


def test_a_before_the_5th_routine_on_a_working_5th_stays_on_the_5th(staff):
    _tick(datetime(2026, 11, 1, 9, 0, tzinfo=SHANGHAI))
    summary = Routine.objects.get(post__code="archivist", code="monthly-summary-before-5th")
    assert Task.objects.get(routine=summary).due_at.astimezone(SHANGHAI).date() == date(2026, 11, 5)


def test_monthly_due_date_follows_the_labour_day_holiday():
    assert routines.monthly_due_date(2026, 5, 5) == date(2026, 5, 6) == cn_calendar.next_working_day(date(2026, 5, 5))
    # day 31 in February is the last day; Sat 28 Feb 2026 is a make-up working day (调休), so it stays
    assert routines.monthly_due_date(2026, 2, 31) == date(2026, 2, 28)
    assert routines.monthly_due_date(2026, 3, 1) == date(2026, 3, 2)  # Sun 1 March -> Mon 2 March


def test_monthly_tasks_are_created_once_in_the_month(staff):
    _run_month(2026, 11, 30, hours=(9,))
    summary = Routine.objects.get(post__code="archivist", code="monthly-summary-before-5th")
    assert Task.objects.filter(routine=summary).count() == 1


def test_weekly_and_times_per_week_routines_fall_on_their_days(staff, project):
    from tests.factories import UserFactory, hold

    deputy = UserFactory(username="deputy")
    hold(deputy, "cs-deputy-manager", project)
    _run_month(2026, 6, 28, hours=(9,))  # four whole ISO weeks: Mon 1 June – Sun 28 June
    patrol = Routine.objects.get(post__code="cs-deputy-manager", code="patrol-2-per-week")
    days = sorted(t.due_at.astimezone(SHANGHAI).isoweekday() for t in Task.objects.filter(routine=patrol, assignee=deputy)
                  if t.due_at.astimezone(SHANGHAI).date() <= date(2026, 6, 28))
    assert days == [2] * 4 + [4] * 4  # Tue and Thu
    weekly = Routine.objects.get(post__code="cs-deputy-manager", code="weekly-plan-summary")
    fridays = [t.due_at.astimezone(SHANGHAI).date() for t in Task.objects.filter(routine=weekly, assignee=deputy)]
    assert sorted(fridays) == [date(2026, 6, 5), date(2026, 6, 12), date(2026, 6, 19), date(2026, 6, 26)]


def test_every_n_days_counts_from_the_fixed_epoch():
    routine = Routine(schedule="every_n_days", every=2)
    released = [d for d in (date(2026, 6, 1) + timedelta(days=i) for i in range(6))
                if routines.occurrences_released_on(routine, d)]
    # 2024-01-01 is the epoch; 2026-06-01 is 882 days later (even)
    assert released == [date(2026, 6, 1), date(2026, 6, 3), date(2026, 6, 5)]


def test_an_inactive_holder_gets_no_tasks(staff):
    holding = staff["frontdesk"].holdings.get()
    holding.active = False
    holding.save()
    _tick(datetime(2026, 6, 1, 8, 0, tzinfo=SHANGHAI))
    assert not Task.objects.filter(assignee=staff["frontdesk"]).exists()


def test_tasks_go_overdue_by_themselves(staff):
    _tick(datetime(2026, 6, 1, 8, 0, tzinfo=SHANGHAI))
    task = Task.objects.get(routine__code="daily-1700-check", assignee=staff["frontdesk"])
    with time_machine.travel(datetime(2026, 6, 1, 16, 59, tzinfo=SHANGHAI), tick=False):
        assert task.is_overdue is False
    with time_machine.travel(datetime(2026, 6, 1, 17, 1, tzinfo=SHANGHAI), tick=False):
        assert task.is_overdue is True


def test_a_days_routine_tasks_cost_the_same_statements_for_two_holders_as_for_twelve(staff, project):
    """A group's day releases every routine of thousands of holders: the tasks are written in bulk, not one by one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dutydesk.duties.services import routine_tasks_generate
    from dutydesk.org.models import PostHolding
    from tests.factories import UserFactory, hold

    def statements(day):
        with CaptureQueriesContext(connection) as captured:
            created = routine_tasks_generate(day=day)
        return created, len(captured)

    few = statements(date(2026, 6, 1))
    for number in range(10):
        hold(UserFactory(username=f"desk-{number}"), "frontdesk-assistant", project)
    many = statements(date(2026, 6, 2))
    holders = PostHolding.objects.filter(post__code="frontdesk-assistant", active=True).count()
    assert holders == 11 and many[0] > few[0] > 0
    assert many[1] == few[1]
