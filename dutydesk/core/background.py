"""Background jobs: long work that a request hands to a worker (shared/API.md "Background jobs").

An app registers a kind in its ``jobs.py``::

    @background_job("billing.run")
    def bill_run(job, *, project, period):      # params as keyword arguments
        job.report(10)                            # progress 0..100 (optional)
        return {"run": run.pk, "bills_created": n} # the JSON result

and a view hands work over with ``core.tasks.job_enqueue(kind, user=..., params=...)``. With ``DUTYDESK_BROKER_URL`` set the
job goes to Celery workers (Redis); without it Celery runs it in-process right after the transaction commits, so
the embedded default needs no other service. Running a job is idempotent: only the worker that moves it from
queued to running (a conditional UPDATE) runs it, so a message delivered twice does the work once.
"""
import logging
import traceback
from collections.abc import Callable

from dutydesk.core import clock
from dutydesk.core.models import BackgroundJob
from dutydesk.core.scheduler import load_jobs

log = logging.getLogger("dutydesk.jobs")
KINDS: dict[str, Callable] = {}
TITLES: dict[str, str] = {}


def background_job(kind: str, title: str = ""):
    """Decorator: register ``func(job, **params) -> dict`` as the runner of ``kind``; ``title`` (translatable) names
    it on the job page. A result may carry ``"url"``: the page to open when the job is done."""
    def register(func):
        KINDS[kind] = func
        TITLES[kind] = title or kind
        return func
    return register


def runs_in_background() -> bool:
    """Is there a worker pool (a broker)? Pages then hand long work to a job and show its progress."""
    from django.conf import settings

    return bool(settings.DUTYDESK_BROKER_URL)


def job_title(kind: str) -> str:
    load_kinds()
    return str(TITLES.get(kind, kind))


def load_kinds() -> dict[str, Callable]:
    load_jobs()  # each app's jobs.py registers its scheduled jobs and its background kinds
    return KINDS


def _report(job: BackgroundJob, progress: int) -> None:
    job.progress = max(0, min(100, int(progress)))
    BackgroundJob.objects.filter(pk=job.pk).update(progress=job.progress)


def job_run(job_id: int) -> str:
    """Run a queued job (called by the worker). Returns its final status; "skipped" if another worker has it."""
    claimed = BackgroundJob.objects.filter(pk=job_id, status=BackgroundJob.Status.QUEUED).update(
        status=BackgroundJob.Status.RUNNING, started_at=clock.now())
    if not claimed:
        return "skipped"
    job = BackgroundJob.objects.get(pk=job_id)
    job.report = lambda progress: _report(job, progress)
    runner = load_kinds().get(job.kind)
    try:
        if runner is None:
            raise LookupError(f"no runner for job kind {job.kind!r}")
        result = runner(job, **job.params)
    except Exception as exc:  # the job's failure is its result: recorded, never lost in a worker log
        log.exception("background job %s (%s) failed", job.pk, job.kind)
        message = getattr(exc, "detail", None) or getattr(exc, "errors", None) or str(exc) or type(exc).__name__
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=BackgroundJob.Status.FAILED, error=str(message)[:2000] + "\n" + traceback.format_exc(limit=3)[-1000:],
            finished_at=clock.now())
        return BackgroundJob.Status.FAILED
    BackgroundJob.objects.filter(pk=job.pk).update(status=BackgroundJob.Status.DONE, progress=100, result=result,
                                                   finished_at=clock.now())
    return BackgroundJob.Status.DONE


def wants_async(request) -> bool:
    """``Prefer: respond-async`` (RFC 7240) asks for a 202 and a job instead of the synchronous answer."""
    return "respond-async" in request.headers.get("Prefer", "").lower()
