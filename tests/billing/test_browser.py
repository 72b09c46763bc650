import io
from datetime import date

import pytest
from pypdf import PdfReader

from dutydesk.billing import services
from dutydesk.billing.models import UnitCharge
from tests.conftest import login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_butler_records_a_payment_and_opens_the_receipt(page, staff, project, unit, mgmt_fee):
    UnitCharge.objects.create(unit=unit, item=mgmt_fee, start=date(2020, 1, 1))
    run, _ = services.bill_run_create(project=project, period="2026-10")
    bill = unit.bills.get()
    login(page, "butler")
    page.goto(f"{page.base_url}/billing/bills/?project={project.pk}")
    # money reads right-aligned, as in a ledger (the tables' own left alignment outweighed .num before)
    assert page.eval_on_selector("table.list td.num", "cell => getComputedStyle(cell).textAlign") == "right"
    assert page.eval_on_selector("table.list th.num", "cell => getComputedStyle(cell).textAlign") == "right"
    page.click(f"a[href='/billing/bills/{bill.pk}/']")
    page.fill("#pay-amount", "109.75")
    page.select_option("#pay-method", "wechat")
    page.click("#pay-form button.primary")
    page.wait_for_load_state("networkidle")
    page.click("#confirm-form button.primary")  # issue 9: a confirm step before the payment is recorded
    page.wait_for_load_state("networkidle")
    assert "00000001" in page.inner_text(".messages")
    assert page.inner_text("#bill-balance") == "¥200.00"
    page.screenshot(path="/tmp/billing-bill.png", full_page=True)
    href = page.get_attribute("a.receipt-link", "href")
    response = page.request.get(f"{page.base_url}{href}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert "收款收据" in text and "00000001" in text and "109.75" in text
    assert page.console_errors == []
