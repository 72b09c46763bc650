"""A renovation from application to refund in the browser, at desk width: the front desk files it, the supervisor
approves it (passes and deposit receivable), the butler records a failed inspection with a photo and then the passed
final inspection, the deposit is collected with the unit's bill, and the supervisor refunds it. Screenshots in /tmp."""
import re

import pytest

from dutydesk.billing import services as billing
from dutydesk.billing.models import Bill
from dutydesk.billing.selectors import current_period
from dutydesk.occupancy.models import Renovation
from tests.conftest import login
from tests.occupancy.test_renovation import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def traveller():
    """The browser keeps its own clock: these tests run on the real day (session cookies must not look expired)."""
    yield None


def as_user(page, username):
    page.context.clear_cookies()
    login(page, username)


def test_a_renovation_from_application_to_refund(page, staff, unit, resident, tmp_path):
    from datetime import timedelta

    from dutydesk.core import clock

    starts, ends = clock.today(), clock.today() + timedelta(days=30)
    as_user(page, "frontdesk")
    page.goto(f"{page.base_url}/occupancy/renovations/")
    page.fill("#apply-unit", "A-1201")
    page.wait_for_selector(f"#apply-resident option[value='{resident.pk}']", state="attached")
    page.select_option("#apply-resident", str(resident.pk))
    page.fill("#apply-contractor", "深圳美居装饰工程有限公司")
    page.fill("#apply-starts", starts.isoformat())
    page.fill("#apply-ends", ends.isoformat())
    page.fill("#apply-deposit", "3000")
    page.fill("#apply-workers", "刘建军 13800138211\n黄志强")
    page.click("#apply-form button[type=submit]")
    page.wait_for_url(re.compile(r"/occupancy/renovations/\d+/$"))
    renovation = Renovation.objects.get()
    assert page.inner_text("#renovation-status") == "已申报"
    assert "approve-form" not in page.content()

    as_user(page, "supervisor")
    page.goto(f"{page.base_url}/occupancy/renovations/{renovation.pk}/")
    page.click("#approve-form button")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#renovation-status") == "已批准，施工中"
    renovation.refresh_from_db()
    numbers = [worker.access_pass.number for worker in renovation.workers.select_related("access_pass")]
    assert len(numbers) == 2 and all(number in page.content() for number in numbers)

    as_user(page, "butler")
    page.goto(f"{page.base_url}/occupancy/renovations/{renovation.pk}/")
    photo = tmp_path / "site.png"
    photo.write_bytes(PNG)
    page.select_option("#inspect-result", "fail")
    page.fill("#inspect-note", "卫生间防水层未做闭水试验")
    page.set_input_files("#inspect-photos", str(photo))
    page.click("#inspect-form button")
    page.wait_for_load_state("networkidle")
    assert "不合格" in page.inner_text("#inspections") and page.locator("#inspections img").count() == 1
    page.select_option("#inspect-result", "pass")
    page.check("#inspect-final")
    page.fill("#inspect-note", "竣工验收合格")
    page.click("#inspect-form button")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#renovation-status") == "竣工验收合格"

    # the deposit is collected with the unit's bill (billing's run and a payment at the desk)
    run, _created = billing.bill_run_create(project=renovation.project, period=current_period())
    bill = Bill.objects.get(run=run, unit=unit)
    billing.payment_record(bill=bill, amount=bill.balance, method="wechat", user=staff["frontdesk"])

    as_user(page, "supervisor")
    page.goto(f"{page.base_url}/occupancy/renovations/{renovation.pk}/")
    assert "已收取" in page.inner_text("#renovation-deposit")
    page.select_option("#refund-method", "transfer")
    page.click("#refund-form button")
    page.wait_for_load_state("networkidle")
    assert "押金已退还" in page.inner_text(".messages")
    assert "已退还 ¥3,000.00" in page.inner_text("#renovation-deposit")
    assert Renovation.objects.get().refund_amount == 3000
    page.screenshot(path="/tmp/occupancy-renovation-desk.png", full_page=True)
    assert page.console_errors == []


def test_the_move_in_checklist_works_at_phone_width(page, staff, vacant_today):
    unit, newcomer = vacant_today
    page.set_viewport_size({"width": 390, "height": 844})
    as_user(page, "butler")
    page.goto(f"{page.base_url}/occupancy/move-ins/")
    page.fill("#open-unit", str(unit))
    page.wait_for_selector(f"#open-resident option[value='{newcomer.pk}']", state="attached")
    page.click("#open-form button[type=submit]")
    page.wait_for_url(re.compile(r"/occupancy/move-ins/\d+/$"))
    page.fill("#step-keys input[name=count]", "2")
    page.click("#step-keys button")
    page.wait_for_selector("#step-keys.done")
    page.fill("#step-meters input[name=reading_water]", "15.2")
    page.click("#step-meters button")
    page.wait_for_selector("#step-meters.done")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    page.screenshot(path="/tmp/occupancy-move-in-phone.png", full_page=True)
    assert page.console_errors == []


@pytest.fixture
def vacant_today(building):
    from dutydesk.archive.models import Unit
    from tests.factories import ResidentFactory, UnitFactory, valid_id_number

    unit = UnitFactory(building=building, floor=12, number="1203", status=Unit.Status.VACANT)
    return unit, ResidentFactory(unit=unit, name="冯雅琴", phone="13922001102", id_number=valid_id_number(8))
