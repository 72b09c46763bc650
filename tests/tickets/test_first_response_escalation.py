"""The first-response target climbs too (issue 15): a work order nobody has answered by its ``response_due`` (a reply the
same day, seeds/000_d44081c6db2527f0.txt:367 篇16; within 48 h, seeds/002_59da8478c28f7f86.txt:1338 篇6) goes once to the
superior post; its resolution clock is left as it was."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.core.models import Notification
from dutydesk.core.scheduler import run_tick
from dutydesk.tickets import services
from dutydesk.tickets.models import TicketEvent
from tests.tickets.conftest import local

JOB = ["tickets.escalate_response"]


def test_an_unanswered_ticket_climbs_once_when_its_reply_is_missed(staff, make_ticket):
    ticket = make_ticket(kind="repair", title="灯不亮", now=local(2026, 3, 10, 10, 0))  # same-day reply: by 24:00
    resolution_due = ticket.resolution_due
    assert run_tick(local(2026, 3, 10, 23, 59), only=JOB) == {"tickets.escalate_response": 0}
    assert run_tick(local(2026, 3, 11, 0, 1), only=JOB) == {"tickets.escalate_response": 1}
    ticket.refresh_from_db()
    assert ticket.escalated_post.code == "cs-supervisor" and ticket.escalation_level == 1  # 前台客户助理 → 客服主管
    assert ticket.response_escalated_at == local(2026, 3, 11, 0, 1)
    assert ticket.escalation_due == resolution_due  # the resolution target still climbs when it is due
    assert Notification.objects.filter(user=staff["supervisor"], title__contains=ticket.number).exists()
    event = TicketEvent.objects.get(ticket=ticket, action="escalate")
    assert event.internal and "客服主管" in event.note and "首次响应" in event.note
    # once: later ticks leave it alone
    assert run_tick(local(2026, 3, 11, 0, 2), only=JOB) == {"tickets.escalate_response": 0}
    assert run_tick(local(2026, 3, 11, 10, 0), only=JOB) == {"tickets.escalate_response": 0}
    # the resolution target (2 working days) breached: it climbs on from the supervisor's post
    run_tick(resolution_due, only=["tickets.escalate"])
    ticket.refresh_from_db()
    assert (ticket.escalated_post.code, ticket.escalation_level) == ("cs-manager", 2)


def test_an_answered_ticket_does_not_climb_for_its_reply(staff, make_ticket):
    started = make_ticket(kind="repair", title="开始处理了", now=local(2026, 3, 10, 10, 0))
    services.ticket_start(ticket=started, actor=staff["frontdesk"], now=local(2026, 3, 10, 11, 0))
    replied = make_ticket(kind="complaint", title="回复了", now=local(2026, 3, 10, 10, 0))
    services.ticket_comment(ticket=replied, actor=staff["frontdesk"], note="已联系业主", to_resident=True,
                            now=local(2026, 3, 10, 12, 0))
    held = make_ticket(kind="repair", title="等业主", now=local(2026, 3, 10, 10, 0))
    services.ticket_hold(ticket=held, actor=staff["frontdesk"], reason="业主出差", now=local(2026, 3, 10, 12, 0))
    assert run_tick(local(2026, 3, 11, 0, 1), only=JOB) == {"tickets.escalate_response": 0}
    assert not TicketEvent.objects.filter(action="escalate").exists()


def test_a_tick_with_no_missed_reply_costs_the_same_whatever_the_open_tickets(staff, make_ticket):
    def tick_queries(minute):
        with CaptureQueriesContext(connection) as queries:
            assert run_tick(local(2026, 3, 10, 15, minute), only=JOB) == {"tickets.escalate_response": 0}
        return len(queries)

    make_ticket(kind="repair", title="报修 0", now=local(2026, 3, 10, 10, 0))
    few = tick_queries(0)
    for number in range(1, 30):
        make_ticket(kind="repair", title=f"报修 {number}", now=local(2026, 3, 10, 10, 0))
    assert tick_queries(1) == few <= 2  # the projects with a missed reply: none (an index range), no ticket loaded
