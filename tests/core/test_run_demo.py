"""`scripts/run-demo` as a newcomer meets it: a short banner last, e-mails in files, and SIGTERM stops everything."""
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.own_database
@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "dutydesk").exists(), reason="needs the installed .venv")
def test_run_demo_prints_the_banner_last_and_stops_cleanly_on_sigterm(tmp_path, migrated_sqlite):
    # the database already migrated (a copy): what is tested here is the banner and the stop, and migrating a new
    # database is what every test database does (it was 65 of this test's 92 s)
    migrated_sqlite(tmp_path / "demo.sqlite3")
    port = _free_port()
    env = {**os.environ, "DUTYDESK_VAR_DIR": str(tmp_path), "DUTYDESK_BIND": f"127.0.0.1:{port}",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    script = subprocess.Popen(["bash", str(ROOT / "scripts" / "run-demo")], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines = []
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline:
            line = script.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "stop: Ctrl-C" in line:
                break
        output = "".join(lines)
        assert f"http://127.0.0.1:{port}/" in output and "dutydesk-demo" in output, output[-3000:]
        assert len(lines) < 40, output  # no flood of demo e-mails
        children = subprocess.run(["pgrep", "-g", str(script.pid)], capture_output=True, text=True).stdout.split()
        assert len(children) >= 3  # the script, the scheduler and the server
        script.send_signal(signal.SIGTERM)
        script.wait(timeout=30)
        time.sleep(1)
        survivors = [int(pid) for pid in children if _alive(int(pid))]
        assert survivors == [], survivors
    finally:
        try:
            os.killpg(script.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
