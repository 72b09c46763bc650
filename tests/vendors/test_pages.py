"""The vendors' pages: the list with the month's evaluations, the evaluation form, the year report and its Excel
export; bounded queries."""
import io
import re

import pytest
from openpyxl import load_workbook

from dutydesk.vendors import services
from dutydesk.vendors.models import Evaluation, Vendor
from tests.vendors.conftest import scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(project, posts, env, inspector, cleaning):
    """Twelve more cleaning vendors, each evaluated for September and October by both posts."""
    for n in range(12):
        vendor = services.vendor_save(project=project, name=f"第{n}清洁公司", kind="cleaning",
                                      supervising_posts=[posts["env-supervisor"], posts["cleaning-inspector"]])
        for month in ("2026-09", "2026-10"):
            for post, user in ((posts["env-supervisor"], env), (posts["cleaning-inspector"], inspector)):
                services.evaluation_record(vendor=vendor, month=month, post=post, evaluated_by=user,
                                           scores=scores(quality=60 + n))
    return project


def test_the_inspector_evaluates_from_the_list(client, project, inspector, cleaning):
    client.force_login(inspector)
    html = client.get(f"/vendors/?project={project.pk}&month=2026-10").content.decode()
    assert f"/vendors/{cleaning.pk}/evaluate/?month=2026-10" in html
    form = client.get(f"/vendors/{cleaning.pk}/evaluate/?month=2026-10").content.decode()
    assert "作业质量与服务效果" in form and 'name="score_quality"' in form
    response = client.post(f"/vendors/{cleaning.pk}/evaluate/", {
        "month": "2026-10", "score_quality": "90", "score_conduct": "80", "score_attendance": "100",
        "score_rectification": "70", "comments": "地库保洁需加强"})
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.total, evaluation.post.code, evaluation.comments) == (86, "cleaning-inspector", "地库保洁需加强")
    html = client.get(f"/vendors/?project={project.pk}&month=2026-10").content.decode()
    assert f"/vendors/{cleaning.pk}/evaluate/" not in html  # done for the month


def test_the_form_reports_each_bad_score_beside_its_criterion(client, inspector, cleaning):
    client.force_login(inspector)
    html = client.post(f"/vendors/{cleaning.pk}/evaluate/", {
        "month": "2026-10", "score_quality": "120", "score_conduct": "", "score_attendance": "100",
        "score_rectification": "70"}).content.decode()
    assert html.count("errorlist") >= 2 and not Evaluation.objects.exists()
    services.evaluation_record(vendor=cleaning, month="2026-10", post=inspector.holdings.get().post,
                               evaluated_by=inspector, scores=scores())
    html = client.post(f"/vendors/{cleaning.pk}/evaluate/", {
        "month": "2026-10", **{f"score_{code}": "80" for code in scores()}}).content.decode()
    assert "已评价过" in html


def test_only_the_supervising_posts_open_the_form(client, staff, cleaning):
    client.force_login(staff["supervisor"])  # evaluates vendors, not this one
    assert client.get(f"/vendors/{cleaning.pk}/evaluate/").status_code == 403
    client.force_login(staff["frontdesk"])
    assert client.get("/vendors/").status_code == 403


def test_the_manager_adds_and_changes_a_vendor_on_the_pages(client, staff, project, posts, env):
    client.force_login(staff["manager"])
    response = client.post(f"/vendors/?project={project.pk}", {
        "project": project.pk, "name": "迅达电梯维保", "kind": "lifts",
        "supervising_posts": [posts["env-supervisor"].pk], "contract_starts_on": "2026-01-01"})
    assert response.status_code == 302
    vendor = Vendor.objects.get(name="迅达电梯维保")
    client.post(f"/vendors/{vendor.pk}/", {"name": "迅达电梯维保（深圳）", "kind": "lifts", "active": "1",
                                          "supervising_posts": [posts["env-supervisor"].pk, posts["cs-manager"].pk]})
    vendor.refresh_from_db()
    assert vendor.name == "迅达电梯维保（深圳）" and vendor.supervising_posts.count() == 2
    page = client.get(f"/vendors/{vendor.pk}/").content.decode()
    assert "维保计划执行" in page and "迅达电梯维保（深圳）" in page


def test_the_report_and_its_excel_export(client, staff, many):
    client.force_login(staff["manager"])
    html = client.get(f"/vendors/report/?project={many.pk}&year=2026").content.decode()
    assert "第11清洁公司" in html and "全年平均" in html
    response = client.get(f"/vendors/report.xlsx?project={many.pk}&year=2026")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("外包方", "服务类别", "1月") and rows[0][-2:] == ("全年平均", "评价次数")
    row = next(r for r in rows if r[0] == "第11清洁公司")
    assert row[1] == "清洁" and row[-1] == 4 and row[12] is None and row[13] is None  # November, December
    assert float(row[10]) == float(row[11]) == pytest.approx(float(row[-2]))  # September = October = the year


@pytest.mark.parametrize("path", ["/vendors/?month=2026-10", "/vendors/report/?year=2026"])
def test_pages_take_a_bounded_number_of_queries(client, staff, many, path, django_assert_max_num_queries):
    client.force_login(staff["manager"])
    with django_assert_max_num_queries(20):
        response = client.get(f"{path}&project={many.pk}")
    assert response.status_code == 200


def test_the_vendor_page_takes_a_bounded_number_of_queries(client, staff, many, django_assert_max_num_queries):
    client.force_login(staff["manager"])
    vendor = Vendor.objects.get(name="第3清洁公司")
    with django_assert_max_num_queries(25):
        assert client.get(f"/vendors/{vendor.pk}/").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/vendors/", "/api/v1/vendor-evaluations/", "/api/v1/reports/vendors"])
def test_api_lists_cost_the_same_for_two_rows_or_many(api, staff, many, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(staff["manager"])

    def count(size):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{path}?project={many.pk}&page_size={size}").status_code == 200
        return len(captured)

    assert count(2) == count(200)


def _add_vendors(project, posts, first, last):
    for n in range(first, last):
        services.vendor_save(project=project, name=f"第{n}保安公司", kind="security",
                             supervising_posts=[posts["cs-supervisor"], posts["env-supervisor"]])


@pytest.mark.parametrize("path", ["/vendors/?month=2026-10", "/vendors/report/?year=2026",
                                  "/vendors/report.xlsx?year=2026"])
def test_pages_cost_the_same_for_two_vendors_or_six(client, staff, project, posts, env, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff["manager"])

    def listed():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{path}&project={project.pk}").status_code == 200
        return len(captured)

    _add_vendors(project, posts, 0, 2)
    few = listed()
    _add_vendors(project, posts, 2, 6)
    assert listed() == few


def test_the_list_and_the_report_show_fifty_vendors_a_page(client, staff, project, posts, env):
    """A group's project may have hundreds of contractors over the years: the pages read 50 at a time, the export
    all of them."""
    _add_vendors(project, posts, 0, 55)
    client.force_login(staff["manager"])
    first = client.get(f"/vendors/?project={project.pk}&month=2026-10").content.decode()
    second = client.get(f"/vendors/?project={project.pk}&month=2026-10&page=2").content.decode()
    assert first.count("<tr data-vendor=") == 50 and second.count("<tr data-vendor=") == 5
    assert "1 / 2" in first and "第9保安公司" in second  # 第0, 第1, 第10 … 第54 by name, then 第6 … 第9
    report = client.get(f"/vendors/report/?project={project.pk}&year=2026&page=2").content.decode()
    assert len(re.findall(r'href="/vendors/\d+/"', report)) == 5
    sheet = load_workbook(io.BytesIO(client.get(f"/vendors/report.xlsx?project={project.pk}&year=2026").content))
    assert len(list(sheet.active.iter_rows(values_only=True))) == 56
