from unittest import mock

from django.db.utils import OperationalError


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(client, db):
    with mock.patch("dutydesk.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_token_for_good_credentials_and_401_for_bad(staff, api):
    client = api()
    token = client.post("/api/v1/auth/token", {"username": "frontdesk", "password": "pw"}, format="json")
    assert token.status_code == 200
    me = api().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token.json()['token']}")
    assert me.status_code == 200
    assert [p["code"] for p in me.json()["posts"]] == ["frontdesk-assistant"]
    assert client.post("/api/v1/auth/token", {"username": "frontdesk", "password": "nope"}, format="json").status_code == 401


def test_openapi_schema_and_docs_are_served(client, db):
    schema = client.get("/api/v1/schema", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/units/" in schema.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content and b"cdn" not in docs.content.lower()
