"""The demo shows each procedure in a real state, and loading it twice changes nothing."""
import pytest
from django.core.management import call_command

from dutydesk.inbox.models import Task
from dutydesk.occupancy import jobs
from dutydesk.occupancy.models import MoveIn, MoveInStep, MoveOut, Renovation, RenovationInspection


@pytest.fixture(autouse=True)
def traveller():
    """The demo is dated from the real day."""
    yield None


def _counts():
    return {model.__name__: model.objects.count()
            for model in (MoveIn, MoveInStep, MoveOut, Renovation, RenovationInspection)}


def test_the_demo_loads_every_state_once(db):
    call_command("demo", stdout=open("/dev/null", "w"))
    first = _counts()
    assert sorted(MoveIn.objects.values_list("status", flat=True)) == ["completed", "open"]
    assert sorted(Renovation.objects.values_list("status", flat=True)) == ["applied", "approved", "passed"]
    assert list(MoveOut.objects.values_list("status", flat=True)) == ["open"]
    call_command("demo", stdout=open("/dev/null", "w"))
    assert _counts() == first
    from dutydesk.core import clock

    assert jobs.renovation_followups(clock.now()) == 1  # the failed inspection, for the butler of the unit
    assert Task.objects.get(source="occupancy.renovation").assignee.username == "butler"
