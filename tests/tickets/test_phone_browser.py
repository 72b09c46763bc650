"""On a phone (390×844): the engineer takes, starts, adds a photo and resolves; a resident files a repair with a
photo and sees it in their list. No sideways scrolling; the menu opens."""
import re

import pytest

from dutydesk.tickets import services
from dutydesk.tickets.models import Ticket, TicketAttachment
from tests.conftest import login

PHONE = {"width": 390, "height": 844}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_engineer_resolves_a_ticket_with_a_photo_on_a_phone(page, staff, unit, resident, tmp_path):
    ticket = services.ticket_create(actor=staff["frontdesk"], unit=unit, resident=resident, kind="repair",
                                    title="卫生间水龙头漏水")
    services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"])
    page.set_viewport_size(PHONE)
    login(page, "engineer")
    page.goto(f"{page.base_url}/tickets/")
    assert _fits(page)
    page.click(f"text={ticket.number}")
    page.click("#action-start")
    page.wait_for_selector("#ticket-status:has-text('处理中')")
    photo = tmp_path / "leak.png"
    photo.write_bytes(PNG)
    page.set_input_files("#ticket-photo", str(photo))
    page.click("#action-upload")
    page.wait_for_selector(".attachments img")
    page.fill("#resolution", "更换了阀芯，已不漏水")
    page.click("#action-resolve")
    page.wait_for_selector("#ticket-status:has-text('已解决')")
    assert _fits(page)
    page.screenshot(path=str(tmp_path / "engineer-phone.png"), full_page=True)
    assert TicketAttachment.objects.filter(ticket=ticket).count() == 1
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"
    page.click("[data-nav-toggle]")
    assert page.is_visible("#mainnav")
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_resident_files_a_repair_with_a_photo_on_a_phone(page, staff, resident_user, tmp_path):
    page.set_viewport_size(PHONE)
    login(page, "resident")
    page.goto(f"{page.base_url}/portal/tickets/new/")
    assert _fits(page)
    page.fill("input[name=title]", "阳台地漏堵塞")
    page.fill("textarea[name=description]", "下雨时积水")
    photo = tmp_path / "drain.png"
    photo.write_bytes(PNG)
    page.set_input_files("input[name=photos]", str(photo))
    page.click("form button.primary")
    page.wait_for_url(re.compile(r".*/portal/tickets/\d+/$"))
    ticket = Ticket.objects.get()
    assert ticket.channel == "portal" and ticket.attachments.count() == 1
    page.goto(f"{page.base_url}/portal/tickets/")
    assert ticket.number in page.content() or ticket.title in page.content()
    assert _fits(page)
    page.screenshot(path=str(tmp_path / "resident-phone.png"), full_page=True)
    assert page.console_errors == []
