"""Core scheduler jobs."""
from datetime import datetime

from dutydesk.core import services
from dutydesk.core.scheduler import job, marks_prune


@job("core.send_emails", "send queued notification e-mails (with the mail server timeout)")
def send_emails(now: datetime) -> dict[str, int]:
    return services.pending_emails_send()


@job("core.job_marks_prune", "forget the scheduler's marks of periods long past", period="day")
def job_marks_prune(now: datetime) -> int:
    return marks_prune(now)
