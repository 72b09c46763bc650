"""`dutydesk check --deploy` is clean when served over HTTPS (DUTYDESK_HTTPS=1)."""
import subprocess
import sys


def _check(tmp_path, **extra):
    env = {"PATH": "/usr/bin:/bin", "DUTYDESK_SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-key-xyz",
           "DUTYDESK_ALLOWED_HOSTS": "dutydesk.example.com", "DUTYDESK_VAR_DIR": str(tmp_path), **extra}
    return subprocess.run([sys.executable, "-m", "dutydesk", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True, timeout=120)


def test_https_deployment_passes_the_deploy_checks(tmp_path):
    result = _check(tmp_path, DUTYDESK_HTTPS="1", DUTYDESK_PROXY_SSL_HEADER="X-Forwarded-Proto: https")
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_https_the_deploy_check_warns(tmp_path):
    result = _check(tmp_path)
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_the_proxy_header_setting_is_read(settings, monkeypatch):
    import importlib

    from dutydesk import settings as production

    monkeypatch.setenv("DUTYDESK_PROXY_SSL_HEADER", "X-Forwarded-Proto: https")
    monkeypatch.setenv("DUTYDESK_HTTPS", "1")
    try:
        reloaded = importlib.reload(production)
        assert reloaded.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
        assert reloaded.SESSION_COOKIE_SECURE and reloaded.SECURE_SSL_REDIRECT and reloaded.SECURE_HSTS_SECONDS > 0
    finally:
        monkeypatch.delenv("DUTYDESK_PROXY_SSL_HEADER")
        monkeypatch.delenv("DUTYDESK_HTTPS")
        importlib.reload(production)
