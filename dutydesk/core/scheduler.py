"""A small in-process scheduler: apps register periodic jobs in their ``jobs.py``; the
``dutydesk scheduler`` command runs them every tick. Every job must be idempotent (running a
sweep twice creates nothing twice), so a tick can be repeated or run by two processes safely."""
import logging
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings

log = logging.getLogger("dutydesk.scheduler")
JOBS = {}


@dataclass(frozen=True)
class Job:
    name: str
    func: object
    description: str = ""


def job(name, description=""):
    """Decorator: register ``func(now)`` to run on every scheduler tick."""

    def register(func):
        JOBS[name] = Job(name=name, func=func, description=description)
        return func

    return register


def load_jobs():
    for app in settings.DOMAIN_APPS:
        try:
            import_module(f"{app}.jobs")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.jobs":
                raise
    return JOBS


def claimed(job_name: str, key: str) -> bool:
    """Has (job, key) done its work already? One indexed lookup."""
    from dutydesk.core.models import JobMark

    return JobMark.objects.filter(job=job_name, key=key).exists()


def claim(job_name: str, key: str) -> bool:
    """Claim the (job, key) mark; False when it was claimed before (by an earlier tick or another process). Call it
    inside the transaction that does the work: a failed run rolls the mark back and the next tick tries again."""
    from django.db import IntegrityError, transaction

    from dutydesk.core.models import JobMark

    if claimed(job_name, key):
        return False
    try:
        with transaction.atomic():
            JobMark.objects.create(job=job_name, key=key)
    except IntegrityError:  # another scheduler claimed it a moment ago
        return False
    return True


def run_tick(now, only=None):
    """Run every registered job once for ``now``; one failing job does not stop the others."""
    results = {}
    for name, registered in sorted(load_jobs().items()):
        if only and name not in only:
            continue
        try:
            results[name] = registered.func(now)
        except Exception:  # keep the other jobs running; the error is logged
            log.exception("scheduler job %s failed", name)
            results[name] = "error"
    return results
