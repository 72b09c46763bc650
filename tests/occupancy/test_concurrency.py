"""Two clerks at once: one success, one 409 (real concurrency needs PostgreSQL; SQLite serialises writers)."""
from datetime import date

import pytest
from django.db import connection

from dutydesk.billing.models import OneOffCharge
from dutydesk.core.errors import StateConflict
from dutydesk.frontdesk.models import AccessPass
from dutydesk.occupancy import services
from dutydesk.occupancy.models import Renovation
from tests.support.concurrency import in_threads

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")


def _at_once(count, work):
    """"ok" or "409" per call, sorted; anything else raised fails the test."""
    results, errors = in_threads(count, work)
    assert all(isinstance(error, StateConflict) for error in errors), errors
    return sorted(["ok"] * len(results) + ["409"] * len(errors))


def test_two_supervisors_approving_at_once_give_one_approval(staff, renovation):
    outcomes = _at_once(2, lambda i: services.renovation_approve(renovation=renovation, approver=staff["supervisor"]))
    assert outcomes == ["409", "ok"]
    assert Renovation.objects.get().status == "approved"
    assert OneOffCharge.objects.count() == 1 and AccessPass.objects.count() == 1


def test_two_clerks_ticking_the_same_step_give_one_tick(staff, vacant, newcomer):
    move_in = services.move_in_open(unit=vacant, resident=newcomer, date=date(2026, 6, 1), clerk=staff["frontdesk"])
    outcomes = _at_once(2, lambda i: services.move_in_step_done(move_in=move_in, code="keys", count=2 + i,
                                                                clerk=staff["frontdesk"]))
    assert outcomes == ["409", "ok"]


def test_two_move_ins_of_one_unit_at_once_open_one(staff, vacant, newcomer):
    outcomes = _at_once(2, lambda i: services.move_in_open(unit=vacant, resident=newcomer, date=date(2026, 6, 1),
                                                           clerk=staff["frontdesk"]))
    assert outcomes == ["409", "ok"]
