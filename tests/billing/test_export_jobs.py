"""Billing's exports and dunning notices as background jobs (issue 11): ``Prefer: respond-async`` → 202, the job makes
the same file as the synchronous answer, its requester and whoever holds billing.view across the project download
it (a floor butler or a post without the right: 403); with a worker pool the pages' buttons open the job's page."""
from datetime import date
from decimal import Decimal

import pytest

from dutydesk.billing import services
from dutydesk.core import clock
from dutydesk.core.models import BackgroundJob
from tests.support.jobs import content, page_flow, run_async, sheet_rows


@pytest.fixture
def paid(bill, staff):
    services.payment_record(bill=bill, amount=Decimal("100.00"), method="cash", user=staff["manager"])
    return bill


@pytest.fixture
def dunning(bill, project):
    return services.dunning_run_create(project=project, on=date(2026, 11, 25))[0]


def test_the_bills_export_asked_async_is_downloaded_by_the_same_rights_only(bill, project, staff, api,
                                                                            django_capture_on_commit_callbacks):
    job = run_async(api(staff["manager"]), "/api/v1/billing/export/bills", {"project": project.pk, "period": "2026-10"},
                    django_capture_on_commit_callbacks)
    assert job["kind"] == "billing.export_bills"
    url = job["result"]["download"]
    download = api(staff["manager"]).get(url)
    assert download.status_code == 200 and download["Content-Disposition"].endswith('filename="bills.xlsx"')
    rows = sheet_rows(download)
    assert rows[0][:3] == ["楼栋", "房号", "期间"] and rows[1][:3] == ["A", "1201", "2026-10"] and len(rows) == 2
    assert api(staff["frontdesk"]).get(url).status_code == 200  # billing.view across the project
    assert api(staff["butler"]).get(url).status_code == 403  # billing.view on some floors only
    assert api(staff["engineer"]).get(url).status_code == 403
    assert api().get(url).status_code == 401


def test_the_payments_and_arrears_exports_asked_async(paid, project, staff, api, django_capture_on_commit_callbacks):
    client = api(staff["supervisor"])
    today = clock.today().isoformat()
    payments = run_async(client, "/api/v1/billing/export/payments", {"project": project.pk, "from": today, "to": today},
                         django_capture_on_commit_callbacks)
    rows = sheet_rows(client.get(payments["result"]["download"]))
    assert len(rows) == 2 and rows[1][1:5] == ["A", "1201", "2026-10", 100]
    arrears = run_async(client, "/api/v1/reports/arrears/export", {"project": project.pk, "as_of": "2026-11-01"},
                        django_capture_on_commit_callbacks)
    download = client.get(arrears["result"]["download"])
    assert download["Content-Disposition"].endswith('filename="arrears-2026-11-01.xlsx"')
    unit_row = sheet_rows(download)[1]
    assert unit_row[0] == "A-1201" and unit_row[-1] == 209.75
    assert api(staff["engineer"]).get(arrears["result"]["download"]).status_code == 403


def test_the_dunning_notices_asked_async_make_the_pdf(dunning, staff, api, django_capture_on_commit_callbacks):
    job = run_async(api(staff["butler"]), f"/api/v1/billing/dunning/{dunning.pk}/notices", {},
                    django_capture_on_commit_callbacks)
    assert job["result"]["url"] == f"/billing/dunning/{dunning.pk}/"
    download = api(staff["butler"]).get(job["result"]["download"])  # the requester, floors-scoped as they are
    assert download.status_code == 200 and content(download).startswith(b"%PDF")
    assert api(staff["manager"]).get(job["result"]["download"]).status_code == 200
    assert api(staff["engineer"]).get(job["result"]["download"]).status_code == 403


def test_without_the_header_the_answers_stay_synchronous(paid, dunning, project, staff, api):
    client = api(staff["manager"])
    bills = client.get("/api/v1/billing/export/bills", {"project": project.pk})
    assert bills.status_code == 200 and bills["Content-Disposition"] == 'attachment; filename="bills.xlsx"'
    notices = client.get(f"/api/v1/billing/dunning/{dunning.pk}/notices")
    assert notices.status_code == 200 and notices["Content-Disposition"] == f'inline; filename="dunning-2026-11-25.pdf"'
    assert not BackgroundJob.objects.exists()


def test_bad_input_is_refused_before_a_job_is_queued(bill, project, staff, api):
    client = api(staff["manager"])
    bad = client.get("/api/v1/billing/export/bills", {"project": project.pk, "period": "2026-13x"},
                     HTTP_PREFER="respond-async")
    assert bad.status_code == 400 and "period" in bad.json()["errors"]
    assert client.get("/api/v1/reports/arrears/export", {"project": project.pk, "as_of": "soon"},
                      HTTP_PREFER="respond-async").status_code == 400
    assert api(staff["engineer"]).get("/api/v1/billing/export/bills", {"project": project.pk},
                                      HTTP_PREFER="respond-async").status_code == 403
    assert not BackgroundJob.objects.exists()


@pytest.fixture
def worker_pool(monkeypatch):
    monkeypatch.setattr("dutydesk.billing.views.runs_in_background", lambda: True)


def test_the_export_buttons_with_a_worker_pool_open_the_jobs_page(paid, project, staff, client, worker_pool,
                                                                  django_capture_on_commit_callbacks):
    client.force_login(staff["supervisor"])
    home = client.get(f"/billing/?project={project.pk}").content.decode()
    assert '<form method="post" action="/billing/export/bills/"' in home and "/api/v1/billing/export" not in home
    done, download = page_flow(client, "/billing/export/bills/", {"project": project.pk, "period": "2026-10"},
                               django_capture_on_commit_callbacks)
    assert "账单导出" in done and sheet_rows(client.get(download))[1][:3] == ["A", "1201", "2026-10"]
    _done, download = page_flow(client, "/billing/export/payments/", {"project": project.pk},
                                django_capture_on_commit_callbacks)
    assert len(sheet_rows(client.get(download))) == 2
    arrears = client.get(f"/billing/arrears/?project={project.pk}&as_of=2026-11-01").content.decode()
    assert 'action="/billing/export/arrears/"' in arrears
    _done, download = page_flow(client, "/billing/export/arrears/", {"project": project.pk, "as_of": "2026-11-01"},
                                django_capture_on_commit_callbacks)
    assert sheet_rows(client.get(download))[1][0] == "A-1201"
    client.force_login(staff["engineer"])
    assert client.get(download).status_code == 403


def test_the_dunning_button_with_a_worker_pool_opens_the_jobs_page(dunning, staff, client, worker_pool,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(staff["manager"])
    assert f'action="/billing/dunning/{dunning.pk}/notices/"' in client.get(f"/billing/dunning/{dunning.pk}/").content.decode()
    done, download = page_flow(client, f"/billing/dunning/{dunning.pk}/notices/", capture=django_capture_on_commit_callbacks)
    assert "催缴通知单" in done and f'href="/billing/dunning/{dunning.pk}/"' in done
    assert content(client.get(download)).startswith(b"%PDF")


def test_an_export_job_needs_the_right_in_that_project(bill, project, staff, client, worker_pool):
    client.force_login(staff["engineer"])
    assert client.post("/billing/export/bills/", {"project": project.pk}).status_code == 403
    client.force_login(staff["manager"])
    assert client.post("/billing/export/everything/", {"project": project.pk}).status_code == 404
    assert client.post("/billing/export/bills/", {"project": "x"}).status_code == 404
    assert not BackgroundJob.objects.exists()


def test_without_a_worker_pool_the_pages_link_the_files(bill, project, staff, client):
    client.force_login(staff["manager"])
    home = client.get(f"/billing/?project={project.pk}").content.decode()
    assert f'href="/api/v1/billing/export/bills?project={project.pk}' in home and "/billing/export/bills/" not in home
