import pytest

from dutydesk.frontdesk.models import Key, KeyLoan, Visit
from tests.conftest import login
from tests.support.browser import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_visitor_desk_registers_a_visitor_and_prints_the_pass(page, staff, unit):
    login(page, "visitordesk")
    page.goto(f"{page.base_url}/frontdesk/")
    page.fill("input[name=visitor_name]", "王五")
    page.fill("input[name=visitor_phone]", "13800138001")
    page.fill("#visit-form input[name=unit]", "A-1201")
    page.fill("#visit-form input[name=purpose]", "探亲")
    page.keyboard.press("Enter")
    page.wait_for_selector("#print-pass")
    visit = Visit.objects.get()
    assert page.inner_text(".pass-code") == visit.pass_code
    page.screenshot(path="/tmp/frontdesk-desk.png", full_page=True)
    page.click("#print-pass")
    page.wait_for_selector("#visitor-pass")
    qr = page.locator("#pass-qr")
    wait_until(page, "document.querySelector('#pass-qr').complete && document.querySelector('#pass-qr').naturalWidth > 0")
    box = qr.bounding_box()
    assert box["width"] > 100 and box["height"] > 100
    assert visit.pass_code in page.inner_text("#visitor-pass")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.click("#print")
    assert page.evaluate("window.printed") is True
    page.screenshot(path="/tmp/frontdesk-pass.png", full_page=True)
    assert page.console_errors == []


def test_the_archivist_lends_and_takes_back_a_key(page, staff, unit, project):
    key = Key.objects.create(project=project, label="A-1201-1", unit=unit, location="柜1-01")
    login(page, "archivist")
    page.goto(f"{page.base_url}/frontdesk/keys/")
    page.select_option("#lend-form select[name=key]", str(key.pk))
    page.fill("#lend-form input[name=borrower_name]", "李四")
    page.fill("#lend-form input[name=borrower_phone]", "13912345678")
    page.fill("#lend-form input[name=purpose]", "维修水管")
    page.click("#lend-form button[type=submit]")
    page.wait_for_selector("#keys-out button[data-key='A-1201-1']")
    assert Key.objects.get(pk=key.pk).status == "lent"
    page.screenshot(path="/tmp/frontdesk-keys.png", full_page=True)
    page.click("#keys-out button[data-key='A-1201-1']")
    page.wait_for_selector("#keys-out button[data-key='A-1201-1']", state="detached")
    assert Key.objects.get(pk=key.pk).status == "in_custody"
    assert KeyLoan.objects.get().returned_at is not None
    assert page.console_errors == []
