"""Writes on work orders: the lifecycle verbs, one each, keyword-only, in a transaction, the ticket row locked.
Escalation is in escalation.py, the daily seed sweeps in sweeps.py.

Checks run in this order: the caller already found the ticket in the user's scope (else 404);
``Denied`` (403) when the user's posts do not allow the action; ``StateConflict`` (409) when
the transition table does not; ``BusinessRuleError`` (400) for bad input."""
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.archive.models import Project, Resident, Unit
from dutydesk.archive.validators import validate_phone
from dutydesk.billing.services import one_off_charge_create
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.core.money import parse_amount
from dutydesk.core.permissions import Denied
from dutydesk.core.services import email_queue, notify
from dutydesk.core.uploads import upload_problem
from dutydesk.org import access
from dutydesk.org.models import Post, PostHolding
from dutydesk.tickets import selectors, sla, workflow
from dutydesk.tickets.models import (Channel, Kind, Priority, ReturnVisit, SLAPolicy, Status, Ticket, TicketAttachment,
                                     TicketCategory, TicketCounter, TicketEvent)

log = logging.getLogger(__name__)

MAX_REOPEN_SATISFACTION = 2  # seed rule (PRODUCT.md): satisfaction ≤ 2 reopens the ticket


# ---- helpers ------------------------------------------------------------------------------

def _perm(user: User, code: str, ticket: Ticket) -> bool:
    return access.has_perm(user, code, ticket.project_id)


def holds_post(user: User, post_id: int, project_id: int) -> bool:
    """Whether ``user`` holds post ``post_id`` in project ``project_id`` (the holdings are cached per request)."""
    return any(h.post_id == post_id and h.project_id == project_id for h in access.holdings(user))


def may_work_on(user: User, ticket: Ticket) -> bool:
    """The assignee; a dispatcher of the project; when nobody is assigned, the owner (首问: the
    receiver answers it personally) or a holder of the queue post who may work tickets."""
    if ticket.assignee_id == user.pk or _perm(user, "tickets.dispatch", ticket):
        return True
    if ticket.assignee_id is None:
        if ticket.owner_id == user.pk:
            return True
        if ticket.assigned_post_id and holds_post(user, ticket.assigned_post_id, ticket.project_id):
            return _perm(user, "tickets.work", ticket)
    return False


def _require(allowed: bool) -> None:
    if not allowed:
        raise Denied()


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update(of=("self",)).select_related("project", "unit", "resident").get(pk=ticket.pk)


def _move(ticket: Ticket, action: str, *, actor: User | None, note: str = "", now: datetime, internal: bool = False,
          event_action: str | None = None) -> str:
    """Apply ``action`` from the transition table (409 if not allowed) and write the event."""
    new_status = workflow.target(ticket.status, action, ticket.held_from_status)
    if new_status is None:
        raise StateConflict(_("A work order that is %(status)s cannot be %(action)s.") % {
            "status": ticket.get_status_display(), "action": workflow.ACTION_LABELS.get(action, action)})
    old_status = ticket.status
    ticket.status = new_status
    _event(ticket, event_action or action, actor=actor, note=note, now=now, from_status=old_status,
           to_status=new_status, internal=internal)
    return old_status


def _event(ticket: Ticket, action: str, *, actor: User | None, note: str = "", now: datetime,
           from_status: str | None = None, to_status: str | None = None, internal: bool = False) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, action=action, actor=actor if getattr(actor, "pk", None) else None,
                                      note=note, at=now, internal=internal,
                                      from_status=ticket.status if from_status is None else from_status,
                                      to_status=ticket.status if to_status is None else to_status)


def _staff_url(ticket: Ticket) -> str:
    return reverse("tickets:detail", args=[ticket.pk])


def _portal_url(ticket: Ticket) -> str:
    return reverse("tickets:portal-detail", args=[ticket.pk])


def _tell_resident(ticket: Ticket, title: str, body: str) -> None:
    """In-app if the resident has a portal login; e-mail to the resident's own address."""
    resident = ticket.resident
    if resident is None:
        return
    if resident.user is not None:  # no query when there is none
        notify(user=resident.user, title=title, body=body, url=_portal_url(ticket), email=False)
    if resident.email:
        email_queue(to=resident.email, subject=title, body=body)


def _tell_staff(users: Iterable[User | None], ticket: Ticket, title: str, body: str = "",
                exclude: User | None = None) -> None:
    seen = set()
    for user in users:
        if user is None or user.pk in seen or (exclude is not None and user.pk == exclude.pk):
            continue
        seen.add(user.pk)
        notify(user=user, title=title, body=body or ticket.title, url=_staff_url(ticket))


def _adopt(ticket: Ticket, actor: User) -> None:
    """A portal ticket gets its 首问 owner when the first staff member acts on it."""
    if ticket.owner_id is None and access.is_staff_member(actor):
        ticket.owner = actor


def _next_number(project: Project, year: int) -> str:
    """KF-YYYY-NNNNNN, gapless per project and year: the counter row is locked in this
    transaction, so a rolled-back create gives its number back."""
    try:
        with transaction.atomic():
            TicketCounter.objects.get_or_create(project=project, year=year)
    except IntegrityError:  # created by a concurrent request in the meantime
        pass
    counter = TicketCounter.objects.select_for_update().get(project=project, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"KF-{year}-{counter.last:06d}"


def _validate_upload(upload: File) -> None:
    problem = upload_problem(upload)  # by content: an HTML page named .jpg is refused
    if problem:
        raise BusinessRuleError({"files": [problem]})


def _attach(ticket: Ticket, files: Iterable[File], actor: User | None, now: datetime) -> None:
    for upload in files:
        _validate_upload(upload)
    for upload in files:
        TicketAttachment.objects.create(ticket=ticket, file=upload, name=(upload.name or "")[:200],
                                        uploaded_by=actor if getattr(actor, "pk", None) else None, uploaded_at=now)


def _policy(ticket: Ticket) -> SLAPolicy:
    return selectors.sla_policy(ticket.project, ticket.kind, ticket.priority)


# ---- create -------------------------------------------------------------------------------

@transaction.atomic
def ticket_create(*, actor: User, unit: Unit, kind: str, title: str, description: str = "",
                  channel: str = Channel.PHONE, priority: str = Priority.NORMAL, category: TicketCategory | None = None,
                  resident: Resident | None = None, location: str = "", files: Sequence[File] = (),
                  caller_name: str = "", caller_phone: str = "", post: Post | None = None,
                  now: datetime | None = None) -> Ticket:
    """Take a complaint, repair, enquiry, suggestion or praise for ``unit``. Staff become its
    owner (首问负责人); a resident files it from the portal for one of their own units.
    ``post``: staff route it at once to that post's queue (dispatched, e.g. a patrol finding to the post that fixes
    it); nobody holding the post in the project → 400."""
    now = now or clock.now()
    staff = access.is_staff_member(actor)
    if staff:
        _require(access.allows_unit(actor, "tickets.create", unit))
    else:  # a resident, for their own unit only
        own = actor.resident_profiles.filter(unit=unit).first()
        _require(own is not None)
        resident = resident or own
        channel = Channel.PORTAL
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose a kind of work order.")]
    if priority not in Priority.values:
        errors["priority"] = [_("Choose a priority.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Choose a channel.")]
    if not (title or "").strip():
        errors["title"] = [_("Give the work order a short title.")]
    if resident is not None and resident.unit_id != unit.pk:
        errors["resident"] = [_("This resident does not live in the chosen unit.")]
    if category is not None and category.project_id not in (None, unit.project_id):
        errors["category"] = [_("This category belongs to another project.")]
    if post is not None and staff and not PostHolding.objects.filter(post=post, project=unit.project_id,
                                                                     active=True).exists():
        errors["post"] = [_("Nobody holds this post in the project.")]
    caller_name, caller_phone = (caller_name or "").strip()[:60], (caller_phone or "").strip()
    if caller_phone:
        try:
            validate_phone(caller_phone)
        except ValidationError as exc:
            errors["caller_phone"] = list(exc.messages)
    if errors:
        raise BusinessRuleError(errors)
    for upload in files:
        _validate_upload(upload)
    local = timezone.localtime(now)
    ticket = Ticket(project=unit.project, unit=unit, resident=resident, kind=kind, channel=channel, priority=priority,
                    category=category, title=title.strip()[:200], description=description or "", location=location or "",
                    owner=actor if staff else None, created_at=now,
                    caller_name=caller_name if resident is None else "", caller_phone=caller_phone if resident is None else "")
    ticket.number = _next_number(unit.project, local.year)
    policy = _policy(ticket)
    ticket.response_due = sla.due(unit.project, now, policy.response_amount, policy.response_unit)
    ticket.resolution_due = sla.due(unit.project, now, policy.resolution_amount, policy.resolution_unit)
    ticket.escalation_due = ticket.resolution_due
    if not staff:
        ticket.assigned_post = selectors.first_ask_post(unit)
    ticket.save()
    _event(ticket, "created", actor=actor, now=now, from_status="", to_status=Status.NEW,
           note=ticket.get_channel_display())
    _attach(ticket, files, actor, now)
    if post is not None and staff:
        _move(ticket, "dispatch", actor=actor, now=now, note=str(post))
        ticket.assigned_post = post
        ticket.save(update_fields=["status", "assigned_post"])
        routed_title = _("Work order %(number)s dispatched to you: %(title)s") % {"number": ticket.number,
                                                                                   "title": ticket.title}
        _tell_staff(selectors.holders(post, ticket.project), ticket, routed_title, exclude=actor)
    if not staff:  # seeds/000_d44081c6db2527f0.txt:362 篇16: a same-day reply — tell the first-ask post and the desk a resident filed something
        title = _("New %(kind)s from the portal: %(title)s") % {"kind": ticket.get_kind_display(), "title": ticket.title}
        routed = selectors.holders(ticket.assigned_post, ticket.project) if ticket.assigned_post is not None else []
        _tell_staff([*routed, *_dispatchers(ticket.project)], ticket, title)
    return ticket


@transaction.atomic
def ticket_claim(*, ticket: Ticket, actor: User, now: datetime | None = None) -> Ticket:
    """认领: a staff member takes first-ask ownership (首问负责) of a ticket filed without one (the portal's).
    Two at once: one wins, the other gets 409. The owner never changes after."""
    now = now or clock.now()
    ticket = _locked(ticket)
    _require(access.is_staff_member(actor) and (
        _perm(actor, "tickets.create", ticket)
        or (ticket.assigned_post_id is not None and holds_post(actor, ticket.assigned_post_id, ticket.project_id))))
    owner = ticket.owner  # no query when there is none
    if owner is not None:
        raise StateConflict(_("This work order already has its first-ask owner: %(name)s.") % {
            "name": owner.get_full_name() or owner.username})
    ticket.owner = actor
    ticket.save(update_fields=["owner"])
    _event(ticket, "claim", actor=actor, now=now)
    return ticket


def _dispatchers(project: Project) -> list[User]:
    return [h.user for h in PostHolding.objects.filter(project=project, active=True).select_related("user", "post")
            if "tickets.dispatch" in h.post.permissions and h.post.superior_id is not None][:20]


# ---- lifecycle ----------------------------------------------------------------------------

@transaction.atomic
def ticket_dispatch(*, ticket: Ticket, actor: User, assignee: User | None = None, post: Post | None = None,
                    note: str = "", now: datetime | None = None) -> Ticket:
    """派单: give the ticket to a person or to a post's queue. The owner never changes."""
    now = now or clock.now()
    ticket = _locked(ticket)
    _require(_perm(actor, "tickets.dispatch", ticket))
    if (assignee is None) == (post is None):
        raise BusinessRuleError({"assignee": [_("Dispatch to either a person or a post.")]})
    if assignee is not None:
        holdings = [h for h in PostHolding.objects.filter(user=assignee, project=ticket.project_id, active=True)
                    .select_related("post")]
        if not any("tickets.work" in h.post.permissions for h in holdings):
            raise BusinessRuleError({"assignee": [_("This person holds no post in the project that works work orders.")]})
    if post is not None and not PostHolding.objects.filter(post=post, project=ticket.project_id, active=True).exists():
        raise BusinessRuleError({"post": [_("Nobody holds this post in the project.")]})
    _move(ticket, "dispatch", actor=actor, now=now,
          note=" ".join(part for part in [str(assignee.get_full_name() or assignee.username) if assignee else str(post), note] if part))
    _adopt(ticket, actor)
    ticket.assignee = assignee
    ticket.assigned_post = post
    ticket.save()
    title = _("Work order %(number)s dispatched to you: %(title)s") % {"number": ticket.number, "title": ticket.title}
    _tell_staff(selectors.holders(post, ticket.project) if post is not None else [assignee], ticket, title,
                exclude=actor)
    _tell_resident(ticket, _("Your request %(number)s has been dispatched") % {"number": ticket.number},
                   _("We have passed \"%(title)s\" to our staff and will keep you informed.") % {"title": ticket.title})
    return ticket


@transaction.atomic
def ticket_take(*, ticket: Ticket, actor: User, now: datetime | None = None) -> Ticket:
    """A holder of the queue post takes the ticket."""
    now = now or clock.now()
    ticket = _locked(ticket)
    _require(ticket.assigned_post_id is not None and holds_post(actor, ticket.assigned_post_id, ticket.project_id)
             and _perm(actor, "tickets.work", ticket))
    if ticket.assignee_id is not None:
        raise StateConflict(_("Someone has already taken this work order."))
    _move(ticket, "take", actor=actor, now=now)
    ticket.assignee = actor
    ticket.save()
    return ticket


@transaction.atomic
def ticket_start(*, ticket: Ticket, actor: User, note: str = "", now: datetime | None = None) -> Ticket:
    now = now or clock.now()
    ticket = _locked(ticket)
    _require(may_work_on(actor, ticket))
    _move(ticket, "start", actor=actor, note=note, now=now)
    _adopt(ticket, actor)
    if ticket.assignee_id is None:
        ticket.assignee = actor
    ticket.first_response_at = ticket.first_response_at or now
    ticket.save()
    return ticket


def _money(value: object, field: str) -> Decimal | None:
    amount = parse_amount(value, field)
    if amount is not None and amount <= 0:
        raise BusinessRuleError({field: [_("The amount must be more than zero.")]})
    return amount


@transaction.atomic
def ticket_resolve(*, ticket: Ticket, actor: User, resolution: str, materials: str | None = None,
                   labour_minutes: int | str | None = None, charge_amount: Decimal | str | None = None,
                   charge_description: str = "", now: datetime | None = None) -> Ticket:
    """Resolve; a repair records materials, labour and an optional paid-service charge (有偿服务),
    which becomes a receivable for the unit (billing.OneOffCharge) for the next bill run."""
    now = now or clock.now()
    ticket = _locked(ticket)
    _require(may_work_on(actor, ticket))
    errors = {}
    if not (resolution or "").strip():
        errors["resolution"] = [_("Say how it was resolved.")]
    amount = None
    try:
        amount = _money(charge_amount, "charge_amount")
    except BusinessRuleError as exc:
        errors.update(exc.errors)
    if labour_minutes not in (None, "") and (not str(labour_minutes).isdigit() or int(labour_minutes) > 100000):
        errors["labour_minutes"] = [_("Enter the labour in whole minutes.")]
    if (amount is not None or materials or labour_minutes not in (None, "")) and ticket.kind != Kind.REPAIR:
        errors.setdefault("kind", [_("Materials, labour and charges are recorded on repairs only.")])
    if amount is not None and ticket.charge_id is not None:
        errors["charge_amount"] = [_("A paid-service charge has already been recorded for this work order.")]
    if errors:
        raise BusinessRuleError(errors)
    _move(ticket, "resolve", actor=actor, note=resolution.strip(), now=now)
    _adopt(ticket, actor)
    ticket.resolution = resolution.strip()
    ticket.resolved_at = now
    ticket.first_response_at = ticket.first_response_at or now
    if materials:
        ticket.materials = materials
    if labour_minutes not in (None, ""):
        ticket.labour_minutes = int(labour_minutes)
    if amount is not None:
        ticket.charge = one_off_charge_create(
            project=ticket.project, unit=ticket.unit, amount=amount, source="repair", source_id=ticket.pk,
            description=charge_description or _("Paid repair %(number)s: %(title)s") % {
                "number": ticket.number, "title": ticket.title},
            created_by=actor)
        _event(ticket, "charge", actor=actor, now=now, note=f"¥{amount}")
    ticket.save()
    _tell_staff([ticket.owner], ticket, _("Work order %(number)s resolved: %(title)s") % {
        "number": ticket.number, "title": ticket.title}, exclude=actor)
    _tell_resident(ticket, _("Your request %(number)s has been resolved") % {"number": ticket.number},
                   _("\"%(title)s\": %(resolution)s — please tell us how satisfied you are.") % {
                       "title": ticket.title, "resolution": ticket.resolution})
    return ticket


@transaction.atomic
def ticket_hold(*, ticket: Ticket, actor: User, reason: str, now: datetime | None = None) -> Ticket:
    """Waiting for the resident: the SLA clock pauses until resume."""
    now = now or clock.now()
    ticket = _locked(ticket)
    _require(may_work_on(actor, ticket) or ticket.owner_id == actor.pk)
    if not (reason or "").strip():
        raise BusinessRuleError({"reason": [_("Say what the work order is waiting for.")]})
    old = _move(ticket, "hold", actor=actor, note=reason.strip(), now=now)
    ticket.held_from_status = old
    ticket.held_since = now
    ticket.first_response_at = ticket.first_response_at or now  # we spoke to the resident
    ticket.save()
    return ticket


@transaction.atomic
def ticket_resume(*, ticket: Ticket, actor: User, note: str = "", now: datetime | None = None) -> Ticket:
    """End the hold: every due time moves on by the service time spent on hold."""
    now = now or clock.now()
    ticket = _locked(ticket)
    _require(may_work_on(actor, ticket) or ticket.owner_id == actor.pk)
    held_since = ticket.held_since
    _move(ticket, "resume", actor=actor, note=note, now=now)
    if held_since is not None:
        project, policy = ticket.project, _policy(ticket)
        ticket.resolution_due = sla.shift(project, ticket.resolution_due, held_since, now, policy.resolution_unit)
        ticket.escalation_due = sla.shift(project, ticket.escalation_due, held_since, now, policy.resolution_unit)
        if ticket.first_response_at is None:
            ticket.response_due = sla.shift(project, ticket.response_due, held_since, now, policy.response_unit)
        ticket.held_minutes += sla.service_minutes_between(project, held_since, now)
    ticket.held_since = None
    ticket.held_from_status = ""
    ticket.save()
    return ticket


@transaction.atomic
def ticket_cancel(*, ticket: Ticket, actor: User, reason: str, now: datetime | None = None) -> Ticket:
    now = now or clock.now()
    ticket = _locked(ticket)
    _require(ticket.owner_id == actor.pk or _perm(actor, "tickets.dispatch", ticket))
    if not (reason or "").strip():
        raise BusinessRuleError({"reason": [_("Say why the work order is cancelled.")]})
    _move(ticket, "cancel", actor=actor, note=reason.strip(), now=now)
    ticket.closed_at = now
    ticket.held_since = None
    ticket.save()
    return ticket


def _reopen(ticket: Ticket, *, actor: User, note: str, now: datetime, event_action: str) -> None:
    _move(ticket, "reopen", actor=actor, note=note, now=now, event_action=event_action)
    ticket.reopen_count += 1
    ticket.resolved_at = None
    # A reopened ticket gets a fresh resolution target counted from now (documented rule).
    policy = _policy(ticket)
    ticket.resolution_due = sla.due(ticket.project, now, policy.resolution_amount, policy.resolution_unit)
    ticket.escalation_due = ticket.resolution_due
    ticket.save()
    _tell_staff([ticket.assignee, ticket.owner], ticket, _("Work order %(number)s reopened: %(title)s") % {
        "number": ticket.number, "title": ticket.title}, body=note, exclude=actor)


def _close(ticket: Ticket, *, actor: User, note: str, now: datetime, event_action: str) -> None:
    _move(ticket, "close", actor=actor, note=note, now=now, event_action=event_action)
    ticket.closed_at = now
    ticket.save()


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, actor: User, reason: str, now: datetime | None = None) -> Ticket:
    """The resident says it is not fixed after all."""
    now = now or clock.now()
    ticket = _locked(ticket)
    _require(ticket.owner_id == actor.pk or _perm(actor, "tickets.dispatch", ticket)
             or access.allows_unit(actor, "tickets.return_visit", ticket.unit))
    if not (reason or "").strip():
        raise BusinessRuleError({"reason": [_("Say why the work order is reopened.")]})
    _reopen(ticket, actor=actor, note=reason.strip(), now=now, event_action="reopened")
    return ticket


@transaction.atomic
def ticket_close(*, ticket: Ticket, actor: User, note: str = "", now: datetime | None = None) -> Ticket:
    """Close a resolved enquiry, suggestion or praise; complaints and repairs close through their
    return visit (seeds/000_d44081c6db2527f0.txt:245 篇11: a return visit verifies the customer is satisfied)."""
    now = now or clock.now()
    ticket = _locked(ticket)
    _require(ticket.owner_id == actor.pk or _perm(actor, "tickets.dispatch", ticket)
             or access.allows_unit(actor, "tickets.return_visit", ticket.unit))
    if ticket.status == Status.RESOLVED and ticket.needs_return_visit:
        raise StateConflict(_("Complaints and repairs are closed by their return visit."))
    _close(ticket, actor=actor, note=note, now=now, event_action="close")
    return ticket


@transaction.atomic
def ticket_return_visit(*, ticket: Ticket, actor: User, method: str, satisfaction: int | str | None, comment: str = "",
                        now: datetime | None = None) -> ReturnVisit:
    """回访 after resolve: satisfaction ≤ 2 reopens the ticket, otherwise it closes."""
    now = now or clock.now()
    ticket = _locked(ticket)
    if access.is_staff_member(actor):
        _require(access.allows_unit(actor, "tickets.return_visit", ticket.unit))
        methods = [m for m in ReturnVisit.Method.values if m != ReturnVisit.Method.PORTAL]
    else:  # the resident rates it in the portal
        _require(actor.resident_profiles.filter(unit=ticket.unit_id).exists())
        method = ReturnVisit.Method.PORTAL
        methods = [method]
    errors = {}
    if method not in methods:
        errors["method"] = [_("Choose how the resident was reached: phone, SMS, visit or e-mail.")]
    score: int | None
    try:
        score = None if satisfaction is None else int(satisfaction)
    except (TypeError, ValueError):
        score = None
    if score is not None and not 1 <= score <= 5:
        score = None
    if score is None:
        errors["satisfaction"] = [_("Satisfaction is a whole number from 1 to 5.")]
    if errors or score is None:
        raise BusinessRuleError(errors)
    if ticket.status != Status.RESOLVED:
        raise StateConflict(_("A return visit can be recorded only for a resolved work order."))
    reopen = score <= MAX_REOPEN_SATISFACTION
    visit = ReturnVisit.objects.create(ticket=ticket, method=method, satisfaction=score, comment=comment or "",
                                       by=actor, at=now,
                                       outcome=ReturnVisit.Outcome.REOPENED if reopen else ReturnVisit.Outcome.CLOSED)
    note = _("%(method)s, satisfaction %(satisfaction)s/5") % {"method": visit.get_method_display(),
                                                               "satisfaction": score}
    _move(ticket, "return_visit", actor=actor, now=now, note=f"{note}. {comment}".strip(". ") if comment else note)
    if reopen:
        _reopen(ticket, actor=actor, now=now, event_action="reopened",
                note=_("Resident not satisfied (%(satisfaction)s/5): %(comment)s") % {
                    "satisfaction": score, "comment": comment or "—"})
    else:
        _close(ticket, actor=actor, note="", now=now, event_action="closed")
    return visit


@transaction.atomic
def ticket_comment(*, ticket: Ticket, actor: User, note: str, to_resident: bool = False,
                   now: datetime | None = None) -> Ticket:
    """A note on the timeline; ``to_resident`` = a reply to the resident (counts as first response)."""
    now = now or clock.now()
    ticket = _locked(ticket)
    _require(access.allows_unit(actor, "tickets.view", ticket.unit) or ticket.owner_id == actor.pk
             or ticket.assignee_id == actor.pk)
    if not (note or "").strip():
        raise BusinessRuleError({"note": [_("Write a note.")]})
    _move(ticket, "comment", actor=actor, note=note.strip(), now=now, event_action="reply" if to_resident else "comment")
    if to_resident:
        ticket.first_response_at = ticket.first_response_at or now
        ticket.save()
        _tell_resident(ticket, _("A reply about your request %(number)s") % {"number": ticket.number}, note.strip())
    return ticket


@transaction.atomic
def ticket_attach(*, ticket: Ticket, actor: User, files: Sequence[File], now: datetime | None = None) -> Ticket:
    now = now or clock.now()
    ticket = _locked(ticket)
    if access.is_staff_member(actor):
        _require(access.allows_unit(actor, "tickets.view", ticket.unit) or actor.pk in (ticket.owner_id, ticket.assignee_id))
    else:
        _require(actor.resident_profiles.filter(unit=ticket.unit_id).exists())
    if ticket.status in (Status.CLOSED, Status.CANCELLED):
        raise StateConflict(_("Nothing can be added to a closed work order."))
    if not files:
        raise BusinessRuleError({"files": [_("Choose a file to upload.")]})
    _attach(ticket, files, actor, now)
    _event(ticket, "attach", actor=actor, now=now, note=", ".join(f.name or "" for f in files))
    return ticket
