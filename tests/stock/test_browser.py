"""Issue 12: the 仓管员 receives, inspects and issues stock on a phone-width page (Chromium at 390×844)."""
from decimal import Decimal

import pytest

from dutydesk.stock.models import Issue, Receipt
from tests.conftest import login
from tests.stock.conftest import days_ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing sticks out sideways


def test_the_keeper_receives_inspects_and_issues_on_a_phone(page, keeper, store, milk, receive):
    receive(milk, 4, on=days_ago(5), batch="M-0401")  # an older passed batch: the issue takes it first
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "keeper")

    page.goto(f"{page.base_url}/stock/receive/")
    page.select_option("#receive-form select[name=item]", str(milk.pk))
    page.fill("#receive-form input[name=quantity]", "10")
    page.fill("#receive-form input[name=batch]", "M-0415")
    page.fill("#receive-form input[name=expires_on]", "2099-12-31")
    page.click("#receive-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "M-0415" in page.inner_text(".messages")
    assert Receipt.objects.get(batch="M-0415").zone == "pending"
    _fits_the_phone(page)
    page.screenshot(path="/tmp/stock-phone-receive.png", full_page=True)

    page.click("text=验收待检批次")
    page.wait_for_selector("#pending tr[data-batch='M-0415'] button[value=passed]")
    _fits_the_phone(page)
    page.screenshot(path="/tmp/stock-phone-pending.png", full_page=True)
    page.click("#pending tr[data-batch='M-0415'] button[value=passed]")
    page.wait_for_selector("#pending tr[data-batch='M-0415'] .pill.good")  # the row answers in place (htmx)
    assert Receipt.objects.get(batch="M-0415").zone == "passed"

    page.goto(f"{page.base_url}/stock/issue/")
    page.select_option("#issue-form select[name=item]", str(milk.pk))
    page.fill("#issue-form input[name=quantity]", "6")
    page.fill("#issue-form input[name=to]", "卖场A区货架")
    page.click("#issue-form button[type=submit]")
    page.wait_for_selector("#issue-lines")
    lines = page.locator("#issue-lines tbody tr")
    assert lines.count() == 2
    assert "M-0401" in lines.nth(0).inner_text() and "M-0415" in lines.nth(1).inner_text()
    issue = Issue.objects.get()
    assert [(line.receipt.batch, line.quantity) for line in issue.lines.order_by("id")] == [
        ("M-0401", Decimal("4")), ("M-0415", Decimal("2"))]
    _fits_the_phone(page)
    page.screenshot(path="/tmp/stock-phone-issue.png", full_page=True)

    page.goto(f"{page.base_url}/stock/")
    assert "8" in page.inner_text("#levels")  # 4 + 10 − 6 left, and below the safety stock of 10
    assert "低于安全库存" in page.inner_text("#levels")
    _fits_the_phone(page)
    page.screenshot(path="/tmp/stock-phone-levels.png", full_page=True)
    assert page.console_errors == []


def test_the_ledger_export_button_queues_a_job_with_a_worker_pool(page, keeper, store, milk, receive, monkeypatch):
    """With a worker pool the toolbar's export button (it posts a form of its own) opens the job's page, which ends
    with the download."""
    monkeypatch.setattr("dutydesk.stock.views.runs_in_background", lambda: True)
    receive(milk, 12, on=days_ago(1), batch="M-0501")
    login(page, "keeper")
    page.goto(f"{page.base_url}/stock/ledger/?project={store.pk}&from={days_ago(3)}&to={days_ago(0)}")
    toolbar = page.locator("#ledger-form")
    assert toolbar.locator("#ledger-export").is_visible()  # in the toolbar, beside "Show"
    page.screenshot(path="/tmp/stock-ledger-export-job.png")
    page.click("#ledger-export")
    page.wait_for_url("**/jobs/*/")
    page.wait_for_selector("a[href$='/file']")
    assert "三级数量帐导出" in page.inner_text("body")
    assert not page.console_errors
