"""Escalation (升级): a work order not resolved by its target climbs the catalogue's reporting lines, one post at a
time, until someone acts or there is no higher post. A dispatcher, the owner or the assignee may also escalate by
hand with a reason. The lifecycle verbs are in services.py; this module shares their helpers (row lock, transition
table, timeline event, notifications)."""
import time
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.org.models import Post, PostHolding
from dutydesk.tickets import selectors, sla, workflow
from dutydesk.tickets.models import RUNNING, Ticket
from dutydesk.tickets.services import _event, _locked, _move, _perm, _policy, _require, _tell_staff


# A scheduler run escalates at most this many work orders per job and project, the longest overdue first; the rest
# climb on the next tick (a minute later). A backlog (a go-live import of open work orders nobody answered, a day
# the system was down) then drains in steps instead of holding one tick for minutes: at 10M work orders with 3M
# unanswered, the unbounded loop ran for more than half an hour (scripts/bench_tickets.py).
ESCALATIONS_PER_RUN = 100
ESCALATION_SECONDS_PER_RUN = 0.5  # and no more than this much work per job and project (~30 ms per work order)


class ReportingLines:
    """The posts held in a project and the catalogue's reporting lines, read once and reused for every work order
    of a scheduler run (before: the project's holdings and each post up the chain were queried per work order)."""

    def __init__(self, project_id: int) -> None:
        self.project_id = project_id
        self.held = {h.post_id: h.post for h in PostHolding.objects.filter(project=project_id, active=True)
                     .select_related("post")}
        catalogs = {post.catalog_id for post in self.held.values()}
        self.posts = {post.pk: post for post in Post.objects.filter(catalog_id__in=catalogs)}
        self._post_of: dict[int, Post | None] = {}

    def post_of(self, user: User | None) -> Post | None:
        """The post a person answers for work orders with in the project (a working post first)."""
        if user is None:
            return None
        if user.pk not in self._post_of:
            holdings = list(PostHolding.objects.filter(user=user, project=self.project_id, active=True)
                            .select_related("post").order_by("post__position", "id"))
            working = [h for h in holdings if "tickets.work" in h.post.permissions]
            chosen = working or holdings
            self._post_of[user.pk] = chosen[0].post if chosen else None
        return self._post_of[user.pk]

    def superiors(self, post: Post) -> list[Post]:
        """The post's superiors, nearest first, from the catalogue read once (stops on a cycle)."""
        if post.pk not in self.posts:  # a post of a catalogue nobody holds here: ask the database
            return Post.objects.get(pk=post.pk).chain_of_superiors()
        chain: list[Post] = []
        seen, superior_id = {post.pk}, self.posts[post.pk].superior_id
        while superior_id is not None and superior_id not in seen:
            if superior_id not in self.posts:  # a superior in another catalogue (import does not make these)
                self.posts[superior_id] = Post.objects.get(pk=superior_id)
            chain.append(self.posts[superior_id])
            seen.add(superior_id)
            superior_id = self.posts[superior_id].superior_id
        return chain


def escalation_target(ticket: Ticket, lines: ReportingLines | None = None) -> Post | None:
    """The superior post of the post now answerable for the ticket (the post it was escalated to,
    else the assignee's post in the project, else the queue post, else the owner's), following the
    catalogue's reporting lines and skipping posts nobody holds in the project. A ticket nobody has
    touched yet (a portal request) goes to the first-line dispatching post (客服主管)."""
    if lines is None or lines.project_id != ticket.project_id:
        lines = ReportingLines(ticket.project_id)
    base = ticket.escalated_post or lines.post_of(ticket.assignee) or ticket.assigned_post or lines.post_of(ticket.owner)
    if base is None:
        dispatching = [post for post in lines.held.values() if "tickets.dispatch" in post.permissions]
        return max(dispatching, key=lambda post: (len(lines.superiors(post)), -post.pk), default=None)
    return next((post for post in lines.superiors(base) if post.pk in lines.held), None)


def _when(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


@transaction.atomic
def ticket_escalate(*, ticket: Ticket, actor: User | None = None, reason: str = "", now: datetime | None = None,
                    missed_reply: bool = False, lines: ReportingLines | None = None) -> Ticket:
    """Move the ticket up to the superior post, tell its holders, and set the next breach time so
    it climbs again if nobody acts. ``actor`` None = the scheduler (resolution target breached).
    ``missed_reply``: the scheduler, because nobody answered the resident by the first-response target
    (``response_due``): the ticket climbs once for it and its resolution clock (``escalation_due``) is left as it is.
    ``lines``: the project's reporting lines when the scheduler escalates many work orders in one run."""
    now = now or clock.now()
    ticket = _locked(ticket)
    if actor is not None:
        _require(_perm(actor, "tickets.dispatch", ticket) or actor.pk in (ticket.owner_id, ticket.assignee_id))
        if not (reason or "").strip():
            raise BusinessRuleError({"reason": [_("Say why the work order is escalated.")]})
    if workflow.target(ticket.status, "escalate") is None:
        raise StateConflict(_("Only open work orders can be escalated."))
    post = escalation_target(ticket, lines)
    policy = _policy(ticket)
    if missed_reply:
        ticket.response_escalated_at = now
        reason = reason or _("First-response target %(due)s missed: nobody has answered the resident yet") % {
            "due": _when(ticket.response_due)}
    if post is None:
        # at the top of the reporting lines: say so once and stop climbing (a reopen re-arms it)
        if not missed_reply:
            ticket.escalation_due = None
        _event(ticket, "escalate", actor=actor, now=now, internal=True,
               note=_("No higher post to escalate to. %(reason)s") % {"reason": reason})
        ticket.save()
        return ticket
    if not missed_reply:
        ticket.escalation_due = sla.add_service_minutes(ticket.project, now, policy.escalation_minutes)
    ticket.escalated_post = post
    ticket.escalation_level += 1
    reason = reason.strip() if reason else _("Resolution target %(due)s breached") % {"due": _when(ticket.resolution_due)}
    _move(ticket, "escalate", actor=actor, now=now, internal=True, note=f"→ {post.name}: {reason}")
    ticket.save()
    _tell_staff(selectors.holders(post, ticket.project), ticket,
                _("Escalated to you (level %(level)s): %(number)s %(title)s") % {
                    "level": ticket.escalation_level, "number": ticket.number, "title": ticket.title},
                body=reason)
    return ticket


def _unanswered(now: datetime) -> QuerySet[Ticket]:
    """Running tickets past their first-response target that nobody has answered and that have not climbed for it
    (the partial index ``ticket_running_unanswered``: the work grows with what is due, not with the open tickets)."""
    return Ticket.objects.filter(status__in=RUNNING, first_response_at__isnull=True, response_escalated_at__isnull=True,
                                 response_due__lte=now)


def projects_with_missed_replies(now: datetime) -> QuerySet[Project]:
    """The projects with a running ticket past its first-response target and not answered."""
    return Project.objects.filter(Exists(_unanswered(now).filter(project=OuterRef("pk"))))


def escalate_missed_replies(now: datetime, project: Project | None = None) -> int:
    """Scheduler: every running ticket (of ``project``) nobody has answered by its first-response target climbs one
    post, once (seeds/000_d44081c6db2527f0.txt:367 篇16: 务必当天给予回复; seeds/002_59da8478c28f7f86.txt:1338 篇6: 不超过48h).
    Re-checked under the row lock, so two schedulers escalate it once. At most ``ESCALATIONS_PER_RUN`` per run, the
    longest unanswered first."""
    due = _unanswered(now) if project is None else _unanswered(now).filter(project=project)
    return _escalate_each(due.order_by("response_due", "id"), now, missed_reply=True,
                          still_due=dict(first_response_at__isnull=True, response_escalated_at__isnull=True,
                                         response_due__lte=now))


def _breached(now: datetime) -> QuerySet[Ticket]:
    return Ticket.objects.filter(status__in=RUNNING, escalation_due__lte=now)


def projects_with_breaches(now: datetime) -> QuerySet[Project]:
    """The projects with a running ticket past its escalation time (the escalation job fans out to these only)."""
    return Project.objects.filter(Exists(_breached(now).filter(project=OuterRef("pk"))))


def escalate_breached(now: datetime, project: Project | None = None) -> int:
    """Scheduler: every running ticket (of ``project``) past its escalation time climbs one post. Each ticket is
    re-checked under its row lock, so two schedulers escalate it once. At most ``ESCALATIONS_PER_RUN`` per run, the
    longest overdue first."""
    breached = _breached(now) if project is None else _breached(now).filter(project=project)
    return _escalate_each(breached.order_by("escalation_due", "id"), now, missed_reply=False,
                          still_due=dict(escalation_due__lte=now))


def _escalate_each(due: QuerySet[Ticket], now: datetime, *, missed_reply: bool, still_due: dict[str, object]) -> int:
    """Escalate the first ``ESCALATIONS_PER_RUN`` of ``due`` (fewer if ``ESCALATION_SECONDS_PER_RUN`` pass first), each in its own transaction under its row lock (a
    ticket someone answered or escalated meanwhile is skipped), with each project's reporting lines read once."""
    done = 0
    lines: dict[int, ReportingLines] = {}
    stop_at = time.monotonic() + ESCALATION_SECONDS_PER_RUN
    for pk, project_id in due.values_list("pk", "project_id")[:ESCALATIONS_PER_RUN]:
        if done and time.monotonic() > stop_at:
            break  # the rest on the next tick
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().filter(pk=pk, status__in=RUNNING, **still_due).first()
            if ticket is None:
                continue
            if project_id not in lines:
                lines[project_id] = ReportingLines(project_id)
            ticket_escalate(ticket=ticket, now=now, missed_reply=missed_reply, lines=lines[project_id])
            done += 1
    return done
