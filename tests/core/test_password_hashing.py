"""Passwords are stored with Argon2id in production (tests use MD5 for speed); a password stored earlier with PBKDF2
still logs in through the login form and is re-hashed with Argon2 then."""
import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client, override_settings

from dutydesk import settings as production
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS)
def test_a_pbkdf2_password_logs_in_and_is_rehashed_with_argon2():
    assert make_password("a-long-password").startswith("argon2$argon2id$")
    user = UserFactory(username="old-clerk")
    user.password = make_password("a-long-password", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    client = Client()
    assert client.post("/login/", {"username": "old-clerk", "password": "wrong-password"}).status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")  # a failed login changes nothing
    response = client.post("/login/", {"username": "old-clerk", "password": "a-long-password"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$") and user.check_password("a-long-password")
