"""The documented start command really generates routine tasks: ``python -m dutydesk scheduler
--once --now <iso>`` as a subprocess against a migrated SQLite file database."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETUP = """
import django
django.setup()
from django.contrib.auth import get_user_model
from dutydesk.archive.models import Project
from dutydesk.org.models import Organisation, Post, PostHolding
organisation = Organisation.objects.order_by("id").first()  # created by the catalogue import
project = Project.objects.create(organisation=organisation, code="p1", name="阳光花园")
user = get_user_model().objects.create_user("frontdesk", password="pw")
PostHolding.objects.create(user=user, post=Post.objects.get(code="frontdesk-assistant"), project=project)
"""


def _run(args, env, **kwargs):
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                            **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.own_database
def test_the_scheduler_command_creates_routine_tasks_once(tmp_path, migrated_sqlite):
    database = tmp_path / "db.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DUTYDESK_DEBUG": "1",
           "DUTYDESK_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "dutydesk.settings"}
    env.pop("DUTYDESK_CONN_MAX_AGE", None)
    migrated_sqlite(database)
    catalogue = ROOT / "dutydesk" / "org" / "catalogs" / "property-cs.yaml"
    _run(["-m", "dutydesk", "import_catalog", str(catalogue)], env)
    _run(["-c", SETUP], env)
    first = _run(["-m", "dutydesk", "scheduler", "--once", "--now", "2026-06-01T08:00:00+08:00"], env)
    assert "duties.routines" in first.stdout
    second = _run(["-m", "dutydesk", "scheduler", "--once", "--now", "2026-06-01T09:30:00+08:00"], env)
    assert "duties.routines: 0" in second.stdout
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT r.code, t.due_at FROM duties_task t JOIN org_routine r ON r.id = t.routine_id "
            "JOIN auth_user u ON u.id = t.assignee_id WHERE u.username = 'frontdesk' ORDER BY t.due_at").fetchall()
    codes = [code for code, _due in rows]
    assert codes.count("daily-1700-check") == 1 and codes.count("daily-0900-complaint-followup") == 1
    assert ("daily-1700-check", "2026-06-01 09:00:00") in rows  # 17:00 in Shanghai, stored in UTC


def test_once_with_now_prints_the_simulated_time_not_the_wall_clock(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("scheduler", "--now", "2026-03-10T17:00", "--job", "core.send_emails", stdout=out)
    assert out.getvalue().startswith("2026-03-10 17:00:00 core.send_emails:")
