"""The list filters of the property-operations API: ``?status=open``, ``?unit=``, ``?project=``; renovations also
``?overdue=true``. An id that is not a number is ignored; a flag is on for 1/true/yes."""
import django_filters

from dutydesk.core import clock
from dutydesk.core.filters import FlagFilter, IntFilter, ListFilter
from dutydesk.occupancy import selectors
from dutydesk.occupancy.models import MoveIn, MoveOut, Renovation


class MoveInFilter(django_filters.FilterSet):
    status = ListFilter()
    unit = IntFilter(field_name="unit_id")
    project = IntFilter(field_name="project_id")

    class Meta:
        model = MoveIn
        fields: list[str] = []


class MoveOutFilter(MoveInFilter):
    class Meta:
        model = MoveOut
        fields: list[str] = []


class RenovationFilter(django_filters.FilterSet):
    status = ListFilter()
    unit = IntFilter(field_name="unit_id")
    project = IntFilter(field_name="project_id")
    overdue = FlagFilter(lambda renovations: selectors.overdue_renovations(renovations, clock.today()))

    class Meta:
        model = Renovation
        fields: list[str] = []
