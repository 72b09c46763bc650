"""Reads of the task inbox: my tasks, my team's, what is due. Querysets, filtered with the access ``Q`` objects of
dutydesk.org.access, so a list costs a constant number of queries."""
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When

from dutydesk.core import clock
from dutydesk.inbox.models import Task
from dutydesk.org import access

DUE_FILTERS = ("today", "overdue", "upcoming")


def _mine(user: Any) -> Q:
    mine = Q(assignee=user)
    for post_id, projects in access.posts_held(user):
        mine |= Q(assignee__isnull=True, post_id=post_id, project_id__in=projects)
    return mine


def _team(user: Any) -> Q | None:
    """Tasks of the posts below the user's posts (reporting lines), in the projects where the user
    holds a post granting duties.team."""
    projects = access.project_ids(user, "duties.team")
    if not projects:
        return None
    subordinate = access.subordinate_post_ids(user)
    if not subordinate:
        return None
    return Q(post_id__in=subordinate, project_id__in=projects)


def tasks_visible_to(user: Any) -> QuerySet[Task]:
    """My tasks and the shared tasks of my posts in my projects; a supervisor (duties.team)
    also sees the tasks of subordinate posts."""
    if user.is_superuser:
        return Task.objects.all()
    visible = _mine(user)
    team = _team(user)
    if team is not None:
        visible |= team
    return Task.objects.filter(visible)


def tasks_for_me(user: Any) -> QuerySet[Task]:
    """Only what is mine to do: assigned to me or shared by my posts."""
    return Task.objects.filter(_mine(user))


def tasks_of_team(user: Any) -> QuerySet[Task]:
    """Only the subordinates' tasks (the supervisor's team view)."""
    if user.is_superuser:
        return Task.objects.all()
    team = _team(user)
    return Task.objects.filter(team) if team is not None else Task.objects.none()


def with_overdue(queryset: QuerySet[Task]) -> QuerySet[Task]:
    """Annotate ``overdue`` (open and past due at this moment) and load what a list row shows."""
    return queryset.select_related("post", "routine", "assignee", "project").annotate(
        overdue=Case(When(status=Task.Status.OPEN, due_at__lt=clock.now(), then=Value(True)), default=Value(False),
                     output_field=BooleanField()))


def filter_due(queryset: QuerySet[Task], due: str | None) -> QuerySet[Task]:
    now = clock.local_now()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if due == "today":
        return queryset.filter(due_at__gte=start, due_at__lt=start + timedelta(days=1))
    if due == "overdue":
        return queryset.filter(status=Task.Status.OPEN, due_at__lt=now)
    if due == "upcoming":
        return queryset.filter(status=Task.Status.OPEN, due_at__gte=start + timedelta(days=1))
    return queryset


def overdue_tasks_by_post(user: Any, project_ids: Iterable[int] | None = None) -> list:
    """[(post_id, post name, count)] of open past-due tasks the user may see."""
    queryset = filter_due(tasks_visible_to(user), "overdue").filter(post__isnull=False)
    if project_ids is not None:
        queryset = queryset.filter(project_id__in=project_ids)
    return list(queryset.values("post_id", "post__name", "post__name_en").annotate(count=Count("id"))
                .order_by("-count", "post_id"))
