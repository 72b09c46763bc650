"""Notification e-mails leave through an outbox job, after commit and off the request, with a timeout."""
import socket
import threading
import time

import pytest
from django.core import mail

from dutydesk.core import services
from dutydesk.core.models import Notification, OutboundEmail
from dutydesk.core.scheduler import load_jobs
from tests.factories import UserFactory


@pytest.fixture
def someone(db):
    return UserFactory(username="li", email="li@example.com")


def test_notify_sends_nothing_inside_the_request_and_the_job_sends_it_once(someone, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(user=someone, title="工单 KF001 已派单", body="请处理", url="/tickets/1/")
    assert mail.outbox == []
    assert Notification.objects.count() == 1
    assert OutboundEmail.objects.get().state == "pending"
    assert load_jobs()["core.send_emails"].func(None) == {"sent": 1, "failed": 0}
    assert [m.to for m in mail.outbox] == [["li@example.com"]]
    assert mail.outbox[0].subject == "工单 KF001 已派单"
    assert services.pending_emails_send() == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 1


def test_a_rolled_back_action_sends_nothing(someone):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify(user=someone, title="x")
        raise RuntimeError("the dispatch failed")
    assert services.pending_emails_send() == {"sent": 0, "failed": 0}
    assert mail.outbox == []


def test_a_user_without_an_address_gets_no_email_row(db):
    services.notify(user=UserFactory(username="wang", email=""), title="x")
    assert Notification.objects.count() == 1
    assert not OutboundEmail.objects.exists()


def test_a_failing_mail_server_is_retried_then_given_up(someone, monkeypatch):
    services.notify(user=someone, title="x")

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(services, "send_mail", broken)
    for _ in range(services.MAX_EMAIL_ATTEMPTS - 1):
        assert services.pending_emails_send() == {"sent": 0, "failed": 0}
    assert services.pending_emails_send() == {"sent": 0, "failed": 1}
    row = OutboundEmail.objects.get()
    assert (row.state, row.attempts) == ("failed", services.MAX_EMAIL_ATTEMPTS)


def test_a_hung_smtp_server_costs_the_timeout_not_a_hang(someone, settings):
    """A server that accepts and never answers: the job gives up after the configured timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    accepted = []
    threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True).start()
    options = {"host": "127.0.0.1", "port": listener.getsockname()[1], "timeout": 1}
    if hasattr(settings, "MAILERS"):
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}
    else:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = options["host"], options["port"], 1
    services.notify(user=someone, title="x")
    started = time.monotonic()
    assert services.pending_emails_send() == {"sent": 0, "failed": 0}
    assert time.monotonic() - started < 5
    assert OutboundEmail.objects.get().attempts == 1
    listener.close()


def test_production_settings_give_the_smtp_mailer_a_timeout():
    import importlib
    import os

    from dutydesk import settings as production

    os.environ["DUTYDESK_EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
    try:
        reloaded = importlib.reload(production)
        timeout = (reloaded.MAILERS["default"]["OPTIONS"]["timeout"] if hasattr(reloaded, "MAILERS")
                   else reloaded.EMAIL_TIMEOUT)
        assert timeout == 10
    finally:
        del os.environ["DUTYDESK_EMAIL_BACKEND"]
        importlib.reload(production)
