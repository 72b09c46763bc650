"""Production serving as documented in deploy/: gunicorn with debug off answers /healthz and serves the static files
through WhiteNoise, and stops on SIGTERM."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.own_database
def test_gunicorn_serves_health_and_static_files_with_debug_off(tmp_path, migrated_sqlite):
    port = _free_port()
    env = {**os.environ, "DUTYDESK_SECRET_KEY": "x" * 50, "DUTYDESK_ALLOWED_HOSTS": "127.0.0.1",
           "DUTYDESK_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
           "DUTYDESK_BIND": f"127.0.0.1:{port}", "DUTYDESK_WEB_WORKERS": "2"}
    env.pop("DUTYDESK_DEBUG", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    migrated_sqlite(tmp_path / "web.sqlite3")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                               "dutydesk.wsgi:application"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        health = None
        for _ in range(60):
            try:
                health = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        assert health is not None and health.status == 200
        assert b'"database": "ok"' in health.read()
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/core/dutydesk.css", timeout=5)
        assert css.status == 200 and b"--accent" in css.read()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=40)
    assert server.returncode == 0, output[-2000:]
    assert "Booting worker" in output


def test_a_served_process_freezes_what_it_loaded_at_start(tmp_path):
    """dutydesk/wsgi.py readies the process (core.serving): the URLconf is loaded and the objects of start-up are out
    of the garbage collector's full collections (each walked ~200,000 of them: +100 ms on 1 request in 45)."""
    env = {**os.environ, "DUTYDESK_SECRET_KEY": "x" * 50, "DUTYDESK_ALLOWED_HOSTS": "127.0.0.1",
           "DUTYDESK_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}"}
    env.pop("DUTYDESK_DEBUG", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    probe = ("import gc, sys, dutydesk.wsgi; from django.urls import get_resolver; "
             "print(gc.get_freeze_count(), 'dutydesk.tickets.views' in sys.modules, "
             "'url_patterns' in get_resolver().__dict__)")
    result = subprocess.run([sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    frozen, views_loaded, urlconf_loaded = result.stdout.split()
    assert int(frozen) > 50_000 and views_loaded == "True" and urlconf_loaded == "True"
