"""The archive export as a background job (issue 11): ``Prefer: respond-async`` → 202 and a job whose file the
requester (and whoever holds the same rights in the project) downloads; with a worker pool the page's button opens
the job's page with a progress bar and the download."""
import pytest

from tests.factories import valid_id_number
from tests.support.jobs import page_flow, run_async, sheet_rows


@pytest.fixture
def identified(resident):
    resident.id_number = valid_id_number()
    resident.save()
    return resident


def test_asked_async_the_export_is_a_job_whose_file_the_requester_downloads(identified, project, staff, api,
                                                                               django_capture_on_commit_callbacks):
    client = api(staff["manager"])
    job = run_async(client, "/api/v1/archive/export", {"project": project.pk}, django_capture_on_commit_callbacks)
    assert job["kind"] == "archive.export" and job["result"]["masked"] is False
    download = client.get(job["result"]["download"])
    assert download.status_code == 200 and download["Content-Disposition"].endswith(f'filename="archive-{project.code}.xlsx"')
    residents = sheet_rows(download, 1)
    assert residents[1][2] == "张三" and residents[1][5] == identified.id_number  # the manager may see the number


def test_only_the_same_rights_in_the_project_may_download_it(identified, project, staff, api,
                                                            django_capture_on_commit_callbacks):
    job = run_async(api(staff["manager"]), "/api/v1/archive/export", {"project": project.pk},
                    django_capture_on_commit_callbacks)
    url = job["result"]["download"]
    assert api(staff["archivist"]).get(url).status_code == 200  # imports and sees identity numbers too
    assert api(staff["supervisor"]).get(url).status_code == 403  # imports, but the numbers are unmasked here
    assert api(staff["engineer"]).get(url).status_code == 403
    assert api().get(url).status_code == 401
    assert api(staff["supervisor"]).get(f"/api/v1/jobs/{job['id']}").status_code == 404  # the job itself stays private


def test_a_masked_export_is_readable_by_whoever_may_import(identified, project, staff, api,
                                                          django_capture_on_commit_callbacks):
    job = run_async(api(staff["supervisor"]), "/api/v1/archive/export", {"project": project.pk},
                    django_capture_on_commit_callbacks)
    assert job["result"]["masked"] is True
    shown = sheet_rows(api(staff["manager"]).get(job["result"]["download"]), 1)[1][5]
    assert shown != identified.id_number and "********" in shown
    assert api(staff["frontdesk"]).get(job["result"]["download"]).status_code == 403  # no archive.import


def test_without_the_header_the_answer_stays_the_workbook(identified, project, staff, api):
    response = api(staff["manager"]).get("/api/v1/archive/export", {"project": project.pk})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert sheet_rows(response, 1)[1][5] == identified.id_number


def test_the_export_button_with_a_worker_pool_opens_the_jobs_page(identified, project, staff, client, monkeypatch,
                                                                  django_capture_on_commit_callbacks):
    monkeypatch.setattr("dutydesk.archive.views.runs_in_background", lambda: True)
    client.force_login(staff["archivist"])
    page = client.get("/archive/import/").content.decode()
    assert f'<form method="post" action="/archive/export/{project.pk}/"' in page
    done, download = page_flow(client, f"/archive/export/{project.pk}/", capture=django_capture_on_commit_callbacks)
    assert "档案导出" in done
    assert sheet_rows(client.get(download), 0)[1][:3] == ["A", 12, "1201"]
    client.force_login(staff["engineer"])
    assert client.get(download).status_code == 403


def test_without_a_worker_pool_the_page_links_the_workbook(project, staff, client):
    client.force_login(staff["archivist"])
    assert f'href="/archive/export/{project.pk}/"' in client.get("/archive/import/").content.decode()
