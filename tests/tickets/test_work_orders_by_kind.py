"""The monthly report's work orders per kind (tickets.selectors.work_orders_by_kind): received in the month,
resolved in it, and open at its end — received before the end, not resolved by it, not cancelled."""
from dutydesk.core.periods import Period
from dutydesk.tickets import services
from dutydesk.tickets.selectors import work_orders_by_kind
from tests.tickets.conftest import local

OCTOBER = Period.parse("2026-10")


def october(project):
    """{kind: (received, resolved, open at the month's end)}"""
    return {row["kind"]: (row["received"], row["resolved"], row["open_at_month_end"])
            for row in work_orders_by_kind(project=project, start=OCTOBER.start_at, end=OCTOBER.end_at)}


def resolved(ticket, actor, at):
    services.ticket_start(ticket=ticket, actor=actor, now=at)
    return services.ticket_resolve(ticket=ticket, actor=actor, resolution="已处理", now=at)


def test_each_work_order_counts_where_the_month_puts_it(make_ticket, staff, project):
    clerk = staff["frontdesk"]
    resolved(make_ticket(kind="repair", now=local(2026, 10, 3, 9)), clerk, local(2026, 10, 4, 9))  # in and out
    resolved(make_ticket(kind="repair", now=local(2026, 9, 20, 9)), clerk, local(2026, 10, 2, 9))  # out in October
    resolved(make_ticket(kind="repair", now=local(2026, 10, 30, 9)), clerk, local(2026, 11, 2, 9))  # open at the end
    make_ticket(kind="repair", now=local(2026, 8, 1, 9))  # never resolved: open at the end
    services.ticket_cancel(ticket=make_ticket(kind="repair", now=local(2026, 10, 5, 9)), actor=clerk,
                           reason="重复登记", now=local(2026, 10, 5, 10))  # received, then cancelled: not open
    make_ticket(kind="repair", now=local(2026, 11, 1, 0, 1))  # after the month: not counted
    make_ticket(kind="complaint", now=local(2026, 10, 31, 23, 59))  # the last minute of the month
    resolved(make_ticket(kind="enquiry", now=local(2026, 9, 1, 9)), clerk, local(2026, 9, 2, 9))  # all in September

    assert october(project) == {"repair": (3, 2, 2), "complaint": (1, 0, 1)}


def test_a_reopened_work_order_is_open_again(make_ticket, staff, project):
    clerk = staff["frontdesk"]
    ticket = resolved(make_ticket(kind="repair", now=local(2026, 10, 3, 9)), clerk, local(2026, 10, 4, 9))
    services.ticket_reopen(ticket=ticket, actor=clerk, reason="又漏了", now=local(2026, 10, 6, 9))

    assert october(project) == {"repair": (1, 0, 1)}
