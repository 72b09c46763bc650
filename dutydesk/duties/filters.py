"""The duty engine's list filters: tasks (``/api/v1/tasks/?assignee=me&due=today``; shared/API.md "Duty engine") and
opinions. ``assignee=me`` chooses the inbox itself (``TaskViewSet.get_queryset``); another assignee is a user id."""
import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dutydesk.core.errors import BusinessRuleError
from dutydesk.core.filters import IntFilter, as_int
from dutydesk.duties.models import Opinion
from dutydesk.inbox import selectors as inbox_selectors
from dutydesk.inbox.models import Task


class TaskFilter(django_filters.FilterSet):
    due = django_filters.CharFilter(method="filter_due")
    assignee = django_filters.CharFilter(method="filter_assignee")
    post = IntFilter(field_name="post_id")
    project = IntFilter(field_name="project_id")
    source = django_filters.CharFilter()
    status = django_filters.CharFilter()

    class Meta:
        model = Task
        fields: list[str] = []

    def filter_due(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value not in inbox_selectors.DUE_FILTERS:
            raise BusinessRuleError({"due": [_("Use today, overdue or upcoming.")]})
        return inbox_selectors.filter_due(queryset, value)

    def filter_assignee(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "me":
            return queryset
        if (user_id := as_int(value)) is None:
            raise BusinessRuleError({"assignee": [_("Use me or a user id.")]})
        return queryset.filter(assignee_id=user_id)


class OpinionFilter(django_filters.FilterSet):
    project = IntFilter(field_name="project_id")
    unit = IntFilter(field_name="unit_id")
    butler = IntFilter(field_name="butler_id")

    class Meta:
        model = Opinion
        fields: list[str] = []
