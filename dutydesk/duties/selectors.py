from datetime import timedelta

from django.db.models import Q

from dutydesk.core import clock
from dutydesk.duties.models import Task
from dutydesk.org import access


def tasks_visible_to(user):
    """My tasks and the shared tasks of my posts in my projects; a supervisor (duties.team)
    also sees the tasks of subordinate posts."""
    if user.is_superuser:
        return Task.objects.all()
    mine = Q(assignee=user)
    for holding in access.holdings(user):
        mine |= Q(assignee__isnull=True, post_id=holding.post_id, project_id=holding.project_id)
    if access.has_perm(user, "duties.team"):
        subordinate = access.subordinate_post_ids(user)
        if subordinate:
            mine |= Q(post_id__in=subordinate, project_id__in=access.project_ids(user))
    return Task.objects.filter(mine)


def tasks_for_me(user):
    """Only what is mine to do: assigned to me or shared by my posts."""
    mine = Q(assignee=user)
    for holding in access.holdings(user):
        mine |= Q(assignee__isnull=True, post_id=holding.post_id, project_id=holding.project_id)
    return Task.objects.filter(mine)


def filter_due(queryset, due):
    now = clock.local_now()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if due == "today":
        return queryset.filter(due_at__gte=start, due_at__lt=start + timedelta(days=1))
    if due == "overdue":
        return queryset.filter(status=Task.Status.OPEN, due_at__lt=now)
    if due == "upcoming":
        return queryset.filter(status=Task.Status.OPEN, due_at__gte=start + timedelta(days=1))
    return queryset
