"""Billing fixtures: the demo project's charge items and a known set of units."""
from datetime import date
from decimal import Decimal

import pytest

from dutydesk.billing import services
from dutydesk.billing.models import ChargeItem, UnitCharge
from tests.factories import UnitFactory


@pytest.fixture
def mgmt_fee(project):
    """Management fee 3.50 per m² per month."""
    return services.charge_item_save(project=project, code="mgmt", name="物业管理费", basis="per_m2",
                                     unit_price="3.50", kind=ChargeItem.Kind.MANAGEMENT)


@pytest.fixture
def water(project):
    """Water in tiers: up to 20 m³ at 3.45, up to 30 at 4.83, above at 6.90."""
    return services.charge_item_save(project=project, code="water", name="水费", basis="metered", unit_price="3.45",
                                     kind=ChargeItem.Kind.WATER,
                                     tiers=[{"up_to": "20", "price": "3.45"}, {"up_to": "30", "price": "4.83"},
                                            {"up_to": None, "price": "6.90"}])


@pytest.fixture
def billed_unit(unit, mgmt_fee):
    """A-1201 (88.50 m²) pays the management fee from 2020: 309.75 a month."""
    UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2020, 1, 1))
    return unit


@pytest.fixture
def make_unit(building):
    def make(number, floor=3, area="100.00", **kwargs):
        return UnitFactory(building=building, floor=floor, number=number, area_m2=Decimal(area), **kwargs)

    return make


@pytest.fixture
def run(billed_unit, project):
    return services.bill_run_create(project=project, period="2026-10")[0]


@pytest.fixture
def bill(run, billed_unit):
    return billed_unit.bills.get(period="2026-10")
