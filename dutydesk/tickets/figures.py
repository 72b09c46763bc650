"""Kept figures: the work orders' figures by month, kept so that a trend over months reads a few thousand rows, not
millions of work orders (issue 11: at 10M work orders the dashboard's six months took seconds and the return-visit
report's year 5–11 s, all of it reading raw rows).

What is kept, per project and month (``tickets.models``):
- ``ResolvedMonth``: the work orders resolved in the month, per kind, category and assignee: how many, how many had
  a resolution target and how many met it (SLA compliance), how many had a return visit, the visits' satisfaction.
- ``ReceivedMonth``: the work orders received in the month: how many had their first-response target due (or were
  answered) and how many were answered by it.
- ``KeptFigures.until``: the first local day not counted. The current month's rows count its days before it.

When a month is kept, and when it settles. The hourly job ``tickets.keep_figures`` recomputes, per project and
set-based (DELETE, then three INSERT … SELECT, in one transaction), the previous month and this one up to yesterday.
So what happens late to a month's work orders reaches its kept figures within the hour: a complaint resolved on the
30th visited on the 2nd, a work order received on the 31st answered on the 1st, a reopened work order leaving the
month it was resolved in. Once the month after it has ended, a month is **settled**: the job no longer recomputes it,
and a later event (a return visit made two months late, a correction) no longer moves it, as it no longer moves a
published monthly report. ``keep(project, now=…, since=…)`` (the command ``dutydesk keep_figures --since``)
recomputes earlier months on purpose, after a correction of data.

Reading. Each reader adds the kept rows to the work orders read live from ``until`` on (today; or everything, for a
project nothing is kept for yet: a new project, or the tests): the figures are the live figures, at most an hour late
for the days before today. Only whole projects are kept: a reader whose scope is narrower (a floor butler's floors)
reads their work orders, which are few."""
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.periods import Period
from dutydesk.org import access
from dutydesk.tickets import selectors
from dutydesk.tickets.models import (NEEDS_RETURN_VISIT, KeptFigures, Kind, ReceivedMonth, ResolvedMonth, ReturnVisit,
                                     Ticket, TicketCategory)


@dataclass(frozen=True)
class Window:
    """A span of time read live (a month's days from ``until`` on): what the live selectors read of a Period."""
    start_at: datetime
    end_at: datetime


def _midnight(day: date) -> datetime:
    return clock.at(day, "00:00")


def _local_month(field: str) -> TruncMonth:
    """The first day of the local month of a time, as a date (one SQL expression on either database)."""
    return TruncMonth(field, output_field=DateField(), tzinfo=timezone.get_default_timezone())


def _month_start(value: date | datetime) -> date:
    """The first day of the month of a date, or of a local datetime (what TruncMonth gives)."""
    return (value.date() if isinstance(value, datetime) else value).replace(day=1)


# ---- keeping ----------------------------------------------------------------------------------------------------

def settles_from(today: date) -> date:
    """The first day the hourly job still recomputes on ``today``: the first of the previous month (the months
    before it are settled)."""
    return _month_start(today.replace(day=1) - timedelta(days=1))


def keep(project: Project | int, *, now: datetime, since: date | None = None) -> dict[str, Any]:
    """Recompute the kept figures of ``project`` for every month from ``since``'s up to yesterday (local), in one
    transaction: by default from the previous month (``settles_from``), or from the project's first work order when
    nothing is kept yet, or from where the kept days end if the job has not run for a while."""
    project_id = project.pk if isinstance(project, Project) else project
    today = timezone.localtime(now).date()
    with transaction.atomic():
        # one keeper per project at a time (the hourly job's claim, or the command beside it); the project row itself
        # is not locked: a bill run holds it for its whole run
        kept = KeptFigures.objects.select_for_update().filter(project_id=project_id).first()
        start = since or settles_from(today)
        if kept is not None:
            start = min(start, kept.until)
        else:
            first = Ticket.objects.filter(project_id=project_id).aggregate(first=Min("created_at"))["first"]
            if first is not None:
                start = min(start, timezone.localtime(first).date())
        start, until = _month_start(start), max(today, kept.until if kept else today)
        start_at, end_at = _midnight(start), _midnight(until)
        ResolvedMonth.objects.filter(project_id=project_id, month__gte=start).delete()
        ReceivedMonth.objects.filter(project_id=project_id, month__gte=start).delete()
        resolved = Ticket.objects.filter(project_id=project_id, resolved_at__gte=start_at, resolved_at__lt=end_at)
        rows = _insert(ResolvedMonth, project_id, resolved.annotate(
            k_month=_local_month("resolved_at"), k_kind=F("kind"), k_category=F("category_id"),
            k_assignee=F("assignee_id")).values("k_month", "k_kind", "k_category", "k_assignee").annotate(
            k_resolved=Count("id"), k_with_target=Count("id", filter=Q(resolution_due__isnull=False)),
            k_within_target=Count("id", filter=Q(resolved_at__lte=F("resolution_due")))).order_by())
        # the visited work orders and the visits' satisfaction from the visits (a join), not a probe per work order
        visits = ReturnVisit.objects.filter(ticket__project_id=project_id, ticket__resolved_at__gte=start_at,
                                            ticket__resolved_at__lt=end_at)
        rows += _insert(ResolvedMonth, project_id, visits.annotate(
            k_month=_local_month("ticket__resolved_at"), k_kind=F("ticket__kind"), k_category=F("ticket__category_id"),
            k_assignee=F("ticket__assignee_id")).values("k_month", "k_kind", "k_category", "k_assignee").annotate(
            k_visited=Count("ticket_id", distinct=True), k_satisfaction_sum=Sum("satisfaction"),
            k_satisfaction_count=Count("satisfaction")).order_by())
        received = selectors.responses_due(project=project_id, start=start_at, end=end_at, now=now)
        rows += _insert(ReceivedMonth, project_id, received.annotate(k_month=_local_month("created_at")).values(
            "k_month").annotate(k_responses_due=Count("id"),
                                k_answered_in_time=Count("id", filter=selectors.answered_in_time())).order_by())
        KeptFigures.objects.update_or_create(project_id=project_id, defaults={"until": until, "refreshed_at": now})
    return {"project": project_id, "from": start.isoformat(), "until": until.isoformat(), "rows": rows}


def _insert(model: type[ResolvedMonth] | type[ReceivedMonth], project_id: int, grouped: QuerySet[Any]) -> int:
    """INSERT … SELECT the grouped rows (every column named ``k_<field>``) as ``model`` rows of the project; the
    fields the query does not name take their defaults (0)."""
    sql, params = grouped.query.sql_with_params()
    columns = [name[2:] for name in grouped.query.values_select + tuple(grouped.query.annotation_select)]
    fields = {field.name: field for field in model._meta.concrete_fields if field.name not in ("id", "project")}
    defaults = [field.column or name for name, field in fields.items() if name not in columns]
    quote = connection.ops.quote_name
    targets = ", ".join(quote(name) for name in ["project_id", *(fields[c].column or c for c in columns), *defaults])
    values = ", ".join(["%s", *(f"k.{quote('k_' + c)}" for c in columns), *("0" for _ in defaults)])
    insert = f"INSERT INTO {quote(model._meta.db_table)} ({targets}) SELECT {values} FROM ({sql}) AS k"
    with connection.cursor() as cursor:
        cursor.execute(insert, [project_id, *params])
        return cursor.rowcount


# ---- reading ----------------------------------------------------------------------------------------------------

def kept_state(projects: Iterable[int] | None) -> KeptFigures | None:
    """What the pages say of the kept figures of ``projects``: the least recently refreshed of their rows, or None
    when one has nothing kept (then every figure is read live)."""
    projects = set(projects or [])
    rows = list(KeptFigures.objects.filter(project_id__in=projects).order_by("refreshed_at"))
    return rows[0] if projects and len(rows) == len(projects) else None


def kept_until(projects: Iterable[int]) -> date | None:
    """The first day not kept for every one of ``projects`` (the earliest of theirs). None when one with work orders
    has nothing kept yet (then everything is read live); one without work orders counts as kept (a project created
    since the last hourly keep, which keeps every project)."""
    projects = set(projects)
    untils = dict(KeptFigures.objects.filter(project_id__in=projects).values_list("project_id", "until"))
    unkept = projects - set(untils)
    if not projects or (unkept and Ticket.objects.filter(project_id__in=unkept).exists()):
        return None
    return min(untils.values(), default=None)


def _live(period: Period, until: date | None) -> Window | None:
    """What of ``period`` is read from the work orders when the kept rows count the days before ``until``."""
    if until is None or until <= period.start:
        return Window(period.start_at, period.end_at)
    if until >= period.end:
        return None
    return Window(_midnight(until), period.end_at)


def _kept(period: Period, until: date | None) -> tuple[date, date] | None:
    """The months (first days, [from, to)) of ``period`` whose kept rows count: those starting before ``until``."""
    if until is None or until <= period.start:
        return None
    return period.start, period.end


def sla_by_month(*, project: Project | int, periods: Sequence[Period]) -> list[selectors.SLACompliance]:
    """``selectors.sla_compliance`` of the whole project per month (the dashboard's trend): the kept months, and the
    work orders resolved from ``until`` on. Three queries at most."""
    project_id = project.pk if isinstance(project, Project) else project
    until = kept_until([project_id])
    kept = _monthly_sums(ResolvedMonth, project_id, periods, until, ("with_target", "within_target"))
    live = _read_live(periods, until, selectors.SLACompliance(0, 0),
                      lambda windows: selectors.sla_compliance(project=project_id, periods=windows)[None])
    return [selectors.SLACompliance(figure.resolved + sums[0], figure.within + sums[1])
            for figure, sums in zip(live, kept, strict=True)]


def responses_by_month(*, project: Project | int, periods: Sequence[Period],
                       now: datetime) -> list[selectors.ResponseCompliance]:
    """``selectors.response_compliance`` per month (the dashboard's trend): the kept months, and the work orders
    received from ``until`` on. Three queries at most."""
    project_id = project.pk if isinstance(project, Project) else project
    until = kept_until([project_id])
    kept = _monthly_sums(ReceivedMonth, project_id, periods, until, ("responses_due", "answered_in_time"))
    live = _read_live(periods, until, selectors.ResponseCompliance(0, 0),
                      lambda windows: selectors.response_compliance(project=project_id, periods=windows, now=now))
    return [selectors.ResponseCompliance(figure.due + sums[0], figure.on_time + sums[1])
            for figure, sums in zip(live, kept, strict=True)]


def _read_live(periods: Sequence[Period], until: date | None, nothing: Any,
               read: Callable[[list[Window]], Sequence[Any]]) -> list[Any]:
    """Per period, the live figure of what the kept rows do not count (``nothing`` where they count it all): one
    call of ``read`` with the windows to read (none when every period is kept)."""
    windows = [_live(period, until) for period in periods]
    figures = iter(read([window for window in windows if window is not None]) if any(windows) else [])
    return [next(figures) if window is not None else nothing for window in windows]


def _monthly_sums(model: type[ResolvedMonth] | type[ReceivedMonth], project_id: int, periods: Sequence[Period],
                  until: date | None, fields: tuple[str, ...]) -> list[tuple[int, ...]]:
    """Per period, the sums of ``fields`` over the project's kept rows of its months. One query (none when nothing
    is kept)."""
    spans = [_kept(period, until) for period in periods]
    wanted = [span for span in spans if span is not None]
    if not wanted:
        return [(0,) * len(fields) for _span in spans]
    sums = {f"{field}{index}": Sum(field, filter=Q(month__gte=span[0], month__lt=span[1]))
            for index, span in enumerate(spans) if span is not None for field in fields}
    row = model.objects.filter(project_id=project_id, month__gte=min(s[0] for s in wanted),
                               month__lt=max(s[1] for s in wanted)).aggregate(**sums)
    return [tuple(row.get(f"{field}{index}") or 0 for field in fields) for index in range(len(spans))]


# ---- the return-visit report ----------------------------------------------------------------------------------

@dataclass
class VisitFigures:
    resolved: int = 0
    visited: int = 0
    satisfaction_sum: int = 0
    satisfaction_count: int = 0

    def add(self, other: "VisitFigures | dict[str, Any]") -> None:
        get = other.get if isinstance(other, dict) else other.__dict__.get
        self.resolved += get("resolved") or 0
        self.visited += get("visited") or 0
        self.satisfaction_sum += get("satisfaction_sum") or 0
        self.satisfaction_count += get("satisfaction_count") or 0

    def shaped(self) -> dict[str, Any]:
        """The report's figures: rate (visited ÷ resolved, 4 places), average satisfaction (2 places)."""
        average = self.satisfaction_sum / self.satisfaction_count if self.satisfaction_count else None
        return {"resolved": self.resolved, "visited": self.visited,
                "rate": f"{self.visited / self.resolved:.4f}" if self.resolved else None,
                "avg_satisfaction": f"{average:.2f}" if average is not None else None}


KEPT_SUMS = {"resolved": Sum("resolved"), "visited": Sum("visited"), "satisfaction_sum": Sum("satisfaction_sum"),
             "satisfaction_count": Sum("satisfaction_count")}
# a work order joined to its return visits: each counted once, each visit's satisfaction once
LIVE_SUMS = {"resolved": Count("id", distinct=True),
             "visited": Count("id", filter=Q(return_visits__isnull=False), distinct=True),
             "satisfaction_sum": Sum("return_visits__satisfaction"),
             "satisfaction_count": Count("return_visits__satisfaction")}


class VisitSource:
    """Where the return-visit figures of a reader come from: whole projects (kept months + live work orders) or the
    work orders the reader sees (``visibility``), all live."""

    def __init__(self, user: User | AnonymousUser, project: int | None):
        self.tickets = Ticket.objects.filter(kind__in=NEEDS_RETURN_VISIT)
        self.projects = whole_projects(user, project)
        self.until: date | None = None
        if self.projects is None:
            self.tickets = self.tickets.filter(selectors.visibility(user))
            if project is not None:
                self.tickets = self.tickets.filter(project=project)
        else:
            self.tickets = self.tickets.filter(project__in=self.projects)
            self.until = kept_until(self.projects)

    def by(self, period: Period, keys: dict[str, Any]) -> dict[tuple, VisitFigures]:
        """{key: VisitFigures} of the complaints and repairs resolved in ``period`` (a month or a span of months),
        grouped by ``keys`` ({name: (kept expression, live expression)}). Two queries at most."""
        result: dict[tuple, VisitFigures] = {}
        span, window = _kept(period, self.until), _live(period, self.until)
        if span is not None and self.projects is not None:  # (a span only for whole projects: ``until`` is theirs)
            kept = ResolvedMonth.objects.filter(project__in=self.projects, kind__in=NEEDS_RETURN_VISIT,
                                                month__gte=span[0], month__lt=span[1])
            _collect(result, kept, {name: kept_key for name, (kept_key, _live_key) in keys.items()}, KEPT_SUMS)
        if window is not None:
            live = self.tickets.filter(resolved_at__gte=window.start_at, resolved_at__lt=window.end_at)
            _collect(result, live, {name: live_key for name, (_kept_key, live_key) in keys.items()}, LIVE_SUMS)
        return result


def _collect(result: dict[tuple, VisitFigures], rows: QuerySet[Any], keys: dict[str, Any], sums: dict[str, Any]) -> None:
    for row in rows.annotate(**{f"g_{name}": key for name, key in keys.items()}).values(
            *(f"g_{name}" for name in keys)).annotate(**sums).order_by():
        key = tuple(_month_start(row[f"g_{name}"]) if name == "month" else row[f"g_{name}"] for name in keys)
        result.setdefault(key, VisitFigures()).add(row)


def _rolled(rows: dict[tuple, VisitFigures], position: int | None) -> dict[Any, VisitFigures]:
    """The rows added up by one part of their key (None: all of them under the key None)."""
    result: dict[Any, VisitFigures] = {}
    for key, figures in rows.items():
        result.setdefault(None if position is None else key[position], VisitFigures()).add(figures)
    return result


def whole_projects(user: User | AnonymousUser, project: int | None) -> list[int] | None:
    """The projects whose every work order ``user`` sees, when that is all they see of the ones asked for (``project``,
    or everything they see): then their figures may be read from the kept months. None: a narrower scope (a floor
    butler's floors, a post's queue, their own work orders), read from the work orders."""
    if getattr(user, "is_superuser", False):
        return [project] if project is not None else list(Project.objects.values_list("pk", flat=True))
    if project is not None:
        return [project] if project in access.whole_projects(user, "tickets.view") else None
    return selectors.seen_only_whole(user) or None  # the rule that merges their lists project by project


def return_visit_stats(user: User | AnonymousUser, period: date, project: int | None = None) -> dict[str, Any]:
    """Return-visit rate (visited ÷ resolved) and average satisfaction for the complaints and repairs resolved in the
    month of ``period``: in total, by kind, category and assignee, and by month for the year up to that month. Whole
    projects read the kept months (and the work orders from ``until`` on); a narrower scope reads its work orders.
    At most four grouped queries (kept months and live work orders, for the month and for the year) and three small
    lookups (what is kept, the categories' and assignees' names), whatever the number of work orders."""
    month = Period.month_of(period)
    source = VisitSource(user, project)
    detail = source.by(month, {"kind": (F("kind"), F("kind")), "category": (F("category_id"), F("category_id")),
                               "assignee": (F("assignee_id"), F("assignee_id"))})
    by_month = _rolled(source.by(Period(month.start.replace(month=1), month.end),
                                 {"month": (F("month"), _local_month("resolved_at"))}), 0)
    by_kind, by_category, by_assignee = _rolled(detail, 0), _rolled(detail, 1), _rolled(detail, 2)
    categories = TicketCategory.objects.in_bulk([key for key in by_category if key is not None])
    people = get_user_model().objects.in_bulk([key for key in by_assignee if key is not None])
    return {
        "period": month.label,
        "total": _rolled(detail, None).get(None, VisitFigures()).shaped(),
        "by_kind": [{"kind": kind, "kind_display": str(Kind(kind).label), **figures.shaped()}
                    for kind, figures in sorted(by_kind.items())],
        "by_category": [{"category__code": getattr(categories.get(key), "code", None),
                         "category__name": getattr(categories.get(key), "name", None), **figures.shaped()}
                        for key, figures in sorted(by_category.items(), key=lambda item: _last_if_none(
                            getattr(categories.get(item[0]), "code", None)))],
        "by_assignee": [{"assignee": key, "assignee__username": getattr(people.get(key), "username", None),
                         "assignee__first_name": getattr(people.get(key), "first_name", None), **figures.shaped()}
                        for key, figures in sorted(by_assignee.items(), key=lambda item: _last_if_none(item[0]))],
        "by_month": [{"month": f"{key:%Y-%m}", **figures.shaped()}
                     for key, figures in sorted(by_month.items()) if figures.resolved],
    }


def _last_if_none(value: Any) -> tuple[bool, Any]:
    """A sort key that puts rows without a category or an assignee last, as PostgreSQL sorts NULL."""
    return (value is None, value if value is not None else 0)
