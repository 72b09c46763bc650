"""The work-order lifecycle as data: (status, action) -> new status.

new → dispatched → in_progress → resolved → closed, with hold/resume (the clock pauses),
reopen (back to in_progress), cancel and escalate. Anything not in the table is a 409."""
from django.utils.translation import gettext_lazy as _

from dutydesk.tickets.models import Status

NEW, DISPATCHED, IN_PROGRESS, ON_HOLD = Status.NEW, Status.DISPATCHED, Status.IN_PROGRESS, Status.ON_HOLD
RESOLVED, CLOSED, CANCELLED = Status.RESOLVED, Status.CLOSED, Status.CANCELLED
PREVIOUS = "<previous>"  # resume returns to the status the ticket was held from
SAME = "<same>"  # the action does not change the status

TRANSITIONS = {
    (NEW, "dispatch"): DISPATCHED,
    (DISPATCHED, "dispatch"): DISPATCHED,  # re-dispatch to someone else
    (IN_PROGRESS, "dispatch"): DISPATCHED,
    (DISPATCHED, "take"): DISPATCHED,  # a holder of the post takes it from the post queue
    (NEW, "start"): IN_PROGRESS,  # the first receiver handles it personally
    (DISPATCHED, "start"): IN_PROGRESS,
    (IN_PROGRESS, "resolve"): RESOLVED,
    (NEW, "hold"): ON_HOLD,
    (DISPATCHED, "hold"): ON_HOLD,
    (IN_PROGRESS, "hold"): ON_HOLD,
    (ON_HOLD, "resume"): PREVIOUS,
    (RESOLVED, "return_visit"): SAME,  # followed by "closed" or "reopened"
    (RESOLVED, "close"): CLOSED,
    (RESOLVED, "reopen"): IN_PROGRESS,
    (NEW, "cancel"): CANCELLED,
    (DISPATCHED, "cancel"): CANCELLED,
    (IN_PROGRESS, "cancel"): CANCELLED,
    (ON_HOLD, "cancel"): CANCELLED,
    (NEW, "escalate"): SAME,
    (DISPATCHED, "escalate"): SAME,
    (IN_PROGRESS, "escalate"): SAME,
    (ON_HOLD, "escalate"): SAME,
    (NEW, "comment"): SAME,
    (DISPATCHED, "comment"): SAME,
    (IN_PROGRESS, "comment"): SAME,
    (ON_HOLD, "comment"): SAME,
    (RESOLVED, "comment"): SAME,
}

ACTION_LABELS = {
    "created": _("received"),
    "dispatch": _("dispatched"),
    "take": _("taken from the post queue"),
    "start": _("started"),
    "resolve": _("resolved"),
    "hold": _("put on hold"),
    "resume": _("resumed"),
    "return_visit": _("return visit"),
    "close": _("closed"),
    "closed": _("closed"),
    "reopen": _("reopened"),
    "reopened": _("reopened"),
    "cancel": _("cancelled"),
    "escalate": _("escalated"),
    "comment": _("note"),
    "reply": _("replied to the resident"),
    "claim": _("claimed (first-ask owner)"),
    "attach": _("attachment added"),
    "charge": _("paid-service charge recorded"),
}


def allowed_actions(status):
    return {action for (state, action) in TRANSITIONS if state == status}


def target(status, action, held_from=""):
    """The status after ``action``, or None when the table does not allow it."""
    new = TRANSITIONS.get((status, action))
    if new is None:
        return None
    if new == PREVIOUS:
        return held_from or IN_PROGRESS
    if new == SAME:
        return status
    return new
