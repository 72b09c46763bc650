"""With a worker pool the bill run page hands the run to a background job and shows its progress (issue 11)."""
from dutydesk.billing.models import Bill, BillRun
from dutydesk.core.models import BackgroundJob


def test_the_run_goes_to_a_job_whose_page_shows_progress_then_the_result(billed_unit, project, staff, client,
                                                                         monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("dutydesk.billing.views.runs_in_background", lambda: True)
    client.force_login(staff["archivist"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/billing/runs/", {"project": project.pk, "period": "2026-10"})
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert not Bill.objects.exists()  # handed over, not run in the request

    waiting = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in waiting and "排队中" in waiting and 'value="0"' in waiting

    for callback in callbacks:  # the worker picks it up
        callback()
    done = client.get(f"/jobs/{job.pk}/").content.decode()
    run = BillRun.objects.get()
    assert "hx-trigger" not in done and 'value="100"' in done and f'href="/billing/runs/{run.pk}/"' in done
    assert "出账" in done and Bill.objects.count() == 1


def test_nobody_else_sees_the_job_and_a_far_future_run_is_refused_before_queueing(billed_unit, project, staff, client,
                                                                                   monkeypatch):
    monkeypatch.setattr("dutydesk.billing.views.runs_in_background", lambda: True)
    client.force_login(staff["archivist"])
    client.post("/billing/runs/", {"project": project.pk, "period": "2026-10"})
    job = BackgroundJob.objects.get()
    client.force_login(staff["manager"])
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    client.force_login(staff["archivist"])
    client.post("/billing/runs/", {"project": project.pk, "period": "2031-01"})
    assert BackgroundJob.objects.count() == 1
