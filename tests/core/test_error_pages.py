"""Forbidden, missing and failing pages are styled, in Chinese, with a way back — with debug on or off."""
import pytest
from django.test import Client, RequestFactory

from dutydesk.core.views import server_error


@pytest.mark.parametrize("debug", [True, False])
def test_a_resident_on_a_staff_page_gets_the_styled_403(resident_user, settings, debug):
    settings.DEBUG = debug
    client = Client()
    client.force_login(resident_user)
    response = client.get("/tickets/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权访问" in page and 'href="/"' in page and "dutydesk.css" in page


def test_a_missing_page_is_styled_with_a_way_back(staff, settings):
    settings.DEBUG = False
    client = Client()
    client.force_login(staff["manager"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode() or "不存在" in response.content.decode()
    assert 'href="/"' in response.content.decode()


def test_api_errors_stay_json(resident_user, api):
    assert api(resident_user).get("/api/v1/no-such/").json()["detail"]


def test_the_500_page_renders_without_a_database_or_context():
    response = server_error(RequestFactory().get("/tickets/"))
    assert response.status_code == 500
    assert "系统出错了" in response.content.decode()


def test_the_language_menu_names_each_language_in_itself_and_has_no_inline_script(staff):
    client = Client()
    client.force_login(staff["manager"])
    page = client.get("/").content.decode()
    assert ">English</option>" in page and ">简体中文</option>" in page
    assert "英语" not in page
    assert "onchange=" not in page and "<script>" not in page


def test_every_page_carries_a_strict_content_security_policy(staff):
    client = Client()
    client.force_login(staff["manager"])
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy


def test_no_template_has_an_inline_script_or_handler():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "dutydesk"
    offenders = [str(p.relative_to(root)) for p in root.rglob("templates/**/*.html")
                 if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+=\"|javascript:", p.read_text())]
    assert offenders == []
