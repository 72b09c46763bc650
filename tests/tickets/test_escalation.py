"""升级: a breached resolution target climbs the catalogue's reporting lines, one post per breach."""
from datetime import timedelta

from dutydesk.core.models import Notification
from dutydesk.core.scheduler import run_tick
from dutydesk.org.models import Post
from dutydesk.tickets import services
from dutydesk.tickets.models import TicketEvent
from tests.factories import UserFactory, hold
from tests.tickets.conftest import local


def _assigned_urgent_repair(make_ticket, staff):
    ticket = make_ticket(kind="repair", priority="urgent", now=local(2026, 3, 10, 10, 0))  # due 14:00
    services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"],
                             now=local(2026, 3, 10, 10, 5))
    return ticket


def test_a_breached_ticket_escalates_to_the_superior_post_within_one_tick(staff, make_ticket, special_supervisor):
    ticket = _assigned_urgent_repair(make_ticket, staff)
    assert run_tick(local(2026, 3, 10, 13, 59), only=["tickets.escalate"]) == {"tickets.escalate": 0}
    assert run_tick(local(2026, 3, 10, 14, 1), only=["tickets.escalate"]) == {"tickets.escalate": 1}
    ticket.refresh_from_db()
    assert ticket.escalated_post.code == "special-service-supervisor"  # 维修技工 → 专项服务主管
    assert ticket.escalation_level == 1
    assert ticket.assignee == staff["engineer"] and ticket.owner == staff["frontdesk"]
    assert Notification.objects.filter(user=special_supervisor, title__contains=ticket.number).exists()
    event = TicketEvent.objects.get(ticket=ticket, action="escalate")
    assert event.actor is None and "专项服务主管" in event.note
    # the same tick again changes nothing
    assert run_tick(local(2026, 3, 10, 14, 2), only=["tickets.escalate"]) == {"tickets.escalate": 0}


def test_it_climbs_again_on_the_next_breach(staff, make_ticket, special_supervisor, project):
    deputy = UserFactory(username="deputy")
    hold(deputy, "cs-deputy-manager", project)
    ticket = _assigned_urgent_repair(make_ticket, staff)
    run_tick(local(2026, 3, 10, 14, 1), only=["tickets.escalate"])
    ticket.refresh_from_db()
    # urgent repairs climb again after 60 service minutes (product default in the SLA policy)
    assert ticket.escalation_due == local(2026, 3, 10, 15, 1)
    run_tick(local(2026, 3, 10, 15, 2), only=["tickets.escalate"])
    ticket.refresh_from_db()
    assert (ticket.escalated_post.code, ticket.escalation_level) == ("cs-deputy-manager", 2)
    assert Notification.objects.filter(user=deputy).count() == 1
    run_tick(local(2026, 3, 10, 16, 3), only=["tickets.escalate"])
    ticket.refresh_from_db()
    assert (ticket.escalated_post.code, ticket.escalation_level) == ("cs-manager", 3)
    assert Notification.objects.filter(user=staff["manager"], title__contains=ticket.number).exists()


def test_posts_nobody_holds_are_skipped(staff, make_ticket):
    # no 专项服务主管 or 副经理 in this project: straight to the manager
    ticket = _assigned_urgent_repair(make_ticket, staff)
    run_tick(local(2026, 3, 10, 14, 1), only=["tickets.escalate"])
    ticket.refresh_from_db()
    assert ticket.escalated_post.code == "cs-manager"


def test_a_ticket_on_hold_does_not_escalate(staff, make_ticket, special_supervisor):
    ticket = _assigned_urgent_repair(make_ticket, staff)
    services.ticket_hold(ticket=ticket, actor=staff["engineer"], reason="等业主回家", now=local(2026, 3, 10, 11, 0))
    assert run_tick(local(2026, 3, 10, 20, 0), only=["tickets.escalate"]) == {"tickets.escalate": 0}


def test_a_front_desk_ticket_climbs_from_the_owners_post(staff, make_ticket):
    ticket = make_ticket(kind="repair", priority="urgent", now=local(2026, 3, 10, 10, 0))
    run_tick(local(2026, 3, 10, 14, 1), only=["tickets.escalate"])
    ticket.refresh_from_db()
    assert ticket.escalated_post == Post.objects.get(code="cs-supervisor")  # 前台客户助理 → 客服主管
    assert Notification.objects.filter(user=staff["supervisor"], title__contains=ticket.number).exists()


def test_manual_escalate_needs_a_reason_and_moves_it_up(staff, make_ticket, api, special_supervisor):
    ticket = _assigned_urgent_repair(make_ticket, staff)
    url = f"/api/v1/tickets/{ticket.pk}/escalate"
    assert api(staff["frontdesk"]).post(url, {}, format="json").status_code == 400
    assert api(staff["butler"]).post(url, {"reason": "业主催促"}, format="json").status_code == 403
    response = api(staff["frontdesk"]).post(url, {"reason": "业主第三次来电催促"}, format="json")
    assert response.status_code == 200
    assert response.json()["escalated_post_name"] == "专项服务主管" and response.json()["escalation_level"] == 1
    event = TicketEvent.objects.get(ticket=ticket, action="escalate")
    assert event.actor == staff["frontdesk"] and "业主第三次来电催促" in event.note


def test_escalation_is_not_shown_to_the_resident(staff, make_ticket, api, resident_user):
    ticket = _assigned_urgent_repair(make_ticket, staff)
    run_tick(local(2026, 3, 10, 14, 1) + timedelta(minutes=1), only=["tickets.escalate"])
    actions = [h["action"] for h in api(resident_user).get(f"/api/v1/tickets/{ticket.pk}/history").json()]
    assert "escalate" not in actions and "dispatch" in actions


def test_an_untouched_portal_ticket_goes_to_the_first_line_supervisor(staff, unit, resident_user):
    ticket = services.ticket_create(actor=resident_user, unit=unit, kind="repair", title="门禁坏了",
                                    priority="urgent", now=local(2026, 3, 10, 10, 0))
    assert ticket.owner is None
    run_tick(local(2026, 3, 10, 14, 1), only=["tickets.escalate"])
    ticket.refresh_from_db()
    assert ticket.escalated_post.code == "cs-supervisor"


def test_at_the_top_it_says_so_once_and_stops_climbing(staff, make_ticket):
    ticket = _assigned_urgent_repair(make_ticket, staff)
    for hour in (14, 15, 16, 17, 18):
        run_tick(local(2026, 3, 10, hour, 30), only=["tickets.escalate"])
    ticket.refresh_from_db()
    assert (ticket.escalated_post.code, ticket.escalation_level, ticket.escalation_due) == ("cs-manager", 1, None)
    assert TicketEvent.objects.filter(ticket=ticket, action="escalate").count() == 2


def test_a_run_escalates_a_bounded_batch_oldest_first_and_the_next_tick_the_rest(staff, make_ticket, special_supervisor,
                                                                                monkeypatch):
    """A backlog (10M work orders, 3M never answered: one unbounded run took more than half an hour) climbs in
    batches of ESCALATIONS_PER_RUN per job and project, the longest overdue first; each work order once."""
    from dutydesk.tickets import escalation
    from dutydesk.tickets.models import Ticket

    monkeypatch.setattr(escalation, "ESCALATIONS_PER_RUN", 2)
    tickets = []
    for minute in (30, 10, 20):  # dispatched at 10:30, 10:10, 10:20: due at 14:30, 14:10, 14:20
        ticket = make_ticket(kind="repair", priority="urgent", now=local(2026, 3, 10, 10, minute))
        services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"],
                                 now=local(2026, 3, 10, 10, minute))
        tickets.append(ticket)
    late, early, middle = tickets
    assert run_tick(local(2026, 3, 10, 15, 0), only=["tickets.escalate"]) == {"tickets.escalate": 2}
    levels = dict(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).values_list("pk", "escalation_level"))
    assert (levels[early.pk], levels[middle.pk], levels[late.pk]) == (1, 1, 0)
    assert run_tick(local(2026, 3, 10, 15, 1), only=["tickets.escalate"]) == {"tickets.escalate": 1}
    assert Ticket.objects.get(pk=late.pk).escalated_post.code == "special-service-supervisor"
    assert run_tick(local(2026, 3, 10, 15, 2), only=["tickets.escalate"]) == {"tickets.escalate": 0}
