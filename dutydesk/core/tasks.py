"""Celery tasks: run a background job; run one scheduled job for one tick (enqueued by ``dutydesk beat``); and
``job_enqueue``, how a request hands work to them."""
from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django.utils.dateparse import parse_datetime

from dutydesk.core.background import job_run, load_kinds
from dutydesk.core.models import BackgroundJob


def job_enqueue(kind: str, *, user=None, params: dict | None = None) -> BackgroundJob:
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
def run_scheduled_job(name: str, now_iso: str) -> object:
    """One registered scheduler job for one tick. Locked per (job, tick) in the shared cache, so when several
    workers receive the same tick the job runs once; the jobs themselves are idempotent besides."""
    from dutydesk.core.scheduler import run_tick

    if not cache.add(f"scheduled:{name}:{now_iso}", 1, timeout=3600):
        return "skipped"
    return run_tick(parse_datetime(now_iso), only=[name]).get(name)
