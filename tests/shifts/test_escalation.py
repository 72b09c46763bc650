"""A handover the next shift has not acknowledged by its ``ack_due_at`` goes to the supervisor post: one task, once,
whatever the ticks (the scheduler job is idempotent and set-based); the acknowledgement closes it."""
import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection

from dutydesk.core import scheduler
from dutydesk.inbox.models import Task
from dutydesk.org.models import Post
from dutydesk.shifts import jobs, services
from dutydesk.shifts.models import Handover
from tests.shifts.conftest import TODAY, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed_over(project, desk_post, desk, today_rota, traveller):
    traveller.move_to(at(TODAY, "16:50"))
    return services.handover_record(project=project, post=desk_post, shift="a", notes="A-1201漏水待跟进",
                                    open_items=["A-1201漏水"], handed_by=desk[0])


def test_an_unacknowledged_handover_escalates_exactly_once(handed_over, traveller, staff):
    assert handed_over.ack_due_at == at(TODAY, "17:20")
    traveller.move_to(at(TODAY, "17:19"))
    assert jobs.handover_escalation(at(TODAY, "17:19")) == 0
    traveller.move_to(at(TODAY, "17:20"))
    assert jobs.handover_escalation(at(TODAY, "17:20")) == 1
    assert jobs.handover_escalation(at(TODAY, "17:20")) == 0  # the same tick again: the minute's mark
    for minute in ("17:21", "17:40", "23:59"):
        traveller.move_to(at(TODAY, minute))
        scheduler.run_tick(at(TODAY, minute), only={"shifts.handover_escalation"})
    tasks = Task.objects.filter(source="shifts.handover_unacknowledged")
    assert tasks.count() == 1
    task = tasks.get()
    assert (task.post, task.project_id, task.assignee) == (Post.objects.get(code="cs-supervisor"),
                                                           handed_over.project_id, None)
    assert task.url == f"/shifts/handovers/{handed_over.pk}/"
    record = Handover.objects.get(pk=handed_over.pk)
    assert record.escalated_at == at(TODAY, "17:20")
    assert [h.history_type for h in record.history.order_by("history_date")] == ["+", "~"]


def test_an_acknowledged_handover_does_not_escalate(handed_over, desk, traveller):
    traveller.move_to(at(TODAY, "17:10"))
    services.handover_acknowledge(handover=handed_over, user=desk[1])
    traveller.move_to(at(TODAY, "18:00"))
    assert services.handovers_escalate() == 0
    assert not Task.objects.filter(source="shifts.handover_unacknowledged").exists()


def test_the_late_acknowledgement_closes_the_supervisors_task(handed_over, desk, traveller):
    traveller.move_to(at(TODAY, "17:30"))
    services.handovers_escalate()
    services.handover_acknowledge(handover=handed_over, user=desk[1], note="已接班")
    task = Task.objects.get(source="shifts.handover_unacknowledged")
    assert (task.status, task.completed_by) == ("done", desk[1])


def test_escalation_is_set_based(project, desk_post, desk, put, traveller):
    """Ten overdue handovers cost the same queries as one does: found, given their tasks and marked at once."""
    from datetime import date, timedelta

    def overdue(count, first_day):
        for n in range(count):
            day = first_day + timedelta(days=n)
            put(desk[0], day, "a")
            traveller.move_to(at(day, "16:50"))
            services.handover_record(project=project, post=desk_post, shift="a", notes="交接", handed_by=desk[0])

    def queries(now):
        with CaptureQueriesContext(connection) as captured:
            assert services.handovers_escalate(now=now) >= 1
        return len(captured)

    overdue(1, date(2026, 11, 12))
    one = queries(at(date(2026, 11, 20), "09:00"))
    overdue(10, date(2026, 11, 13))
    ten = queries(at(date(2026, 11, 28), "09:00"))
    assert ten == one, (one, ten)
