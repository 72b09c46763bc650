"""The whole story in headless Chromium: a phone complaint taken at the front desk, dispatched by the
supervisor, resolved by the engineer, return-visited by the front desk, seen closed by the resident."""
import re

import pytest

from dutydesk.tickets.models import Ticket
from tests.conftest import login


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_complaint_goes_from_the_front_desk_to_closed_in_the_portal(page, staff, resident, resident_user):
    login(page, "frontdesk")
    page.goto(f"{page.base_url}/tickets/new/")
    # keyboard only: type the caller's phone, Enter picks the match, Tab through, Enter saves
    page.keyboard.type("13912345678")
    page.wait_for_selector("#lookup-results button.pick")
    page.keyboard.press("Enter")
    assert "张三" in page.inner_text("#picked")
    page.keyboard.press("Tab")  # kind (complaint is preselected) -> category
    page.keyboard.press("Tab")  # category -> priority
    page.focus("#title")
    page.keyboard.type("楼上夜间装修噪音")
    page.screenshot(path="/tmp/tickets-intake.png", full_page=True)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/tickets/\d+/$"))
    ticket = Ticket.objects.get()
    assert (ticket.kind, ticket.channel, ticket.owner.username, ticket.resident_id) == ("complaint", "phone", "frontdesk", resident.pk)

    switch_user(page, "supervisor")
    page.goto(f"{page.base_url}/tickets/{ticket.pk}/")
    page.select_option("#dispatch-assignee", str(staff["engineer"].pk))
    page.click("#action-dispatch")
    page.wait_for_selector("#ticket-status:has-text('已派单')")

    switch_user(page, "engineer")
    page.goto(f"{page.base_url}/tickets/?q=work")
    page.screenshot(path="/tmp/tickets-queue.png", full_page=True)
    assert "剩余" in page.inner_text("table.tickets")  # remaining time on the list
    page.click(f"text={ticket.number}")
    page.click("#action-start")
    page.wait_for_selector("#ticket-status:has-text('处理中')")
    page.fill("#resolution", "已与楼上业主沟通，停止夜间施工")
    page.click("#action-resolve")
    page.wait_for_selector("#ticket-status:has-text('已解决')")

    switch_user(page, "frontdesk")
    page.goto(f"{page.base_url}/tickets/{ticket.pk}/")
    page.select_option("#visit-method", "phone")
    page.select_option("#visit-satisfaction", "4")
    page.click("#action-return-visit")
    page.wait_for_selector("#ticket-status:has-text('已关闭')")
    page.screenshot(path="/tmp/tickets-detail.png", full_page=True)
    assert page.inner_text("#ticket-owner") == staff["frontdesk"].get_full_name()

    switch_user(page, "resident")
    page.goto(f"{page.base_url}/portal/tickets/")
    page.click("text=楼上夜间装修噪音")
    assert page.inner_text("#portal-status") == "已关闭"
    page.screenshot(path="/tmp/tickets-portal.png", full_page=True)
    ticket.refresh_from_db()
    assert ticket.status == "closed" and ticket.owner == staff["frontdesk"] and ticket.assignee == staff["engineer"]
    assert page.console_errors == []
