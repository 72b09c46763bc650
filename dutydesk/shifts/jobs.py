"""Scheduler jobs of the shifts (idempotent: a tick can run twice)."""
from datetime import datetime

from dutydesk.core.scheduler import job
from dutydesk.shifts import services


@job("shifts.handover_escalation", "Handovers the next shift has not acknowledged in time go to the supervisor post",
     period="minute")
def handover_escalation(now: datetime) -> int:
    """Set-based over every project: one query finds the handovers past ``ack_due_at``, each becomes one task for the
    supervisor post, once (``services.handovers_escalate``)."""
    return services.handovers_escalate(now=now)
