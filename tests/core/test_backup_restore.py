"""`dutydesk backup` / `dutydesk restore` round trip on the database the suite runs on (SQLite, or PostgreSQL in a
scratch database), with a media file: row counts and the file come back as they were."""
import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.db import connection


def _dutydesk(env, *args, check=True):
    result = subprocess.run([sys.executable, "-m", "dutydesk", *args], env=env, capture_output=True, text=True,
                            timeout=300)
    if check:
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result


@pytest.fixture
def scratch_database_url(tmp_path, db, request):
    """A database of its own, migrated: a copy of the migrated SQLite file, or on PostgreSQL of the test database
    (``migrated_sqlite`` asked for on SQLite only: on PostgreSQL it would migrate a file nobody uses)."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{request.getfixturevalue('migrated_sqlite')(tmp_path / 'scratch.sqlite3')}"
        return
    settings_dict = connection.settings_dict
    name = f"dutydesk_backup_{uuid.uuid4().hex[:8]}"
    admin = dict(host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or 5432,
                 user=settings_dict["USER"] or "postgres", dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    # the test database as migrations left it (what this test has not committed is not in it): copied in a few
    # seconds, where migrating a new database takes most of a minute
    server = ["-h", str(admin["host"]), "-p", str(admin["port"]), "-U", str(admin["user"])]
    dump = subprocess.run(["pg_dump", *server, "--no-owner", settings_dict["NAME"]], capture_output=True, check=True,
                          timeout=120)
    subprocess.run(["psql", *server, "-q", "-v", "ON_ERROR_STOP=1", "-d", name], input=dump.stdout,
                   capture_output=True, check=True, timeout=120)
    yield f"postgres://{admin['user']}@{admin['host']}:{admin['port']}/{name}"
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_round_trip(tmp_path, scratch_database_url):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DUTYDESK_DEBUG": "1", "DUTYDESK_VAR_DIR": str(tmp_path),
           "DATABASE_URL": scratch_database_url}
    assert "[ ]" not in _dutydesk(env, "showmigrations", "--plan").stdout  # migrated, nothing left to apply
    _dutydesk(env, "import_catalog", "property-cs")
    photo = tmp_path / "media" / "tickets" / "photo.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8\xff\xe0 a photo")
    archive = _dutydesk(env, "backup", "--output", str(tmp_path / "backups")).stdout.strip()
    assert archive.endswith(".tar") and os.path.getsize(archive) > 0

    # Damage: posts gone, the photo gone.
    _dutydesk(env, "shell", "--no-imports", "-c", "from dutydesk.org.models import Post; Post.objects.all().delete()")
    photo.unlink()
    counted = "from dutydesk.org.models import Post; print(Post.objects.count())"
    assert _dutydesk(env, "shell", "--no-imports", "-c", counted).stdout.strip() == "0"

    refused = _dutydesk(env, "restore", archive, check=False)  # no --yes and no answer: nothing happens
    assert refused.returncode != 0
    restored = _dutydesk(env, "restore", archive, "--yes")
    assert "restored" in restored.stdout
    assert int(_dutydesk(env, "shell", "--no-imports", "-c", counted).stdout.strip()) > 10
    assert photo.read_bytes() == b"\xff\xd8\xff\xe0 a photo"


@pytest.mark.own_database
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DUTYDESK_DEBUG": "1", "DUTYDESK_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar")
    result = _dutydesk(env, "restore", str(junk), "--yes", check=False)
    assert result.returncode != 0
    assert "not a DutyDesk backup" in result.stderr
