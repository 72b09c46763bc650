"""Helpers for the background-job flows: ask with ``Prefer: respond-async``, let the (eager) worker run the job, read
it and download its file."""
import io

from openpyxl import load_workbook


def run_async(client, url, params=None, capture=None):
    """GET ``url`` asking for a job; the job runs when the request's transaction commits (no broker: in-process).
    Returns the job as ``GET /api/v1/jobs/{id}`` shows it to the same client."""
    with capture(execute=True):
        response = client.get(url, params or {}, HTTP_PREFER="respond-async")
    assert response.status_code == 202, response.content[:500]
    job_id = response.json()["job"]
    assert response["Location"] == f"/api/v1/jobs/{job_id}"
    job = client.get(f"/api/v1/jobs/{job_id}").json()
    assert job["status"] == "done", job
    assert job["progress"] == 100 and job["result"]["download"] == f"/api/v1/jobs/{job_id}/file"
    return job


def content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def sheet_rows(response, sheet=0):
    workbook = load_workbook(io.BytesIO(content(response)), read_only=True)
    return [list(row) for row in workbook.worksheets[sheet].iter_rows(values_only=True)]


def page_flow(client, post_url, data=None, capture=None):
    """The button of a page with a worker pool: POST → the job's page (waiting) → the worker runs it → the page
    shows the download link. Returns ``(job_page_html_when_done, download_url)``."""
    from dutydesk.core.models import BackgroundJob

    with capture(execute=False) as callbacks:
        response = client.post(post_url, data or {})
    job = BackgroundJob.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/", response
    waiting = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in waiting and "job-download" not in waiting
    for callback in callbacks:  # the worker picks it up
        callback()
    done = client.get(f"/jobs/{job.pk}/").content.decode()
    download = f"/api/v1/jobs/{job.pk}/file"
    assert "hx-trigger" not in done and 'value="100"' in done and f'href="{download}"' in done, done
    return done, download
