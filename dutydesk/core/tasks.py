"""Celery tasks: run a background job; run one scheduled job for one (project, tick), sent by ``dutydesk beat``
through ``tick_enqueue``; and ``job_enqueue``, how a request hands work to a worker."""
from datetime import datetime
from typing import Any

from celery import shared_task
from django.db import transaction
from django.utils.dateparse import parse_datetime

from dutydesk.core.background import job_run, load_kinds
from dutydesk.core.models import BackgroundJob


def job_enqueue(kind: str, *, user: Any = None, params: dict[str, Any] | None = None) -> BackgroundJob:
    """Record the job and send it to a worker once the current transaction commits."""
    if kind not in load_kinds():
        raise ValueError(f"unknown background job kind {kind!r}")
    job = BackgroundJob.objects.create(kind=kind, params=params or {}, created_by=user)
    transaction.on_commit(lambda: run_background_job.delay(job.pk))
    return job


@shared_task(name="dutydesk.run_background_job", acks_late=True)
def run_background_job(job_id: int) -> str:
    return job_run(job_id)


@shared_task(name="dutydesk.run_scheduled_job", acks_late=True)
def run_scheduled_job(name: str, now_iso: str, project: int | None = None) -> object:
    """One registered scheduler job for one project (None: a job not per project) and one tick. The job runs once
    per (job, project, period) however many workers receive it: ``core.scheduler.run_once`` claims its mark in the
    transaction of the work; a second delivery answers ``"skipped"``."""
    from dutydesk.core.scheduler import load_jobs, run_once

    registered = load_jobs().get(name)
    if registered is None:
        raise LookupError(f"no scheduled job {name!r}")
    now = parse_datetime(now_iso)
    if now is None:  # beat sends isoformat(); anything else must not run as "the current time"
        raise ValueError(f"not an ISO 8601 time: {now_iso!r}")
    return run_once(registered, now, project)


def tick_enqueue(now: datetime) -> int:
    """``dutydesk beat``'s tick: one task per due (job, project) that has no mark for its period yet (one query per
    job), so the workers share the projects. Returns the number of tasks sent."""
    from dutydesk.core.scheduler import due_work, load_jobs

    sent = 0
    for name, registered in sorted(load_jobs().items()):
        for project in due_work(registered, now):
            run_scheduled_job.delay(name, now.isoformat(), getattr(project, "pk", None))
            sent += 1
    return sent
