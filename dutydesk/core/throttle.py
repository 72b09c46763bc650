"""Failed-login throttling, per username and per client address (shared/API.md, "Auth and limits").

Counted in the shared cache (Redis when ``DUTYDESK_REDIS_URL`` is set, the database otherwise), so every worker
process sees the same counters. Only failures count; once the window has passed the right password works again.
Checked *before* the password hash is computed, so a locked-out attacker costs no CPU.
"""
import hashlib
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address the trusted proxy saw (``DUTYDESK_TRUSTED_PROXIES`` hops of X-Forwarded-For)."""
    hops = settings.DUTYDESK_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _keys(request: HttpRequest, username: str | None) -> list[tuple[str, int]]:
    name = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    return [(f"login-fail:user:{name}", settings.DUTYDESK_LOGIN_FAILURES_PER_USER),
            (f"login-fail:addr:{client_address(request)}", settings.DUTYDESK_LOGIN_FAILURES_PER_ADDRESS)]


def retry_after(request: HttpRequest, username: str | None) -> int:
    """Seconds until this username/address may try again; 0 when not throttled."""
    wait = 0
    now = time.time()
    for key, limit in _keys(request, username):
        count = cache.get(key, 0)
        if count >= limit:
            started = cache.get(f"{key}:t", now)
            wait = max(wait, int(started + settings.DUTYDESK_LOGIN_WINDOW_SECONDS - now) + 1)
    return wait


def record_failure(request: HttpRequest, username: str | None) -> None:
    window = settings.DUTYDESK_LOGIN_WINDOW_SECONDS
    for key, _limit in _keys(request, username):
        if cache.add(key, 1, window):
            cache.set(f"{key}:t", time.time(), window)
        else:
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, window)
                cache.set(f"{key}:t", time.time(), window)


def clear_user(request: HttpRequest, username: str | None) -> None:
    key = _keys(request, username)[0][0]
    cache.delete_many([key, f"{key}:t"])


@receiver(user_login_failed)
def _on_login_failed(sender: object, credentials: dict[str, Any], request: HttpRequest | None = None,
                     **kwargs: Any) -> None:
    if request is not None:
        record_failure(request, credentials.get("username", ""))


@receiver(user_logged_in)
def _on_logged_in(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None:
        clear_user(request, user.get_username())
