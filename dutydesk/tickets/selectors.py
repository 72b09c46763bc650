"""Reads: which tickets a user sees, the queues, SLA policy lookup and the return-visit figures."""
import re
from datetime import date, timedelta

from django.db.models import Avg, Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dutydesk.archive.models import Resident, Unit
from dutydesk.archive.selectors import unit_code_q
from dutydesk.core import clock
from dutydesk.core.paging import COUNT_CAP
from dutydesk.org import access
from dutydesk.org.models import Post, PostHolding
from dutydesk.tickets.models import NEEDS_RETURN_VISIT, OPEN, RUNNING, Kind, SLAPolicy, Status, Ticket, TicketCategory

# Joined: the unit and the two people every list shows. The small lookups are prefetched (one query
# each, whatever the page size): on PostgreSQL nine joins cost ~45 ms of planning per list.
LIST_RELATED = ["unit__building", "owner", "assignee"]
LIST_PREFETCH = ["resident", "category", "assigned_post", "escalated_post", "charge", "attachments"]


def visibility(user, *, lean=True):
    """Staff: the units their posts give ``tickets.view`` on (a butler: their floors), plus what they
    own, are assigned or is in the queue of a post they hold. A resident: their own units' tickets.
    A whole-project post filters on the ticket's own ``project`` column (always the unit's project),
    so the overdue queue needs no join to units (scripts/bench_tickets.py).

    At a group's scale the condition must stay one an index can serve in order: what a whole-project post
    already covers is not OR-ed in again (a manager's lists are ``project_id IN (…)``, not an OR over
    owner/assignee/posts that makes PostgreSQL fetch and sort every running ticket of the project). ``lean=False``
    keeps those ORs without asking the database whether they add anything: for a lookup by key, where they cost
    nothing and the two probes would be most of the work."""
    if getattr(user, "is_superuser", False):
        return Q()
    holdings = access.holdings(user)
    if not holdings:
        return access.resident_units(user, "unit__") if getattr(user, "is_authenticated", False) else access.NOTHING
    wide = sorted({h.project_id for h in holdings
                   if "tickets.view" in h.post.permissions and not (h.post.scope == Post.Scope.FLOORS and h.building_id)})
    scope = Q(project_id__in=wide) if wide else Q(pk__in=[])
    if not wide or not lean or _has_tickets_outside(user, wide):
        scope |= Q(owner=user) | Q(assignee=user)
    for holding in holdings:
        if "tickets.view" in holding.post.permissions and holding.post.scope == Post.Scope.FLOORS and holding.building_id:
            scope |= _floors(holding)  # the same rule as access.unit_scope
        if holding.project_id not in wide:
            scope |= Q(assigned_post_id=holding.post_id, project_id=holding.project_id)
            scope |= Q(escalated_post_id=holding.post_id, project_id=holding.project_id)
    return scope


def _has_tickets_outside(user, projects) -> bool:
    """Does the user own or work a ticket outside ``projects`` (say from a post held before)? Cached per request;
    two index-only probes ((owner, project) and (assignee, project) indexes)."""
    key = tuple(projects)
    cached = getattr(user, "_dutydesk_tickets_outside", {})
    if key not in cached:
        # "project not in (…)" as ranges between the covered projects: each probe is an index range that ends at
        # once, where NOT IN would walk every ticket of the person (a technician may have tens of thousands)
        bounds = [None, *projects, None]
        elsewhere = Q(pk__in=[])
        for low, high in zip(bounds, bounds[1:]):
            elsewhere |= Q(**({"project_id__gt": low} if low else {})) & Q(**({"project_id__lt": high} if high else {}))
        cached[key] = (Ticket.objects.filter(elsewhere, owner=user).exists()
                       or Ticket.objects.filter(elsewhere, assignee=user).exists())
        user._dutydesk_tickets_outside = cached
    return cached[key]


def _floors(holding):
    part = Q(unit__building_id=holding.building_id)
    if holding.floor_from is not None:
        part &= Q(unit__floor__gte=holding.floor_from)
    if holding.floor_to is not None:
        part &= Q(unit__floor__lte=holding.floor_to)
    return part


def tickets_visible_to(user):
    return Ticket.objects.filter(visibility(user)).select_related(*LIST_RELATED).prefetch_related(*LIST_PREFETCH)


def ticket_visible_to(user):
    """For one ticket by key (``.get(pk=…)``): the same rule as ``tickets_visible_to`` without the probes. The small
    lookups (resident, category, posts) load when read, and only those the ticket has: joining them would cost more
    (ten joins take PostgreSQL ~3 ms to plan), prefetching them compiles a query even for an empty key."""
    return Ticket.objects.filter(visibility(user, lean=False)).select_related(*LIST_RELATED, "charge") \
        .prefetch_related("attachments")


def post_queue_q(user):
    """In the queue of a post I hold (in that project) and not yet taken: dispatched to the post, or filed in the
    portal and routed to it (first ask, 首问) and not yet claimed."""
    condition = Q(pk__in=[])
    for holding in access.holdings(user):
        condition |= Q(assigned_post_id=holding.post_id, project_id=holding.project_id)
    return condition & Q(assignee__isnull=True) & (Q(status=Status.DISPATCHED) | Q(status=Status.NEW, owner__isnull=True))


def first_ask_post(unit):
    """The post that owns first contact for a ticket a resident files (首问负责): the floor butler's post covering
    the unit, else the front-desk post (a front-line post that takes tickets but does not dispatch them)."""
    holdings = PostHolding.objects.filter(project_id=unit.project_id, active=True).select_related("post")
    butler = front = None
    for holding in holdings.order_by("post_id", "id"):
        permissions = holding.post.permissions
        if "tickets.create" not in permissions:
            continue
        if holding.post.scope == Post.Scope.FLOORS:
            if holding.building_id == unit.building_id and (
                    (holding.floor_from is None or unit.floor >= holding.floor_from)
                    and (holding.floor_to is None or unit.floor <= holding.floor_to)):
                butler = butler or holding.post
        elif "tickets.dispatch" not in permissions:
            front = front or holding.post
    return butler or front


def day_bounds(day):
    start = clock.at(day, "00:00")
    return start, start + timedelta(days=1)


QUEUES = ("mine", "work", "post", "overdue", "today", "new", "all")


def queue(user, name, now=None):
    """The staff queues: mine (I own), work (assigned to me), post (my posts' queue), overdue,
    today (received today), new (not yet dispatched), all."""
    now = now or clock.now()
    tickets = tickets_visible_to(user)
    if name == "mine":
        return tickets.filter(owner=user).order_by(F("resolution_due").asc(nulls_last=True), "id")
    if name == "work":
        return tickets.filter(assignee=user, status__in=OPEN).order_by(F("resolution_due").asc(nulls_last=True), "id")
    if name == "post":
        return tickets.filter(post_queue_q(user)).order_by("resolution_due", "id")
    if name == "overdue":
        return overdue(tickets, now).order_by("resolution_due", "id")
    if name == "today":
        start, end = day_bounds(timezone.localtime(now).date())
        return tickets.filter(created_at__gte=start, created_at__lt=end)
    if name == "new":
        return tickets.filter(status=Status.NEW).order_by("created_at", "id")
    return tickets


def default_queue(user) -> str:
    """The tab a post opens on: the manager on what is overdue, a dispatcher on what waits for dispatch, an
    engineer on the work given to them, a front-line post on the cases it owns."""
    if access.has_perm(user, "org.manage"):
        return "overdue"
    if access.has_perm(user, "tickets.dispatch"):
        return "new"
    if access.has_perm(user, "tickets.work") and not access.has_perm(user, "tickets.create"):
        return "work"
    return "mine"


SORTS = {"due": (F("resolution_due").asc(nulls_last=True), "id"), "created": ("-created_at", "-id"),
         "priority": ("-priority_rank", F("resolution_due").asc(nulls_last=True), "id")}


def filter_tickets(tickets, params, now=None):
    """The list filters (also the dashboard's drill-down links): status (a status or "open"), kind, project,
    age_from/age_to (days since received), resolved (YYYY-MM, resolved in that month with a target), search
    (number, title, unit code as typed, resident phone or name), sort (due, created, priority)."""
    now = now or clock.now()
    status = params.get("status") or ""
    if status == "open":
        tickets = tickets.filter(status__in=OPEN)
    elif status in Status.values:
        tickets = tickets.filter(status=status)
    if params.get("kind") in Kind.values:
        tickets = tickets.filter(kind=params["kind"])
    if (params.get("project") or "").isdigit():
        tickets = tickets.filter(project_id=int(params["project"]))
    for key, lookup in (("age_from", "created_at__lte"), ("age_to", "created_at__gt")):
        if (params.get(key) or "").isdigit():
            tickets = tickets.filter(**{lookup: now - timedelta(days=int(params[key]))})
    resolved = params.get("resolved") or ""
    if len(resolved) == 7 and resolved[:4].isdigit() and resolved[4] == "-" and resolved[5:].isdigit() \
            and 1 <= int(resolved[5:]) <= 12:
        start = clock.at(date(int(resolved[:4]), int(resolved[5:]), 1), "00:00")
        end = clock.at((start.date() + timedelta(days=32)).replace(day=1), "00:00")
        tickets = tickets.filter(resolved_at__gte=start, resolved_at__lt=end, resolution_due__isnull=False)
    term = (params.get("search") or "").strip()
    if term:
        # the matching ids first, unordered (PostgreSQL ORs the trigram and key indexes together), then the list
        # over those ids; ordering the search itself makes the planner walk the date index through every ticket
        matches = tickets.filter(search_q(term)).order_by().values_list("pk", flat=True)[:COUNT_CAP + 1]
        tickets = tickets.filter(pk__in=list(matches))
    sort = params.get("sort")
    if sort in SORTS:
        if sort == "priority":
            tickets = tickets.annotate(priority_rank=Case(*[When(priority=p, then=Value(i)) for i, p in
                                                            enumerate(["low", "normal", "high", "urgent"])],
                                                          default=Value(1), output_field=IntegerField()))
        tickets = tickets.order_by(*SORTS[sort])
    if term:
        tickets = tickets.order_by(*_sorted_in_memory(tickets.query.order_by or Ticket._meta.ordering))
    return tickets


def _sorted_in_memory(ordering):
    """The same order, written so that no index can deliver it (NULLS LAST on a column that has no NULLs): over a
    few thousand search matches PostgreSQL then sorts them, instead of walking a date index across every ticket
    hoping to meet the matches early (measured at 1M tickets: 239 ms → 59 ms for a unit's 1,667 tickets)."""
    result = []
    for item in ordering:
        if isinstance(item, str) and item.lstrip("-") not in ("id", "pk"):
            name = item.lstrip("-")
            item = F(name).desc(nulls_last=True) if item.startswith("-") else F(name).asc(nulls_last=True)
        result.append(item)
    return result


TICKET_NUMBER = re.compile(r"[A-Za-z]{1,4}-\d{4}-\d{4,}")
SEARCH_MATCHES = 500  # units or residents a search term may match before it is too vague to list by them


def search_q(term):
    """Number, title, unit code as typed, resident or caller phone or name — as conditions on the ticket row
    only: the units and residents are looked up first (their own trigram indexes), so PostgreSQL can OR the
    ticket's indexes together instead of joining and scanning every ticket (issue 11)."""
    if TICKET_NUMBER.fullmatch(term):  # a whole work-order number: that ticket (the unique key's index)
        return Q(number=term.upper())
    condition = Q(number__iexact=term) | Q(number__iendswith=term) | Q(title__icontains=term)
    if (code := unit_code_q(term)) is not None:
        condition |= Q(unit_id__in=list(Unit.objects.filter(code).values_list("id", flat=True)[:SEARCH_MATCHES]))
    people = None
    if term.isdigit() and len(term) >= 4:
        people = Q(phone__contains=term)
        condition |= Q(caller_phone__contains=term)
    elif not term.isdigit():
        people = Q(name__icontains=term)
        condition |= Q(caller_name__icontains=term)
    if people is not None:
        condition |= Q(resident_id__in=list(Resident.objects.filter(people).values_list("id", flat=True)[:SEARCH_MATCHES]))
    return condition


def overdue(queryset, now=None):
    return queryset.filter(status__in=RUNNING, resolution_due__lt=now or clock.now())


def return_visit_queue(user):
    """Resolved complaints and repairs waiting for their return visit, oldest first."""
    scope = access.unit_scope(user, "tickets.return_visit", "unit__")
    return (Ticket.objects.filter(scope, status=Status.RESOLVED).select_related(*LIST_RELATED)
            .prefetch_related(*LIST_PREFETCH).order_by("resolved_at", "id"))


def sla_policy(project, kind, priority):
    """The most specific policy: project + priority, project + any, global + priority, global + any."""
    candidates = SLAPolicy.objects.filter(Q(project=project) | Q(project__isnull=True), kind=kind,
                                          priority__in=[priority, ""])
    ranked = sorted(candidates, key=lambda p: (p.project_id is None, p.priority == ""))
    if ranked:
        return ranked[0]
    # product default when nothing is configured: same-day reply, 3 working days (seed 000 篇11, 篇16)
    return SLAPolicy(kind=kind, priority=priority)


def categories_for(project):
    return TicketCategory.objects.filter(Q(project=project) | Q(project__isnull=True), active=True)


def holders(post, project):
    return [h.user for h in PostHolding.objects.filter(post=post, project=project, active=True).select_related("user")]


def workers(project):
    """Staff who may work tickets in ``project`` (dispatch targets)."""
    return sorted({h.user for h in PostHolding.objects.filter(project=project, active=True).select_related("user", "post")
                   if "tickets.work" in h.post.permissions}, key=lambda u: u.username)


def ticket_posts(project):
    """Posts whose holders may work tickets, for the post queue."""
    from dutydesk.org.models import Post

    return [p for p in Post.objects.filter(holdings__project=project, holdings__active=True).distinct()
            if "tickets.work" in p.permissions]


# ---- the seed sweeps (004 篇2) --------------------------------------------------------------

def received_today_still_open(day):
    """(owner_id, tickets) for tickets received on ``day`` that are still open (17:00 check)."""
    start, end = day_bounds(day)
    return (Ticket.objects.filter(created_at__gte=start, created_at__lt=end, status__in=OPEN, owner__isnull=False)
            .select_related("owner", "unit__building").order_by("owner_id", "created_at", "id"))


def complaints_unfinished_before(day):
    """Complaints received before ``day`` that are still open (the 09:00 follow-up)."""
    start, _end = day_bounds(day)
    return (Ticket.objects.filter(kind="complaint", created_at__lt=start, status__in=OPEN, owner__isnull=False)
            .select_related("owner", "unit__building").order_by("owner_id", "created_at", "id"))


# ---- return-visit figures -----------------------------------------------------------------

def _figures(queryset, group_by=None):
    aggregates = {
        "resolved": Count("id", distinct=True),
        "visited": Count("id", filter=Q(return_visits__isnull=False), distinct=True),
        "avg_satisfaction": Avg("return_visits__satisfaction"),
    }
    if group_by:
        return list(queryset.values(*group_by).annotate(**aggregates).order_by(*group_by))
    return [queryset.aggregate(**aggregates)]


def _shape(row):
    resolved, visited = row["resolved"], row["visited"]
    row["rate"] = f"{visited / resolved:.4f}" if resolved else None
    row["avg_satisfaction"] = f"{row['avg_satisfaction']:.2f}" if row["avg_satisfaction"] is not None else None
    return row


def return_visit_stats(user, period: date, project=None):
    """Return-visit rate (visited ÷ resolved) and average satisfaction for the complaints and
    repairs resolved in the month of ``period``: in total, by kind, category and assignee, and
    by month for the year up to that month. Set-based: one aggregate query per breakdown."""
    base = Ticket.objects.filter(visibility(user), kind__in=NEEDS_RETURN_VISIT, resolved_at__isnull=False)
    if project is not None:
        base = base.filter(project=project)
    month_start = clock.at(period.replace(day=1), "00:00")
    next_month = clock.at((period.replace(day=28) + timedelta(days=4)).replace(day=1), "00:00")
    month = base.filter(resolved_at__gte=month_start, resolved_at__lt=next_month)
    year = base.filter(resolved_at__gte=clock.at(period.replace(month=1, day=1), "00:00"), resolved_at__lt=next_month)
    by_month = [
        _shape({"month": f"{row['month']:%Y-%m}" if row["month"] else None, **{k: row[k] for k in ("resolved", "visited", "avg_satisfaction")}})
        for row in _figures(year.annotate(month=TruncMonth("resolved_at")), ["month"])
    ]
    return {
        "period": f"{period:%Y-%m}",
        "total": _shape(_figures(month)[0]),
        "by_kind": [_shape({**row, "kind_display": str(Kind(row["kind"]).label)}) for row in _figures(month, ["kind"])],
        "by_category": [_shape(row) for row in _figures(month, ["category__code", "category__name"])],
        "by_assignee": [_shape(row) for row in _figures(month, ["assignee", "assignee__username", "assignee__first_name"])],
        "by_month": by_month,
    }


# What a resident sees of the timeline. Staff notes are internal by default: a resident sees the steps of their
# request, the notes they wrote themselves, replies marked for them and the resolution — never a staff note, a
# dispatch note or an escalation reason.
RESIDENT_STEPS = {"created", "dispatch", "take", "start", "resolve", "hold", "resume", "return_visit", "close",
                  "closed", "reopen", "reopened", "cancel", "reply", "attach"}
RESIDENT_NOTES = {"reply", "resolve"}


def timeline_for(user, ticket) -> list:
    """The ticket's events as ``user`` may see them (staff: all; a resident: see RESIDENT_STEPS)."""
    events = list(ticket.events.select_related("actor").order_by("at", "id"))
    if access.is_staff_member(user):
        return events
    shown = []
    for event in events:
        if event.internal or event.action not in RESIDENT_STEPS:
            continue
        if event.action not in RESIDENT_NOTES and event.actor_id != user.pk:
            event.note = ""
        shown.append(event)
    return shown
