import subprocess
import sys


def test_the_openapi_schema_generates_and_validates_without_errors(tmp_path):
    """Every endpoint is documented (drf-spectacular reports no errors) and the schema is valid OpenAPI 3."""
    env = {"DUTYDESK_DEBUG": "1", "DUTYDESK_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "dutydesk", "spectacular", "--validate", "--file", str(tmp_path / "s.yaml")],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Error [" not in result.stderr, result.stderr[-2000:]
    schema = (tmp_path / "s.yaml").read_text()
    for path in ("/api/v1/posts/", "/api/v1/units/", "/api/v1/tickets/", "/api/v1/keys/", "/api/v1/bills/",
                 "/api/v1/tasks/", "/api/v1/reports/collection-rate"):
        assert f"{path}:" in schema, path


def test_the_schema_generates_without_warnings(tmp_path):
    """No enum-name collisions ("kind", "channel" of several models): every enum is named after its model."""
    env = {"DUTYDESK_DEBUG": "1", "DUTYDESK_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "dutydesk", "spectacular", "--fail-on-warn", "--file", str(tmp_path / "s.yaml")],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Warning" not in result.stderr
    schema = (tmp_path / "s.yaml").read_text()
    assert "TicketKindEnum:" in schema and "KeyKindEnum:" in schema


def test_the_schema_endpoint_answers_json(client, db):
    response = client.get("/api/v1/schema")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json") or \
        response["Content-Type"].startswith("application/json")
    assert response.json()["openapi"].startswith("3.")
