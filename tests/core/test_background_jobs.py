"""Background jobs (shared/API.md): ``Prefer: respond-async`` → 202 ``{"job": id}``; ``GET /api/v1/jobs/{id}``
gives status, progress and result. Without a broker they run in-process; with Redis a real worker runs them."""
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date

import pytest
import redis

from dutydesk.billing import services
from dutydesk.billing.models import Bill, UnitCharge
from dutydesk.core.background import KINDS, background_job, job_run
from dutydesk.core.tasks import job_enqueue
from dutydesk.core.models import BackgroundJob


@pytest.fixture
def billed(unit, project):
    item = services.charge_item_save(project=project, code="mgmt", name="物业管理费", basis="per_m2", unit_price="3.50")
    UnitCharge.objects.create(unit=unit, item=item, start=date(2020, 1, 1))
    return project


def test_a_bill_run_asked_async_answers_202_and_the_job_tells_the_result(staff, billed, api, django_capture_on_commit_callbacks):
    client = api(staff["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/billing/runs", {"project": billed.pk, "period": "2026-10"}, format="json",
                               HTTP_PREFER="respond-async")
    assert response.status_code == 202
    job_id = response.json()["job"]
    assert response["Location"] == f"/api/v1/jobs/{job_id}"
    job = client.get(f"/api/v1/jobs/{job_id}").json()
    assert (job["status"], job["progress"], job["kind"]) == ("done", 100, "billing.run")
    assert job["result"]["bills_created"] == 1 and job["result"]["created"] is True
    assert Bill.objects.filter(project=billed).count() == 1


def test_without_the_header_the_answer_stays_synchronous(staff, billed, api):
    response = api(staff["manager"]).post("/api/v1/billing/runs", {"project": billed.pk, "period": "2026-10"}, format="json")
    assert response.status_code == 201
    assert response.json()["bills_created"] == 1


def test_someone_elses_job_is_not_found(staff, billed, api):
    job = job_enqueue("billing.run", user=staff["manager"], params={"project": billed.pk, "period": "2026-10"})
    assert api(staff["frontdesk"]).get(f"/api/v1/jobs/{job.pk}").status_code == 404
    assert api().get(f"/api/v1/jobs/{job.pk}").status_code == 401


def test_a_failing_job_is_recorded_as_failed_with_its_message(staff):
    @background_job("test.explode")
    def explode(job, **params):
        raise ValueError("meter readings missing for A-1201")

    try:
        job = BackgroundJob.objects.create(kind="test.explode", created_by=staff["manager"])
        assert job_run(job.pk) == "failed"
        job.refresh_from_db()
        assert job.status == "failed" and "meter readings missing" in job.error
    finally:
        KINDS.pop("test.explode")


def test_an_export_reports_its_progress_as_rows_are_written(staff):
    from dutydesk.core.background import RowProgress

    job = BackgroundJob.objects.create(kind="billing.export_bills", created_by=staff["manager"])
    job.report = lambda progress: BackgroundJob.objects.filter(pk=job.pk).update(progress=progress)
    tick = RowProgress(job, 5000)
    seen = []
    for row in range(1, 5001):
        tick()
        if row % 2000 == 0:
            seen.append(BackgroundJob.objects.get(pk=job.pk).progress)
    assert seen == [41, 77]  # 5 + 90 × 2,000 / 5,000, then 4,000 / 5,000: one UPDATE per 2,000 rows


def test_a_job_delivered_twice_runs_once(staff, billed):
    job = BackgroundJob.objects.create(kind="billing.run", params={"project": billed.pk, "period": "2026-10"})
    assert job_run(job.pk) == "done"
    assert job_run(job.pk) == "skipped"


def _redis_available():
    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


SETUP = """
from datetime import date
from dutydesk.archive.models import Building, Project, Unit
from dutydesk.billing import services
from dutydesk.billing.models import UnitCharge
from dutydesk.org.models import Organisation
org = Organisation.objects.create(code="w", name="物业")
project = Project.objects.create(organisation=org, code="w", name="工人花园")
building = Building.objects.create(project=project, name="A", floors=30)
item = services.charge_item_save(project=project, code="mgmt", name="物业管理费", basis="per_m2", unit_price="3.50")
for n in range(40):
    unit = Unit.objects.create(project=project, building=building, floor=n // 4 + 1, number=str(100 + n), area_m2=88)
    UnitCharge.objects.create(unit=unit, item=item, start=date(2020, 1, 1))
print(project.pk)
"""


@pytest.mark.own_database
def test_a_real_celery_worker_on_redis_runs_a_bill_run(tmp_path, migrated_sqlite):
    """Starts `dutydesk worker` on Redis, hands it a bill run through the outbox of jobs, waits for the result; then
    `dutydesk beat` fans the scheduled jobs of a tick out per project and the worker runs the project's dunning."""
    if not _redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis (127.0.0.1:6379) is required in CI for the worker test")
        pytest.skip("Redis not running")
    env = {**os.environ, "DUTYDESK_DEBUG": "1", "DUTYDESK_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}", "DUTYDESK_BROKER_URL": "redis://127.0.0.1:6379/15",
           "DUTYDESK_QUEUE": f"test-{uuid.uuid4().hex[:10]}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def dutydesk(*args):
        result = subprocess.run([sys.executable, "-m", "dutydesk", *args], env=env, capture_output=True, text=True,
                                timeout=180)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout.strip()

    migrated_sqlite(tmp_path / "jobs.sqlite3")
    project = dutydesk("shell", "--no-imports", "-c", SETUP).splitlines()[-1]
    worker = subprocess.Popen([sys.executable, "-m", "dutydesk", "worker", "--concurrency", "1"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        job = dutydesk("shell", "--no-imports", "-c",
                       "from dutydesk.core.tasks import job_enqueue; "
                       f"print(job_enqueue('billing.run', params={{'project': {project}, 'period': '2026-10'}}).pk)")
        status = ""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            status = dutydesk("shell", "--no-imports", "-c",
                              "from dutydesk.core.models import BackgroundJob as J; "
                              f"j = J.objects.get(pk={job}); print(j.status, (j.result or {{}}).get('bills_created'))")
            if status.startswith(("done", "failed")):
                break
            time.sleep(1)
        assert status == "done 40", status

        tick = "2026-11-25T08:00:00+08:00"  # the 25th: arrears follow-up (seeds/004_418914185ea837fa.txt)
        sent = int(dutydesk("beat", "--now", tick).split(" enqueued ")[1].split()[0])
        assert sent >= 2  # the dunning of the project, the e-mails, ...
        marks = ""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:  # every task sent has run once its mark is there
            marks = dutydesk("shell", "--no-imports", "-c",
                             "from dutydesk.billing.models import DunningRun; from dutydesk.core.models import JobMark; "
                             f"print(list(JobMark.objects.filter(job='billing-dunning').values_list('period', 'project')),"
                             f" [r.notices for r in DunningRun.objects.filter(project={project})], JobMark.objects.count())")
            if marks.endswith(f" {sent}"):
                break
            time.sleep(1)
        assert marks == f"[('2026-11-25', {project})] [40] {sent}", marks
        assert dutydesk("beat", "--now", tick).endswith("enqueued 0 (job, project) tasks")  # all claimed: nothing again
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            output, _ = worker.communicate()
    assert "dutydesk.run_background_job" in output
    assert "dutydesk.run_scheduled_job[" in output


def test_a_scheduled_job_runs_once_per_tick_however_many_workers_get_it(db):
    from dutydesk.core.tasks import run_scheduled_job

    tick = "2026-11-24T17:00:00+08:00"
    first = run_scheduled_job("core.send_emails", tick)
    assert first == {"sent": 0, "failed": 0}
    assert run_scheduled_job("core.send_emails", tick) == "skipped"
    assert run_scheduled_job("core.send_emails", "2026-11-24T17:01:00+08:00") == {"sent": 0, "failed": 0}
