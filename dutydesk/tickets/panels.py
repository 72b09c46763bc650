"""Work orders on other apps' pages: what I must act on (home), a unit's and a resident's tickets, and the
caller's open tickets at intake (see core/panels.py). Every panel is a few bounded queries."""
from dutydesk.core import panels
from dutydesk.core.paging import badge_counts
from dutydesk.org import access
from dutydesk.tickets import selectors
from dutydesk.tickets.models import OPEN

RECENT = 8


@panels.register("home", template="tickets/panels/home.html", order=20)
def my_work_orders(request, **kwargs):
    user = request.user
    if not access.has_perm(user, "tickets.view"):
        return None
    keys = ("work", "post", "mine", "overdue", *(("new",) if access.has_perm(user, "tickets.dispatch") else ()))
    # bounded like the list's tabs: a project's overdue or undispatched queue is not counted to its last row
    counts = badge_counts({key: selectors.queue(user, key) for key in keys})
    focus = selectors.default_queue(user)
    # the panel shows number, title, unit, status and time left: the lists' prefetches would be six queries unread
    rows = selectors.queue(user, focus).filter(status__in=OPEN).prefetch_related(None)
    with_project = selectors.spans_projects(user)
    if with_project:
        rows = rows.select_related("project")
    return {"ticket_counts": counts, "ticket_focus": focus, "ticket_rows": list(rows[:RECENT]),
            "ticket_with_project": with_project}


@panels.register("unit", template="tickets/panels/list.html", order=30)
def unit_tickets(request, *, unit, **kwargs):
    if not access.allows_unit(request.user, "tickets.view", unit):
        return None
    tickets = selectors.tickets_visible_to(request.user).filter(unit=unit).order_by("-created_at", "-id")
    return {"ticket_rows": list(tickets[:RECENT]), "ticket_open": tickets.filter(status__in=OPEN).count(),
            "ticket_search": f"{unit.building.name}-{unit.number}"}


@panels.register("resident", template="tickets/panels/list.html", order=30)
def resident_tickets(request, *, resident, **kwargs):
    if resident is None or not access.allows_unit(request.user, "tickets.view", resident.unit):
        return None
    tickets = selectors.tickets_visible_to(request.user).filter(resident=resident).order_by("-created_at", "-id")
    return {"ticket_rows": list(tickets[:RECENT]), "ticket_open": tickets.filter(status__in=OPEN).count(),
            "ticket_search": resident.phone or resident.name}


@panels.register("intake", template="tickets/panels/intake.html", order=30)
def caller_open_tickets(request, *, unit=None, **kwargs):
    if unit is None or not access.allows_unit(request.user, "tickets.view", unit):
        return None
    tickets = selectors.tickets_visible_to(request.user).filter(unit=unit, status__in=OPEN).order_by("-created_at")
    return {"ticket_rows": list(tickets[:5])}
