"""Notices (issue 15, 000 篇18 :554 "更新大堂…提示、公告内容"): a register with a ``portal`` shows its entries to the
project's residents while valid, and prints for the lobby board."""

import pytest
import time_machine

from tests.factories import ProjectFactory, UserFactory


def post_notice(api, user, project, **values):
    body = {"kind": "notice", "title": "停水通知", "content": "11月28日9:00-12:00停水检修", "places": "大堂公示板",
            "valid_from": "2026-11-25", "valid_to": "2026-11-28", **values}
    return api(user).post("/api/v1/registers/notice-board/entries", {"project": project.pk, "values": body},
                          format="json")


@pytest.fixture
def clerk(staff, project):
    from tests.factories import hold

    user = UserFactory(username="csclerk")
    hold(user, "cs-clerk", project)
    return user


@time_machine.travel("2026-11-26 10:00 +0800", tick=False)
def test_residents_see_the_valid_notices_of_their_project_only(clerk, project, resident_user, api, client):
    assert post_notice(api, clerk, project).status_code == 201
    assert post_notice(api, clerk, project, title="旧通知", valid_from="2026-11-01", valid_to="2026-11-20").status_code == 201
    assert post_notice(api, clerk, project, title="明日通知", valid_from="2026-11-27").status_code == 201
    assert post_notice(api, clerk, project, title="LED内容", kind="sign").status_code == 201  # staff side only
    other = ProjectFactory(code="other")
    elsewhere = UserFactory(username="elsewhere-clerk")
    from tests.factories import hold
    hold(elsewhere, "cs-clerk", other)
    assert post_notice(api, elsewhere, other, title="别处通知").status_code == 201
    client.force_login(resident_user)
    page = client.get("/portal/notices/").content.decode()
    assert "停水通知" in page and "11月28日9:00-12:00停水检修" in page
    for hidden in ("旧通知", "明日通知", "LED内容", "别处通知"):
        assert hidden not in page
    assert 'href="/portal/notices/"' in client.get("/portal/").content.decode()


def test_staff_without_a_home_get_no_portal_notices(staff, client):
    client.force_login(staff["frontdesk"])
    assert client.get("/portal/notices/").status_code == 403


@time_machine.travel("2026-11-26 10:00 +0800", tick=False)
def test_a_notice_prints_for_the_lobby(clerk, project, api, client):
    entry = post_notice(api, clerk, project).json()
    client.force_login(clerk)
    sheet = client.get(f"/registers/notice-board/{entry['id']}/print").content.decode()
    board = sheet.split('id="lobby-notice"')[1]
    assert "停水通知" in board and "2026-11-25" in board and "2026-11-28" in board
    assert 'data-print' in sheet
    other = client.get(f"/registers/notice-board/{entry['id']}/").content.decode()
    assert f"/registers/notice-board/{entry['id']}/print" in other
