"""Reads of patrols: routes and rounds scoped by the reader's posts (patrols are project-wide: a route or round of a
project where the reader's posts do not grant ``patrols.view`` is a 404), with everything a list shows fetched in a
fixed number of queries; and the figures of the patrol KPIs (patrols/kpis.py)."""
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dutydesk.core import clock
from dutydesk.core.paging import bounded_count
from dutydesk.org import access
from dutydesk.org.models import Post
from dutydesk.patrols.models import Checkpoint, Round, RoundCheckpoint, Route

VIEW = "patrols.view"
# a round may be walked from a little before it is due to start (the walker is on the way when the task comes up)
EARLY = timedelta(minutes=30)


def routes_for(user: Any) -> QuerySet[Route]:
    checkpoints = Checkpoint.objects.filter(active=True).select_related("category", "post", "unit__building")
    return (Route.objects.filter(access.project_scope(user, VIEW, "project"))
            .select_related("project", "post", "created_by")
            .prefetch_related(Prefetch("checkpoints", queryset=checkpoints, to_attr="active_checkpoints")))


def rounds_for(user: Any) -> QuerySet[Round]:
    points = RoundCheckpoint.objects.select_related("recorded_by", "ticket").order_by("position", "pk")
    return (Round.objects.filter(access.project_scope(user, VIEW, "project"))
            .select_related("route", "project", "post", "walker")
            .prefetch_related(Prefetch("checkpoints", queryset=points)))


def _counted(points: QuerySet[RoundCheckpoint]) -> Coalesce:
    """The number of ``points`` (filtered on ``round=OuterRef("pk")``) as a subquery: read for the rows a page
    shows, by the checkpoints' (round, code) index, where a join and a GROUP BY counted every round's checkpoints
    before the page was cut (scripts/bench_modules.py)."""
    return Coalesce(Subquery(points.order_by().values("round").annotate(n=Count("pk")).values("n")), 0)


def with_progress(rounds: QuerySet[Round]) -> QuerySet[Round]:
    """``rounds`` with ``total`` (checkpoints) and ``recorded`` (those with a result)."""
    points = RoundCheckpoint.objects.filter(round=OuterRef("pk"))
    return rounds.annotate(total=_counted(points), recorded=_counted(points.exclude(result="")))


def open_rounds_count() -> Coalesce:
    """For a route (``OuterRef``): its open rounds, a subquery on the open rounds' index."""
    return Coalesce(Subquery(Round.objects.filter(route=OuterRef("pk"), status=Round.Status.OPEN).order_by()
                             .values("route").annotate(n=Count("pk")).values("n")), 0)


def current_round(route: Route, now: datetime | None = None) -> Round | None:
    """The round of ``route`` a scan of one of its QR codes opens: the open round that started last (or starts within
    ``EARLY``); a round left open from earlier is taken only when no later one has started."""
    now = now or clock.now()
    return (Round.objects.filter(route=route, status=Round.Status.OPEN, starts_at__lte=now + EARLY)
            .order_by("-starts_at", "-pk").first())


def next_round(route: Route, now: datetime | None = None) -> Round | None:
    now = now or clock.now()
    return Round.objects.filter(route=route, starts_at__gt=now + EARLY).order_by("starts_at", "pk").first()


def overdue(rounds: QuerySet[Round], now: datetime | None = None) -> QuerySet[Round]:
    return rounds.filter(status=Round.Status.OPEN, due_at__lt=now or clock.now())


def status_counts(rounds: QuerySet[Round], now: datetime | None = None) -> dict[str, int]:
    """{status: count, "overdue": count} of a scoped list (the page's filter buttons), each bounded
    (``core.paging``: "10,000+"): a grouped count read every round of the project, a million after some years."""
    counts = {status: bounded_count(rounds.filter(status=status)) for status in Round.Status.values}
    counts["overdue"] = bounded_count(overdue(rounds, now))
    return counts


def walking_posts() -> list[Post]:
    """The posts whose holders may walk rounds (a route is walked by one of them), in catalogue order. The
    permissions are a JSON list: read in Python (SQLite has no JSON "contains")."""
    return [post for post in Post.objects.order_by("position", "pk") if "patrols.walk" in post.permissions]


# ---- KPI figures --------------------------------------------------------------------------------

def posts_below(post_ids: list[int]) -> dict[int, set[int]]:
    """{post id: the posts below it through the reporting lines}, one query."""
    children: dict[int | None, list[int]] = {}
    for post_id, superior_id in Post.objects.values_list("id", "superior_id"):
        children.setdefault(superior_id, []).append(post_id)
    below: dict[int, set[int]] = {}
    for top in post_ids:
        found: set[int] = set()
        stack = [top]
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in found and child != top:
                    found.add(child)
                    stack.append(child)
        below[top] = found
    return below


def _due(project: Any, start: datetime, end: datetime, post_ids: set[int], prefix: str = "") -> Q:
    return Q(**{f"{prefix}project": project, f"{prefix}due_at__gte": start, f"{prefix}due_at__lt": end,
                f"{prefix}post_id__in": sorted(post_ids)})


def rounds_due_by_post_and_walker(*, project: Any, start: datetime, end: datetime,
                                  post_ids: set[int]) -> dict[tuple[int, int | None], tuple[int, int]]:
    """{(post id, walker id or None): (rounds due, rounds on time)} of the rounds of ``post_ids`` in ``project`` that
    fell due in [start, end): on time = every checkpoint recorded by the due time. One grouped query."""
    rows = (Round.objects.filter(_due(project, start, end, post_ids)).order_by()
            .values_list("post_id", "walker_id")
            .annotate(due=Count("id"), in_time=Count("id", filter=Q(completed_at__isnull=False,
                                                                   completed_at__lte=F("due_at")))))
    return {(post_id, walker_id): (due, in_time) for post_id, walker_id, due, in_time in rows}


def checkpoints_due_by_post_and_walker(*, project: Any, start: datetime, end: datetime,
                                       post_ids: set[int]) -> dict[tuple[int, int | None], tuple[int, int]]:
    """{(post id, walker id or None): (checkpoints due, recorded by the round's due time)} of the rounds of
    ``post_ids`` that fell due in [start, end): a checkpoint not recorded in time is a missed one. One grouped
    query."""
    rows = (RoundCheckpoint.objects.filter(_due(project, start, end, post_ids, "round__")).order_by()
            .values_list("round__post_id", "round__walker_id")
            .annotate(due=Count("id"), in_time=Count("id", filter=Q(recorded_at__isnull=False,
                                                                   recorded_at__lte=F("round__due_at")))))
    return {(post_id, walker_id): (due, in_time) for post_id, walker_id, due, in_time in rows}
