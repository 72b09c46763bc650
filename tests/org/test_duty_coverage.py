"""Duty coverage (issue 15, shared/API.md "Duty coverage"): each duty names what executes it; the report counts."""
import pytest
from django.utils import translation

from dutydesk.org.catalog import CatalogInvalid
from dutydesk.org.catalog_yaml import import_catalog_yaml
from dutydesk.org.models import Duty
from tests.factories import ProjectFactory, UserFactory, hold

CATALOGUE = """
catalog: cov-test
name: 覆盖测试
departments: [{code: d, name: 部门}]
procedures: [{code: cov_visit, name: 来访登记, name_en: Visitor registration}]
posts:
  - code: cov-boss
    name: 主管
    name_en: Boss
    department: d
    permissions: [reports.view]
    duties:
      - 负责部门全面工作
      - text: 每月审阅服务报告
        by: [module:reports.view]
  - code: cov-clerk
    name: 文员
    name_en: Clerk
    department: d
    superior: cov-boss
    permissions: [frontdesk.keys]
    duties:
      - text: 10分钟内完成来访登记
        by: [standard:cov_visit, register:cov-log]
      - text: 每日17:00检查登记事项
        by: [routine:check]
      - text: 钥匙借用登记
        by: [module:frontdesk.keys, kpi:logged]
      - 完成上级交办的其他工作
    standards: [{procedure: cov_visit, limit_minutes: 10}]
    routines: [{code: check, text: 17:00检查登记事项, schedule: daily, at: "17:00"}]
    kpis: [{code: logged, name: 登记数, target: 10, source: register, register: cov-log, measure: count}]
registers:
  - code: cov-log
    name: 来访登记簿
    name_en: Visitor log
    writers: [cov-clerk]
    fields: [{code: who, name: 来访人, type: text, required: true}]
"""


@pytest.fixture
def covered(db):
    import_catalog_yaml(CATALOGUE)
    user = UserFactory(username="covboss")
    hold(user, "cov-boss", ProjectFactory(code="cov"))
    return user


def test_the_links_are_kept_with_names(covered, api):
    duty = Duty.objects.get(text="10分钟内完成来访登记")
    assert duty.executed_by == [
        {"kind": "standard", "ref": "cov_visit", "name": "来访登记", "name_en": "Visitor registration"},
        {"kind": "register", "ref": "cov-log", "name": "来访登记簿", "name_en": "Visitor log"}]
    body = api(covered, "en").get("/api/v1/posts/?code=cov-clerk").json()["results"][0]
    assert body["duties"][0] == {"text": "10分钟内完成来访登记", "executed_by": [
        {"kind": "standard", "ref": "cov_visit", "name": "Visitor registration"},
        {"kind": "register", "ref": "cov-log", "name": "Visitor log"}]}
    assert body["duties"][3] == {"text": "完成上级交办的其他工作", "executed_by": []}
    assert body["duties"][2]["executed_by"][0]["name"] != "frontdesk.keys"  # a module reads as its permission's label


def test_the_coverage_report(covered, api):
    body = api(covered).get("/api/v1/reports/duty-coverage?catalog=cov-test").json()
    assert (body["duties"], body["executed"], body["rate"]) == (6, 4, "0.6667")
    assert body["posts"] == [
        {"code": "cov-boss", "name": "主管", "duties": 2, "executed": 1, "rate": "0.5000"},
        {"code": "cov-clerk", "name": "文员", "duties": 4, "executed": 3, "rate": "0.7500"}]
    assert api(covered).get("/api/v1/reports/duty-coverage?catalog=nope").status_code == 400
    assert api(UserFactory()).get("/api/v1/reports/duty-coverage").status_code == 403


def test_the_post_page_and_the_chart_show_it(covered, client):
    from dutydesk.org.models import Post

    covered_user = covered
    Post.objects.filter(code="cov-boss").update(permissions=["reports.view", "org.view"])
    client.force_login(covered_user)
    page = client.get(f"/org/posts/{Post.objects.get(code='cov-clerk').pk}/").content.decode()
    duties = page.split('id="duties"')[1].split("</ol>")[0]
    assert duties.count("not-executed") == 1 and "来访登记簿" in duties
    chart = client.get("/org/?catalog=cov-test").content.decode()
    summary = chart.split('id="coverage"')[1].split("</p>")[0]
    assert "66.67 %" in summary and "4" in summary and "6" in summary
    assert ">3/4<" in chart and ">1/2<" in chart


@pytest.mark.django_db
def test_a_link_to_nothing_names_its_line():
    broken = CATALOGUE.replace("by: [routine:check]", "by: [routine:checks]").replace(
        "by: [module:reports.view]", "by: [module:billing.collect]")
    with translation.override("en"), pytest.raises(CatalogInvalid) as problem:
        import_catalog_yaml(broken)
    lines = broken.splitlines()
    at = {text: next(i for i, line in enumerate(lines, 1) if text in line) for text in ("routine:checks", "billing.collect")}
    errors = problem.value.errors
    assert any(e.startswith(f"line {at['routine:checks']}:") and "routine:checks" in e for e in errors), errors
    assert any(e.startswith(f"line {at['billing.collect']}:") and "does not hold" in e for e in errors), errors
