from django.db import IntegrityError, transaction

from dutydesk.core import clock
from dutydesk.core.api import StateConflict
from dutydesk.duties.models import Task
from django.utils.translation import gettext as _


def task_create_once(*, source, source_key, title, due_at, assignee=None, post=None, project=None,
                     description="", url="", routine=None):
    """Create a task unless one with ``source_key`` exists (sweeps and routines call this on
    every tick). Returns ``(task, created)``."""
    existing = Task.objects.filter(source_key=source_key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            return Task.objects.create(
                source=source, source_key=source_key, title=title[:200], description=description, due_at=due_at,
                assignee=assignee, post=post, project=project, url=url, routine=routine,
            ), True
    except IntegrityError:  # another process created it in the meantime
        return Task.objects.get(source_key=source_key), False


@transaction.atomic
def task_complete(*, task, user, note="", evidence=None):
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
