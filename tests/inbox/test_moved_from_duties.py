"""The Task model moved from the duty engine to the inbox (issue 16) without touching the database: a database
migrated before the move keeps its tasks, their history table and the content types that name them."""
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dutydesk.core import clock
from dutydesk.inbox.models import Task

BEFORE_THE_MOVE = ("duties", "0002_historicaldeduction_historicalkpivalue_and_more")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


@pytest.mark.migration_round_trip
@pytest.mark.django_db(transaction=True)
def test_tasks_written_before_the_move_are_read_after_it(staff, project):
    executor = MigrationExecutor(connection)
    # back to every app's latest migration afterwards: unapplying the inbox also unapplies the apps that depend on it
    # (patrols, shifts, …), and a later test in this worker needs their tables
    latest = executor.loader.graph.leaf_nodes()
    _migrate([BEFORE_THE_MOVE, ("inbox", None)])
    try:
        OldTask = MigrationExecutor(connection).loader.project_state(BEFORE_THE_MOVE).apps.get_model("duties", "Task")
        ContentType.objects.filter(app_label="inbox").delete()  # the database as it was: no inbox yet
        ContentType.objects.get_or_create(app_label="duties", model="task")
        old = OldTask.objects.create(title="搬家前的任务", source="manual", source_key="before-move",
                                     due_at=clock.now() + timedelta(hours=1), assignee_id=staff["frontdesk"].pk,
                                     project_id=project.pk)
    finally:
        _migrate(latest)
        ContentType.objects.clear_cache()
    task = Task.objects.get(source_key="before-move")
    assert (task.pk, task.title, task.assignee_id) == (old.pk, "搬家前的任务", staff["frontdesk"].pk)
    assert Task._meta.db_table == "duties_task" and Task.history.model._meta.db_table == "duties_historicaltask"
    assert ContentType.objects.filter(app_label="inbox", model="task").exists()
    assert not ContentType.objects.filter(app_label="duties", model="task").exists()
