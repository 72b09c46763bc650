"""The phone intake: a caller who is not in the archive is taken with name and phone; the caller's unit shows its
open tickets and arrears; Enter right after typing picks the result instead of saving (Chromium)."""
import pytest
from django.test import Client

from dutydesk.tickets.models import Ticket
from tests.support.browser import wait_until


def test_a_caller_not_in_the_archive_is_taken_with_name_and_phone(staff, unit):
    client = Client()
    client.force_login(staff["frontdesk"])
    response = client.post("/tickets/new/", {"lookup": "A-1201", "kind": "enquiry", "priority": "normal",
                                             "channel": "phone", "title": "咨询停车月卡", "caller_name": "新租客王先生",
                                             "caller_phone": "13711112222"})
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.caller_name, ticket.caller_phone, ticket.resident) == ("新租客王先生", "13711112222", None)
    assert "新租客王先生" in client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert ticket.number in client.get("/tickets/", {"q": "all", "search": "13711112222"}).content.decode()


def test_a_bad_callback_number_is_refused_and_nothing_is_saved(staff, unit):
    client = Client()
    client.force_login(staff["frontdesk"])
    page = client.post("/tickets/new/", {"lookup": "A-1201", "kind": "enquiry", "title": "x", "caller_name": "王",
                                         "caller_phone": "123"}).content.decode()
    assert not Ticket.objects.exists() and 'value="王"' in page


def test_the_callers_unit_panel_shows_open_tickets_and_arrears(staff, unit, resident):
    from dutydesk.tickets import services

    ticket = services.ticket_create(actor=staff["frontdesk"], unit=unit, resident=resident, kind="repair", title="漏水")
    client = Client()
    client.force_login(staff["frontdesk"])
    html = client.get("/tickets/new/caller-unit/", {"unit": unit.pk}).content.decode()
    assert ticket.number in html and "A-1201" in html
    assert client.get("/tickets/new/caller-unit/", {"unit": "x"}).content.decode().strip() == ""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_enter_right_after_typing_picks_the_result_and_does_not_save(page, catalog, project, building, unit, resident):
    from tests.conftest import login
    from tests.factories import UserFactory, hold

    clerk = UserFactory(username="desk")
    hold(clerk, "frontdesk-assistant", project)
    login(page, "desk")
    page.goto(f"{page.base_url}/tickets/new/")
    page.fill("#lookup", "")
    page.type("#lookup", "13912345678", delay=5)
    page.keyboard.press("Enter")  # before the 200 ms lookup delay has passed
    wait_until(page, "document.getElementById('unit').value !== ''")
    assert page.url.endswith("/tickets/new/")
    assert "张三" in page.inner_text("#picked")
    page.wait_for_selector("#caller-panel .caller-unit")
    assert page.evaluate("document.activeElement.id") == "kind"
    assert Ticket.objects.count() == 0
    assert page.console_errors == []
