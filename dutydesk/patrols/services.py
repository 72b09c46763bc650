"""Writes of patrols: lay out a route, release its rounds, record a checkpoint, close the rounds of a past day.
Keyword-only functions, one verb each, each in one transaction with the rows it changes locked.

Checks run in this order: the caller already found the route or round in the user's scope (else 404); ``Denied``
(403) when the user's posts do not allow the action in the object's project; ``StateConflict`` (409) when the round's
state does not (patrols/workflow.py); ``BusinessRuleError`` (400) for bad input."""
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dutydesk.archive.models import Project, Unit
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.permissions import Denied
from dutydesk.core.uploads import upload_problem
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import task_complete, tasks_create_once
from dutydesk.org import access
from dutydesk.org.models import Post, PostHolding
from dutydesk.patrols import schedules, workflow
from dutydesk.patrols.models import CODE_PATTERN, Checkpoint, Round, RoundCheckpoint, Route
from dutydesk.tickets.models import Channel, Kind, TicketCategory
from dutydesk.tickets.services import ticket_create

TASK_SOURCE = "patrols.round"
DEFAULT_WALKER = "patrol-officer"  # the route form's first choice: 物业管理员（巡楼） (seeds/000_d44081c6db2527f0.txt:531 篇18 12.0)
MAX_CHECKPOINTS = 100
MAX_NOTE = 1000
# Where an issue goes when the checkpoint names no post, by its work-order category (the shipped property-cs posts;
# product default): facilities to the repair technicians (seeds/000_d44081c6db2527f0.txt:535 篇18 12.2 发现任何不合格项
# 按照相关程序报告相关岗位人员进行报修), cleaning and landscaping to their inspectors (:516 10.2 清洁…发现问题及时跟进处理;
# :524 11.2 绿化巡查，发现问题及时处理). A post nobody holds in the project is skipped: the walker keeps the work
# order as its first-ask owner (首问) and the dispatchers see it among the new ones.
DEFAULT_POSTS = {"plumbing": "repair-technician", "electrical": "repair-technician", "lift": "repair-technician",
                 "doors-locks": "repair-technician", "cleaning": "cleaning-inspector",
                 "greening": "greening-inspector"}


def task_key(round_id: int) -> str:
    return f"patrols:round:{round_id}"


def _require(allowed: bool) -> None:
    if not allowed:
        raise Denied()


# ---- routes -------------------------------------------------------------------------------

def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _checkpoints(project: Project, items: Any) -> list[dict[str, Any]]:
    """The route's checkpoints as given (dicts of code, name, location, category, post, unit), checked; each error
    names the checkpoint (its position from 1, or its code)."""
    if not isinstance(items, Sequence) or isinstance(items, str) or not items:
        raise BusinessRuleError({"checkpoints": [_("A route has at least one checkpoint.")]})
    if len(items) > MAX_CHECKPOINTS:
        raise BusinessRuleError({"checkpoints": [_("A route has at most %(count)s checkpoints.")
                                                 % {"count": MAX_CHECKPOINTS}]})
    errors: list[str] = []
    seen: set[str] = set()
    cleaned = []
    for position, item in enumerate(items, start=1):
        item = dict(item) if isinstance(item, Mapping) else {}
        code, name = _text(item.get("code"), 40), _text(item.get("name"), 101)
        label = code or str(position)
        if not re.match(CODE_PATTERN, code):
            errors.append(_("Checkpoint %(label)s: a code is 1–20 letters, digits, - or _.") % {"label": label})
        elif code.upper() in seen:
            errors.append(_("Checkpoint %(label)s: the code is used twice.") % {"label": label})
        seen.add(code.upper())
        if not name or len(name) > 100:
            errors.append(_("Checkpoint %(label)s: give it a name (at most 100 characters).") % {"label": label})
        category, unit, post = item.get("category"), item.get("unit"), item.get("post")
        if category is not None and (not isinstance(category, TicketCategory)
                                     or category.project_id not in (None, project.pk)):
            errors.append(_("Checkpoint %(label)s: unknown work-order category.") % {"label": label})
        if unit is not None and (not isinstance(unit, Unit) or unit.project_id != project.pk):
            errors.append(_("Checkpoint %(label)s: the unit is not in the route's project.") % {"label": label})
        if post is not None and not isinstance(post, Post):
            errors.append(_("Checkpoint %(label)s: unknown post.") % {"label": label})
        if post is None and isinstance(category, TicketCategory) and category.code in DEFAULT_POSTS:
            post = Post.objects.filter(code=DEFAULT_POSTS[category.code]).first()
        cleaned.append({"code": code, "name": name, "position": position,
                        "location": _text(item.get("location"), 200), "category": category, "post": post,
                        "unit": unit})
    if errors:
        raise BusinessRuleError({"checkpoints": errors})
    return cleaned


def _check_route(project: Project, name: str, *, route: Route | None = None) -> str:
    name = _text(name, 101)
    if not name or len(name) > 100:
        raise BusinessRuleError({"name": [_("Give the route a name (at most 100 characters).")]})
    taken = Route.objects.filter(project=project, name=name)
    if route is not None:
        taken = taken.exclude(pk=route.pk)
    if taken.exists():
        raise BusinessRuleError({"name": [_("This project already has a route with this name.")]})
    return name


def _walking_post(actor: User, project: Project, post: Post | None) -> Post:
    """The post that walks the route: as given, else the actor's own post in the project that walks rounds."""
    if post is not None:
        return post
    own = next((holding.post for holding in access.holdings(actor)
                if holding.project_id == project.pk and "patrols.walk" in holding.post.permissions), None)
    if own is None:
        raise BusinessRuleError({"post": [_("Say which post walks this route.")]})
    return own


@transaction.atomic
def route_create(*, project: Project, actor: User, name: str, schedule: Any, checkpoints: Any,
                 post: Post | None = None, now: datetime | None = None) -> Route:
    """Lay out a route (巡查路线) of checkpoints for the post that walks it, with its schedule; the rounds of the
    rest of today are released at once (the scheduler releases each later day's)."""
    now = now or clock.now()
    _require(access.has_perm(actor, "patrols.manage", project))
    name = _check_route(project, name)
    schedule = schedules.normalize(schedule)
    items = _checkpoints(project, checkpoints)
    try:
        with transaction.atomic():
            route = Route.objects.create(project=project, name=name, post=_walking_post(actor, project, post),
                                         schedule=schedule, created_by=actor, created_at=now)
    except IntegrityError:  # the same name, created a moment ago
        raise BusinessRuleError({"name": [_("This project already has a route with this name.")]}) from None
    for item in items:
        Checkpoint.objects.create(route=route, **item)
    rounds_release(project=project, day=timezone.localtime(now).date(), now=now, routes=[route])
    return route


@transaction.atomic
def route_update(*, route: Route, actor: User, name: str | None = None, schedule: Any = None,
                 post: Post | None = None, active: bool | None = None, checkpoints: Any = None,
                 now: datetime | None = None) -> Route:
    """Change a route: its name, post, schedule, whether it is walked, its checkpoints (matched by code: new codes are
    added, codes left out are retired). Rounds already released keep the checkpoints they were released with."""
    now = now or clock.now()
    route = Route.objects.select_for_update().select_related("project").get(pk=route.pk)
    _require(access.has_perm(actor, "patrols.manage", route.project_id))
    if name is not None:
        route.name = _check_route(route.project, name, route=route)
    if schedule is not None:
        route.schedule = schedules.normalize(schedule)
    if post is not None:
        route.post = post
    if active is not None:
        route.active = bool(active)
    route.save()
    if checkpoints is not None:
        items = {item["code"].upper(): item for item in _checkpoints(route.project, checkpoints)}
        existing = {checkpoint.code.upper(): checkpoint for checkpoint in route.checkpoints.select_for_update()}
        for key, checkpoint in existing.items():
            item = items.pop(key, None)
            if item is None:
                if checkpoint.active:
                    checkpoint.active = False
                    checkpoint.save()
                continue
            changed = {field: value for field, value in item.items() if getattr(checkpoint, field) != value}
            if changed or not checkpoint.active:
                for field, value in changed.items():
                    setattr(checkpoint, field, value)
                checkpoint.active = True
                checkpoint.save()
        for item in items.values():
            Checkpoint.objects.create(route=route, **item)
    if route.active:
        rounds_release(project=route.project, day=timezone.localtime(now).date(), now=now, routes=[route])
    return route


# ---- rounds -------------------------------------------------------------------------------

def _round_title(route: Route, starts_at: datetime) -> str:
    return _("Patrol round: %(route)s at %(time)s") % {"route": route.name,
                                                        "time": timezone.localtime(starts_at).strftime("%H:%M")}


@transaction.atomic
def rounds_release(*, project: Project, day: date, now: datetime, routes: Iterable[Route] | None = None) -> int:
    """Release the rounds of ``day`` of the project's active routes (or of ``routes``): one round per scheduled start
    whose due time is still ahead of ``now``, each a task for the route's post (seeds/000_d44081c6db2527f0.txt:535
    篇18 12.2 每天不间断…巡查). Idempotent and set-based: the routes are locked (two releases at once wait for each
    other), the rounds that exist are read in one query, the new rounds and their checkpoints are inserted in bulk.
    Returns how many rounds were released."""
    chosen = Route.objects.filter(project=project, active=True)
    if routes is not None:
        chosen = chosen.filter(pk__in=[route.pk for route in routes])
    locked = list(chosen.select_for_update().order_by("pk"))
    if not locked:
        return 0
    points: dict[int, list[Checkpoint]] = {route.pk: [] for route in locked}
    for checkpoint in Checkpoint.objects.filter(route__in=locked, active=True).order_by("position", "pk"):
        points[checkpoint.route_id].append(checkpoint)
    wanted = [(route, start, due) for route in locked if points[route.pk]
              for start, due in schedules.slots(route.schedule, day) if due > now]
    if not wanted:
        return 0
    existing = set(Round.objects.filter(route__in=locked, starts_at__in={start for _route, start, _due in wanted})
                   .values_list("route_id", "starts_at"))
    new = [Round(route=route, project=project, post_id=route.post_id, starts_at=start, due_at=due)
           for route, start, due in wanted if (route.pk, start) not in existing]
    if not new:
        return 0
    Round.objects.bulk_create(new)  # ids come back on PostgreSQL and SQLite
    by_route = {route.pk: route for route in locked}
    bulk_create_with_history([RoundCheckpoint(round=round_, checkpoint=checkpoint, code=checkpoint.code,
                                              name=checkpoint.name, position=checkpoint.position)
                              for round_ in new for checkpoint in points[round_.route_id]], RoundCheckpoint)
    # the rounds' tasks at once (a task a round cost two queries, 600 rounds a day in a park of 100 routes)
    tasks_create_once([Task(source=TASK_SOURCE, source_key=task_key(round_.pk), post_id=round_.post_id,
                            project=project, title=_round_title(by_route[round_.route_id], round_.starts_at),
                            due_at=round_.due_at, url=reverse("patrols:round", args=[round_.pk]),
                            description=_("Checkpoints: %(names)s") % {"names": "、".join(
                                f"{point.code} {point.name}" for point in points[round_.route_id])})
                       for round_ in new])
    tasks = dict(Task.objects.filter(source_key__in=[task_key(round_.pk) for round_ in new])
                 .values_list("source_key", "pk"))
    for round_ in new:
        round_.task_id = tasks.get(task_key(round_.pk))
    Round.objects.bulk_update(new, ["task"])
    Round.history.bulk_history_create(new)  # type: ignore[attr-defined]  # the audit of the release, with the task
    return len(new)


@transaction.atomic
def rounds_close_missed(*, project: Project, before: datetime) -> int:
    """Close the project's rounds still open that fell due before ``before`` (the start of today): missed. Their
    unrecorded checkpoints are the missed ones of the KPI; a closed round takes no more records (409). The rounds are
    locked, so a checkpoint being recorded at that moment either lands first or gets the 409."""
    stale = list(Round.objects.select_for_update().filter(project=project, status=Round.Status.OPEN, due_at__lt=before))
    for round_ in stale:
        round_.status = workflow.next_status(round_.status, "miss") or round_.status
    if stale:
        bulk_update_with_history(stale, Round, ["status"])
    return len(stale)


def _issue_post(checkpoint: Checkpoint | None, project_id: int) -> Post | None:
    """The post an issue at the checkpoint is routed to, if someone holds it in the project."""
    post = checkpoint.post if checkpoint is not None else None
    if post is None or not PostHolding.objects.filter(post=post, project=project_id, active=True).exists():
        return None
    return post


@transaction.atomic
def checkpoint_record(*, round: Round, code: str, walker: User, result: str, note: str = "",
                      photo: File | None = None, unit: Unit | None = None, now: datetime | None = None
                      ) -> RoundCheckpoint:
    """Record one checkpoint of a round, once: ``ok``, or ``issue`` with a note (and a photo), which opens a repair
    work order (channel patrol) of the checkpoint's category, filed against its unit (or ``unit``) and routed to the
    post that fixes it (seeds/000_d44081c6db2527f0.txt:535 篇18 12.2 发现任何不合格项按照相关程序报告相关岗位人员进行报修，
    并做好记录). The last checkpoint completes the round and its task. Recording a checkpoint twice, or one of a
    closed round, is 409; an unknown code is ``RoundCheckpoint.DoesNotExist`` (404)."""
    now = now or clock.now()
    round_ = Round.objects.select_for_update().select_related("route", "project").get(pk=round.pk)
    _require(access.has_perm(walker, "patrols.walk", round_.project_id))
    point = RoundCheckpoint.objects.select_related("checkpoint__category", "checkpoint__post", "checkpoint__unit").get(
        round=round_, code=code)
    if workflow.next_status(round_.status, "record") is None:
        raise StateConflict(workflow.CONFLICTS["record"] % {"status": round_.get_status_display()})
    if point.result:
        raise StateConflict(_("Checkpoint %(code)s of this round was recorded at %(time)s.") % {
            "code": point.code, "time": timezone.localtime(point.recorded_at).strftime("%H:%M")})
    errors: dict[str, list[str]] = {}
    if result not in RoundCheckpoint.Result.values:
        errors["result"] = [_("Record ok or issue.")]
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        errors["note"] = [_("A note is at most %(count)s characters.") % {"count": MAX_NOTE}]
    elif result == RoundCheckpoint.Result.ISSUE and not note:
        errors["note"] = [_("Say what is wrong.")]
    if photo is not None:
        problem = upload_problem(photo, images_only=True)  # by content: an HTML page named .jpg is refused
        if problem:
            errors["photo"] = [problem]
    checkpoint = point.checkpoint
    target = unit or (checkpoint.unit if checkpoint is not None else None)
    if result == RoundCheckpoint.Result.ISSUE and "note" not in errors:
        if target is None:
            errors["unit"] = [_("This checkpoint names no unit: say which unit the work order is filed against.")]
        elif target.project_id != round_.project_id:
            errors["unit"] = [_("The unit is not in the round's project.")]
    if errors:
        raise BusinessRuleError(errors)
    if result == RoundCheckpoint.Result.ISSUE and target is not None:
        where = (checkpoint.location if checkpoint is not None else "") or point.name
        point.ticket = ticket_create(
            actor=walker, unit=target, kind=Kind.REPAIR, channel=Channel.PATROL,
            category=checkpoint.category if checkpoint is not None else None,
            title=_("Patrol issue at %(checkpoint)s: %(note)s") % {"checkpoint": point.name, "note": note[:80]},
            description=_("Found on the patrol round %(route)s (%(time)s), checkpoint %(code)s %(name)s:\n%(note)s") % {
                "route": round_.route.name, "time": timezone.localtime(round_.starts_at).strftime("%Y-%m-%d %H:%M"),
                "code": point.code, "name": point.name, "note": note},
            location=where[:200], files=[photo] if photo is not None else [],
            post=_issue_post(checkpoint, round_.project_id), now=now)
    point.result, point.note, point.recorded_at, point.recorded_by = result, note, now, walker
    if photo is not None:
        point.photo = photo
    point.save()
    changed = round_.walker_id is None
    if changed:
        round_.walker = walker
    if not round_.checkpoints.filter(result="").exists():
        round_.status = workflow.next_status(round_.status, "finish") or round_.status
        round_.completed_at, changed = now, True
        _task_done(round_, walker)
    if changed:  # no empty history row for a checkpoint in the middle of the round
        round_.save()
    return point


def _task_done(round_: Round, walker: User) -> None:
    if round_.task_id is None:
        return
    task = Task.objects.filter(pk=round_.task_id, status=Task.Status.OPEN).first()
    if task is not None:
        task_complete(task=task, user=walker, note=_("Every checkpoint recorded."))
