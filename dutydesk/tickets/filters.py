"""The work-order list's filters (``GET /api/v1/tickets/?status=&kind=&assignee=&owner=&overdue=&unit=&project=
&post=&category=&q=``; shared/API.md "Work orders"). Unlike most lists, a bad id here is a 400, not ignored."""
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from dutydesk.core import clock
from dutydesk.core.filters import IntFilter, ListFilter, as_int
from dutydesk.tickets import selectors
from dutydesk.tickets.models import RUNNING, Ticket

GIVE_A_NUMBER = _("Give a number.")


class PersonField(forms.Field):
    """``me`` or a user id."""

    def to_python(self, value: Any) -> int | str | None:
        if value in self.empty_values:
            return None
        if value == "me":
            return value
        number = as_int(value)
        if number is None:
            raise forms.ValidationError(_("Give a user id or 'me'."), code="invalid")
        return number


@extend_schema_field(OpenApiTypes.STR)
class PersonFilter(django_filters.Filter):
    field_class = PersonField

    def filter(self, qs: QuerySet, value: int | str | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(**{self.field_name: self.parent.request.user.pk if value == "me" else value})


class TicketFilter(django_filters.FilterSet):
    status = ListFilter()
    kind = ListFilter()
    assignee = PersonFilter(field_name="assignee_id")
    owner = PersonFilter(field_name="owner_id")
    unit = IntFilter(field_name="unit_id", error=GIVE_A_NUMBER)
    project = IntFilter(field_name="project_id", error=GIVE_A_NUMBER)
    category = IntFilter(field_name="category_id", error=GIVE_A_NUMBER)
    post = IntFilter(field_name="assigned_post_id", error=GIVE_A_NUMBER)
    overdue = django_filters.CharFilter(method="filter_overdue")
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = Ticket
        fields: list[str] = []

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value in ("true", "1", "yes"):
            return selectors.overdue(queryset).order_by("resolution_due", "id")
        if value in ("false", "0", "no"):
            return queryset.exclude(status__in=RUNNING, resolution_due__lt=clock.now())
        return queryset

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The number or words of the title."""
        if q := value.strip():
            return queryset.filter(Q(number__icontains=q) | Q(title__icontains=q))
        return queryset
