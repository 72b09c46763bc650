"""Writes of the shifts: keyword-only functions, one verb each, each in one transaction with its history.

The web edge has checked the permission and the project (docs/architecture.md "Where permission checks live"); these
check the input (400), the state of the row they lock (409) and the rules of the object itself (403 ``Denied``):
who may acknowledge this handover, who may approve this swap."""
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.periods import Period
from dutydesk.core.permissions import Denied
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import task_complete, tasks_create_once
from dutydesk.org.models import Post, PostHolding
from dutydesk.shifts import selectors
from dutydesk.shifts.models import SEED_SHIFTS, Handover, Roster, RosterEntry, Shift, ShiftCode, SwapRequest

MAX_OPEN_ITEMS = 30
ESCALATION_SOURCE = "shifts.handover_unacknowledged"
ESCALATION_DUE = timedelta(minutes=30)  # the supervisor has half an hour to find the next shift


def ack_minutes() -> int:
    """How long the next shift has to acknowledge a handover before it goes to the supervisor post (product default
    30 minutes; ``DUTYDESK_HANDOVER_ACK_MINUTES``). Counted from the handover, or from the start of the next shift
    when that is later (a c shift's log written at 22:00 waits for the morning)."""
    return int(getattr(settings, "DUTYDESK_HANDOVER_ACK_MINUTES", 30))


# ---------------------------------------------------------------- shift definitions
@transaction.atomic
def shifts_ensure(*, project: Project) -> list[Shift]:
    """The project's a/b/c shifts, created with the seed's times the first time they are asked for
    (seeds/002_59da8478c28f7f86.txt:1368 篇6). Idempotent and safe when two requests ask at once."""
    shifts = list(selectors.shifts_of(project))
    missing = [row for row in SEED_SHIFTS if row[0] not in {shift.code for shift in shifts}]
    for code, start, end, on_call in missing:
        try:
            with transaction.atomic():
                Shift.objects.create(project=project, code=code, starts_at=time.fromisoformat(start),
                                     ends_at=time.fromisoformat(end), on_call=on_call)
        except IntegrityError:  # another request made it a moment ago
            pass
    return list(selectors.shifts_of(project)) if missing else shifts


@transaction.atomic
def shift_update(*, shift: Shift, starts_at: time | None = None, ends_at: time | None = None,
                 name: str | None = None, on_call: bool | None = None) -> Shift:
    """Change a shift's times (an end not after the start makes it a night shift), name or on-call flag."""
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    start = starts_at if starts_at is not None else shift.starts_at
    end = ends_at if ends_at is not None else shift.ends_at
    if start.replace(second=0, microsecond=0) == end.replace(second=0, microsecond=0):
        raise BusinessRuleError({"end": [_("A shift cannot end when it starts.")]})
    shift.starts_at, shift.ends_at = start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)
    if name is not None:
        shift.name = name.strip()[:40]
    if on_call is not None:
        shift.on_call = on_call
    shift.save()
    return shift


def shift_of(project: Project | int, code: str, field: str = "shift") -> Shift:
    """The project's shift ``code`` (a, b, c); anything else is the field's 400."""
    shift = Shift.objects.filter(project=project, code=code).first() if code in ShiftCode.values else None
    if shift is None:
        raise BusinessRuleError({field: [_("Choose shift a, b or c.")]})
    return shift


# ---------------------------------------------------------------- rosters
def _holds(user: Any, project: Project | int, post: Post | int) -> bool:
    return PostHolding.objects.filter(user=user, project=project, post=post, active=True).exists()


def _post_held_in(project: Project, post: Post) -> None:
    if not PostHolding.objects.filter(project=project, post=post, active=True).exists():
        raise BusinessRuleError({"post": [_("Nobody holds this post in the project.")]})


@transaction.atomic
def roster_create(*, project: Project, post: Post, month: str | Period, created_by: Any = None) -> Roster:
    """A post's roster for a month; one per post and month (a second → 409)."""
    period = Period.parse(month, "month")
    _post_held_in(project, post)
    shifts_ensure(project=project)
    try:
        with transaction.atomic():
            return Roster.objects.create(project=project, post=post, month=period.label, created_by=created_by)
    except IntegrityError:
        raise StateConflict(_("The roster of %(post)s for %(month)s exists already.")
                            % {"post": post, "month": period.label}) from None


def roster_get_or_create(*, project: Project, post: Post, month: str | Period, created_by: Any = None) -> Roster:
    period = Period.parse(month, "month")
    existing = Roster.objects.filter(project=project, post=post, month=period.label).first()
    if existing is not None:
        return existing
    try:
        return roster_create(project=project, post=post, month=period, created_by=created_by)
    except StateConflict:  # made by someone else a moment ago
        return Roster.objects.get(project=project, post=post, month=period.label)


@transaction.atomic
def entry_add(*, roster: Roster, user: Any, day: date, shift: str) -> RosterEntry:
    """Put ``user`` on ``shift`` of ``day`` in the roster. The person must hold the roster's post; the day must be in
    the roster's month; the same person twice on one shift of one day → 409."""
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    period = Period.parse(roster.month, "month")
    errors: dict[str, list[str]] = {}
    if not period.start <= day < period.end:
        errors["day"] = [_("Choose a day of %(month)s.") % {"month": roster.month}]
    if not _holds(user, roster.project_id, roster.post_id):
        errors["user"] = [_("%(person)s does not hold the post %(post)s here.")
                          % {"person": _person(user), "post": roster.post}]
    try:
        shift_of(roster.project_id, shift)
    except BusinessRuleError as exc:
        errors.update(exc.errors)
    if errors:
        raise BusinessRuleError(errors)
    try:
        with transaction.atomic():
            return RosterEntry.objects.create(roster=roster, project_id=roster.project_id, post_id=roster.post_id,
                                              user=user, day=day, shift=shift)
    except IntegrityError:
        raise StateConflict(_("%(person)s is already on shift %(shift)s of %(day)s.")
                            % {"person": _person(user), "shift": shift, "day": day.isoformat()}) from None


@transaction.atomic
def entry_remove(*, entry: RosterEntry) -> None:
    """Take an entry off the roster: only a day still to come, and not while a swap of it waits (409)."""
    entry = RosterEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.day < clock.today():
        raise StateConflict(_("A past day of the roster is kept as it was worked."))
    if SwapRequest.objects.filter(status=SwapRequest.Status.PENDING).filter(entry=entry).exists() or \
            SwapRequest.objects.filter(status=SwapRequest.Status.PENDING, other_entry=entry).exists():
        raise StateConflict(_("A swap of this shift waits for approval: decide it first."))
    entry.delete()


@transaction.atomic
def roster_fill(*, roster: Roster, users: Sequence[Any], shifts: Sequence[str] | None = None,
                start: date | None = None) -> int:
    """Fill the roster's days from ``start`` (default: the month's first day) to the month's end by rotation: on the
    n-th day, shift k goes to ``users[(n + k) % len(users)]``, so everyone works every shift in turn and, with more
    people than shifts, has days off. The seed rota runs 4 people over 3 weeks (seeds/002_59da8478c28f7f86.txt:1382
    篇6 以3周为列,班表设定如下(4人)) but its table is not in the text: this is the plain rotation. Days and shifts already
    filled are left alone. Returns how many entries were added."""
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    period = Period.parse(roster.month, "month")
    codes = list(shifts or [shift.code for shift in shifts_ensure(project=roster.project)])
    errors: dict[str, list[str]] = {}
    if not users:
        errors["users"] = [_("Choose the people to rotate.")]
    for user in users:
        if not _holds(user, roster.project_id, roster.post_id):
            errors["users"] = [_("%(person)s does not hold the post %(post)s here.")
                               % {"person": _person(user), "post": roster.post}]
    if any(code not in ShiftCode.values for code in codes):
        errors["shifts"] = [_("Choose shift a, b or c.")]
    if errors:
        raise BusinessRuleError(errors)
    first = max(start or period.start, period.start)
    filled = set(RosterEntry.objects.filter(roster=roster).values_list("day", "shift"))
    taken = set(RosterEntry.objects.filter(project=roster.project_id, user__in=users, day__gte=first,
                                           day__lt=period.end).values_list("user_id", "day", "shift"))
    new = []
    day = first
    while day < period.end:
        offset = (day - period.start).days
        for k, code in enumerate(codes):
            user = users[(offset + k) % len(users)]
            if (day, code) in filled or (user.pk, day, code) in taken:
                continue
            new.append(RosterEntry(roster=roster, project_id=roster.project_id, post_id=roster.post_id, user=user,
                                   day=day, shift=code))
        day += timedelta(days=1)
    for entry in new:  # saved one by one: each gets its history row
        entry.save()
    return len(new)


@transaction.atomic
def leave_record(*, project: Project, user: Any, day: date, reason: str = "") -> list[RosterEntry]:
    """Take ``user`` off ``day``: each of their scheduled shifts that day is marked ``leave``
    (seeds/002_59da8478c28f7f86.txt:1238 篇6 原则上不允许请假,如有特殊情况,做好工作对接,并提前申请 — recorded in advance:
    not for a past day). Nobody on the roster that day → 400; already on leave → 409."""
    if day < clock.today():
        raise BusinessRuleError({"day": [_("Leave is recorded in advance, not for a past day.")]})
    entries = list(RosterEntry.objects.select_for_update().filter(project=project, user=user, day=day))
    if not entries:
        raise BusinessRuleError({"day": [_("%(person)s is not on the roster on %(day)s.")
                                         % {"person": _person(user), "day": day.isoformat()}]})
    scheduled = [entry for entry in entries if entry.status == RosterEntry.Status.SCHEDULED]
    if not scheduled:
        raise StateConflict(_("%(person)s is already on leave on %(day)s.")
                            % {"person": _person(user), "day": day.isoformat()})
    if SwapRequest.objects.filter(status=SwapRequest.Status.PENDING, entry__in=scheduled).exists() or \
            SwapRequest.objects.filter(status=SwapRequest.Status.PENDING, other_entry__in=scheduled).exists():
        raise StateConflict(_("A swap of this day waits for approval: decide it first."))
    for entry in scheduled:
        entry.status, entry.leave_reason = RosterEntry.Status.LEAVE, reason.strip()[:200]
        entry.save(update_fields=["status", "leave_reason"])
    return entries


# ---------------------------------------------------------------- swaps
# (status, action) → status: the swap's state machine as data
SWAP_TRANSITIONS = {
    (SwapRequest.Status.PENDING, "approve"): SwapRequest.Status.APPROVED,
    (SwapRequest.Status.PENDING, "reject"): SwapRequest.Status.REJECTED,
    (SwapRequest.Status.PENDING, "cancel"): SwapRequest.Status.CANCELLED,
}


@transaction.atomic
def swap_request(*, entry: RosterEntry, other_entry: RosterEntry, requested_by: Any, reason: str = "") -> SwapRequest:
    """Ask to exchange ``entry`` and ``other_entry`` (two people of the same post, both shifts still to come). The
    two agreed between themselves (seeds/002_59da8478c28f7f86.txt:1356 需自行对接其他客服人员…需提供双方达成一致依据证明):
    the request is made by one of them, or by a holder of the roster permission, and waits for the supervisor post.
    One pending swap per shift (a second → 409)."""
    first, second = sorted([entry.pk, other_entry.pk])
    locked = {row.pk: row for row in RosterEntry.objects.select_for_update().filter(pk__in=[first, second])}
    entry, other_entry = locked[entry.pk], locked[other_entry.pk]
    errors: dict[str, list[str]] = {}
    if entry.project_id != other_entry.project_id or entry.post_id != other_entry.post_id:
        errors["other_entry"] = [_("Swap with a shift of the same post.")]
    elif entry.user_id == other_entry.user_id:
        errors["other_entry"] = [_("Swap with somebody else's shift.")]
    elif (entry.day, entry.shift) == (other_entry.day, other_entry.shift):
        errors["other_entry"] = [_("Both are the same shift: there is nothing to exchange.")]
    if min(entry.day, other_entry.day) < clock.today():
        errors["entry"] = [_("Only shifts still to come can be swapped.")]
    if errors:
        raise BusinessRuleError(errors)
    if RosterEntry.Status.LEAVE in (entry.status, other_entry.status):
        raise StateConflict(_("One of the two shifts is on leave."))
    try:
        with transaction.atomic():
            return SwapRequest.objects.create(
                project_id=entry.project_id, post_id=entry.post_id, entry=entry, other_entry=other_entry,
                entry_user_id=entry.user_id, other_user_id=other_entry.user_id, reason=reason.strip()[:200],
                requested_by=requested_by, requested_at=clock.now())
    except IntegrityError:
        raise StateConflict(_("A swap of one of these shifts already waits for approval.")) from None


def _supervises(user: Any, project_id: int, post: Post) -> bool:
    """Does ``user`` hold, in the project, a post above ``post`` in the reporting lines?"""
    above = {superior.pk for superior in post.chain_of_superiors()}
    return PostHolding.objects.filter(user=user, project_id=project_id, active=True, post_id__in=above).exists()


@transaction.atomic
def swap_decide(*, swap: SwapRequest, action: str, user: Any, note: str = "") -> SwapRequest:
    """``approve`` (a post above the swap's post: the supervisor post — else 403), ``reject`` (the same, or the
    counterpart), ``cancel`` (the requester or either person). Approving exchanges the two people on the two shifts;
    if either shift changed since the request (removed, on leave, another person), 409 and nothing changes."""
    swap = SwapRequest.objects.select_for_update().select_related("post").get(pk=swap.pk)
    new_status = SWAP_TRANSITIONS.get((SwapRequest.Status(swap.status), action))
    if new_status is None:
        if action not in {name for _status, name in SWAP_TRANSITIONS}:
            raise BusinessRuleError({"action": [_("Unknown action.")]})
        raise StateConflict(_("This swap is already %(status)s.") % {"status": swap.get_status_display()})
    people = {swap.entry_user_id, swap.other_user_id}
    supervisor = getattr(user, "is_superuser", False) or _supervises(user, swap.project_id, swap.post)
    allowed = {"approve": supervisor, "reject": supervisor or user.pk == swap.other_user_id,
               "cancel": user.pk in people | {swap.requested_by_id}}[action]
    if not allowed:
        raise Denied(_("Only the supervisor post of %(post)s decides this swap.") % {"post": swap.post}
                     if action != "cancel" else _("Only the people of the swap may withdraw it."))
    if action == "approve":
        first, second = sorted([swap.entry_id, swap.other_entry_id])
        locked = {row.pk: row for row in RosterEntry.objects.select_for_update().filter(pk__in=[first, second])}
        entry, other = locked.get(swap.entry_id), locked.get(swap.other_entry_id)
        if (entry is None or other is None or entry.user_id != swap.entry_user_id
                or other.user_id != swap.other_user_id
                or RosterEntry.Status.LEAVE in (entry.status, other.status)):
            raise StateConflict(_("The roster changed since the swap was asked for: ask again."))
        if min(entry.day, other.day) < clock.today():
            raise StateConflict(_("One of the two shifts is already past."))
        entry.user_id, other.user_id = swap.other_user_id, swap.entry_user_id
        try:
            with transaction.atomic():
                entry.save(update_fields=["user"])
                other.save(update_fields=["user"])
        except IntegrityError:
            raise StateConflict(_("One of the two is already on the other shift.")) from None
    swap.status, swap.decided_by, swap.decided_at = new_status, user, clock.now()
    swap.decision_note = note.strip()[:200]
    swap.save()
    return swap


# ---------------------------------------------------------------- handovers
def _open_items(items: Iterable[Any] | None) -> list[str]:
    cleaned = [str(item).strip() for item in (items or []) if str(item).strip()]
    if len(cleaned) > MAX_OPEN_ITEMS:
        raise BusinessRuleError({"open_items": [_("At most %(count)s open items.") % {"count": MAX_OPEN_ITEMS}]})
    if any(len(item) > 200 for item in cleaned):
        raise BusinessRuleError({"open_items": [_("Keep each open item under 200 characters.")]})
    return cleaned


def handover_post(*, project: Project | int, user: Any, day: date, shift: str,
                  posts: Iterable[Post]) -> Post:
    """The post a handover is for when the request names none: the one of ``posts`` (the user's posts that keep
    handovers) the user is rostered on for that shift, else the only one."""
    posts = list(posts)
    rostered = set(selectors.entries_visible_to(user).filter(project=project, user=user, day=day, shift=shift)
                   .values_list("post_id", flat=True)) if posts else set()
    chosen = [post for post in posts if post.pk in rostered] or posts
    if len(chosen) != 1:
        raise BusinessRuleError({"post": [_("Choose the post the handover is for.")]})
    return chosen[0]


@transaction.atomic
def handover_record(*, project: Project, post: Post, shift: str, notes: str, handed_by: Any,
                    open_items: Iterable[Any] | None = None, day: date | None = None) -> Handover:
    """The handover log of shift ``shift`` (of ``day``: default the latest that has started) of ``post``, written by
    someone on that shift: a holder of the post, and one of the people rostered on it when anyone is (else 403).
    One per post and shift (a second → 409). It is for the shift that takes over (``selectors.next_occurrence``),
    which acknowledges it by ``ack_due_at``."""
    shifts = shifts_ensure(project=project)
    this = shift_of(project, shift)
    now = clock.now()
    day = day or selectors.latest_start(this, now)
    notes = (notes or "").strip()
    errors: dict[str, list[str]] = {}
    if not notes:
        errors["notes"] = [_("Write what the next shift needs to know.")]
    if this.span(day)[0] > now:
        errors["day"] = [_("This shift has not started yet.")]
    try:
        items = _open_items(open_items)
    except BusinessRuleError as exc:
        errors.update(exc.errors)
    if errors:
        raise BusinessRuleError(errors)
    if not (getattr(handed_by, "is_superuser", False) or _holds(handed_by, project, post)):
        raise Denied(_("Only a holder of %(post)s hands over its shift.") % {"post": post})
    rostered = selectors.rostered_on(project=project, post=post, day=day, shift=shift)
    if rostered.exists() and not rostered.filter(user=handed_by).exists():
        raise Denied(_("You are not on this shift: the people on it hand it over."))
    next_day, next_shift = selectors.next_occurrence(shifts, day, shift)
    due = max(now, next_shift.span(next_day)[0]) + timedelta(minutes=ack_minutes())
    try:
        with transaction.atomic():
            return Handover.objects.create(project=project, post=post, day=day, shift=shift, notes=notes[:5000],
                                           open_items=items, handed_by=handed_by, handed_at=now, next_day=next_day,
                                           next_shift=next_shift.code, ack_due_at=due)
    except IntegrityError:
        raise StateConflict(_("The handover of shift %(shift)s of %(day)s for %(post)s is already written.")
                            % {"shift": shift, "day": day.isoformat(), "post": post}) from None


def may_acknowledge(handover: Handover, user: Any) -> bool:
    """The next shift acknowledges: a person rostered on it for the handover's post; when nobody is rostered there,
    any holder of the post other than the one who handed over."""
    if getattr(user, "is_superuser", False):
        return True
    rostered = selectors.rostered_on(project=handover.project_id, post=handover.post_id, day=handover.next_day,
                                     shift=handover.next_shift)
    if rostered.filter(user=user).exists():
        return True
    return (not rostered.exists() and user.pk != handover.handed_by_id
            and _holds(user, handover.project_id, handover.post_id))


def escalation_key(handover: Handover | int) -> str:
    return f"shifts:handover-unacknowledged:{getattr(handover, 'pk', handover)}"


@transaction.atomic
def handover_acknowledge(*, handover: Handover, user: Any, note: str = "") -> Handover:
    """The next shift takes the handover over. Once only (409); only the next shift (403). An escalation task the
    supervisor still has open is closed with it."""
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if handover.acknowledged_at is not None:
        raise StateConflict(_("This handover was already acknowledged by %(person)s at %(time)s.") % {
            "person": _person(handover.acknowledged_by),
            "time": timezone.localtime(handover.acknowledged_at).strftime("%Y-%m-%d %H:%M")})
    if not may_acknowledge(handover, user):
        raise Denied(_("Only the next shift of %(post)s acknowledges this handover.") % {"post": handover.post})
    handover.acknowledged_by, handover.acknowledged_at = user, clock.now()
    handover.ack_note = note.strip()[:200]
    handover.save(update_fields=["acknowledged_by", "acknowledged_at", "ack_note"])
    task = Task.objects.filter(source_key=escalation_key(handover), status=Task.Status.OPEN).first()
    if task is not None:
        task_complete(task=task, user=user, note=_("The next shift acknowledged the handover."))
    return handover


def _escalation_post(handover: Handover) -> Post:
    """The supervisor post: the handover post's superior (the post itself at the top of its catalogue)."""
    return handover.post.superior or handover.post


@transaction.atomic
def handovers_escalate(*, now: datetime | None = None) -> int:
    """Every handover not acknowledged by its ``ack_due_at`` becomes one task for the supervisor post, once: one query
    finds them (locked), their tasks go in at once (``tasks_create_once``: once per handover whatever the ticks), one
    bulk update marks them escalated. Returns how many were escalated."""
    now = now or clock.now()
    due = list(Handover.objects.select_for_update(of=("self",))
               .filter(acknowledged_at__isnull=True, escalated_at__isnull=True, ack_due_at__lte=now)
               .select_related("post__superior", "project").order_by("pk"))
    tasks_create_once([Task(
        source=ESCALATION_SOURCE, source_key=escalation_key(handover), post=_escalation_post(handover),
        project_id=handover.project_id, due_at=now + ESCALATION_DUE,
        url=reverse("shifts:handover", args=[handover.pk]),
        title=_("Handover not acknowledged: %(post)s, shift %(shift)s of %(day)s") % {
            "post": handover.post, "shift": handover.shift, "day": handover.day.isoformat()},
        description=_("The next shift (%(shift)s of %(day)s) has not acknowledged the handover. Find out who is "
                      "on duty and make sure the open items are carried on.") % {
            "shift": handover.next_shift, "day": handover.next_day.isoformat()}) for handover in due])
    for handover in due:
        handover.escalated_at = now
    if due:
        bulk_update_with_history(due, Handover, ["escalated_at"])
    return len(due)


def _person(user: Any) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.username

