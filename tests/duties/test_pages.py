"""Staff pages render for the posts that may see them and refuse the others."""
import re
from datetime import timedelta

import pytest

from dutydesk.core import clock
from dutydesk.duties.models import Deduction
from dutydesk.duties.reports import monthly_report_generate
from dutydesk.duties.services import routine_tasks_generate
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import task_create_once
from dutydesk.org.models import KPI, PostHolding


@pytest.fixture
def signed_in(client, staff):
    def sign_in(username):
        client.force_login(staff[username])
        return client

    return sign_in


def test_the_inbox_shows_my_routine_tasks_and_completes_one(staff, project, signed_in):
    routine_tasks_generate(day=clock.today())
    client = signed_in("frontdesk")
    page = client.get("/duties/?due=today").content.decode()
    assert "17:00前检查当天各登记事项" in page
    task = Task.objects.filter(assignee=staff["frontdesk"]).first()
    assert client.post(f"/duties/tasks/{task.pk}/complete", {"note": "已完成"}).status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.note == "已完成"
    assert client.get(f"/duties/tasks/{task.pk}/").status_code == 200
    other = task_create_once(source="manual", source_key="arch", title="x", due_at=clock.now() + timedelta(hours=1),
                             assignee=staff["archivist"], project=project)[0]
    assert client.get(f"/duties/tasks/{other.pk}/").status_code == 404
    assert client.post(f"/duties/tasks/{other.pk}/complete", {"note": "x"}).status_code == 404


@pytest.mark.parametrize("target, lands", [("https://evil.example/", "/duties/"), ("//evil.example/x", "/duties/"),
                                           ("/duties/?due=today", "/duties/?due=today")])
def test_completing_a_task_returns_to_a_page_of_this_site_only(staff, project, signed_in, target, lands):
    task = task_create_once(source="manual", source_key="next", title="核对登记", due_at=clock.now() + timedelta(hours=1),
                            assignee=staff["frontdesk"], project=project)[0]
    response = signed_in("frontdesk").post(f"/duties/tasks/{task.pk}/complete", {"note": "好", "next": target})
    assert response.status_code == 302 and response["Location"] == lands


@pytest.mark.parametrize("path", ["/duties/dashboard/", "/duties/scorecards/", "/duties/scores/values/",
                                  "/duties/scores/deductions/", "/duties/surveys/", "/duties/opinions/",
                                  "/duties/team/", "/duties/reports/monthly/"])
def test_supervisor_pages_render_and_the_front_desk_is_refused(path, staff, signed_in):
    assert signed_in("supervisor").get(path).status_code == 200
    status = signed_in("frontdesk").get(path).status_code
    assert status == (200 if path == "/duties/opinions/" else 403)


def test_the_scorecard_page_shows_the_rule_and_no_data(staff, project, signed_in):
    page = signed_in("manager").get(f"/duties/scorecards/?project={project.pk}&period=2026-06").content.decode()
    assert "越高越好" in page and "暂无数据" in page


def test_a_supervisor_records_a_deduction_and_a_manual_value_on_the_pages(staff, project, signed_in):
    client = signed_in("supervisor")
    holding = PostHolding.objects.get(user=staff["frontdesk"])
    response = client.post(f"/duties/scores/deductions/?project={project.pk}", {
        "project": project.pk, "holding": holding.pk, "rule": "来访登记", "points": "1.5", "reason": "超时",
        "occurred_on": clock.today().isoformat()})
    assert response.status_code == 302
    assert Deduction.objects.get().points == 1.5
    bad = client.post("/duties/scores/deductions/", {"project": project.pk, "holding": holding.pk, "rule": "",
                                                     "points": "x", "reason": ""})
    assert bad.status_code == 200 and Deduction.objects.count() == 1
    kpi = KPI.objects.get(post__code="frontdesk-assistant", code="training_hours")
    assert client.post("/duties/scores/values/", {"project": project.pk, "kpi": kpi.pk, "user": staff["frontdesk"].pk,
                                                  "period": "2026-06", "value": "8"}).status_code == 302


def test_a_butler_holding_several_floor_ranges_is_one_choice_on_the_score_pages(staff, project, building,
                                                                                   signed_in):
    """One option per person and post: a butler holds the post on several building/floor ranges (one option per range
    made 3,240 options at 600,000 units); the option chosen records the deduction against that person and post."""
    from tests.factories import hold

    butler = staff["butler"]
    hold(butler, "floor-butler", project, building=building, floor_from=16, floor_to=30)
    client = signed_in("manager")
    for path in ("/duties/scores/deductions/", "/duties/scores/values/"):
        page = client.get(path, {"project": project.pk}).content.decode()
        options = re.findall(r"<option value=\"(\d+)\">([^<]*)</option>", page)
        assert len([text for _value, text in options if "楼层管家" in text]) == 1, path
    value = re.search(r'<option value="(\d+)">[^<]*楼层管家', client.get(
        "/duties/scores/deductions/", {"project": project.pk}).content.decode())[1]
    client.post(f"/duties/scores/deductions/?project={project.pk}", {
        "project": project.pk, "holding": value, "rule": "巡楼", "points": "1", "reason": "漏巡",
        "occurred_on": clock.today().isoformat()})
    assert Deduction.objects.get().user == butler


def test_survey_and_report_pages(staff, project, unit, signed_in):
    client = signed_in("supervisor")
    response = client.post("/duties/surveys/", {"project": project.pk, "title": "年中满意度调查"})
    survey_id = int(response["Location"].rstrip("/").split("/")[-1])
    client.post(f"/duties/surveys/{survey_id}/", {"text": "总体满意度", "kind": "scale"})
    client.post(f"/duties/surveys/{survey_id}/", {"action": "open"})
    assert "总体满意度" in client.get(f"/duties/surveys/{survey_id}/report").content.decode()
    report, _ = monthly_report_generate(project=project, period="2026-05")
    assert "入住装修动态表" in client.get(f"/duties/reports/monthly/{report.pk}/").content.decode()
    assert client.get(f"/duties/reports/monthly/{report.pk}/pdf").status_code == 200
