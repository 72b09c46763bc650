"""Stores fixtures: the shipped supermarket catalogue, a store (project) with its 仓管员 (keeper), 理货员 (clerk) and
理货主管 (supervisor), and a second store whose keeper must not see the first one's stock."""
from datetime import timedelta

import pytest
import time_machine

from dutydesk.core import clock
from dutydesk.stock import services
from tests.factories import ProjectFactory, UserFactory, hold
from tests.support.catalog_snapshot import shipped_catalog


@pytest.fixture
def supermarket(db):
    return shipped_catalog("supermarket")


@pytest.fixture
def store(supermarket):
    return ProjectFactory(code="store-1", name="万宁超市一号店")


@pytest.fixture
def other_store(supermarket):
    return ProjectFactory(code="store-2", name="万宁超市二号店")


@pytest.fixture
def keeper(store):
    user = UserFactory(username="keeper", first_name="仓管小李")
    hold(user, "sm-warehouse-keeper", store)
    return user


@pytest.fixture
def clerk(store):
    user = UserFactory(username="clerk", first_name="理货小王")
    hold(user, "sm-stock-clerk", store)
    return user


@pytest.fixture
def sm_supervisor(store):
    user = UserFactory(username="sm-boss", first_name="主管老张")
    hold(user, "sm-supervisor", store)
    return user


@pytest.fixture
def other_keeper(other_store):
    user = UserFactory(username="keeper2")
    hold(user, "sm-warehouse-keeper", other_store)
    return user


@pytest.fixture
def milk(store):
    """Pouch milk by the box: safety stock 10, shelf life 30 days, fixed bin A-01-01."""
    return services.item_save(project=store, code="M001", name="百利包纯牛奶", unit="箱", bin="A-01-01",
                              safety_stock="10", shelf_life_days=30)


@pytest.fixture
def rice(store):
    """Rice weighed in kg, no shelf life given."""
    return services.item_save(project=store, code="R001", name="散装大米", unit="kg", bin="B-02-01")


@pytest.fixture
def receive(keeper):
    """``receive(item, quantity, on=date, expires_on=..., inspect="passed"|"rejected"|None)`` → Receipt, made (and
    inspected) on that day at 09:00."""
    def make(item, quantity, *, on=None, expires_on=None, batch="", inspect="passed", produced_on=None):
        on = on or clock.today()
        with time_machine.travel(clock.at(on, "09:00"), tick=False):
            receipt = services.receipt_record(project=item.project, item=item, quantity=quantity, received_by=keeper,
                                              batch=batch, expires_on=expires_on,
                                              produced_on=produced_on or (on if item.shelf_life_days else None))
            if inspect:
                receipt = services.receipt_inspect(receipt=receipt, result=inspect, inspected_by=keeper)
        return receipt
    return make


def days_ago(n):
    return clock.today() - timedelta(days=n)


def days_ahead(n):
    return clock.today() + timedelta(days=n)
