"""Celery tasks: run a background job; run one scheduled job for one tick (enqueued by ``dutydesk beat``)."""
from celery import shared_task
from django.core.cache import cache
from django.utils.dateparse import parse_datetime


@shared_task(name="dutydesk.run_background_job", acks_late=True)
def run_background_job(job_id: int) -> str:
    from dutydesk.core.background import job_run

    return job_run(job_id)


@shared_task(name="dutydesk.run_scheduled_job", acks_late=True)
def run_scheduled_job(name: str, now_iso: str) -> object:
    """One registered scheduler job for one tick. Locked per (job, tick) in the shared cache, so when several
    workers receive the same tick the job runs once; the jobs themselves are idempotent besides."""
    from dutydesk.core.scheduler import run_tick

    if not cache.add(f"scheduled:{name}:{now_iso}", 1, timeout=3600):
        return "skipped"
    return run_tick(parse_datetime(now_iso), only=[name]).get(name)
