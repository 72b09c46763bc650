import os
import subprocess
import sys


def _run(env):
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='dutydesk.settings'; django.setup(); print('started')"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYDESK_")} | {"DUTYDESK_VAR_DIR": str(tmp_path)}
    result = _run(env)
    assert result.returncode != 0 and "DUTYDESK_SECRET_KEY" in result.stderr


def test_it_starts_with_a_secret_key_and_reads_the_database_url(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUTYDESK_")} | {
        "DUTYDESK_VAR_DIR": str(tmp_path), "DUTYDESK_SECRET_KEY": "x" * 50}
    assert _run(env).stdout.strip() == "started"


def test_the_default_database_is_sqlite_under_var(settings):
    if not os.environ.get("DATABASE_URL"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.LANGUAGE_CODE == "zh-hans"
