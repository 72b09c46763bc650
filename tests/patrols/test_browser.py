"""Issue 13: a patrol round on a phone (Chromium at 390×844) — the officer scans a checkpoint's QR code, taps one big
button per checkpoint, and reports one issue with a photo, which opens a work order routed to the repair technicians."""
import datetime as dt

import pytest
import time_machine

from dutydesk.core import clock
from dutydesk.patrols.models import Round
from dutydesk.tickets.models import Ticket
from tests.conftest import login
from tests.patrols.conftest import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def traveller():
    """Today at 09:50, the clock running (the browser's session cookie must not be older than the browser's clock)."""
    with time_machine.travel(clock.at(dt.date.today(), "09:50"), tick=True) as traveller:
        yield traveller


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing sticks out sideways


def test_a_patrol_round_on_a_phone_with_one_issue_that_opens_a_work_order(page, route, patrollers, staff):
    round_ = route.rounds.order_by("starts_at").first()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "officer")

    page.goto(f"{page.base_url}/patrols/scan/{route.pk}/P01/")  # what the QR code at the power room opens
    assert page.url.endswith(f"/patrols/rounds/{round_.pk}/checkpoints/P01/")
    _fits_the_phone(page)
    page.click("#ok-form button.big")
    page.wait_for_load_state("networkidle")
    assert "P01 配电房：正常。" in page.inner_text(".messages")
    assert page.locator("button.big.ok").count() == 2  # one big button per checkpoint still to walk
    page.screenshot(path="/tmp/patrol-phone-buttons.png", full_page=True)

    page.click("button.big.ok[data-checkpoint=P02]")
    page.wait_for_load_state("networkidle")
    assert "P02 垃圾中转站：正常。" in page.inner_text(".messages")
    _fits_the_phone(page)

    page.click("#cp-P03 a.report")
    page.wait_for_selector("#issue-form")
    page.fill("#issue-form textarea[name=note]", "天台门锁损坏，无法锁闭")
    page.set_input_files("#issue-form input[name=photo]",
                         files=[{"name": "roof.png", "mimeType": "image/png", "buffer": PNG}])
    page.fill("#issue-form input[name=unit]", "A-101")
    _fits_the_phone(page)
    page.screenshot(path="/tmp/patrol-phone-issue.png", full_page=True)
    page.click("#issue-form button.big.issue")
    page.wait_for_load_state("networkidle")

    ticket = Ticket.objects.get()
    assert f"已开工单 {ticket.number}" in page.inner_text(".messages")
    assert (ticket.channel, ticket.kind, ticket.owner, ticket.attachments.count()) == ("patrol", "repair",
                                                                                       patrollers["officer"], 1)
    assert Round.objects.get(pk=round_.pk).status == "done"
    assert "按时完成" in page.inner_text(".round-head")
    assert page.locator("button.big.ok").count() == 0  # every checkpoint recorded
    assert page.locator(f"#cp-P03 a[href='/tickets/{ticket.pk}/']").count() == 1
    _fits_the_phone(page)
    page.screenshot(path="/tmp/patrol-phone-round.png", full_page=True)
    assert page.console_errors == []
