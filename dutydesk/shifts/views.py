"""The shifts' staff pages (server-rendered, phone-width first: a clerk checks the roster and acknowledges the
handover on a phone).

- the roster: one post's month as a grid (people × days, scrolled sideways on a phone), a day's shifts under it with
  leave, removal and swap requests, and the roster keeper's forms (add, fill by rotation, leave);
- the handover log, the handover form and a handover's page with the acknowledge button (htmx: the row answers in
  place);
- the swaps waiting for the supervisor post, and the shift times.
Forms go through the API's input serializers and the same services, so a page says what the API says."""
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.audit import history_rows
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.paging import BoundedPaginator
from dutydesk.core.periods import Period
from dutydesk.core.permissions import Denied
from dutydesk.org import access
from dutydesk.org.models import Post
from dutydesk.shifts import selectors, services
from dutydesk.shifts import serializers as s
from dutydesk.shifts.api import project_post, project_user, valid
from dutydesk.shifts.models import Handover, Roster, RosterEntry, ShiftCode, SwapRequest
from dutydesk.shifts.selectors import RosterCell
from dutydesk.web.forms import error_lists, error_text
from dutydesk.web.params import int_param, project_choice

TABS = [
    ("roster", gettext_lazy("Roster"), "shifts:roster", "shifts.view"),
    ("handovers", gettext_lazy("Handover log"), "shifts:handovers", "shifts.view"),
    ("swaps", gettext_lazy("Shift swaps"), "shifts:swaps", "shifts.view"),
    ("definitions", gettext_lazy("Shift times"), "shifts:definitions", "shifts.view"),
]
HANDOVER_FILTERS = [("mine", gettext_lazy("To acknowledge")), ("waiting", gettext_lazy("Not acknowledged")),
                    ("all", gettext_lazy("All"))]


def _page(request, template: str, tab: str, project: Project, projects: Any, **context: Any) -> HttpResponse:
    tabs = [{"name": name, "label": label, "url": reverse(url_name), "active": name == tab}
            for name, label, url_name, perm in TABS if access.has_perm(request.user, perm, project)]
    return render(request, template, {"project": project, "projects": projects, "tabs": tabs, "tab": tab,
                                      "today": clock.today(), "now": clock.now(), **context})


def _outside(request) -> str:
    return "deny" if request.method == "POST" else "first"


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _roster_url(project: Project, post: Post | None, period: Period, day: date | None = None) -> str:
    params: dict[str, Any] = {"project": project.pk, "month": period.label}
    if post is not None:
        params["post"] = post.pk
    if day is not None:
        params["day"] = day.isoformat()
    return f"{reverse('shifts:roster')}?{urlencode(params)}"


def _failed(request, exc: Exception) -> None:
    if isinstance(exc, ValidationError | BusinessRuleError):
        messages.error(request, error_text(exc))
    elif isinstance(exc, StateConflict):
        messages.error(request, exc.detail)
    else:
        messages.error(request, str(exc))


# ---------------------------------------------------------------- the roster
def _roster_request(request) -> tuple[Project, Any, Post | None, Period, date | None]:
    project, projects = project_choice(request, "shifts.view", outside=_outside(request))
    posts = list(selectors.roster_posts(project))
    wanted = int_param(request.GET, "post") or int_param(request.POST, "post")
    period = (Period.parse_or_none(request.GET.get("month") or request.POST.get("month")) or Period.current())
    if wanted:
        post = next((p for p in posts if p.pk == wanted), None)
    else:  # one's own post's roster; else the first roster of the month (a supervisor's staff); else one's post
        own = {holding.post_id for holding in access.holdings(request.user) if holding.project_id == project.pk}
        made = set(Roster.objects.filter(project=project, month=period.label).values_list("post_id", flat=True))
        post = (next((p for p in posts if p.pk in own and p.pk in made), None)
                or next((p for p in posts if p.pk in made), None)
                or next((p for p in posts if p.pk in own), None) or (posts[0] if posts else None))
    day = _day(request.GET.get("day") or request.POST.get("day"))
    if day is not None and not period.start <= day < period.end:
        day = None
    return project, projects, post, period, day


@access.staff_required("shifts.view")
def roster(request):
    project, projects, post, period, day = _roster_request(request)
    shifts = services.shifts_ensure(project=project)
    posts = list(selectors.roster_posts(project))
    days = [period.start + timedelta(days=n) for n in range(period.days)]
    rows: list[dict[str, Any]] = []
    day_entries: list[RosterCell] = []
    mine: list[RosterCell] = []
    swappable: list[RosterCell] = []
    people: list[Any] = []
    today = clock.today()
    if post is not None:
        # the month's entries without their users (a month of a large post is thousands of rows): the people are
        # the post's holders and, in one query, whoever else is on its roster
        entries = selectors.month_cells(project=project, post=post, period=period)
        holders = list(selectors.post_holders(project=project, post=post))
        users = {holder.pk: holder for holder in holders}
        first_seen: dict[int, int] = {}
        for entry in entries:
            first_seen.setdefault(entry.user_id, len(first_seen))
        others = set(first_seen) - set(users)
        extra = sorted(get_user_model().objects.filter(pk__in=others), key=lambda user: first_seen[user.pk]) \
            if others else []
        users.update((user.pk, user) for user in extra)
        people = holders + extra
        cells: dict[tuple[int, date], list[RosterCell]] = defaultdict(list)
        for entry in entries:
            cells[(entry.user_id, entry.day)].append(entry)
        rows = [{"user": user, "cells": [{"day": d, "entries": cells.get((user.pk, d), [])} for d in days]}
                for user in people]
        day_entries = [entry for entry in entries if entry.day == day] if day else []
        me = request.user.pk  # once: the request's user is a lazy proxy, each read of it a call
        mine = [entry for entry in entries if entry.user_id == me and entry.day >= today]
        swappable = [entry for entry in entries if entry.user_id != me and entry.day >= today
                     and entry.status == RosterEntry.Status.SCHEDULED]
        for entry in (*day_entries, *swappable):  # the entries the page names people on
            entry.user = users[entry.user_id]
    return _page(request, "shifts/roster.html", "roster", project, projects, post=post, posts=posts, period=period,
                 previous=period.previous(), following=Period.month_of(period.end), days=days, rows=rows, day=day,
                 day_entries=day_entries, mine=mine, swappable=swappable, shifts=shifts, people=people,
                 codes=ShiftCode.choices, can_roster=access.has_perm(request.user, "shifts.roster", project),
                 fill_start=max(today, period.start) if period.start <= today < period.end else period.start,
                 on_duty=selectors.on_duty(project, post) if post is not None else [])


def _roster_back(request, project: Project, post: Post | None, period: Period, day: date | None) -> HttpResponse:
    return redirect(_roster_url(project, post, period, day))


@access.staff_required("shifts.roster")
@require_POST
def roster_add(request):
    project, _projects, post, period, day = _roster_request(request)
    access.require(request.user, "shifts.roster", project)
    try:
        data = valid(s.RosterEntryCreateSerializer, request.POST)
        post = project_post(project, post.pk if post else None)
        roster = services.roster_get_or_create(project=project, post=post, month=Period.month_of(data["day"]),
                                               created_by=request.user)
        entry = services.entry_add(roster=roster, user=project_user(project, data["user"]), day=data["day"],
                                   shift=data["shift"])
    except (ValidationError, BusinessRuleError, StateConflict) as exc:
        _failed(request, exc)
    else:
        messages.success(request, _("%(person)s is on shift %(shift)s of %(day)s.") % {
            "person": s.person(entry.user), "shift": entry.shift, "day": entry.day.isoformat()})
        period, day = Period.month_of(entry.day), entry.day
    return _roster_back(request, project, post, period, day)


@access.staff_required("shifts.roster")
@require_POST
def roster_fill(request):
    project, _projects, post, period, day = _roster_request(request)
    access.require(request.user, "shifts.roster", project)
    try:
        data = valid(s.FillSerializer, {"users": request.POST.getlist("users"), "start": request.POST.get("start")})
        post = project_post(project, post.pk if post else None)
        users = [project_user(project, user_id, "users") for user_id in data["users"]]
        roster = services.roster_get_or_create(project=project, post=post, month=period, created_by=request.user)
        added = services.roster_fill(roster=roster, users=users, start=data.get("start"))
    except (ValidationError, BusinessRuleError, StateConflict) as exc:
        _failed(request, exc)
    else:
        messages.success(request, _("%(count)s shifts added to the roster.") % {"count": added})
    return _roster_back(request, project, post, period, day)


@access.staff_required("shifts.roster")
@require_POST
def leave(request):
    project, _projects, post, period, day = _roster_request(request)
    access.require(request.user, "shifts.roster", project)
    try:
        data = valid(s.LeaveSerializer, {**request.POST.dict(), "project": project.pk})
        user = project_user(project, data["user"])
        services.leave_record(project=project, user=user, day=data["day"], reason=data["reason"])
    except (ValidationError, BusinessRuleError, StateConflict) as exc:
        _failed(request, exc)
    else:
        messages.success(request, _("%(person)s is on leave on %(day)s.") % {
            "person": s.person(user), "day": data["day"].isoformat()})
    return _roster_back(request, project, post, period, day)


@access.staff_required("shifts.roster")
@require_POST
def entry_remove(request, pk):
    entry = get_object_or_404(selectors.entries_visible_to(request.user), pk=pk)
    access.require(request.user, "shifts.roster", entry.project_id)
    try:
        services.entry_remove(entry=entry)
    except StateConflict as exc:
        _failed(request, exc)
    else:
        messages.success(request, _("Shift removed from the roster."))
    return redirect(_roster_url(entry.project, entry.post, Period.month_of(entry.day), entry.day))


# ---------------------------------------------------------------- swaps
@access.staff_required("shifts.view")
@require_POST
def swap_request(request):
    entries = selectors.entries_visible_to(request.user)
    entry = get_object_or_404(entries, pk=int_param(request.POST, "entry") or 0)
    other = entries.filter(pk=int_param(request.POST, "other_entry") or 0).first()
    back = _roster_url(entry.project, entry.post, Period.month_of(entry.day), entry.day)
    if request.user.pk != entry.user_id:
        access.require(request.user, "shifts.roster", entry.project_id)
    if other is None:
        messages.error(request, _("Choose the shift to take in exchange."))
        return redirect(back)
    try:
        services.swap_request(entry=entry, other_entry=other, requested_by=request.user,
                              reason=request.POST.get("reason", ""))
    except (BusinessRuleError, StateConflict) as exc:
        _failed(request, exc)
    else:
        messages.success(request, _("Swap requested: it waits for the supervisor's approval."))
    return redirect(back)


@access.staff_required("shifts.view")
def swaps(request):
    project, projects = project_choice(request, "shifts.view", outside="first")
    pending = list(selectors.swaps_visible_to(request.user).filter(project=project, status=SwapRequest.Status.PENDING)
                   .order_by("requested_at", "id")[:100])
    decided = list(selectors.swaps_visible_to(request.user).filter(project=project)
                   .exclude(status=SwapRequest.Status.PENDING).order_by("-decided_at", "-id")[:30])
    return _page(request, "shifts/swaps.html", "swaps", project, projects, pending=pending, decided=decided,
                 can_approve=access.has_perm(request.user, "shifts.approve", project))


@access.staff_required("shifts.view")
@require_POST
def swap_decide(request, pk, verb):
    swap = get_object_or_404(selectors.swaps_visible_to(request.user), pk=pk)
    if verb not in {"approve", "reject", "cancel"}:
        raise PermissionDenied
    if verb == "approve" or (verb == "reject" and request.user.pk != swap.other_user_id):
        access.require(request.user, "shifts.approve", swap.project_id)
    try:
        services.swap_decide(swap=swap, action=verb, user=request.user, note=request.POST.get("note", ""))
    except Denied as exc:
        raise PermissionDenied(str(exc)) from None
    except (BusinessRuleError, StateConflict) as exc:
        _failed(request, exc)
    else:
        messages.success(request, {"approve": _("Swap approved: the two changed shifts."),
                                   "reject": _("Swap rejected."), "cancel": _("Swap withdrawn.")}[verb])
    return redirect(f"{reverse('shifts:swaps')}?project={swap.project_id}")


# ---------------------------------------------------------------- handovers
def _ackable(user: Any, handovers: list[Handover]) -> set[int]:
    """Which of ``handovers`` the user may acknowledge: one query for the page."""
    ids = [handover.pk for handover in handovers if handover.acknowledged_at is None]
    if not ids or not any(access.has_perm(user, "shifts.handover", h.project_id) for h in handovers):
        return set()
    return set(selectors.handovers_to_acknowledge(user, Handover.objects.filter(pk__in=ids))
               .values_list("pk", flat=True))


@access.staff_required("shifts.view")
def handovers(request):
    project, projects = project_choice(request, "shifts.view", outside="first")
    shown = request.GET.get("show") or "mine"
    if shown not in dict(HANDOVER_FILTERS):
        shown = "mine"
    handovers = selectors.handovers_visible_to(request.user).filter(project=project)
    if shown == "mine":
        handovers = selectors.handovers_to_acknowledge(request.user, handovers)
    elif shown == "waiting":
        handovers = handovers.filter(acknowledged_at__isnull=True)
    page = BoundedPaginator(handovers.order_by("-handed_at", "-id"), 30).get_page(request.GET.get("page"))
    rows = list(page)
    return _page(request, "shifts/handovers.html", "handovers", project, projects, page=page, rows=rows,
                 shown=shown, filters=HANDOVER_FILTERS, ackable=_ackable(request.user, rows),
                 can_write=access.has_perm(request.user, "shifts.handover", project))


def _handover_form(request, project: Project, errors: dict[str, list[str]], form: Any) -> HttpResponse:
    shifts = services.shifts_ensure(project=project)
    posts = [p for p in access.posts_of(request.user, project) if "shifts.handover" in p.permissions]
    running = selectors.running_at(shifts, clock.now())
    mine = {(e.shift, e.post_id) for e in selectors.entries_visible_to(request.user)
            .filter(project=project, user=request.user, status=RosterEntry.Status.SCHEDULED)
            .filter(day__in=[d for d, _code in running] or [clock.today()])}
    default_shift = next((code for _day, code in running if any(code == m[0] for m in mine)), None) or \
        (running[-1][1] if running else "")
    default_post = next((post_id for code, post_id in mine if code == default_shift), None) or \
        (posts[0].pk if posts else None)
    return _page(request, "shifts/handover_form.html", "handovers", project, None, shifts=shifts, posts=posts,
                 errors=errors, form=form or {"shift": default_shift, "post": str(default_post or "")})


@access.staff_required("shifts.handover")
def handover_new(request):
    project, _projects = project_choice(request, "shifts.handover", outside=_outside(request))
    if request.method != "POST":
        return _handover_form(request, project, {}, None)
    access.require(request.user, "shifts.handover", project)
    items = [line.strip() for line in request.POST.get("open_items", "").splitlines() if line.strip()]
    try:
        data = valid(s.HandoverCreateSerializer, {"project": project.pk, "shift": request.POST.get("shift", ""),
                                                  "notes": request.POST.get("notes", ""), "open_items": items})
        post = project_post(project, int_param(request.POST, "post"))
        handover = services.handover_record(project=project, post=post, shift=data["shift"], notes=data["notes"],
                                            open_items=data["open_items"], handed_by=request.user)
    except (ValidationError, BusinessRuleError) as exc:
        return _handover_form(request, project, error_lists(exc), request.POST)
    except StateConflict as exc:
        return _handover_form(request, project, {"non_field_errors": [exc.detail]}, request.POST)
    except Denied as exc:
        return _handover_form(request, project, {"non_field_errors": [str(exc)]}, request.POST)
    messages.success(request, _("Handover written: shift %(shift)s of %(day)s waits for the next shift to "
                                "acknowledge it.") % {"shift": handover.shift, "day": handover.day.isoformat()})
    return redirect(f"{reverse('shifts:handovers')}?project={project.pk}&show=all")


@access.staff_required("shifts.view")
def handover_detail(request, pk):
    handover = get_object_or_404(selectors.handovers_visible_to(request.user), pk=pk)
    return _page(request, "shifts/handover.html", "handovers", handover.project, None, handover=handover,
                 ackable=_ackable(request.user, [handover]), history=history_rows(handover, limit=20))


@access.staff_required("shifts.handover")
@require_POST
def handover_ack(request, pk):
    handover = get_object_or_404(selectors.handovers_visible_to(request.user), pk=pk)
    access.require(request.user, "shifts.handover", handover.project_id)
    error = ""
    try:
        services.handover_acknowledge(handover=handover, user=request.user, note=request.POST.get("note", ""))
    except StateConflict as exc:
        error = exc.detail
    except Denied as exc:
        raise PermissionDenied(str(exc)) from None
    handover = selectors.handovers_visible_to(request.user).get(pk=handover.pk)
    if request.headers.get("HX-Request"):
        return render(request, "shifts/_handover_row.html", {"h": handover, "error": error, "now": clock.now(),
                                                              "ackable": _ackable(request.user, [handover])})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Handover acknowledged."))
    return redirect(reverse("shifts:handover", args=[handover.pk]))


# ---------------------------------------------------------------- shift times
@access.staff_required("shifts.view")
def definitions(request):
    project, projects = project_choice(request, "shifts.view", outside=_outside(request))
    can_configure = access.has_perm(request.user, "shifts.configure", project)
    shifts = services.shifts_ensure(project=project)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        access.require(request.user, "shifts.configure", project)
        shift = next((sh for sh in shifts if sh.code == request.POST.get("code")), None)
        if shift is None:
            raise PermissionDenied
        try:
            data = valid(s.ShiftUpdateSerializer, {"name": request.POST.get("name", ""),
                                                   "start": request.POST.get("start", ""),
                                                   "end": request.POST.get("end", ""),
                                                   "on_call": bool(request.POST.get("on_call"))})
            services.shift_update(shift=shift, starts_at=data["start"], ends_at=data["end"], name=data["name"],
                                  on_call=data["on_call"])
        except (ValidationError, BusinessRuleError) as exc:
            errors = error_lists(exc)
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Shift %(shift)s saved.") % {"shift": shift.code})
            return redirect(f"{reverse('shifts:definitions')}?project={project.pk}")
    return _page(request, "shifts/definitions.html", "definitions", project, projects, shifts=shifts,
                 can_configure=can_configure, errors=errors)
