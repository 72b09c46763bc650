"""A patrol round's life as data: (status, action) -> new status. Anything not in the table is a 409.

open → done when its last checkpoint is recorded; open → missed when its day has ended with checkpoints unrecorded
(the scheduler closes it, patrols/jobs.py). A checkpoint is recorded only while the round is open."""
from django.utils.translation import gettext_lazy as _

from dutydesk.patrols.models import Round

OPEN, DONE, MISSED = Round.Status.OPEN, Round.Status.DONE, Round.Status.MISSED

TRANSITIONS: dict[tuple[str, str], str] = {
    (OPEN, "record"): OPEN,
    (OPEN, "finish"): DONE,
    (OPEN, "miss"): MISSED,
}

CONFLICTS = {
    "record": _("This round is %(status)s: its checkpoints can no longer be recorded."),
    "finish": _("This round is %(status)s already."),
    "miss": _("This round is %(status)s already."),
}


def next_status(status: str, action: str) -> str | None:
    return TRANSITIONS.get((status, action))
