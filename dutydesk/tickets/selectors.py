"""Reads: which tickets a user sees, the queues, SLA policy lookup, the return-visit figures, and the work-order
figures of the KPIs (tickets/kpis.py), the dashboard and the monthly report (SLA compliance is computed here only)."""
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import (Case, Count, DateTimeField, Exists, F, Func, OuterRef, Q, QuerySet,
                              Value, When)
from django.db.models.expressions import Combinable
from django.utils import timezone

from dutydesk.archive.models import Project, Resident, Unit
from dutydesk.archive.selectors import SHORT_TERM, floor_unit_ids, name_q, unit_code_q, unit_scope_by_ids
from dutydesk.core import clock
from dutydesk.core.lookups import Ids  # (importing it registers field__any_of and field__contains_pair)
from dutydesk.core.paging import COUNT_CAP, ProjectByProject, ordering_of
from dutydesk.core.periods import Period
from dutydesk.core.workdays import add_working_days
from dutydesk.org import access, kpis
from dutydesk.org.models import Post, PostHolding
from dutydesk.org.selectors import butler_holdings
from dutydesk.tickets.models import (FOLLOWED, NEEDS_RETURN_VISIT, OPEN, RUNNING, Kind, ReturnVisit, SLAPolicy, Status,
                                     Ticket, TicketCategory, TicketEvent, priority_rank)

# Joined: the unit and the two people every list shows. The small lookups are prefetched (one query
# each, whatever the page size): on PostgreSQL nine joins cost ~45 ms of planning per list.
LIST_RELATED = ["unit__building", "owner", "assignee"]
LIST_PREFETCH = ["resident", "category", "assigned_post", "escalated_post", "charge", "attachments"]


def visibility(user: User | AnonymousUser, *, lean: bool = True) -> Q:
    """Staff: the units their posts give ``tickets.view`` on (a butler: their floors), plus what they
    own, are assigned or is in the queue of a post they hold. A resident: their own units' tickets.
    A whole-project post filters on the ticket's own ``project`` column (always the unit's project),
    so the overdue queue needs no join to units (scripts/bench_tickets.py).

    At a group's scale the condition must stay one an index can serve in order: what a whole-project post
    already covers is not OR-ed in again (a manager's lists are ``project_id IN (…)``, not an OR over
    owner/assignee/posts that makes PostgreSQL fetch and sort every running ticket of the project). ``lean=False``
    keeps those ORs without asking the database whether they add anything: for a lookup by key, where they cost
    nothing and the two probes would be most of the work.

    Built once per request (cached on the request's user, like the holdings): a list page asks for it once per tab
    badge, the home page once per panel query."""
    if getattr(user, "is_superuser", False):
        return Q()
    cached = getattr(user, "_dutydesk_ticket_scope", {})
    if lean not in cached:
        cached[lean] = _visibility(user, lean)
        if user.is_authenticated:  # (the anonymous user is a shared object)
            setattr(user, "_dutydesk_ticket_scope", cached)  # a cache on the request's user object, not a field
    return cached[lean]


def _visibility(user: User | AnonymousUser, lean: bool) -> Q:
    holdings = access.holdings(user)
    if not holdings or not user.is_authenticated:  # an anonymous visitor holds no post
        return access.resident_units(user, "unit__") if user.is_authenticated else access.NOTHING
    wide = access.whole_projects(user, "tickets.view")
    scope = Q(project_id__in=wide) if wide else Q(pk__in=[])
    if not wide or not lean or _has_tickets_outside(user, wide):
        scope |= Q(owner=user) | Q(assignee=user)
    floors = [h for h in holdings if "tickets.view" in h.post.permissions and h.on_floors]
    if floors:
        # the floors' units as a list of ids, not a join to every ticket's unit nor a subquery: PostgreSQL then
        # estimates the OR and reads the units' tickets off their index (10M work orders, 600k units: a butler's
        # overdue queue 28 s with the subquery, which it could only check row by row along the whole queue);
        # ``any_of``: the list as one array parameter (core/lookups.py); every floor holding's units in one list
        scope |= Q(unit_id__any_of=floor_unit_ids(user, floors))
    # each post's queue once, in the projects not seen whole, however many building/floor ranges it is held on
    for post_id, projects in access.posts_held(user, [h for h in holdings if h.project_id not in wide]):
        scope |= Q(assigned_post_id=post_id, project_id__in=projects)
        scope |= Q(escalated_post_id=post_id, project_id__in=projects)
    projects = sorted({h.project_id for h in holdings})
    if lean and projects != wide and not floors and not _has_tickets_outside(user, projects):
        # everything the ORs reach is in the holdings' projects: saying so lets a post's queue walk the project's
        # running-by-due index in order and stop at the page instead of sorting every overdue row
        scope = Q(project_id__in=projects) & scope
    # Not for a floor butler: their units' tickets are read off the units' index and sorted. Walking the project's
    # index in due order until 50 of their tickets turn up reads the whole project's overdue work when their floors
    # have little of it, which is what a well-kept floor looks like (10^6 work orders, 60,000 units, a butler's 150:
    # 200-290 ms for 17 overdue work orders; read by unit and sorted, 5 ms; scripts/bench_tickets.py).
    return scope


def _has_tickets_outside(user: User, projects: Sequence[int]) -> bool:
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
            if low and high and high == low + 1:  # no project between two neighbouring ids (a group's are often so)
                continue
            elsewhere |= Q(**({"project_id__gt": low} if low else {})) & Q(**({"project_id__lt": high} if high else {}))
        cached[key] = (Ticket.objects.filter(elsewhere, owner=user).exists()
                       or Ticket.objects.filter(elsewhere, assignee=user).exists())
        setattr(user, "_dutydesk_tickets_outside", cached)  # a cache on the request's user object, not a field
    return cached[key]


def spans_projects(user: User | AnonymousUser) -> bool:
    """Do ``user``'s work-order lists span several projects (a superuser's, or those of someone holding posts in
    more than one)? They then name each work order's project: numbers and unit codes repeat from one project to the
    next."""
    return bool(getattr(user, "is_superuser", False)) or len(access.project_ids(user)) > 1


def seen_only_whole(user: User | AnonymousUser) -> list[int]:
    """The projects ``user`` sees whole when every work order they see lies in them (a group's manager: no floors,
    no post queue and no case owned or worked elsewhere), in id order; ``[]`` otherwise. No query of its own: the
    holdings and the probe of cases elsewhere are the ones ``visibility`` asked for."""
    if isinstance(user, AnonymousUser) or user.is_superuser:
        return []
    wide = access.whole_projects(user, "tickets.view")
    if not wide or any(h.project_id not in wide or (h.on_floors and "tickets.view" in h.post.permissions)
                       for h in access.holdings(user)):
        return []
    return [] if _has_tickets_outside(user, wide) else wide


def in_pages(user: User | AnonymousUser, tickets: QuerySet[Any], *, queue: str, filters: Collection[str],
             rows: QuerySet[Any] | None = None) -> QuerySet[Any] | ProjectByProject:
    """What a work-order list pages: its ``rows`` (``tickets`` when not given), or, for a person who sees several
    projects whole (a group's manager), the same rows read project by project and merged
    (``core.paging.ProjectByProject``) where each project's index gives them in the list's order and the page is
    near its start:
    - the tabs of whole projects (``queue``: all, today, new; the others are a person's or a post's few rows, read
      off their own indexes);
    - newest or oldest first, filtered (``filters``: the names of the filters given besides the tab) by status,
      kind or received date, which the (project, status|kind, created) indexes read in that order too;
    - by due or priority on the all tab, filtered by those too: the filter is checked row by row along each
      project's (project, due) or (project, priority, due) index, and the projects with fewer such rows than the
      page needs are read off the filter's index instead of walked to their end (``ProjectByProject``'s
      ``filtered``).
    Any other filter (a unit, a person, a search) narrows the rows so that one sort of them is cheaper.
    ``rows``: what the page shows of ``tickets`` (the web table's values)."""
    shown = tickets if rows is None else rows
    ordering = ordering_of(tickets)
    walked = ordering in WALKED_ALONE
    if (queue not in ("all", "today", "new") or ordering not in MERGED_ORDERS or not set(filters) <= MERGED_FILTERS
            or (walked and queue != "all")):
        return shown
    projects = seen_only_whole(user)
    filtered = walked and bool(set(filters) - {"sort"})
    return ProjectByProject(shown, projects, keys=tickets, filtered=filtered) if len(projects) > 1 else shown


def tickets_visible_to(user: User | AnonymousUser) -> QuerySet[Ticket]:
    return _listed(Ticket.objects.filter(visibility(user)))


def _listed(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """What every list shows beside the ticket: joined and prefetched (``LIST_RELATED``, ``LIST_PREFETCH``)."""
    return tickets.select_related(*LIST_RELATED).prefetch_related(*LIST_PREFETCH)


def ticket_visible_to(user: User | AnonymousUser) -> QuerySet[Ticket]:
    """For one ticket by key (``.get(pk=…)``): the same rule as ``tickets_visible_to`` without the probes. The small
    lookups (resident, category, posts) load when read, and only those the ticket has: joining them would cost more
    (ten joins take PostgreSQL ~3 ms to plan), prefetching them compiles a query even for an empty key."""
    return Ticket.objects.filter(visibility(user, lean=False)).select_related(*LIST_RELATED, "charge") \
        .prefetch_related("attachments")


def post_queue_q(user: User | AnonymousUser) -> Q:
    """In the queue of a post I hold (in that project) and not yet taken: dispatched to the post, or filed in the
    portal and routed to it (first ask, 首问) and not yet claimed."""
    condition = Q(pk__in=[])
    # each post once (``posts_held``): a butler holding the post on 19 building/floor ranges OR-ed the same pair 19
    # times, and PostgreSQL, estimating 19 times the rows, read the queue through their 6,000 floor tickets instead
    for post_id, projects in access.posts_held(user):
        condition |= Q(assigned_post_id=post_id, project_id__in=projects)
    return condition & Q(assignee__isnull=True) & (Q(status=Status.DISPATCHED) | Q(status=Status.NEW, owner__isnull=True))


def first_ask_post(unit: Unit) -> Post | None:
    """The post that owns first contact for a ticket a resident files (首问负责): the floor butler's post covering
    the unit, else the front-desk post (a front-line post that takes tickets but does not dispatch them)."""
    for holding in butler_holdings(unit=unit).order_by("post_id", "id"):
        if "tickets.create" in holding.post.permissions:
            return holding.post
    holdings = PostHolding.objects.filter(project_id=unit.project_id, active=True).exclude(
        post__scope=Post.Scope.FLOORS).select_related("post")
    for holding in holdings.order_by("post_id", "id"):
        permissions = holding.post.permissions
        if "tickets.create" in permissions and "tickets.dispatch" not in permissions:
            return holding.post
    return None


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = clock.at(day, "00:00")
    return start, start + timedelta(days=1)


QUEUES = ("mine", "work", "post", "overdue", "today", "new", "all")


def queue(user: User, name: str, now: datetime | None = None, *, status: str = "") -> QuerySet[Ticket]:
    """The staff queues: mine (the cases I own until they are closed: ``FOLLOWED``; or, when the list asks for a
    ``status``, those I own in it: my closed cases), work (assigned to me), post (my posts' queue), overdue, today
    (received today), new (not yet dispatched), all."""
    now = now or clock.now()
    tickets = tickets_visible_to(user)
    if name == "mine":
        owned = _owned(user, tickets)
        return (owned if status else owned.filter(status__in=FOLLOWED)).order_by(
            F("resolution_due").asc(nulls_last=True), "id")
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


def _owned(user: User, visible: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """The work orders ``user`` owns among ``visible``. A member of staff sees every ticket they own (``_visibility``
    ORs the owner in, or leaves it out only when every ticket they own lies in a project they see whole), so their
    tab says only "owner": PostgreSQL reads it off the owner's index. AND-ed with a floor butler's floors (3,800
    units) it read their floors' 6,324 work orders for an empty tab (35 ms of their home page)."""
    if getattr(user, "is_authenticated", False) and access.holdings(user):
        return _listed(Ticket.objects.filter(owner=user))
    return visible.filter(owner=user)


def default_queue(user: User | AnonymousUser) -> str:
    """The tab a post opens on: the manager on what is overdue, a dispatcher on what waits for dispatch, an
    engineer on the work given to them, a front-line post on the cases it owns."""
    if access.has_perm(user, "org.manage"):
        return "overdue"
    if access.has_perm(user, "tickets.dispatch"):
        return "new"
    if access.has_perm(user, "tickets.work") and not access.has_perm(user, "tickets.create"):
        return "work"
    return "mine"


SORTS: dict[str, tuple[str | Combinable, ...]] = {
    "due": (F("resolution_due").asc(nulls_last=True), "id"), "created": ("-created_at", "-id"),
    "priority": ("-priority_rank", F("resolution_due").asc(nulls_last=True), "id")}


# newest first (every list's default, "sort by received"), oldest first (the "not yet dispatched" tab), by due and
# by priority: each project's (project, created), (project, status, created), (project, due) and (project,
# priority, due) indexes give its rows in these orders
MERGED_ORDERS = {("-created_at", "-id"), ("created_at", "id"), SORTS["due"], SORTS["priority"]}
# orders along an index that no filter follows: (project, due) and (project, priority, due)
WALKED_ALONE = {SORTS["due"], SORTS["priority"]}
# the filters a merged list may have: status, kind and received date have (project, status|kind, created) indexes
# (each project's rows of one status in received order; counted up to a page's end for the walked orders)
MERGED_FILTERS = {"sort", "status", "kind", "age_from", "age_to", "received"}


def filter_tickets(tickets: QuerySet[Ticket], params: Mapping[str, str], now: datetime | None = None,
                   projects: Collection[int] | None = None) -> QuerySet[Ticket]:
    """The list filters (also the dashboard's drill-down links): status (a status or "open"), kind, project,
    age_from/age_to (days since received), resolved (YYYY-MM, resolved in that month with a target), received
    (YYYY-MM, received in that month), search (number, title, unit code as typed, resident phone or name), sort (due,
    created, priority)."""
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
    resolved = Period.parse_or_none(params.get("resolved"))
    if resolved is not None:
        tickets = tickets.filter(resolved_at__gte=resolved.start_at, resolved_at__lt=resolved.end_at,
                                 resolution_due__isnull=False)
    received = Period.parse_or_none(params.get("received"))
    if received is not None:
        tickets = tickets.filter(created_at__gte=received.start_at, created_at__lt=received.end_at)
    term = (params.get("search") or "").strip()
    if term:
        # the matching ids first, unordered (PostgreSQL ORs the trigram and key indexes together), then the list
        # over those ids; ordering the search itself makes the planner walk the date index through every ticket
        matches = tickets.filter(search_q(term, projects)).order_by().values_list("pk", flat=True)[:COUNT_CAP + 1]
        # as one array text (core.lookups.Ids): 10,001 ids as parameters were ~60 ms of Python per statement
        tickets = tickets.filter(pk__any_of=Ids(matches))
    sort = params.get("sort")
    if sort in SORTS:
        if sort == "priority":
            tickets = tickets.annotate(priority_rank=priority_rank())
        tickets = tickets.order_by(*SORTS[sort])
    if term:
        tickets = tickets.order_by(*_sorted_in_memory(ordering_of(tickets)))
    return tickets


def _sorted_in_memory(ordering: Iterable[str | Combinable]) -> list[str | Combinable]:
    """The same order, written so that no index can deliver it (NULLS LAST on a column that has no NULLs): over a
    few thousand search matches PostgreSQL then sorts them, instead of walking a date index across every ticket
    hoping to meet the matches early (measured at 1M tickets: 239 ms → 59 ms for a unit's 1,667 tickets)."""
    result: list[str | Combinable] = []
    for item in ordering:
        if isinstance(item, str) and item.lstrip("-") not in ("id", "pk"):
            name = item.lstrip("-")
            item = F(name).desc(nulls_last=True) if item.startswith("-") else F(name).asc(nulls_last=True)
        result.append(item)
    return result


TICKET_NUMBER = re.compile(r"[A-Za-z]{1,4}-\d{4}-\d{4,}")
SEARCH_MATCHES = 500  # units or residents a search term may match before it is too vague to list by them


def search_q(term: str, projects: Collection[int] | None = None) -> Q:
    """Number, title, unit code as typed, resident or caller phone or name — as conditions on the ticket row
    only: the units and residents are looked up first (their own trigram indexes), so PostgreSQL can OR the
    ticket's indexes together instead of joining and scanning every ticket (issue 11). ``projects``: where the units
    and residents are looked up (the viewer's; None: everywhere): the first ``SEARCH_MATCHES`` of a group's 400
    projects were mostly other projects' units and residents.

    Every condition stays one an index serves, however short the term: a title of two characters by its pairs
    (漏水, 电梯: "contains" read every work order, 1M: 1.1 s); one character names no title (too vague to list by,
    and nothing could serve it). A resident's name as ``archive.selectors.name_q`` says; a caller's name (typed at
    the desk for who is not in the archive) of one or two characters by its start."""
    if TICKET_NUMBER.fullmatch(term):  # a whole work-order number: that ticket (the unique key's index)
        return Q(number=term.upper())
    short = len(term) < SHORT_TERM
    condition = Q(number__iexact=term)
    if len(term) >= 2:  # the end of a number: a trigram needs the term's two characters before the end
        condition |= Q(number__iendswith=term)
    if not short:
        condition |= Q(title__icontains=term)
    elif len(term) == 2:
        condition |= Q(title__contains_pair=term)
    units = Unit.objects.all() if projects is None else Unit.objects.filter(project_id__in=projects)
    if (code := unit_code_q(term)) is not None:
        condition |= Q(unit_id__in=list(units.filter(code).values_list("id", flat=True)[:SEARCH_MATCHES]))
    people = None
    if term.isdigit() and len(term) >= 4:
        people = Q(phone__contains=term)
        condition |= Q(caller_phone__contains=term)
    elif not term.isdigit():
        people = name_q(term)
        condition |= Q(caller_name__istartswith=term) if short else Q(caller_name__icontains=term)
    if people is not None:
        residents = Resident.objects.all() if projects is None else Resident.objects.filter(unit__project_id__in=projects)
        condition |= Q(resident_id__in=list(residents.filter(people).values_list("id", flat=True)[:SEARCH_MATCHES]))
    return condition


def overdue(queryset: QuerySet[Ticket], now: datetime | None = None) -> QuerySet[Ticket]:
    return queryset.filter(status__in=RUNNING, resolution_due__lt=now or clock.now())


def return_visit_queue(user: User) -> QuerySet[Ticket]:
    """Resolved work orders waiting for their return visit, oldest first, with what the queue's rows show."""
    # a whole-project post by the ticket's own project (always its unit's): counted without a join to every unit
    # (600,000 units: the queue's count 135 ms joined); a floor butler by their units' ids, read off the units'
    # index (a join let PostgreSQL walk the project's resolved work orders looking for theirs: 0.35 s for a butler
    # with none)
    scope = unit_scope_by_ids(user, "tickets.return_visit", "unit__", own_project="project_id")
    return (Ticket.objects.filter(scope, status=Status.RESOLVED).select_related("unit__building", "resident")
            .order_by("resolved_at", "id"))


def sla_policy(project: Project, kind: str, priority: str) -> SLAPolicy:
    """The most specific policy: project + priority, project + any, global + priority, global + any."""
    candidates = SLAPolicy.objects.filter(Q(project=project) | Q(project__isnull=True), kind=kind,
                                          priority__in=[priority, ""])
    ranked = sorted(candidates, key=lambda p: (p.project_id is None, p.priority == ""))
    if ranked:
        return ranked[0]
    # product default when nothing is configured: same-day reply, 3 working days (seeds/000_d44081c6db2527f0.txt:245 篇11, 篇16)
    return SLAPolicy(kind=kind, priority=priority)


def categories_for(project: Project | int) -> QuerySet[TicketCategory]:
    return TicketCategory.objects.filter(Q(project=project) | Q(project__isnull=True), active=True)


def holders(post: Post, project: Project) -> list[User]:
    return [h.user for h in PostHolding.objects.filter(post=post, project=project, active=True).select_related("user")]


def workers(project: Project) -> list[User]:
    """Staff who may work tickets in ``project`` (dispatch targets): the people holding a post with ``tickets.work``
    there, each once (the posts are read first, then the people: reading every holding with its user and post took
    0.17 s of a work order's page at 600,000 units, 3,240 holdings)."""
    posts = [post.pk for post in Post.objects.filter(holdings__project=project, holdings__active=True).distinct()
             if "tickets.work" in post.permissions]
    return list(get_user_model().objects.filter(holdings__project=project, holdings__active=True,
                                                holdings__post__in=posts).distinct().order_by("username"))


def ticket_posts(project: Project) -> list[Post]:
    """Posts whose holders may work tickets, for the post queue."""
    from dutydesk.org.models import Post

    return [p for p in Post.objects.filter(holdings__project=project, holdings__active=True).distinct()
            if "tickets.work" in p.permissions]


# ---- the seed sweeps (004 篇2) --------------------------------------------------------------

def received_today_still_open(day: date) -> QuerySet[Ticket]:
    """(owner_id, tickets) for tickets received on ``day`` that are still open (17:00 check)."""
    start, end = day_bounds(day)
    return (Ticket.objects.filter(created_at__gte=start, created_at__lt=end, status__in=OPEN, owner__isnull=False)
            .select_related("owner", "unit__building").order_by("owner_id", "created_at", "id"))


def complaints_unfinished_before(day: date) -> QuerySet[Ticket]:
    """Complaints received before ``day`` that are still open (the 09:00 follow-up)."""
    start, _end = day_bounds(day)
    return (Ticket.objects.filter(kind="complaint", created_at__lt=start, status__in=OPEN, owner__isnull=False)
            .select_related("owner", "unit__building").order_by("owner_id", "created_at", "id"))


# What a resident sees of the timeline. Staff notes are internal by default: a resident sees the steps of their
# request, the notes they wrote themselves, replies marked for them and the resolution — never a staff note, a
# dispatch note or an escalation reason.
RESIDENT_STEPS = {"created", "dispatch", "take", "start", "resolve", "hold", "resume", "return_visit", "close",
                  "closed", "reopen", "reopened", "cancel", "reply", "attach"}
RESIDENT_NOTES = {"reply", "resolve"}


def timeline_for(user: User | AnonymousUser, ticket: Ticket) -> list[TicketEvent]:
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


# ---- figures: the KPIs (tickets/kpis.py), the dashboard and the monthly report ----------------------

# seeds/000_d44081c6db2527f0.txt:245 篇11: a complaint form is closed within 3 days — counted in working days, as the
# SLA counts them (dutydesk.core.workdays: mainland holidays and make-up working days)
COMPLAINT_CLOSED_WITHIN_WORKING_DAYS = 3


@dataclass(frozen=True)
class SLACompliance:
    """Work orders resolved in a month that had a resolution target, and how many were resolved by it."""
    resolved: int
    within: int

    @property
    def percent(self) -> Decimal | None:
        """The SLA compliance in % (2 places, half up); None when nothing was resolved with a target (no data)."""
        return kpis.percent(self.within, self.resolved)


class Span(Protocol):
    """A span of time the figures read (a ``Period``, or the live part of one: ``tickets.figures.Window``)."""

    @property
    def start_at(self) -> datetime: ...

    @property
    def end_at(self) -> datetime: ...


def sla_compliance(*, project: Project | int, periods: Sequence[Span], by: str | None = None,
                   among: Iterable | None = None) -> dict[Any, list[SLACompliance]]:
    """SLA compliance (工单按时完成率) of the project's work orders in each of ``periods`` (months, oldest first):
    those resolved in the month by their resolution target (``resolved_at <= resolution_due``) of those resolved
    in the month with a target. ``{None: [per period]}`` for the whole project; with ``by`` (``"assignee_id"``)
    per value of that field, only for the values ``among``. One query. The KPI, the dashboard's trend and the
    monthly report all read it here."""
    resolved = Ticket.objects.filter(project=project, resolved_at__gte=periods[0].start_at,
                                     resolved_at__lt=periods[-1].end_at, resolution_due__isnull=False)
    if among is not None:
        resolved = resolved.filter(**{f"{by}__in": among})
    counts = {}
    for index, period in enumerate(periods):  # a pair of conditional counts per month
        in_month = Q(resolved_at__gte=period.start_at, resolved_at__lt=period.end_at)
        counts[f"resolved{index}"] = Count("id", filter=in_month)
        counts[f"within{index}"] = Count("id", filter=in_month & Q(resolved_at__lte=F("resolution_due")))
    if by is None:
        rows = [(None, resolved.aggregate(**counts))]
    else:
        rows = [(row[by], row) for row in resolved.values(by).annotate(**counts).order_by()]
    return {key: [SLACompliance(row[f"resolved{index}"], row[f"within{index}"]) for index in range(len(periods))]
            for key, row in rows}


# ---- first responses (response_due: same-day reply, 48 h) ----

def responses_due(*, project: Project | int, start: datetime, end: datetime, now: datetime) -> QuerySet[Ticket]:
    """The project's work orders received in [start, end) with a first-response target that has passed by ``now``
    or that have been answered (cancelled ones left out): what the first-response figure counts."""
    return (Ticket.objects.filter(project=project, created_at__gte=start, created_at__lt=end, response_due__isnull=False)
            .exclude(status=Status.CANCELLED).filter(Q(response_due__lte=now) | Q(first_response_at__isnull=False)))


def answered_in_time() -> Q:
    """Answered (first response: started, replied to, put on hold or resolved) by the first-response target."""
    return Q(first_response_at__isnull=False, first_response_at__lte=F("response_due"))


@dataclass(frozen=True)
class ResponseCompliance:
    """Work orders received in a month whose first-response target is due, and how many were answered by it."""
    due: int
    on_time: int

    @property
    def percent(self) -> Decimal | None:
        """In % (2 places, half up); None when no first response was due (no data)."""
        return kpis.percent(self.on_time, self.due)


def response_compliance(*, project: Project | int, periods: Sequence[Span], now: datetime) -> list[ResponseCompliance]:
    """First responses on time (首次响应及时率: seeds/000_d44081c6db2527f0.txt:367 篇16 当天给予回复,
    seeds/002_59da8478c28f7f86.txt:1338 篇6 不超过48h) of the project in each of ``periods`` (oldest first), by the month the
    work orders were received in (``responses_due``). One query; the KPI ``response_on_time``, the dashboard and the
    monthly report read it here."""
    due = responses_due(project=project, start=periods[0].start_at, end=periods[-1].end_at, now=now)
    counts = {}
    for index, period in enumerate(periods):
        in_month = Q(created_at__gte=period.start_at, created_at__lt=period.end_at)
        counts[f"due{index}"] = Count("id", filter=in_month)
        counts[f"on_time{index}"] = Count("id", filter=in_month & answered_in_time())
    row = due.aggregate(**counts)
    return [ResponseCompliance(row[f"due{index}"], row[f"on_time{index}"]) for index in range(len(periods))]


def complaint_close_deadline(received: date) -> datetime:
    """When a complaint received on ``received`` (a local date) must be closed: the end of the third working day
    after that day (received on a Friday: by the end of the next Wednesday; over the National Day week: by the end of
    the third working day after it)."""
    return clock.at(add_working_days(received, COMPLAINT_CLOSED_WITHIN_WORKING_DAYS) + timedelta(days=1), "00:00")


def _close_deadline(start: date, end: date) -> Case | Func:
    """The closing deadline of a ticket received in [start, end) (local dates) as an SQL expression, so every ticket
    is compared with its own deadline in one query. On PostgreSQL the month's deadlines are one array indexed by the
    day of receipt; elsewhere one ``CASE`` branch per day (a month: ≤ 31)."""
    days = [start + timedelta(days=offset) for offset in range((end - start).days)]
    if connection.vendor == "postgresql":
        return DeadlineOfReceiptDay(start, [complaint_close_deadline(day) for day in days])
    branches = []
    for day in days:
        low, high = day_bounds(day)
        branches.append(When(created_at__gte=low, created_at__lt=high, then=Value(complaint_close_deadline(day))))
    return Case(*branches, default=Value(None), output_field=DateTimeField())


class DeadlineOfReceiptDay(Func):
    """``deadlines[local date of created_at − first day]`` (PostgreSQL): the deadline of the day a ticket was
    received, from a list with one deadline per day from ``first_day``; NULL outside it. The ``CASE`` it replaces
    had 30 branches, written up to three times in the query (the annotation, the filter on it, the count of those
    within it): compiling it was three quarters of a KPI card's time (17 ms of which 4.5 ms in the database)."""
    output_field = DateTimeField()

    def __init__(self, first_day: date, deadlines: list[datetime]) -> None:
        super().__init__(F("created_at"))
        self.first_day, self.deadlines = first_day, deadlines

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def, override]
        created, params = compiler.compile(self.source_expressions[0])
        return (f"(%s::timestamptz[])[(({created} AT TIME ZONE %s)::date - %s::date) + 1]",
                [self.deadlines, *params, settings.TIME_ZONE, self.first_day])


def complaints_closed_in_time(*, project: Project | int, period: Period, now: datetime, by_floor: bool = True,
                              where: Q | None = None) -> dict[tuple, tuple[int, int]]:
    """{(building id, floor): (complaints, closed in time)} of the project's complaints received in ``period`` whose
    deadline (``complaint_close_deadline``: 3 working days) has passed by ``now`` or that are closed, grouped by
    their unit's building and floor (a floor butler's card adds up its floors, any other post's card the whole
    project: the department's complaints). One GROUP BY for every card; ``where`` narrows it (butlers' floors).
    ``by_floor=False``: the project's figure alone, ``{(None, None): …}``, without the join to the units."""
    received = Ticket.objects.filter(project=project, kind=Kind.COMPLAINT, created_at__gte=period.start_at,
                                     created_at__lt=period.end_at).annotate(close_by=_close_deadline(period.start, period.end))
    if where is not None:
        received = received.filter(where)
    due = received.filter(Q(close_by__lte=now) | Q(closed_at__isnull=False)).exclude(status=Status.CANCELLED)
    # counted by ``created_at`` (never null), not ``id``: every column the project's figure reads is then in the
    # index ``ticket_kind_created_closed``, which PostgreSQL reads alone (10M work orders, a month's 105,000
    # complaints in one project: 105 ms through their rows)
    counts = {"total": Count("created_at"),
              "within": Count("created_at", filter=Q(closed_at__isnull=False, closed_at__lte=F("close_by")))}
    if not by_floor:
        figures = due.aggregate(**counts)
        return {(None, None): (figures["total"], figures["within"])} if figures["total"] else {}
    return kpis.grouped(due, ("unit__building_id", "unit__floor"), **counts)


def resolved_needing_return_visit(*, project: Project | int, start: datetime, end: datetime) -> QuerySet[Ticket]:
    """The project's complaints and repairs (they get a return visit) resolved in [start, end)."""
    return Ticket.objects.filter(project=project, kind__in=NEEDS_RETURN_VISIT, resolved_at__gte=start,
                                 resolved_at__lt=end)


def has_return_visit() -> Exists:
    """True for a ticket with a return visit (to count or filter tickets with)."""
    return Exists(ReturnVisit.objects.filter(ticket=OuterRef("pk")))


def return_visits(*, project: Project | int, start: datetime, end: datetime) -> QuerySet[ReturnVisit]:
    """The return visits made on the project's tickets in [start, end) (their 1–5 ``satisfaction``)."""
    return ReturnVisit.objects.filter(ticket__project=project, at__gte=start, at__lt=end)


def open_by_age(*, project: Project | int, now: datetime, buckets: Sequence[tuple[int, int | None]]) -> list[int]:
    """How many of the project's open work orders were received between ``low`` and ``high`` days before ``now``,
    per ``(low, high)`` bucket (``high`` None: or longer). One query."""
    counts = {}
    for index, (low, high) in enumerate(buckets):
        condition = Q(created_at__lte=now - timedelta(days=low))
        if high is not None:
            condition &= Q(created_at__gt=now - timedelta(days=high))
        counts[f"b{index}"] = Count("id", filter=condition)
    totals = Ticket.objects.filter(project=project, status__in=OPEN).aggregate(**counts)
    return [totals[f"b{index}"] for index in range(len(buckets))]


def work_orders_by_kind(*, project: Project | int, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Per kind (in order), the project's work orders received in [start, end), resolved in it and open at ``end``
    (received before it, not resolved by it, not cancelled); kinds with none left out. Four small GROUP BYs, each
    found by an index rather than one pass over every work order the project ever had: received by
    ``ticket_project_created`` (the month's rows then read for their kind), resolved by ``ticket_project_resolved``
    and never resolved by ``ticket_unresolved_by_kind`` (both counted off the index alone)."""
    tickets = Ticket.objects.filter(project=project)
    still_open = tickets.filter(created_at__lt=end).exclude(status=Status.CANCELLED)
    parts = {
        "received": [tickets.filter(created_at__gte=start, created_at__lt=end)],
        "resolved": [tickets.filter(resolved_at__gte=start, resolved_at__lt=end)],
        # open at the end: never resolved, or resolved only after it
        "open_at_month_end": [still_open.filter(resolved_at__isnull=True), still_open.filter(resolved_at__gte=end)],
    }
    figures: dict[str, dict[str, Any]] = {}
    for figure, querysets in parts.items():
        for queryset in querysets:
            for kind, count in queryset.values_list("kind").annotate(n=Count("*")).order_by():  # COUNT(*): no id needed
                row = figures.setdefault(kind, {"kind": kind, "received": 0, "resolved": 0, "open_at_month_end": 0})
                row[figure] += count
    rows = list(figures.values())
    return sorted(rows, key=lambda row: row["kind"])
