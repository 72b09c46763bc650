"""Issue 9: a floor butler records a payment on a phone (Chromium at 390×844)."""
import io
from datetime import date

import pytest
from pypdf import PdfReader

from dutydesk.billing import services
from dutydesk.billing.models import Payment, UnitCharge
from tests.conftest import login
from tests.factories import ResidentFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("typed", ["A-1201", "A1201"])
def test_the_butler_finds_the_bill_pays_confirms_and_opens_the_receipt_on_a_phone(typed, page, staff, project, unit,
                                                                                    mgmt_fee):
    ResidentFactory(unit=unit, name="张三", phone="13912345678")
    butler = staff["butler"]
    butler.first_name, butler.last_name = "小红", "王"
    butler.set_password("pw")
    butler.save()
    UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2020, 1, 1))
    for period in ("2026-09", "2026-10"):
        services.bill_run_create(project=project, period=period)
    october = unit.bills.get(period="2026-10")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "butler")
    page.goto(f"{page.base_url}/billing/bills/?project={project.pk}")
    page.fill("input[name=q]", typed)
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator("table.list tbody tr").count() == 2  # both months of A-1201, nothing else
    page.screenshot(path=f"/tmp/billing-phone-search-{typed}.png", full_page=True)
    page.click(f"a[href='/billing/bills/{october.pk}/']")
    page.wait_for_load_state("networkidle")
    page.fill("#pay-amount", "109.75")
    page.select_option("#pay-method", "wechat")
    page.click("#pay-form button.primary")
    page.wait_for_load_state("networkidle")
    assert "¥109.75" in page.inner_text("#confirm-amount")
    assert not Payment.objects.exists()
    page.screenshot(path=f"/tmp/billing-phone-confirm-{typed}.png", full_page=True)
    page.click("#confirm-form button.primary")
    page.wait_for_load_state("networkidle")
    assert "00000001" in page.inner_text(".messages")
    assert page.inner_text("#bill-balance") == "¥200.00"
    page.screenshot(path=f"/tmp/billing-phone-paid-{typed}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing sticks out sideways on the phone
    href = page.get_attribute("#new-receipt", "href")
    response = page.request.get(f"{page.base_url}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert "收款收据" in text and "00000001" in text and "人民币壹佰零玖元柒角伍分" in text and "王小红" in text
    assert page.console_errors == []
