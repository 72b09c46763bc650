"""Scheduled jobs: apps register periodic work in their ``jobs.py``::

    @job("billing-dunning", "arrears follow-up on the 10th and the 25th", per_project=True, period="day",
         due=lambda local: local.day in (10, 25), projects=lambda now: Project.objects.filter(bills__isnull=False))
    def dunning(now, project):
        ...

One lock rule: each (job, project, period) runs once. ``run_once`` claims a ``core.JobMark`` row keyed by
(job, period, project) inside the transaction that does the work; a second worker, a repeated tick or a second
scheduler finds the mark (the unique constraint; on PostgreSQL the second insert waits for the first transaction) and
skips; a failed run rolls its mark back, so the next tick runs it again. ``period`` is what the job's idempotence is
about: the minute for tick jobs (escalation, e-mails), the day for daily sweeps, the month for monthly reports.

``due`` (a test on the local time) says when a job has work at all; ``projects`` (a Project queryset for ``now``)
which projects it concerns, all by default (core knows no Project model: the archive says where projects come from
with ``register_projects`` in its ``AppConfig.ready``). ``dutydesk scheduler`` runs every due (job, project)
in-process each tick (``run_tick``); ``dutydesk beat`` sends each one to the workers as its own task
(``core.tasks.tick_enqueue``), so N workers on N machines share them. Calling a registered job
(``jobs.dunning(now)``) runs it the way a tick would."""
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

if TYPE_CHECKING:
    from dutydesk.core.models import JobMark

log = logging.getLogger("dutydesk.scheduler")
JOBS: dict[str, "Job"] = {}
# the one registered source of projects (a callable returning a queryset)
_PROJECTS: list[Callable[[], QuerySet[Any]]] = []
SKIPPED = "skipped"
PERIODS = {"minute": "%Y-%m-%dT%H:%M", "hour": "%Y-%m-%dT%H", "day": "%Y-%m-%d", "month": "%Y-%m"}
# how long a mark is kept: past the period a repeated tick could still arrive (a redelivered message), then pruned
MARKS_KEPT = {"minute": timedelta(days=1), "hour": timedelta(days=2), "day": timedelta(days=40),
              "month": timedelta(days=400)}


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[..., Any]
    description: str = ""
    per_project: bool = False
    period: str = "minute"
    due: Callable[[datetime], object] | None = None
    projects: Callable[[datetime], QuerySet[Any]] | None = None

    def period_of(self, now: datetime) -> str:
        return timezone.localtime(now).strftime(PERIODS[self.period])

    def is_due(self, now: datetime) -> bool:
        return self.due is None or bool(self.due(timezone.localtime(now)))

    def __call__(self, now: datetime) -> Any:
        """Run the job for the tick ``now`` in this process, every due project (the scheduler's way)."""
        return run_job(self, now)


def job(name: str, description: str = "", *, per_project: bool = False, period: str = "minute",
        due: Callable[[datetime], object] | None = None,
        projects: Callable[[datetime], QuerySet[Any]] | None = None) -> Callable[[Callable[..., Any]], Job]:
    """Decorator: register ``func(now)`` (or ``func(now, project)`` with ``per_project``) as a scheduled job that
    runs once per ``period`` (``minute``, ``hour``, ``day``, ``month``) and project, when ``due(local_now)`` holds,
    for the projects of ``projects(now)``. Returns the registered ``Job`` (callable as a tick would run it)."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}: one of {', '.join(PERIODS)}")

    def register(func: Callable[..., Any]) -> Job:
        registered = Job(name=name, func=func, description=description, per_project=per_project, period=period,
                         due=due, projects=projects)
        JOBS[name] = registered
        return registered

    return register


def register_projects(projects: Callable[[], QuerySet[Any]]) -> None:
    """Say where the projects of per-project jobs come from: ``projects()`` returns a queryset of every project
    (the archive calls this from its ``AppConfig.ready``; core imports no app above it)."""
    _PROJECTS[:] = [projects]


def _projects() -> QuerySet[Any]:
    if not _PROJECTS:
        raise LookupError("no project source registered: per-project jobs need scheduler.register_projects()")
    return _PROJECTS[0]()


def load_jobs() -> dict[str, Job]:
    for app in settings.DOMAIN_APPS:
        try:
            import_module(f"{app}.jobs")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.jobs":
                raise
    return JOBS


def _marks(registered: Job, now: datetime) -> "QuerySet[JobMark]":
    from dutydesk.core.models import JobMark

    return JobMark.objects.filter(job=registered.name, period=registered.period_of(now))


def due_work(registered: Job, now: datetime) -> list[Any]:
    """What of ``registered`` is still to run for the tick ``now``: the projects (Project rows) that concern it and
    have no mark for the period yet, or ``[None]`` for a job not per project; ``[]`` when nothing is due. One query."""
    from django.db.models import Exists, OuterRef

    if not registered.is_due(now):
        return []
    if not registered.per_project:
        return [] if _marks(registered, now).exists() else [None]
    concerned = _projects()
    if registered.projects is not None:
        concerned = concerned.filter(pk__in=registered.projects(now).values("pk"))
    return list(concerned.exclude(Exists(_marks(registered, now).filter(project=OuterRef("pk")))).order_by("pk"))


def claim(job_name: str, period: str, project_id: int | None = None) -> bool:
    """Insert the (job, period, project) mark; False when it exists (an earlier tick, another worker). Call it inside
    the transaction that does the work: a failed run rolls the mark back and the next tick tries again."""
    from django.db import IntegrityError, transaction

    from dutydesk.core.models import JobMark

    if JobMark.objects.filter(job=job_name, period=period, project=project_id).exists():
        return False
    try:
        with transaction.atomic():
            JobMark.objects.create(job=job_name, period=period, project=project_id)
    except IntegrityError:  # another worker claimed it a moment ago (on PostgreSQL: and committed its work)
        return False
    return True


def run_once(registered: Job, now: datetime, project: Any = None) -> Any:
    """Run one (job, project) for the tick ``now`` unless its period is claimed already: the job's result, or
    ``SKIPPED``. ``project``: a Project, its id (from a worker's message) or None. An exception propagates after
    the transaction (and so the claim) is rolled back."""
    from django.db import transaction

    if not registered.is_due(now):
        return SKIPPED
    project_id = getattr(project, "pk", project)
    if registered.per_project and project_id is None:
        raise ValueError(f"scheduled job {registered.name} runs per project: name one")
    with transaction.atomic():
        if not claim(registered.name, registered.period_of(now), project_id if registered.per_project else None):
            return SKIPPED
        if not registered.per_project:
            return registered.func(now)
        if not hasattr(project, "pk"):
            project = _projects().get(pk=project_id)
        return registered.func(now, project)


def run_job(registered: Job, now: datetime) -> Any:
    """Every due (job, project) of ``registered`` for ``now``, one after the other in this process. A project that
    fails is logged and does not stop the others (its claim is released); the result is then ``"error"``. A job per
    project answers the sum of its projects' results, one that is not its own result (0 when nothing was due)."""
    total, failed = 0, False
    for project in due_work(registered, now):
        try:
            result = run_once(registered, now, project)
        except Exception:  # keep the other projects and jobs running; the error is logged
            log.exception("scheduler job %s failed (project %s)", registered.name, getattr(project, "pk", "-"))
            failed = True
            continue
        if result == SKIPPED:
            continue
        if not registered.per_project:
            return result
        total += result if isinstance(result, int) else 0
    return "error" if failed else total


def run_tick(now: datetime, only: Collection[str] | None = None) -> dict[str, Any]:
    """Run every registered job once for ``now`` (``dutydesk scheduler``); one failing job does not stop the others."""
    results: dict[str, Any] = {}
    for name, registered in sorted(load_jobs().items()):
        if only and name not in only:
            continue
        results[name] = run_job(registered, now)
    return results


def marks_prune(now: datetime) -> int:
    """Delete the marks no tick can ask about any more (``MARKS_KEPT`` by the job's period); marks of jobs that are
    no longer registered go after the longest time. Returns the number deleted."""
    from dutydesk.core.models import JobMark

    jobs = load_jobs()
    deleted = 0
    for name, registered in jobs.items():
        deleted += JobMark.objects.filter(job=name, at__lt=now - MARKS_KEPT[registered.period]).delete()[0]
    longest = max(MARKS_KEPT.values())
    deleted += JobMark.objects.exclude(job__in=list(jobs)).filter(at__lt=now - longest).delete()[0]
    return deleted
