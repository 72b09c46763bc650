"""Background jobs: long work that a request hands to a worker (shared/API.md "Background jobs").

An app registers a kind in its ``jobs.py``::

    @background_job("billing.run")
    def bill_run(job, *, project, period):      # params as keyword arguments
        job.report(10)                            # progress 0..100 (optional)
        return {"run": run.pk, "bills_created": n} # the JSON result

and a view hands work over with ``core.tasks.job_enqueue(kind, user=..., params=...)``. A job that produces a file
(an export, a PDF) stores it with ``job.attach(filename, content)``; its result then carries ``"download"``, the URL
``GET /api/v1/jobs/{id}/file``, which serves it to the job's creator and to whoever ``may_download`` admits.

With ``DUTYDESK_BROKER_URL`` set the job goes to Celery workers (Redis); without it Celery runs it in-process right
after the transaction commits, so the embedded default needs no other service. Running a job is idempotent: only the worker that moves it from
queued to running (a conditional UPDATE) runs it, so a message delivered twice does the work once.
"""
import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django_stubs_ext import StrOrPromise
from rest_framework.request import Request

from dutydesk.core import clock
from dutydesk.core.models import BackgroundJob
from dutydesk.core.scheduler import load_jobs

log = logging.getLogger("dutydesk.jobs")
Runner = Callable[..., Any]  # runner(job, **params) -> the JSON result
Downloader = Callable[[Any, BackgroundJob], bool]  # (user, job) -> may download its file
KINDS: dict[str, Runner] = {}
TITLES: dict[str, StrOrPromise] = {}
DOWNLOADERS: dict[str, Downloader] = {}


def background_job(kind: str, title: StrOrPromise = "", *,
                   may_download: Downloader | None = None) -> Callable[[Runner], Runner]:
    """Decorator: register ``func(job, **params) -> dict`` as the runner of ``kind``; ``title`` (translatable) names
    it on the job page. A result may carry ``"url"``: the page to open when the job is done. ``may_download(user,
    job) -> bool`` says who besides the job's creator may download the file it produced (nobody by default)."""
    def register(func: Runner) -> Runner:
        KINDS[kind] = func
        TITLES[kind] = title or kind
        if may_download is not None:
            DOWNLOADERS[kind] = may_download
        return func
    return register


def may_download(user: Any, job: BackgroundJob) -> bool:
    """The job's creator, a superuser, or whom the kind's ``may_download`` admits."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or job.created_by_id == user.pk:
        return True
    load_kinds()
    rule = DOWNLOADERS.get(job.kind)
    return bool(rule and rule(user, job))


def download_url(job: BackgroundJob) -> str:
    from django.urls import reverse

    return reverse("api-job-file", args=[job.pk])


def runs_in_background() -> bool:
    """Is there a worker pool (a broker)? Pages then hand long work to a job and show its progress."""
    from django.conf import settings

    return bool(settings.DUTYDESK_BROKER_URL)


def job_title(kind: str) -> str:
    load_kinds()
    return str(TITLES.get(kind, kind))


def load_kinds() -> dict[str, Runner]:
    load_jobs()  # each app's jobs.py registers its scheduled jobs and its background kinds
    return KINDS




def job_run(job_id: int) -> str:
    """Run a queued job (called by the worker). Returns its final status; "skipped" if another worker has it."""
    claimed = BackgroundJob.objects.filter(pk=job_id, status=BackgroundJob.Status.QUEUED).update(
        status=BackgroundJob.Status.RUNNING, started_at=clock.now())
    if not claimed:
        return "skipped"
    job = BackgroundJob.objects.get(pk=job_id)
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
    if job.file and isinstance(result, dict):
        result = {**result, "download": download_url(job)}
    BackgroundJob.objects.filter(pk=job.pk).update(status=BackgroundJob.Status.DONE, progress=100, result=result,
                                                   finished_at=clock.now())
    return BackgroundJob.Status.DONE


class RowProgress:
    """An export's progress bar: call it once per row written; every ``every`` rows it reports ``start``..``end`` in
    proportion to ``total`` (counted beforehand with one COUNT)."""

    def __init__(self, job: BackgroundJob, total: int, *, start: int = 5, end: int = 95, every: int = 2000) -> None:
        self.job, self.total, self.start, self.end, self.every, self.done = job, max(total, 1), start, end, every, 0

    def __call__(self) -> None:
        self.done += 1
        if self.done % self.every == 0:
            self.job.report(self.start + (self.end - self.start) * min(self.done, self.total) // self.total)


def wants_async(request: HttpRequest | Request) -> bool:
    """``Prefer: respond-async`` (RFC 7240) asks for a 202 and a job instead of the synchronous answer."""
    return "respond-async" in request.headers.get("Prefer", "").lower()
