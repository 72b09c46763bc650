"""Auth and limits (shared/API.md): failed-login throttling, token expiry and revocation."""
from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def _token(client, username, password, address="10.0.0.1"):
    return client.post("/api/v1/auth/token", {"username": username, "password": password}, format="json",
                       REMOTE_ADDR=address)


def test_it_throttles_a_username_after_five_failures_even_for_the_right_password(staff):
    client = APIClient()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert [_token(client, "frontdesk", "wrong").status_code for _ in range(5)] == [401] * 5
        locked = _token(client, "frontdesk", "pw")
        assert locked.status_code == 429
        assert 0 < int(locked["Retry-After"]) <= 901
        assert "detail" in locked.json()
        assert _token(client, "manager", "pw").status_code == 200  # another user is not affected
        clock.shift(timedelta(seconds=902))
        assert _token(client, "frontdesk", "pw").status_code == 200


def test_it_throttles_an_address_that_tries_many_usernames(staff):
    client = APIClient()
    for n in range(20):
        assert _token(client, f"nobody{n}", "x", address="10.9.9.9").status_code == 401
    assert _token(client, "manager", "pw", address="10.9.9.9").status_code == 429
    assert _token(client, "manager", "pw", address="10.9.9.10").status_code == 200


def test_a_success_clears_the_username_counter(staff):
    client = APIClient()
    for _ in range(4):
        _token(client, "supervisor", "wrong")
    assert _token(client, "supervisor", "pw").status_code == 200
    for _ in range(4):
        assert _token(client, "supervisor", "wrong").status_code == 401


def test_the_login_form_is_throttled_too_and_says_so(staff):
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(5):
        assert client.post("/login/", {"username": "butler", "password": "wrong"}).status_code == 200
    response = client.post("/login/", {"username": "butler", "password": "pw"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_expired_token_is_refused_and_a_new_one_is_issued(staff, settings):
    client = APIClient()
    key = _token(client, "archivist", "pw").json()["token"]
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=settings.DUTYDESK_TOKEN_DAYS, seconds=1))
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    fresh = _token(client, "archivist", "pw").json()["token"]
    assert fresh != key
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code == 200


def test_a_revoked_token_is_dead_at_once(staff):
    client = APIClient()
    key = _token(client, "engineer", "pw").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/me", **auth).status_code == 200
    assert client.post("/api/v1/auth/token/revoke", **auth).status_code == 204
    assert client.get("/api/v1/me", **auth).status_code == 401
    assert client.post("/api/v1/auth/token/revoke").status_code == 401
