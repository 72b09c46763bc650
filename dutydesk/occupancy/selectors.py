"""Reads of the move-in, renovation and move-out procedures: querysets scoped by the reader's posts (a floor butler
sees the units of their floors; an object outside the scope is a 404), with everything a list shows fetched in a
fixed number of queries."""
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from dutydesk.occupancy.models import (InspectionPhoto, MoveIn, MoveInStep, MoveOut, MoveOutStep, Renovation,
                                       RenovationInspection, RenovationWorker)
from dutydesk.org import access

VIEW = "occupancy.view"


def move_ins_for(user: Any) -> QuerySet[MoveIn]:
    return (MoveIn.objects.filter(access.unit_scope(user, VIEW, "unit__"))
            .select_related("unit__building", "resident", "created_by", "completed_by")
            .prefetch_related(Prefetch("steps", queryset=MoveInStep.objects.select_related("done_by"))))


def move_outs_for(user: Any) -> QuerySet[MoveOut]:
    return (MoveOut.objects.filter(access.unit_scope(user, VIEW, "unit__"))
            .select_related("unit__building", "resident", "created_by", "completed_by", "goods_release")
            .prefetch_related(Prefetch("steps", queryset=MoveOutStep.objects.select_related("done_by"))))


def renovations_for(user: Any) -> QuerySet[Renovation]:
    inspections = (RenovationInspection.objects.select_related("inspected_by")
                   .prefetch_related(Prefetch("photos", queryset=InspectionPhoto.objects.order_by("id"))))
    return (Renovation.objects.filter(access.unit_scope(user, VIEW, "unit__"))
            .select_related("unit__building", "resident", "created_by", "decided_by", "closed_by", "refunded_by",
                            "deposit_charge")
            .prefetch_related(Prefetch("workers", queryset=RenovationWorker.objects.select_related("access_pass")),
                              Prefetch("inspections", queryset=inspections)))


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


def status_counts(queryset: QuerySet[Any]) -> dict[str, int]:
    """{status: count} of a scoped list, one grouped query (the page's filter buttons)."""
    return {row["status"]: row["n"] for row in queryset.order_by().values("status").annotate(n=Count("id"))}

