"""Race safety: two walkers recording the same checkpoint at once give one record, one work order and one 409; two
releases of the same day at once make each round once. Real concurrency needs PostgreSQL (SQLite serialises
writers): skipped on SQLite."""

import pytest
from django.db import connection

from dutydesk.core.errors import StateConflict
from dutydesk.patrols import services
from dutydesk.patrols.models import Round, RoundCheckpoint
from dutydesk.tickets.models import Ticket
from tests.patrols.conftest import DAY, at
from tests.support.concurrency import in_threads

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")



def test_the_same_checkpoint_recorded_twice_at_once_is_one_record_and_one_409(morning, patrollers):
    walkers = [patrollers["officer"], patrollers["cleaner"]]
    results, errors = in_threads(2, lambda i: services.checkpoint_record(
        round=morning, code="P01", walker=walkers[i], result="issue", note=f"配电房门锁损坏 {i}"))
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], StateConflict)
    assert Ticket.objects.count() == 1
    point = RoundCheckpoint.objects.get(round=morning, code="P01")
    assert point.ticket == Ticket.objects.get() and point.recorded_by in walkers


def test_two_releases_of_a_day_at_once_make_each_round_once(route):
    day = DAY.replace(day=DAY.day + 1)
    results, errors = in_threads(2, lambda i: services.rounds_release(project=route.project, day=day,
                                                                       now=at("00:00", day)))
    assert errors == [] and sorted(results) == [0, 2]
    assert Round.objects.filter(route=route, starts_at__gte=at("00:00", day)).count() == 2
