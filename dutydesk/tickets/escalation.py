"""Escalation (升级): a work order not resolved by its target climbs the catalogue's reporting lines, one post at a
time, until someone acts or there is no higher post. A dispatcher, the owner or the assignee may also escalate by
hand with a reason. The lifecycle verbs are in services.py; this module shares their helpers (row lock, transition
table, timeline event, notifications)."""
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.org.models import Post, PostHolding
from dutydesk.tickets import selectors, sla, workflow
from dutydesk.tickets.models import RUNNING, Ticket
from dutydesk.tickets.services import _event, _locked, _move, _perm, _policy, _require, _tell_staff


def _post_of(user: User | None, project_id: int) -> Post | None:
    if user is None:
        return None
    holdings = list(PostHolding.objects.filter(user=user, project=project_id, active=True).select_related("post")
                    .order_by("post__position", "id"))
    working = [h for h in holdings if "tickets.work" in h.post.permissions]
    chosen = working or holdings
    return chosen[0].post if chosen else None


def escalation_target(ticket: Ticket) -> Post | None:
    """The superior post of the post now answerable for the ticket (the post it was escalated to,
    else the assignee's post in the project, else the queue post, else the owner's), following the
    catalogue's reporting lines and skipping posts nobody holds in the project. A ticket nobody has
    touched yet (a portal request) goes to the first-line dispatching post (客服主管)."""
    held = {h.post_id: h.post for h in PostHolding.objects.filter(project=ticket.project_id, active=True)
            .select_related("post__superior")}
    base = ticket.escalated_post or _post_of(ticket.assignee, ticket.project_id) or ticket.assigned_post \
        or _post_of(ticket.owner, ticket.project_id)
    if base is None:
        dispatching = [post for post in held.values() if "tickets.dispatch" in post.permissions]
        return max(dispatching, key=lambda post: (len(post.chain_of_superiors()), -post.pk), default=None)
    return next((post for post in Post.objects.get(pk=base.pk).chain_of_superiors() if post.pk in held), None)


def _when(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


@transaction.atomic
def ticket_escalate(*, ticket: Ticket, actor: User | None = None, reason: str = "", now: datetime | None = None,
                    missed_reply: bool = False) -> Ticket:
    """Move the ticket up to the superior post, tell its holders, and set the next breach time so
    it climbs again if nobody acts. ``actor`` None = the scheduler (resolution target breached).
    ``missed_reply``: the scheduler, because nobody answered the resident by the first-response target
    (``response_due``): the ticket climbs once for it and its resolution clock (``escalation_due``) is left as it is."""
    now = now or clock.now()
    ticket = _locked(ticket)
    if actor is not None:
        _require(_perm(actor, "tickets.dispatch", ticket) or actor.pk in (ticket.owner_id, ticket.assignee_id))
        if not (reason or "").strip():
            raise BusinessRuleError({"reason": [_("Say why the work order is escalated.")]})
    if workflow.target(ticket.status, "escalate") is None:
        raise StateConflict(_("Only open work orders can be escalated."))
    post = escalation_target(ticket)
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
    return Project.objects.filter(pk__in=_unanswered(now).values("project_id"))


def escalate_missed_replies(now: datetime, project: Project | None = None) -> int:
    """Scheduler: every running ticket (of ``project``) nobody has answered by its first-response target climbs one
    post, once (seeds/000_d44081c6db2527f0.txt:367 篇16: 务必当天给予回复; seeds/002_59da8478c28f7f86.txt:1338 篇6: 不超过48h).
    Re-checked under the row lock, so two schedulers escalate it once."""
    done = 0
    due = _unanswered(now) if project is None else _unanswered(now).filter(project=project)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().filter(
                pk=pk, status__in=RUNNING, first_response_at__isnull=True, response_escalated_at__isnull=True,
                response_due__lte=now).first()
            if ticket is None:
                continue
            ticket_escalate(ticket=ticket, now=now, missed_reply=True)
            done += 1
    return done


def _breached(now: datetime) -> QuerySet[Ticket]:
    return Ticket.objects.filter(status__in=RUNNING, escalation_due__lte=now)


def projects_with_breaches(now: datetime) -> QuerySet[Project]:
    """The projects with a running ticket past its escalation time (the escalation job fans out to these only)."""
    return Project.objects.filter(pk__in=_breached(now).values("project_id"))


def escalate_breached(now: datetime, project: Project | None = None) -> int:
    """Scheduler: every running ticket (of ``project``) past its escalation time climbs one post. Each ticket is
    re-checked under its row lock, so two schedulers escalate it once."""
    done = 0
    breached = _breached(now) if project is None else _breached(now).filter(project=project)
    for pk in breached.values_list("pk", flat=True):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().filter(pk=pk, status__in=RUNNING, escalation_due__lte=now).first()
            if ticket is None:
                continue
            ticket_escalate(ticket=ticket, now=now)
            done += 1
    return done
