"""Core scheduler jobs."""
from dutydesk.core import services
from dutydesk.core.scheduler import job


@job("core.send_emails", "send queued notification e-mails (with the mail server timeout)")
def send_emails(now):
    return services.pending_emails_send()
