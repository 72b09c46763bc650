"""Schemathesis against the live schema, in-process (WSGI): every API operation, a bounded number of generated
requests as the manager and as a resident — no server errors, no response that breaks its own schema."""
import os

import hypothesis
import pytest
import schemathesis
from schemathesis import checks
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase
from rest_framework.authtoken.models import Token


EXAMPLES = 4
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance]


def _summary(exc):
    text = str(exc)
    for sub in getattr(exc, "exceptions", ()):  # the schema violations name the field and the rule
        text += "\n" + "\n".join(f"  {line}" for line in str(sub).splitlines() if line.strip())
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith(("- ST", "- ", "Received", "Documented", "`", "curl", "Schema", "Value", "Invalid", "'", "{", "At"))]
    return " | ".join(lines)[:900] or text[:900]


@pytest.fixture
def schema(db):
    """The app called in-process through WSGI. Like Django's test client, keep the request signals from closing
    the test's database connection (it holds the test transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo centre (tickets, bills, payments, keys, visits...), so responses carry real objects. Loaded once for
    the module (each test still runs in its own rolled-back transaction) and flushed after it."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("demo", stdout=open(os.devnull, "w"))
        yield
        call_command("flush", "--noinput", verbosity=0)


@pytest.fixture
def users(demo, db):
    from django.contrib.auth import get_user_model

    return {user.username: user for user in get_user_model().objects.filter(username__in=["manager", "resident"])}


def _run(schema, token, methods):
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() not in methods:
            continue

        @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                             phases=[Phase.explicit, Phase.generate],
                             suppress_health_check=list(HealthCheck))
        @hypothesis.given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 — collect every failure, report all at once
            failures.append(f"{operation.method.upper()} {operation.path}: {_summary(exc)}")
    return failures


@pytest.mark.parametrize("who", ["manager", "resident"])
def test_every_read_operation_keeps_its_schema(schema, users, who):
    user = users[who]
    token, _ = Token.objects.get_or_create(user=user)
    failures = _run(schema, token.key, {"GET"})
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("who", ["manager", "resident"])
def test_every_write_operation_keeps_its_schema(schema, users, who):
    user = users[who]
    token, _ = Token.objects.get_or_create(user=user)
    failures = _run(schema, token.key, {"POST", "PUT", "PATCH", "DELETE"})
    assert not failures, "\n\n".join(failures)
