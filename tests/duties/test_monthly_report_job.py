"""The monthly report's files as a background job (issue 11): ``Prefer: respond-async`` on the report → 202 and a job
whose PDF or Excel the requester and whoever may see the project's report download; with a worker pool the report
page's PDF and Excel buttons open the job's page."""
import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook
from pypdf import PdfReader

from dutydesk.core import clock
from dutydesk.core.models import BackgroundJob
from dutydesk.duties.models import MonthlyReport
from tests.support.jobs import content, page_flow, run_async


@pytest.fixture
def stored(project):
    """May's report as the scheduler stored it on 1 June."""
    report = MonthlyReport(project=project, period=date(2026, 5, 1), data={"period": "2026-05"}, generated_at=clock.now())
    report.pdf.save("monthly-sunshine-2026-05.pdf", ContentFile(b"%PDF-1.4 May"), save=False)
    report.xlsx.save("monthly-sunshine-2026-05.xlsx", ContentFile(b"PK May"), save=False)
    report.save()
    return report


def test_asked_async_the_report_file_is_a_job_downloaded_by_who_may_see_the_report(stored, project, staff, api,
                                                                                    django_capture_on_commit_callbacks):
    client = api(staff["manager"])
    job = run_async(client, "/api/v1/reports/monthly", {"project": project.pk, "period": "2026-05"},
                    django_capture_on_commit_callbacks)
    assert job["kind"] == "duties.monthly_report_file"
    assert job["result"]["report"] == stored.pk and job["result"]["url"] == f"/duties/reports/monthly/{stored.pk}/"
    assert content(client.get(job["result"]["download"])) == b"%PDF-1.4 May"  # the stored file, not a copy
    assert api(staff["supervisor"]).get(job["result"]["download"]).status_code == 200  # reports.view
    assert api(staff["frontdesk"]).get(job["result"]["download"]).status_code == 403
    excel = run_async(client, "/api/v1/reports/monthly", {"project": project.pk, "period": "2026-05", "file": "xlsx"},
                      django_capture_on_commit_callbacks)
    assert content(client.get(excel["result"]["download"])) == b"PK May"


def test_a_month_not_generated_yet_is_rendered_for_the_download_only(project, staff, api,
                                                                      django_capture_on_commit_callbacks):
    client = api(staff["manager"])
    job = run_async(client, "/api/v1/reports/monthly", {"project": project.pk, "period": "2026-06", "file": "xlsx"},
                    django_capture_on_commit_callbacks)
    assert job["result"] == {"report": None, "generated": False, "download": f"/api/v1/jobs/{job['id']}/file"}
    download = client.get(job["result"]["download"])
    assert download["Content-Disposition"].endswith('filename="monthly-report-sunshine-2026-06.xlsx"')
    assert load_workbook(io.BytesIO(content(download))).sheetnames  # a real workbook
    pdf = run_async(client, "/api/v1/reports/monthly", {"project": project.pk, "period": "2026-06"},
                    django_capture_on_commit_callbacks)
    assert "入住装修动态表" in PdfReader(io.BytesIO(content(client.get(pdf["result"]["download"])))).pages[0].extract_text()
    assert not MonthlyReport.objects.exists()  # the month's report is the scheduler's to store


def test_without_the_header_the_figures_stay_synchronous_and_bad_input_is_400(stored, project, staff, api):
    client = api(staff["manager"])
    body = client.get("/api/v1/reports/monthly", {"project": project.pk, "period": "2026-05"}).json()
    assert body["generated"] is True and body["pdf"] == f"/duties/reports/monthly/{stored.pk}/pdf"
    bad = client.get("/api/v1/reports/monthly", {"project": project.pk, "period": "2026-05", "file": "doc"},
                     HTTP_PREFER="respond-async")
    assert bad.status_code == 400 and "file" in bad.json()["errors"]
    assert api(staff["frontdesk"]).get("/api/v1/reports/monthly", {"project": project.pk},
                                       HTTP_PREFER="respond-async").status_code == 403
    assert not BackgroundJob.objects.exists()


def test_the_report_buttons_with_a_worker_pool_open_the_jobs_page(stored, staff, client, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    monkeypatch.setattr("dutydesk.duties.views.runs_in_background", lambda: True)
    client.force_login(staff["archivist"])
    page = client.get(f"/duties/reports/monthly/{stored.pk}/").content.decode()
    assert f'<form method="post" action="/duties/reports/monthly/{stored.pk}/xlsx"' in page
    listing = client.get("/duties/reports/monthly/").content.decode()
    assert f'action="/duties/reports/monthly/{stored.pk}/pdf"' in listing
    done, download = page_flow(client, f"/duties/reports/monthly/{stored.pk}/xlsx",
                               capture=django_capture_on_commit_callbacks)
    assert "月度报告文件" in done and content(client.get(download)) == b"PK May"
    client.force_login(staff["frontdesk"])
    assert client.get(download).status_code == 403
    assert client.post(f"/duties/reports/monthly/{stored.pk}/pdf").status_code == 404  # not their report


def test_without_a_worker_pool_the_buttons_stay_links(stored, staff, client):
    client.force_login(staff["archivist"])
    page = client.get(f"/duties/reports/monthly/{stored.pk}/").content.decode()
    assert f'href="/duties/reports/monthly/{stored.pk}/pdf"' in page and '<form method="post"' not in page
