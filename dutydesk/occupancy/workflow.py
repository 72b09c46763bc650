"""The renovation's life as data: (status, action) -> new status. Anything not in the table is a 409.

applied → approved (permit, deposit receivable, worker passes) → passed (a passing final inspection) → closed (退场:
passes cancelled). applied → rejected. The deposit refund is an action of a passed or closed renovation: refunded
only after a passed final inspection."""
from django.utils.translation import gettext_lazy as _

from dutydesk.occupancy.models import Renovation

APPLIED, APPROVED, REJECTED = Renovation.Status.APPLIED, Renovation.Status.APPROVED, Renovation.Status.REJECTED
PASSED, CLOSED = Renovation.Status.PASSED, Renovation.Status.CLOSED

TRANSITIONS: dict[tuple[str, str], str] = {
    (APPLIED, "approve"): APPROVED,
    (APPLIED, "reject"): REJECTED,
    (APPLIED, "add_worker"): APPLIED,
    (APPROVED, "add_worker"): APPROVED,
    (APPROVED, "extend"): APPROVED,  # 延期 (seeds/004_418914185ea837fa.txt:16)
    (APPROVED, "inspect"): APPROVED,
    (APPROVED, "final_pass"): PASSED,  # 竣工验收 passed (seeds/000_d44081c6db2527f0.txt:564)
    (PASSED, "close"): CLOSED,  # 退场 (seeds/004_418914185ea837fa.txt:16)
    (PASSED, "refund"): PASSED,
    (CLOSED, "refund"): CLOSED,
}

# The 409 message of an action asked in a state that does not allow it.
CONFLICTS = {
    "approve": _("Only an application that is still waiting can be approved or rejected."),
    "reject": _("Only an application that is still waiting can be approved or rejected."),
    "add_worker": _("Workers are added while the application waits or the works are under way."),
    "extend": _("Only a renovation under way can be extended."),
    "inspect": _("Inspections are recorded while the works are under way."),
    "final_pass": _("Inspections are recorded while the works are under way."),
    "close": _("A renovation is closed after its final inspection has passed."),
    "refund": _("The deposit is refunded only after a passed final inspection."),
}


def next_status(status: str, action: str) -> str | None:
    return TRANSITIONS.get((status, action))


def allowed_actions(status: str) -> set[str]:
    return {action for (source, action) in TRANSITIONS if source == status}
