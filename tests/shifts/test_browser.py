"""Issue 13: the next shift acknowledges the handover on a phone (Chromium at 390×844): the clerk of shift b opens the
handover log, sees what shift a left (notes, open items) and takes it over with one tap; the row answers in place."""
from datetime import timedelta

import pytest

from dutydesk.core import clock
from dutydesk.core.periods import Period
from dutydesk.shifts import services
from dutydesk.shifts.models import Handover
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def traveller():
    """The browser keeps its own clock: this test runs on the real day (session cookies must not look expired)."""
    yield None


def _fits_the_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing sticks out sideways


def test_the_next_shift_acknowledges_the_handover_on_a_phone(page, project, desk_post, desk):
    yesterday = clock.today() - timedelta(days=1)
    roster = services.roster_get_or_create(project=project, post=desk_post, month=Period.month_of(yesterday))
    services.entry_add(roster=roster, user=desk[0], day=yesterday, shift="a")
    services.entry_add(roster=roster, user=desk[1], day=yesterday, shift="b")
    handover = services.handover_record(project=project, post=desk_post, shift="a", day=yesterday,
                                        notes="上午来访登记12人次，已全部离场；A-1201报修卫生间漏水已派工程部。",
                                        open_items=["A-1201漏水维修进度待跟进", "快递柜旁有一件无主包裹"], handed_by=desk[0])

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "desk2")
    page.goto(f"{page.base_url}/shifts/handovers/?project={project.pk}")
    row = f"#handovers tr[data-handover='{handover.pk}']"
    page.wait_for_selector(f"{row} .ack-form button.primary")
    assert "A-1201漏水维修进度待跟进" in page.inner_text(row)
    _fits_the_phone(page)
    box = page.locator(f"{row} .ack-form button.primary").bounding_box()
    assert box["height"] >= 40 and box["width"] >= 200  # a thumb-sized button across the card
    page.screenshot(path="/tmp/shifts-phone-handover-before.png", full_page=True)

    page.fill(f"{row} .ack-form input[name=note]", "已接班，继续跟进漏水")
    page.click(f"{row} .ack-form button.primary")
    page.wait_for_selector(f"{row} .pill.good")  # the row answers in place (htmx)
    assert "已接班" in page.inner_text(row)
    assert page.get_attribute(f"{row} td:nth-child(3)", "data-label") == "交班人"  # the new row keeps its labels
    assert page.locator(f"{row} .ack-form").count() == 0
    record = Handover.objects.get(pk=handover.pk)
    assert (record.acknowledged_by, record.ack_note) == (desk[1], "已接班，继续跟进漏水")
    _fits_the_phone(page)
    page.screenshot(path="/tmp/shifts-phone-handover-after.png", full_page=True)

    page.goto(f"{page.base_url}/shifts/?project={project.pk}&post={desk_post.pk}&month={Period.month_of(yesterday)}")
    page.wait_for_selector("#roster-grid")
    if yesterday.day > 10:  # the grid opens on today's column
        assert page.evaluate("document.querySelector('.roster-scroll').scrollLeft") > 0
    _fits_the_phone(page)  # the month grid scrolls inside its box, the page does not
    page.screenshot(path="/tmp/shifts-phone-roster.png", full_page=True)
    assert page.console_errors == []
