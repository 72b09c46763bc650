import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction

from dutydesk.core import clock
from dutydesk.core.models import Notification, OutboundEmail

if TYPE_CHECKING:
    from django.contrib.auth.models import User


log = logging.getLogger(__name__)
MAX_EMAIL_ATTEMPTS = 5


def email_queue(*, to: str, subject: str, body: str = "") -> OutboundEmail:
    """Put an e-mail in the outbox; the ``core.send_emails`` job sends it (never inside a request)."""
    return OutboundEmail.objects.create(to=to, subject=subject[:200], body=body)


def notify(*, user: "User", title: str, body: str = "", url: str = "", email: bool = True) -> Notification:
    """Tell a user something: an in-app notification, and an e-mail through the outbox when they have an
    address. The outbox row belongs to the same transaction, so a rolled-back action sends nothing."""
    notification = Notification.objects.create(user=user, title=title[:200], body=body, url=url)
    if email and user.email:
        email_queue(to=user.email, subject=title, body=f"{body}\n\n{url}".strip())
    return notification


def pending_emails_send(*, limit: int = 200) -> dict[str, int]:
    """Send the queued e-mails (oldest first), each bounded by the mailer's timeout.

    Rows are locked with SKIP LOCKED on PostgreSQL, so two schedulers never send one message twice. A failure
    is retried on later ticks and given up (``failed``) after MAX_EMAIL_ATTEMPTS."""
    sent = failed = 0
    with transaction.atomic():
        rows = OutboundEmail.objects.filter(state=OutboundEmail.State.PENDING).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        for email in rows[:limit]:
            email.attempts += 1
            try:
                send_mail(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
            except Exception:  # the mail server's problem: retry later, keep the other messages going
                log.warning("could not send e-mail %s", email.pk, exc_info=True)
                if email.attempts >= MAX_EMAIL_ATTEMPTS:
                    email.state = OutboundEmail.State.FAILED
                    failed += 1
                email.save(update_fields=["attempts", "state"])
                continue
            email.state, email.sent_at = OutboundEmail.State.SENT, clock.now()
            email.save(update_fields=["attempts", "state", "sent_at"])
            sent += 1
    return {"sent": sent, "failed": failed}
