"""Two clerks at once: one acknowledgement wins, the other is a 409; two escalation ticks at once make one task.
Real concurrency needs PostgreSQL (SQLite serialises writers): skipped on SQLite."""

import pytest
from django.db import connection

from dutydesk.core.errors import StateConflict
from dutydesk.inbox.models import Task
from dutydesk.shifts import services
from dutydesk.shifts.models import Handover
from tests.shifts.conftest import TODAY, at
from tests.support.concurrency import in_threads

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")



@pytest.fixture
def handover(project, desk_post, desk, put, traveller):
    put(desk[0], TODAY, "a")
    put(desk[1], TODAY, "b")
    put(desk[2], TODAY, "b")
    traveller.move_to(at(TODAY, "16:50"))
    return services.handover_record(project=project, post=desk_post, shift="a", notes="交接", handed_by=desk[0])


def test_two_acknowledgements_at_once_give_one_and_a_conflict(handover, desk):
    results, errors = in_threads(2, lambda i: services.handover_acknowledge(handover=handover, user=desk[1 + i]))
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], StateConflict)
    record = Handover.objects.get(pk=handover.pk)
    assert record.acknowledged_by == results[0].acknowledged_by
    assert record.history.filter(history_type="~").count() == 1


def test_two_escalation_runs_at_once_make_one_task(handover, traveller):
    traveller.move_to(at(TODAY, "18:00"))
    results, errors = in_threads(2, lambda i: services.handovers_escalate())
    assert errors == [] and sorted(results) == [0, 1]
    assert Task.objects.filter(source="shifts.handover_unacknowledged").count() == 1
    assert Handover.objects.get(pk=handover.pk).history.filter(history_type="~").count() == 1
