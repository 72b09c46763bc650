"""SLA clocks in the service calendar (service 09:00–24:00 every day, seeds/002_59da8478c28f7f86.txt:1118 篇6; working-day
targets skip mainland-China holidays and count make-up working days; hold pauses the clock)."""
from datetime import time

import pytest
import time_machine

from dutydesk.tickets import services, sla
from dutydesk.tickets.models import SLAPolicy
from tests.tickets.conftest import local


def test_an_urgent_repair_taken_late_at_night_runs_on_next_morning(staff, make_ticket):
    # 22:30 + 4 service hours: 1.5 h until midnight, the other 2.5 h from 09:00 (seeds/002_59da8478c28f7f86.txt:1118 篇6: 09:00–24:00)
    ticket = make_ticket(kind="repair", priority="urgent", now=local(2026, 3, 10, 22, 30))
    assert ticket.response_due == local(2026, 3, 11, 9, 30)  # 2 service hours
    assert ticket.resolution_due == local(2026, 3, 11, 11, 30)


def test_a_ticket_taken_in_the_night_starts_its_clock_at_09_00(staff, make_ticket):
    ticket = make_ticket(kind="repair", priority="urgent", now=local(2026, 3, 11, 3, 0))
    assert ticket.response_due == local(2026, 3, 11, 11, 0)
    assert ticket.resolution_due == local(2026, 3, 11, 13, 0)


def test_a_complaint_gets_a_same_day_reply_target_and_3_working_days(staff, make_ticket):
    # seeds/000_d44081c6db2527f0.txt:362 篇16 same-day reply; seeds/000_d44081c6db2527f0.txt:245 篇11 closed within 3 days (Tue 10:00 -> Fri 10:00)
    ticket = make_ticket(kind="complaint", now=local(2026, 3, 10, 10, 0))
    assert ticket.response_due == local(2026, 3, 11, 0, 0)  # end of today's service window (24:00)
    assert ticket.resolution_due == local(2026, 3, 13, 10, 0)


def test_working_days_skip_a_public_holiday_and_count_a_make_up_working_day(staff, make_ticket):
    # 2025-09-30 (Tue) 10:00: 14 h that day; 10-01..10-08 National Day holiday; 10-09 Thu 15 h,
    # 10-10 Fri 15 h, 10-11 Sat is a make-up working day (调休): the last 1 h -> 10:00.
    ticket = make_ticket(kind="complaint", now=local(2025, 9, 30, 10, 0))
    assert ticket.resolution_due == local(2025, 10, 11, 10, 0)


def test_a_make_up_sunday_counts_as_a_working_day(staff, make_ticket):
    # Fri 2025-09-26 10:00: Sat 27th is off, Sun 28th is a make-up working day -> due Tue 30th 10:00
    ticket = make_ticket(kind="complaint", now=local(2025, 9, 26, 10, 0))
    assert ticket.resolution_due == local(2025, 9, 30, 10, 0)


def test_an_ordinary_weekend_is_not_counted_for_working_days(staff, make_ticket):
    ticket = make_ticket(kind="complaint", now=local(2026, 3, 13, 10, 0))  # Friday
    assert ticket.resolution_due == local(2026, 3, 18, 10, 0)  # Fri, Mon, Tue -> Wed 10:00


def test_service_hour_targets_run_on_public_holidays_too(staff, make_ticket):
    # the desk is open every day (seeds/002_59da8478c28f7f86.txt:1118 篇6): an enquiry's 48 service hours go through National Day
    ticket = make_ticket(kind="enquiry", now=local(2025, 10, 1, 9, 0))
    assert ticket.resolution_due == local(2025, 10, 4, 12, 0)  # 15 + 15 + 15 + 3 hours


def test_time_on_hold_is_not_counted(staff, make_ticket, resident):
    ticket = make_ticket(kind="repair", priority="urgent", now=local(2026, 3, 10, 10, 0))
    assert ticket.resolution_due == local(2026, 3, 10, 14, 0)
    services.ticket_dispatch(ticket=ticket, actor=staff["supervisor"], assignee=staff["engineer"], now=local(2026, 3, 10, 10, 5))
    services.ticket_hold(ticket=ticket, actor=staff["engineer"], reason="业主不在家，约明天上门", now=local(2026, 3, 10, 11, 0))
    ticket.refresh_from_db()
    assert ticket.status == "on_hold" and ticket.remaining_minutes == 180  # frozen while on hold
    # held 11:00 -> next day 10:00 = 13 h (to 24:00) + 1 h (09:00–10:00) of service time
    services.ticket_resume(ticket=ticket, actor=staff["engineer"], now=local(2026, 3, 11, 10, 0))
    ticket.refresh_from_db()
    assert ticket.status == "dispatched"
    assert ticket.held_minutes == 14 * 60
    assert ticket.resolution_due == local(2026, 3, 11, 13, 0)  # 3 h left after resuming at 10:00
    assert ticket.escalation_due == ticket.resolution_due


def test_a_project_policy_wins_over_the_global_default(staff, make_ticket, project):
    SLAPolicy.objects.create(project=project, kind="complaint", priority="", response_amount=30, response_unit="minutes",
                             resolution_amount=2, resolution_unit="hours")
    ticket = make_ticket(kind="complaint", now=local(2026, 3, 10, 10, 0))
    assert (ticket.response_due, ticket.resolution_due) == (local(2026, 3, 10, 10, 30), local(2026, 3, 10, 12, 0))


def test_a_project_with_other_service_hours_uses_them(staff, make_ticket, project):
    project.service_start, project.service_end = time(8, 0), time(18, 0)
    project.save()
    ticket = make_ticket(kind="repair", priority="urgent", now=local(2026, 3, 10, 17, 0))
    assert ticket.resolution_due == local(2026, 3, 11, 11, 0)  # 1 h today, 3 h from 08:00


def test_service_minutes_between_counts_only_service_hours(project):
    assert sla.service_minutes_between(project, local(2026, 3, 10, 23, 0), local(2026, 3, 11, 10, 0)) == 120
    assert sla.service_minutes_between(project, local(2026, 3, 11, 1, 0), local(2026, 3, 11, 8, 0)) == 0


@pytest.mark.parametrize("offset_minutes, overdue", [(-1, False), (1, True)])
def test_lists_show_due_time_remaining_time_and_overdue(staff, make_ticket, api, offset_minutes, overdue):
    from datetime import timedelta

    ticket = make_ticket(kind="repair", priority="urgent", now=local(2026, 3, 10, 10, 0))
    with time_machine.travel(ticket.resolution_due + timedelta(minutes=offset_minutes), tick=False):
        row = api(staff["supervisor"]).get("/api/v1/tickets/").json()["results"][0]
        assert row["resolution_due"] == "2026-03-10T14:00:00+08:00"
        assert row["overdue"] is overdue
        assert row["remaining_minutes"] == -offset_minutes
        listed = api(staff["supervisor"]).get("/api/v1/tickets/", {"overdue": "true"}).json()["count"]
        assert listed == (1 if overdue else 0)
