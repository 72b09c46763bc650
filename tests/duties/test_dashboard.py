"""Dashboard (issue 6 Deliver 6): chart data with the list behind every bar; missing modules say no data."""
from datetime import timedelta

import pytest

from dutydesk.core import clock
from dutydesk.duties.services import question_add, survey_answer, survey_create, survey_transition
from dutydesk.inbox.services import task_create_once
from dutydesk.org.models import Post
from tests.conftest import login
from tests.support.browser import wait_until


def _overdue_task(project, user, key="late"):
    return task_create_once(source="keys", source_key=key, title="钥匙未归还", due_at=clock.now() - timedelta(hours=3),
                            assignee=user, post=Post.objects.get(code="frontdesk-assistant"), project=project)[0]


def _survey_with_answer(staff, project, unit):
    survey = survey_create(project=project, title="满意度调查", actor=staff["supervisor"])
    question = question_add(survey=survey, text="总体满意度", actor=staff["supervisor"])
    survey_transition(survey=survey, action="open", actor=staff["supervisor"])
    survey_answer(survey=survey, unit=unit, answers={question.pk: "4"}, actor=staff["supervisor"], channel="paper")


def test_the_dashboard_api_links_every_bar_to_its_list(staff, project, unit, api):
    task = _overdue_task(project, staff["frontdesk"])
    _survey_with_answer(staff, project, unit)
    body = api(staff["manager"]).get("/api/v1/reports/dashboard", {"project": project.pk}).json()
    charts = {c["key"]: c for c in body["charts"]}
    assert set(charts) == {"work_orders_by_age", "sla_trend", "response_trend", "collection_by_building",
                           "service_time_by_procedure", "satisfaction_trend", "overdue_tasks_by_post"}
    overdue = charts["overdue_tasks_by_post"]
    assert overdue["labels"] == ["前台客户助理"] and overdue["values"] == [1]
    assert overdue["urls"] == [f"/duties/team/?due=overdue&post={task.post_id}"]
    assert charts["satisfaction_trend"]["values"][-1] == 4.0 and not charts["satisfaction_trend"]["no_data"]
    for key in ("work_orders_by_age", "sla_trend", "response_trend", "collection_by_building",
                "service_time_by_procedure"):
        assert charts[key]["no_data"] is True and charts[key]["values"] == [], key  # no records: no data, not zero


def test_the_dashboard_is_for_reports_view(staff, project, api, client):
    assert api(staff["frontdesk"]).get("/api/v1/reports/dashboard").status_code == 403
    client.force_login(staff["frontdesk"])
    assert client.get("/duties/dashboard/").status_code == 403
    client.force_login(staff["supervisor"])
    assert client.get("/duties/dashboard/").status_code == 200


def test_the_dashboard_links_only_the_lists_its_reader_may_open(staff, project, unit, api, client):
    """The department's clerk (客户服务部文员) reads the reports but not the team's tasks, the surveys or the bills:
    their charts show the figures without links that would answer 403 (found by the crawl once a clerk was in the
    demo); the work orders' charts keep theirs (the clerk sees the work orders)."""
    from tests.factories import UserFactory, hold

    clerk = hold(UserFactory(username="clerk"), "cs-dept-clerk", project).user
    _overdue_task(project, staff["frontdesk"])
    _survey_with_answer(staff, project, unit)
    charts = {c["key"]: c for c in api(clerk).get("/api/v1/reports/dashboard", {"project": project.pk}).json()["charts"]}
    for key in ("overdue_tasks_by_post", "satisfaction_trend", "collection_by_building"):
        assert (charts[key]["url"], charts[key]["urls"]) == ("", []), key
    assert charts["satisfaction_trend"]["values"][-1] == 4.0  # the figures stay
    assert charts["work_orders_by_age"]["no_data"] and charts["sla_trend"]["url"].startswith("/tickets/")
    client.force_login(clerk)
    assert client.get("/duties/team/").status_code == 403 and client.get("/duties/surveys/").status_code == 403
    page = client.get("/duties/dashboard/", {"project": project.pk}).content.decode()
    assert "/duties/team/" not in page and "/duties/surveys/" not in page
    manager = {c["key"]: c for c in api(staff["manager"]).get(
        "/api/v1/reports/dashboard", {"project": project.pk}).json()["charts"]}
    assert manager["overdue_tasks_by_post"]["urls"] and manager["satisfaction_trend"]["url"] == "/duties/surveys/"
    assert manager["collection_by_building"]["url"].startswith("/billing/bills/")


def test_the_team_list_behind_the_overdue_chart(staff, project, client):
    task = _overdue_task(project, staff["frontdesk"])
    mine = _overdue_task(project, staff["manager"], key="manager-own")
    mine.post = Post.objects.get(code="cs-manager")
    mine.save()
    client.force_login(staff["supervisor"])
    page = client.get(f"/duties/team/?due=overdue&post={task.post_id}").content.decode()
    assert "钥匙未归还" in page
    client.force_login(staff["frontdesk"])
    assert client.get("/duties/team/").status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_dashboard_renders_without_console_errors_and_a_click_opens_the_list(page, staff, project, unit):
    task = _overdue_task(project, staff["frontdesk"])
    _survey_with_answer(staff, project, unit)
    login(page, "manager")
    page.goto(f"{page.base_url}/duties/dashboard/")
    wait_until(page, "window.dutydeskCharts && window.dutydeskCharts.overdue_tasks_by_post")
    page.screenshot(path="/tmp/duties-dashboard.png", full_page=True)
    assert page.locator("[data-nodata=work_orders_by_age]").is_visible()
    bar = page.evaluate("""() => { const c = window.dutydeskCharts.overdue_tasks_by_post;
        const el = c.getDatasetMeta(0).data[0]; return {x: el.x, y: (el.y + el.base) / 2}; }""")
    page.locator("#chart-overdue_tasks_by_post").scroll_into_view_if_needed()  # seven charts: below the fold
    box = page.locator("#chart-overdue_tasks_by_post").bounding_box()
    page.mouse.click(box["x"] + bar["x"], box["y"] + bar["y"])
    page.wait_for_url(f"**/duties/team/?due=overdue&post={task.post_id}")
    assert "钥匙未归还" in page.content()
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_home_task_panel_reads_on_one_line_at_desk_width(page, staff, project):
    """Half a desk wide, "my tasks" shows the task, when it is due, its status and the button; the due time and
    the status pill stay on one line (they wrapped a character a line beside the post and source columns)."""
    _overdue_task(project, staff["frontdesk"])
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, "frontdesk")
    page.goto(f"{page.base_url}/")
    panel = page.locator("#tasks-home")
    headers = [text.strip() for text in panel.locator("thead th").all_inner_texts()]
    assert headers == ["任务", "截止时间", "状态", ""]  # the inbox (duties:inbox) has post, assignee and source
    lines = page.evaluate("""() => [...document.querySelectorAll('#tasks-home tbody tr:first-child td.num,'
                                    + ' #tasks-home tbody tr:first-child .pill')].map(element => {
        const range = document.createRange(); range.selectNodeContents(element);
        return new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size; })""")
    assert lines == [1, 1], lines  # the due time, the status pill: one line each
    page.screenshot(path="/tmp/home-tasks-desk.png")
    assert page.console_errors == []
