"""``Idempotency-Key`` (the API's header; the staff pay form sends a per-render key the same way): a request that
moves money runs once per (user, key), and a repeat gets the first answer back. An HTTP concern, so it lives in the
API layer; the service it wraps knows nothing of it."""
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dutydesk.core.errors import StateConflict
from dutydesk.core.models import IdempotencyKey


def request_hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def idempotent(*, user: Any, key: str, data: Any, action: Callable[[], tuple[int, Any]]) -> tuple[int, Any]:
    """Run ``action()`` -> ``(status, body)`` once per (user, key); a repeat returns the stored
    result; a repeat with a different request is a conflict."""
    if not key:
        return action()
    digest = request_hash(data)
    stored = IdempotencyKey.objects.filter(user=user, key=key).first()
    if stored is None:
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(user=user, key=key[:100], request_hash=digest)
                status, body = action()
                if status >= 400:  # errors are not remembered: the client may fix and retry
                    raise _Rollback(status, body)
                record.status_code, record.response = status, body
                record.save(update_fields=["status_code", "response"])
                return status, body
        except _Rollback as rollback:
            return rollback.status, rollback.body
        except IntegrityError:  # the same key is being used concurrently: the winner's result counts
            stored = IdempotencyKey.objects.get(user=user, key=key)
    if stored.request_hash != digest:
        raise StateConflict(_("This Idempotency-Key was used for a different request."))
    return stored.status_code, stored.response


class _Rollback(Exception):
    def __init__(self, status: int, body: Any) -> None:
        self.status, self.body = status, body
