"""Fixtures of the move-in, renovation and move-out tests: a fixed day (2026-06-01, Asia/Shanghai), a vacant unit and
a newcomer with a complete archive record, a renovation filed for A-1201, a second project where the test staff hold
no post, and the two billing acts a deposit refund needs (bill the deposit, pay the bill)."""
import datetime as dt
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from dutydesk.archive.models import Unit
from dutydesk.billing import services as billing
from dutydesk.billing.models import Bill, ChargeItem, UnitCharge
from dutydesk.occupancy import services
from tests.factories import BuildingFactory, ProjectFactory, ResidentFactory, UnitFactory, valid_id_number

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
TODAY = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def traveller():
    """Every test runs on 2026-06-01 at 10:00 in Shanghai; ``traveller.move_to(...)`` moves on."""
    with time_machine.travel(dt.datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


@pytest.fixture
def vacant(building):
    """A-1202, vacant, on the butler's floors."""
    return UnitFactory(building=building, floor=12, number="1202", status=Unit.Status.VACANT)


@pytest.fixture
def newcomer(vacant):
    """The owner of A-1202, registered in the archive (phone and identity number), not moved in yet."""
    return ResidentFactory(unit=vacant, name="郑晓明", phone="13922001101", id_number=valid_id_number(7))


@pytest.fixture
def renovation_body(unit, resident):
    def body(**changes):
        return {"unit": unit.pk, "resident": resident.pk, "contractor": "深圳美居装饰工程有限公司",
                "contractor_phone": "13800138201", "description": "厨房翻新", "starts_on": "2026-06-02",
                "ends_on": "2026-06-30", "deposit": "3000.00",
                "workers": [{"name": "刘建军", "phone": "13800138211"}, {"name": "黄志强"}], **changes}
    return body


@pytest.fixture
def renovation(staff, unit, resident):
    """A-1201's renovation, filed by the front desk, waiting for approval."""
    return services.renovation_apply(unit=unit, clerk=staff["frontdesk"], contractor="深圳美居装饰工程有限公司",
                                     starts_on=date(2026, 6, 2), ends_on=date(2026, 6, 30), deposit="3000.00",
                                     resident=resident, workers=[{"name": "刘建军", "phone": "13800138211"}])


@pytest.fixture
def approved(renovation, staff):
    return services.renovation_approve(renovation=renovation, approver=staff["supervisor"])


@pytest.fixture
def passed(approved, staff):
    services.renovation_inspect(renovation=approved, inspector=staff["butler"], result="pass", final=True,
                                note="竣工验收合格")
    approved.refresh_from_db()
    return approved


@pytest.fixture
def collect_deposit(staff):
    """Bill the unit's receivables (the deposit among them) in June's run and pay the bill: the deposit is in."""
    def collect(renovation):
        run, _created = billing.bill_run_create(project=renovation.project, period="2026-06")
        bill = Bill.objects.get(run=run, unit=renovation.unit)
        billing.payment_record(bill=bill, amount=bill.balance, method="cash", user=staff["frontdesk"])
        return bill
    return collect


@pytest.fixture
def unpaid_bill(project, staff):
    """``unpaid_bill(unit)``: a management-fee bill of May for the unit, not paid."""
    def make(unit):
        item = billing.charge_item_save(project=project, code="mgmt", name="物业管理费", basis="per_m2",
                                        unit_price="3.50", kind=ChargeItem.Kind.MANAGEMENT)
        UnitCharge.objects.create(unit=unit, item=item, start=date(2020, 1, 1))
        billing.bill_run_create(project=project, period="2026-05")
        return Bill.objects.get(unit=unit, period="2026-05")
    return make


@pytest.fixture
def elsewhere(db, staff):
    """A second project where the test staff hold no post, with a renovation of its own."""
    from django.contrib.auth import get_user_model

    from tests.factories import hold

    project = ProjectFactory(code="elsewhere", name="别处花园")
    unit = UnitFactory(building=BuildingFactory(project=project, name="C"), floor=5, number="501")
    resident = ResidentFactory(unit=unit, name="王五", phone="13912340000", id_number=valid_id_number(9))
    clerk = get_user_model().objects.create_user(username="elsewhere-desk", password="pw")
    hold(clerk, "frontdesk-assistant", project)
    renovation = services.renovation_apply(unit=unit, clerk=clerk, contractor="别处装修队", starts_on=date(2026, 6, 2),
                                           ends_on=date(2026, 6, 20), deposit=Decimal("1000"))
    move_in_unit = UnitFactory(building=unit.building, floor=5, number="502", status=Unit.Status.VACANT)
    newcomer = ResidentFactory(unit=move_in_unit, name="赵六", phone="13912340001", id_number=valid_id_number(10))
    move_in = services.move_in_open(unit=move_in_unit, resident=newcomer, date=date(2026, 6, 1), clerk=clerk)
    return {"project": project, "unit": unit, "resident": resident, "renovation": renovation, "move_in": move_in,
            "clerk": clerk}
