"""At the start of each month the supervising posts are reminded to evaluate their vendors for the month that ended
(one task per post, once, due on the 5th); a post whose catalogue routine already is that duty (the routine
monthly-vendor-evaluation of 环境管理主管 and 清洁监管员, seeds/000_d44081c6db2527f0.txt:437, :519) gets no second task; evaluating every vendor of the post
completes the reminder."""
import datetime as dt

import pytest

from dutydesk.inbox.models import Task
from dutydesk.vendors import jobs, services
from tests.vendors.conftest import SHANGHAI

pytestmark = pytest.mark.django_db
FIRST = dt.datetime(2026, 11, 1, 0, 5, tzinfo=SHANGHAI)
SECURITY = {"patrol": 90, "conduct": 85, "attendance": 100, "response": 80}


def test_the_first_tick_of_the_month_reminds_each_supervising_post_once(traveller, posts, cleaning, security):
    traveller.move_to(FIRST)
    assert jobs.evaluation_reminder(FIRST) == 1
    assert jobs.evaluation_reminder(FIRST) == 0
    assert jobs.evaluation_reminder(FIRST + dt.timedelta(days=3)) == 0  # the month's mark
    # the cleaning vendor's posts have the routine in their catalogue: its task is their reminder
    task = Task.objects.get(source="vendors.evaluation_due")
    assert task.post.code == "cs-supervisor" and task.assignee is None
    assert "2026-10" in task.title and "鹏城保安" in task.title
    assert task.due_at == dt.datetime(2026, 11, 5, 17, 0, tzinfo=SHANGHAI)
    assert task.url.endswith("month=2026-10")


def test_an_inactive_vendor_or_an_evaluated_one_needs_no_reminder(traveller, posts, staff, security):
    services.evaluation_record(vendor=security, month="2026-10", post=posts["cs-supervisor"],
                               evaluated_by=staff["supervisor"], scores=SECURITY)
    assert services.evaluation_reminders(project=security.project, month="2026-09") == 1
    assert services.evaluation_reminders(project=security.project, month="2026-10") == 0
    services.vendor_save(project=security.project, vendor=security, name=security.name, kind=security.kind,
                         supervising_posts=[posts["cs-supervisor"]], active=False)
    assert services.evaluation_reminders(project=security.project, month="2026-08") == 0


def test_evaluating_every_vendor_of_the_post_completes_the_reminder(traveller, posts, staff, security):
    traveller.move_to(FIRST)
    services.evaluation_reminders(project=security.project, month="2026-10")
    task = Task.objects.get(source="vendors.evaluation_due")
    services.evaluation_record(vendor=security, month="2026-10", post=posts["cs-supervisor"],
                               evaluated_by=staff["supervisor"], scores=SECURITY)
    task.refresh_from_db()
    assert (task.status, task.completed_by) == ("done", staff["supervisor"])


def test_the_reminder_costs_the_same_for_two_vendors_or_six(traveller, posts, staff, project):
    """The posts' vendors left to evaluate are one query of (vendor, post) pairs, not a loop over every vendor."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(first, last):
        for n in range(first, last):
            services.vendor_save(project=project, name=f"第{n}保安公司", kind="security",
                                 supervising_posts=[posts["cs-supervisor"]])

    def reminded():
        Task.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            assert jobs.evaluation_reminder.func(FIRST, project) == 1
        return len(captured), Task.objects.get().title

    traveller.move_to(FIRST)
    add(0, 2)
    few, title = reminded()
    assert title.endswith("：第0保安公司、第1保安公司")
    add(2, 6)
    queries, title = reminded()
    assert queries == few
    # a title holds 200 characters: it names five vendors and says how many there are
    assert title == "完成2026-10外包方评价：第0保安公司、第1保安公司、第2保安公司、第3保安公司、第4保安公司 等 6 家"
