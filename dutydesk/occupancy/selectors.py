"""Reads of the move-in, renovation and move-out procedures: querysets scoped by the reader's posts (a floor butler
sees the units of their floors; an object outside the scope is a 404), with everything a list shows fetched in a
fixed number of queries."""
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from dutydesk.archive.models import Unit
from dutydesk.archive.selectors import unit_scope_by_ids
from dutydesk.billing.selectors import unit_search_q
from dutydesk.occupancy.models import (InspectionPhoto, MoveIn, MoveInStep, MoveOut, MoveOutStep, Renovation,
                                       RenovationInspection, RenovationWorker)

VIEW = "occupancy.view"


def scope(user: Any) -> Q:
    """``access.unit_scope`` on the object's own columns (a move-in, a move-out and a renovation carry their unit's
    project): a whole-project post filters on ``project_id``, so a list walks its (project, date) index in order and
    stops at the page instead of joining every row's unit; a floor butler's floors are the ids of their units
    (``archive.selectors.unit_scope_by_ids``, the scope rule of every unit-scoped list)."""
    return unit_scope_by_ids(user, VIEW, "unit__", own_project="project_id")


def move_ins_for(user: Any) -> QuerySet[MoveIn]:
    return (MoveIn.objects.filter(scope(user))
            .select_related("unit__building", "resident", "created_by", "completed_by")
            .prefetch_related(Prefetch("steps", queryset=MoveInStep.objects.select_related("done_by"))))


def move_outs_for(user: Any) -> QuerySet[MoveOut]:
    return (MoveOut.objects.filter(scope(user))
            .select_related("unit__building", "resident", "created_by", "completed_by", "goods_release")
            .prefetch_related(Prefetch("steps", queryset=MoveOutStep.objects.select_related("done_by"))))


def renovations_for(user: Any) -> QuerySet[Renovation]:
    inspections = (RenovationInspection.objects.select_related("inspected_by")
                   .prefetch_related(Prefetch("photos", queryset=InspectionPhoto.objects.order_by("id"))))
    return (Renovation.objects.filter(scope(user))
            .select_related("unit__building", "resident", "created_by", "decided_by", "closed_by", "refunded_by",
                            "deposit_charge")
            .prefetch_related(Prefetch("workers", queryset=RenovationWorker.objects.select_related("access_pass")),
                              Prefetch("inspections", queryset=inspections)))


def renovation_list(renovations: QuerySet[Renovation]) -> QuerySet[Renovation]:
    """What a list of renovations reads (the page, and the API, which gives the people as ids): the unit and the
    deposit, not the five people the detail page names — ten joins took PostgreSQL longer to plan (~30 ms at 10^5
    renovations) than the page took to read."""
    return renovations.select_related(None).select_related("unit__building", "deposit_charge")


def overdue_renovations(queryset: QuerySet[Renovation], today: date) -> QuerySet[Renovation]:
    """Works still under way after the last approved day (a task for the unit's butler, occupancy/jobs.py)."""
    return queryset.filter(status=Renovation.Status.APPROVED, ends_on__lt=today)


def unresolved_failed_inspections(queryset: QuerySet[RenovationInspection] | None = None
                                  ) -> QuerySet[RenovationInspection]:
    """Failed inspections of works still under way that no later inspection passed (rectification to follow up,
    seeds/000_d44081c6db2527f0.txt:564: 跟进整改项目落实)."""
    queryset = queryset if queryset is not None else RenovationInspection.objects.all()
    passed_since = RenovationInspection.objects.filter(renovation=OuterRef("renovation"),
                                                       result=RenovationInspection.Result.PASS,
                                                       pk__gt=OuterRef("pk"))  # recorded after it
    return queryset.filter(result=RenovationInspection.Result.FAIL,
                           renovation__status=Renovation.Status.APPROVED).filter(~Exists(passed_since))


def units_matching(text: str, user: Any) -> list[int]:
    """The ids of the units a list's search box means (a unit code, a resident's name or phone) among the units
    ``user`` may see, looked up on the units' and residents' own indexes first: the list then reads those units' rows
    by its unit index, not every row joined to its unit and building. Among the viewer's units, not the group's: in
    400 projects a unit number or a surname matches thousands of units, nearly all of them elsewhere."""
    units = Unit.objects.filter(unit_search_q(text, prefix="")).filter(unit_scope_by_ids(user, VIEW, ""))
    return list(units.order_by().values_list("pk", flat=True))


def status_counts(queryset: QuerySet[Any]) -> dict[str, int]:
    """{status: count} of a scoped list, one grouped query (the page's filter buttons)."""
    return {row["status"]: row["n"] for row in queryset.order_by().values("status").annotate(n=Count("id"))}

