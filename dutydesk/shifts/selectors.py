"""Reads of the shifts: the shift definitions, who is on duty at a moment, rosters, swaps and handovers.

``on_duty(project, post, at)`` is what the task inbox and the front desk ask ("who is on duty now"): the people
rostered on a shift that runs at ``at`` — a night shift of yesterday included — and not on leave. Two queries (the
shift times, the people), whatever the size of the roster."""
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dutydesk.core import clock
from dutydesk.core.periods import Period
from dutydesk.org import access
from dutydesk.org.models import Post, PostHolding
from dutydesk.shifts.models import Handover, Roster, RosterEntry, Shift, ShiftCode, SwapRequest

ProjectRef = Any  # a Project or its id
Occurrence = tuple[date, str]  # (the day the shift starts, its code)


def shifts_of(project: ProjectRef) -> QuerySet[Shift]:
    """The project's shift definitions, in the order of the day (a, b, c)."""
    return Shift.objects.filter(project=project).order_by("starts_at", "code")


def running_at(shifts: Iterable[Shift], at: datetime) -> list[Occurrence]:
    """The shifts running at ``at``: today's, and yesterday's night shifts that have not ended yet."""
    today = timezone.localtime(at).date()
    found = []
    for shift in shifts:
        for day in (today - timedelta(days=1), today):
            start, end = shift.span(day)
            if start <= at < end:
                found.append((day, shift.code))
    return found


def latest_start(shift: Shift, at: datetime) -> date:
    """The day of the latest occurrence of ``shift`` that has started by ``at`` (a shift handed over after midnight
    belongs to the day it started)."""
    today = timezone.localtime(at).date()
    return today if shift.span(today)[0] <= at else today - timedelta(days=1)


def next_occurrence(shifts: Iterable[Shift], day: date, code: str) -> tuple[date, Shift]:
    """The shift that takes over from shift ``code`` of ``day``: of those starting after it and ending after it, the
    first to start (a 09–17 hands over to b 12–20, b to c 20–22, c to the next day's a)."""
    shifts = list(shifts)
    this = next(shift for shift in shifts if shift.code == code)
    this_start, this_end = this.span(day)
    candidates = []
    for offset in range(3):
        for shift in shifts:
            start, end = shift.span(day + timedelta(days=offset))
            if start > this_start and end > this_end:
                candidates.append((start, day + timedelta(days=offset), shift))
    _start, next_day, shift = min(candidates, key=lambda candidate: candidate[0])
    return next_day, shift


def _slots(occurrences: Iterable[Occurrence]) -> Q:
    slots = Q(pk__in=[])
    for day, code in occurrences:
        slots |= Q(day=day, shift=code)
    return slots


def on_duty_entries(project: ProjectRef, at: datetime | None = None, post: Post | int | None = None) -> QuerySet[RosterEntry]:
    """The roster entries (not on leave) of the shifts running at ``at`` (default now) in ``project``."""
    at = at or clock.now()
    occurrences = running_at(shifts_of(project), at)
    if not occurrences:
        return RosterEntry.objects.none()
    entries = RosterEntry.objects.filter(_slots(occurrences), project=project, status=RosterEntry.Status.SCHEDULED)
    return entries.filter(post=post) if post is not None else entries


def on_duty(project: ProjectRef, post: Post | int | None, at: datetime | None = None) -> QuerySet[User]:
    """The users on duty at ``at`` (default now) for ``post`` (any post: None) in ``project``."""
    users = get_user_model().objects.filter(pk__in=on_duty_entries(project, at, post).values("user_id"))
    return users.order_by("first_name", "username")


def on_duty_by_post(project_ids: Iterable[int], post_ids: Iterable[int] | None = None,
                    at: datetime | None = None) -> dict[tuple[int, int], list[User]]:
    """``{(project id, post id): [users on duty]}`` for several projects and posts at once: two queries."""
    at = at or clock.now()
    project_ids = list(project_ids)
    shifts = defaultdict(list)
    for shift in Shift.objects.filter(project__in=project_ids):
        shifts[shift.project_id].append(shift)
    slots = Q(pk__in=[])
    for project_id, project_shifts in shifts.items():
        occurrences = running_at(project_shifts, at)
        if occurrences:
            slots |= Q(_slots(occurrences), project_id=project_id)
    entries = RosterEntry.objects.filter(slots, status=RosterEntry.Status.SCHEDULED)
    if post_ids is not None:
        entries = entries.filter(post_id__in=list(post_ids))
    found: dict[tuple[int, int], list[User]] = defaultdict(list)
    for entry in entries.select_related("user").order_by("post_id", "shift", "user__first_name", "user_id"):
        if entry.user not in found[(entry.project_id, entry.post_id)]:
            found[(entry.project_id, entry.post_id)].append(entry.user)
    return dict(found)


def rostered_on(*, project: ProjectRef, post: Post | int, day: date, shift: str) -> QuerySet[RosterEntry]:
    """Who is rostered (and not on leave) on one shift of one day for ``post``."""
    return RosterEntry.objects.filter(project=project, post=post, day=day, shift=shift,
                                      status=RosterEntry.Status.SCHEDULED)


def post_holders(*, project: ProjectRef, post: Post | int) -> QuerySet[User]:
    return (get_user_model().objects.filter(holdings__project=project, holdings__post=post, holdings__active=True)
            .distinct().order_by("first_name", "username"))


def roster_posts(project: ProjectRef) -> QuerySet[Post]:
    """The posts held in ``project`` (a roster is made for one of them), in catalogue order."""
    held = PostHolding.objects.filter(project=project, active=True).values("post_id")
    return Post.objects.filter(pk__in=held).order_by("catalog_id", "position", "pk")


# ---------------------------------------------------------------- lists, scoped by the user's projects
def rosters_visible_to(user: Any) -> QuerySet[Roster]:
    return Roster.objects.filter(access.project_scope(user, "shifts.view")).select_related("post")


def entries_visible_to(user: Any) -> QuerySet[RosterEntry]:
    return RosterEntry.objects.filter(access.project_scope(user, "shifts.view")).select_related("user", "post")


def month_entries(*, project: ProjectRef, post: Post | int, period: Period) -> QuerySet[RosterEntry]:
    return (RosterEntry.objects.filter(project=project, post=post, day__gte=period.start, day__lt=period.end)
            .select_related("user").order_by("day", "shift", "user_id"))


@dataclass(slots=True)
class RosterCell:
    """One roster entry as the month's grid shows it, with what the page reads of it (``user`` set by the page
    where it names the person). A month of a large post is thousands of entries: built from rows, they cost a
    tenth of model instances (scripts/bench_modules.py, the roster page)."""

    pk: int
    day: date
    shift: str
    status: str
    leave_reason: str
    user_id: int
    user: Any = None

    def get_shift_display(self) -> str:
        return str(ShiftCode(self.shift).label) if self.shift in ShiftCode.values else self.shift

    def get_status_display(self) -> str:
        return str(RosterEntry.Status(self.status).label)


def month_cells(*, project: ProjectRef, post: Post | int, period: Period) -> list[RosterCell]:
    """``month_entries`` as ``RosterCell``s, in the same order, without their users."""
    rows = month_entries(project=project, post=post, period=period).select_related(None).values_list(
        "pk", "day", "shift", "status", "leave_reason", "user_id")
    return [RosterCell(*row) for row in rows]


def swaps_visible_to(user: Any) -> QuerySet[SwapRequest]:
    """The swaps with their post and two shifts joined and the people fetched apiece (a query each, by key): nine
    joins took PostgreSQL 15–30 ms to plan, more than the list took to read (scripts/bench_modules.py)."""
    return (SwapRequest.objects.filter(access.project_scope(user, "shifts.view"))
            .select_related("post", "entry", "other_entry")
            .prefetch_related("entry__user", "other_entry__user", "entry_user", "other_user", "requested_by",
                              "decided_by"))


def handovers_visible_to(user: Any) -> QuerySet[Handover]:
    return (Handover.objects.filter(access.project_scope(user, "shifts.view"))
            .select_related("post", "project", "handed_by", "acknowledged_by"))


def next_shift_rostered(user: Any | None = None) -> Exists:
    """For a handover (``OuterRef``): someone — ``user``, when given — is rostered on its next shift."""
    entries = RosterEntry.objects.filter(project=OuterRef("project_id"), post=OuterRef("post_id"),
                                         day=OuterRef("next_day"), shift=OuterRef("next_shift"),
                                         status=RosterEntry.Status.SCHEDULED)
    return Exists(entries.filter(user=user) if user is not None else entries)


def handovers_to_acknowledge(user: Any, handovers: QuerySet[Handover] | None = None) -> QuerySet[Handover]:
    """The open handovers ``user`` may acknowledge (``services.may_acknowledge``, as one query): rostered on the next
    shift of the post; or, when nobody is rostered there, holding the post and not the one who handed over."""
    handovers = handovers if handovers is not None else handovers_visible_to(user)
    held = Q(pk__in=[])
    for post_id, projects in access.posts_held(user):
        held |= Q(project_id__in=projects, post_id=post_id)
    return handovers.filter(acknowledged_at__isnull=True).filter(
        next_shift_rostered(user) | (~next_shift_rostered() & held & ~Q(handed_by=user)))
