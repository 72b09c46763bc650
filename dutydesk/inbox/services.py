"""Writes of the task inbox: put a task in an inbox once, complete it. Keyword-only functions, one verb each."""
from datetime import datetime
from typing import Any

from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.errors import StateConflict
from dutydesk.inbox.models import Task
from dutydesk.org.models import Post, Routine


def task_create_once(*, source: str, source_key: str, title: str, due_at: datetime, assignee: Any = None,
                     post: Post | int | None = None, project: Project | int | None = None, description: str = "",
                     url: str = "", routine: Routine | int | None = None) -> tuple[Task, bool]:
    """Create a task unless one with ``source_key`` exists (sweeps and routines call this on
    every tick). ``assignee``, ``post``, ``project`` and ``routine`` take an object or its id.
    Returns ``(task, created)``."""
    existing = Task.objects.filter(source_key=source_key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return Task.objects.create(
                source=source, source_key=source_key, title=title[:200], description=description, due_at=due_at,
                **_ref("assignee", assignee), **_ref("post", post), **_ref("project", project),
                **_ref("routine", routine), url=url,
            ), True
    except IntegrityError:  # another process created it in the meantime
        return Task.objects.get(source_key=source_key), False


def tasks_create_once(tasks: list[Task]) -> int:
    """``task_create_once`` for many tasks at once (a job's work for a whole project): the ``source_key``s that exist
    are read in one query and the rest inserted in bulk with their history, per batch of ``TASK_BATCH`` (a go-live
    may chase hundreds of thousands of customers: one statement cannot carry that many keys). A key another process
    created meanwhile makes that batch fall back to one task at a time. Returns how many were created."""
    return sum(_tasks_create_once(tasks[start:start + TASK_BATCH]) for start in range(0, len(tasks), TASK_BATCH))


TASK_BATCH = 2000  # keys per query, and ~16 parameters a task: well under the 65,535 of one statement


def _tasks_create_once(tasks: list[Task]) -> int:
    by_key = {task.source_key: task for task in tasks}
    taken = set(Task.objects.filter(source_key__in=list(by_key)).values_list("source_key", flat=True))
    new = [task for key, task in by_key.items() if key not in taken]
    if not new:
        return 0
    for task in new:
        task.title = task.title[:200]
    try:
        with transaction.atomic():
            bulk_create_with_history(new, Task)
    except IntegrityError:  # another process created one of them in the meantime
        return sum(task_create_once(
            source=task.source, source_key=task.source_key or "", title=task.title, due_at=task.due_at,
            assignee=task.assignee_id, post=task.post_id, project=task.project_id, description=task.description,
            url=task.url, routine=task.routine_id)[1] for task in new)
    return len(new)


def _ref(field: str, value: models.Model | int | None) -> dict[str, Any]:
    """A foreign key given as an object or as its id (the routine generator has the ids at hand)."""
    if value is None or isinstance(value, models.Model):
        return {field: value}
    return {f"{field}_id": value}


@transaction.atomic
def task_describe(*, task: Task, description: str, url: str = "") -> bool:
    """Write ``description`` (and ``url``, when the task has none) into an open task — a sweep's list put into the
    routine task of the same duty, so that one duty makes one task. A task no longer open is left as it is.
    Returns whether the task changed."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != Task.Status.OPEN or (task.description == description and (task.url or not url)):
        return False
    task.description = description
    task.url = task.url or url
    task.save(update_fields=["description", "url"])
    return True


@transaction.atomic
def task_complete(*, task: Task, user: Any, note: str = "", evidence: File | None = None) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != Task.Status.OPEN:
        raise StateConflict(_("This task is already %(status)s.") % {"status": task.get_status_display()})
    task.status = Task.Status.DONE
    task.completed_at = clock.now()
    task.completed_by = user
    task.note = note
    if evidence is not None:
        task.evidence = evidence
    task.save()
    return task
