import logging

from django.core.mail import send_mail
from django.db import transaction

from dutydesk.core.models import Notification

log = logging.getLogger(__name__)


def notify(*, user, title, body="", url="", email=True):
    """Tell a user something: an in-app notification, and an e-mail after commit when they
    have an address. Mail failures are logged, never raised into the business transaction."""
    notification = Notification.objects.create(user=user, title=title[:200], body=body, url=url)
    if email and user.email:
        def send():
            try:
                send_mail(title, f"{body}\n\n{url}".strip(), None, [user.email])
            except Exception:
                log.exception("could not e-mail notification %s", notification.pk)

        transaction.on_commit(send)
    return notification
