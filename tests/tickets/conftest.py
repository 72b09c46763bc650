"""Fixtures for the work-order tests: a helper that takes a ticket through the services."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from dutydesk.tickets import services
from dutydesk.tickets.models import TicketCategory
from tests.factories import UserFactory, hold

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args):
    """An aware Asia/Shanghai datetime: local(2026, 3, 10, 9, 30)."""
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def plumbing(db):
    return TicketCategory.objects.get(code="plumbing", project__isnull=True)


@pytest.fixture
def make_ticket(staff, unit, resident):
    def make(kind="complaint", actor=None, title="楼上漏水", now=None, **kwargs):
        kwargs.setdefault("resident", resident)
        return services.ticket_create(actor=actor or staff["frontdesk"], unit=kwargs.pop("unit", unit), kind=kind,
                                      title=title, now=now, **kwargs)

    return make


@pytest.fixture
def special_supervisor(staff, project):
    """A holder of 专项服务主管, the superior post of 维修技工 (the engineer)."""
    user = UserFactory(username="special")
    hold(user, "special-service-supervisor", project)
    return user
