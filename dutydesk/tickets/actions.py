"""The actions on a work order as one table, run the same way by the API (tickets/api.py) and the ticket page
(tickets/views.py): action name → input serializer, service verb, and who is offered it.

``run`` validates the posted data with the action's input serializer (the API's 400 / the page's error message)
and calls the service. The ``offered`` column is the page's question "which forms do I show this user"; the rule
itself is enforced by the service on the locked row (who may act on *this* ticket — assignee, 首问 owner, holder
of the queue post, dispatcher of its project — is a rule of the ticket, decided under the lock; docs/architecture.md
"Where permission checks live"). The transition table (tickets/workflow.py) says in which states an action exists."""
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from rest_framework import serializers

from dutydesk.org import access
from dutydesk.tickets import escalation, services, workflow
from dutydesk.tickets.models import Status, Ticket
from dutydesk.tickets.serializers import (CommentSerializer, DispatchSerializer, NoteSerializer, ReasonSerializer,
                                          ResolveSerializer, ReturnVisitSerializer)

Offered = Callable[[User, Ticket], bool]


def _dispatcher(user: User, ticket: Ticket) -> bool:
    return access.has_perm(user, "tickets.dispatch", ticket.project_id)


def _worker(user: User, ticket: Ticket) -> bool:
    return services.may_work_on(user, ticket)


def _owner(user: User, ticket: Ticket) -> bool:
    return ticket.owner_id == user.pk


def _visitor(user: User, ticket: Ticket) -> bool:
    return access.allows_unit(user, "tickets.return_visit", ticket.unit)


def _holds_queue_post(user: User, ticket: Ticket) -> bool:
    return ticket.assigned_post_id is not None and services.holds_post(user, ticket.assigned_post_id, ticket.project_id)


def _may_take(user: User, ticket: Ticket) -> bool:
    # a routed portal ticket (new, no owner yet) is claimed, not taken
    return (ticket.assignee_id is None and _holds_queue_post(user, ticket)
            and not (ticket.status == Status.NEW and ticket.owner_id is None))


def _may_claim(user: User, ticket: Ticket) -> bool:
    return ticket.owner_id is None and ticket.is_open and (
        access.allows_unit(user, "tickets.create", ticket.unit) or _holds_queue_post(user, ticket))


def _any(*rules: Offered) -> Offered:
    return lambda user, ticket: any(rule(user, ticket) for rule in rules)


@dataclass(frozen=True)
class TicketAction:
    service: Callable[..., Any]  # the service verb: ``service(ticket=, actor=, **input)``
    input: type[serializers.Serializer] | None = None  # the posted fields; None: the action takes none
    offered: Offered | None = None  # whom the ticket page offers the form; None: the page decides (the upload form)
    in_workflow: bool = True  # offered only in the states the transition table allows it
    files: bool = False  # takes the uploaded files


ACTIONS: dict[str, TicketAction] = {
    "claim": TicketAction(services.ticket_claim, offered=_may_claim, in_workflow=False),
    "dispatch": TicketAction(services.ticket_dispatch, DispatchSerializer, _dispatcher),
    "take": TicketAction(services.ticket_take, offered=_may_take),
    "start": TicketAction(services.ticket_start, NoteSerializer, _worker),
    "resolve": TicketAction(services.ticket_resolve, ResolveSerializer, _worker),
    "hold": TicketAction(services.ticket_hold, ReasonSerializer, _any(_worker, _owner)),
    "resume": TicketAction(services.ticket_resume, NoteSerializer, _any(_worker, _owner)),
    "cancel": TicketAction(services.ticket_cancel, ReasonSerializer, _any(_dispatcher, _owner)),
    "reopen": TicketAction(services.ticket_reopen, ReasonSerializer, _any(_dispatcher, _owner, _visitor)),
    "close": TicketAction(services.ticket_close, NoteSerializer,
                          lambda user, ticket: not ticket.needs_return_visit and _any(_dispatcher, _owner, _visitor)(
                              user, ticket)),
    "return_visit": TicketAction(services.ticket_return_visit, ReturnVisitSerializer, _visitor),
    "escalate": TicketAction(escalation.ticket_escalate, ReasonSerializer,
                             _any(_dispatcher, _owner, lambda user, ticket: ticket.assignee_id == user.pk)),
    "comment": TicketAction(services.ticket_comment, CommentSerializer, lambda user, ticket: True),
    "attach": TicketAction(services.ticket_attach, files=True),
}


def offered_actions(user: User, ticket: Ticket) -> set[str]:
    """The action forms the ticket page shows ``user`` (the services still check everything)."""
    allowed = workflow.allowed_actions(ticket.status)
    return {name for name, action in ACTIONS.items()
            if action.offered is not None and (name in allowed or not action.in_workflow)
            and action.offered(user, ticket)}


def run(name: str, *, ticket: Ticket, actor: User, data: Any, files: Iterable[UploadedFile] = ()) -> Any:
    """Validate ``data`` with the action's input serializer (``ValidationError`` → 400) and call its service, which
    answers ``Denied`` (403), ``StateConflict`` (409) or ``BusinessRuleError`` (400). ``KeyError``: no such action."""
    action = ACTIONS[name]
    values: dict[str, Any] = {}
    if action.input is not None:
        serializer = action.input(data=data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
    if action.files:
        values["files"] = list(files)
    return action.service(ticket=ticket, actor=actor, **values)
