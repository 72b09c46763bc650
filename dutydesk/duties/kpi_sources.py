"""Where a KPI's actual comes from: one function per ``KPI.source`` of the catalogue.

Every source is ``source(post, user, project, period, *, kpi) -> Measurement`` where ``user`` is a
staff member (their personal scorecard) or ``None`` (the post's scorecard: all active holders of
``post`` in ``project``) and ``period`` a ``duties.periods.Period`` (a calendar month).
``Measurement.actual`` is a Decimal in the KPI's unit, or ``None`` = "no data" — never zero for
missing data. ``records_url`` opens the records behind the figure (drill-down).

Sources of this app (complete): ``routine_on_time``, ``opinions_per_week``, ``surveys_per_year``,
``manual``, ``deduction`` (and the survey half of ``avg_satisfaction``).

Sources that read other apps are defensive: models are looked up with ``apps.get_model`` and any
``LookupError`` / ``ImportError`` (the module is not installed) gives
"no data"; so does a module with no rows for the period. The contract assumed of each app (the
fields named here are all that is read; the lead wires anything else at integration):

- **tickets** ``tickets.Ticket(project, kind, status, unit→archive.Unit, owner, assignee, created_at,
  resolution_due, resolved_at, closed_at)`` and ``tickets.ReturnVisit(ticket, satisfaction 1–5, at)``.
  ``sla_compliance`` = tickets resolved in the month with ``resolved_at <= resolution_due`` ÷ tickets
  resolved in the month (assignee = the person / the post's holders), in %.
  ``complaint_closed_3d`` = complaints received in the month and closed within 3 days ÷ complaints
  received in the month whose 3 days have run out or that are closed (owner = 首问负责人), in %
  (seed 000 篇11). ``return_visit_rate`` = complaints and repairs resolved in the month with a return
  visit ÷ those resolved, in % (owner, or the butler's floors for a floors-scoped post).
- **frontdesk** ``dutydesk.frontdesk.selectors.service_time_compliance(start=, end=, user=, post=,
  project=)`` → Decimal 0–1 or None (share of timed register entries within their standard); × 100.
- **billing** ``dutydesk.billing.selectors.collection_rate(project=, period="YYYY-MM", units=None)`` →
  ``{"receivable", "received", "rate"}`` if billing exposes it; else read ``billing.Bill(project, unit,
  period "YYYY-MM", amount, paid)``: Σ paid ÷ Σ amount of the month's bills (seed 004: 实收÷应收), in %;
  a floor butler's rate covers the units of their floors.
"""
import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.db.models import Avg, Count, F, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from dutydesk.core import clock
from dutydesk.org.models import Post, PostHolding

log = logging.getLogger(__name__)
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
# Only a module that is not installed means "no data"; any other error is a bug and must surface.
MISSING_MODULE = (LookupError, ImportError)


@dataclass
class Measurement:
    actual: Decimal | None
    records_url: str = ""
    detail: dict = field(default_factory=dict)


NO_DATA = Measurement(None)
SOURCES = {}


def source(name):
    def register(func):
        SOURCES[name] = func
        return func

    return register


def measure(kpi, user, project, period):
    """The KPI's actual for ``user`` (or the whole post) in ``period``; an unknown source or a
    source whose module is missing gives "no data". Runs in a savepoint so that a missing table
    does not break the caller's transaction on PostgreSQL."""
    func = SOURCES.get(kpi.source)
    if func is None:
        return NO_DATA
    try:
        with transaction.atomic():
            result = func(kpi.post, user, project, period, kpi=kpi)
    except MISSING_MODULE:
        log.info("KPI source %s has no data (module missing)", kpi.source, exc_info=True)
        return NO_DATA
    if result.actual is not None:
        result.actual = Decimal(result.actual).quantize(CENT, ROUND_HALF_UP)
    return result


# ---- helpers ------------------------------------------------------------------------------------

def percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def holder_ids(post, project):
    return list(PostHolding.objects.filter(post=post, project=project, active=True)
                .values_list("user_id", flat=True).distinct())


def people(post, user, project):
    """The staff a figure is about: the person, or every active holder of the post."""
    return [user.pk] if user is not None else holder_ids(post, project)


def floors_q(post, user, project, unit_path="unit__"):
    """For a floors-scoped post: the units of the holders' buildings/floors (None for other posts)."""
    if post.scope != Post.Scope.FLOORS:
        return None
    holdings = PostHolding.objects.filter(post=post, project=project, active=True, building__isnull=False)
    if user is not None:
        holdings = holdings.filter(user=user)
    scope = Q(pk__in=[])
    for holding in holdings:
        part = Q(**{f"{unit_path}building_id": holding.building_id})
        if holding.floor_from is not None:
            part &= Q(**{f"{unit_path}floor__gte": holding.floor_from})
        if holding.floor_to is not None:
            part &= Q(**{f"{unit_path}floor__lte": holding.floor_to})
        scope |= part
    return scope


def url(names, fallback, **params):
    """The first page URL that exists among ``names`` (``ns:name``), else ``fallback`` (an API path
    of shared/API.md), with ``params`` as the query string."""
    base = fallback
    for name in names:
        try:
            base = reverse(name)
            break
        except NoReverseMatch:
            continue
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def _selector(module, name):
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


# ---- sources of this app ------------------------------------------------------------------------

@source("routine_on_time")
def routine_on_time(post, user, project, period, *, kpi):
    """Routine tasks of the post due in the month (and already due) that were completed by their due
    time (``completed_at <= due_at``), in %. A person's figure includes the post's shared tasks."""
    from dutydesk.duties.models import Task

    now = clock.now()
    tasks = Task.objects.filter(source="routine", post=post, project=project, due_at__gte=period.start_at,
                                due_at__lt=min(period.end_at, now)).exclude(status=Task.Status.CANCELLED)
    if user is not None:
        tasks = tasks.filter(Q(assignee=user) | Q(assignee__isnull=True))
    totals = tasks.aggregate(total=Count("id"), on_time=Count(
        "id", filter=Q(status="done", completed_at__isnull=False, completed_at__lte=F("due_at"))))
    return Measurement(
        percent(totals["on_time"], totals["total"]),
        url(["duties:team"], "/api/v1/tasks/", post=post.pk, project=project.pk, period=period.label,
            source="routine", user=getattr(user, "pk", None)),
        {"on_time": totals["on_time"], "total": totals["total"]})


@source("opinions_per_week")
def opinions_per_week(post, user, project, period, *, kpi):
    """Opinions collected per week (seed 004: ≥ 7 per butler): opinions received in the month that are
    tagged to the person as butler or recorded by them, ÷ the month's weeks (days ÷ 7); for a post,
    the average per holder. No opinion ever recorded in the project = no data (feature not in use)."""
    from dutydesk.duties.models import Opinion

    if not Opinion.objects.filter(project=project).exists():
        return NO_DATA
    staff = people(post, user, project)
    if not staff:
        return NO_DATA
    count = (Opinion.objects.filter(project=project, received_at__gte=period.start_at, received_at__lt=period.end_at)
             .filter(Q(butler_id__in=staff) | Q(recorded_by_id__in=staff)).count())
    weeks = Decimal(period.days) / Decimal(7)
    actual = Decimal(count) / weeks / Decimal(len(staff))
    return Measurement(actual, url(["duties:opinions"], "/duties/opinions/", period=period.label,
                                   staff=getattr(user, "pk", None), post=post.pk if user is None else None),
                       {"opinions": count, "weeks": str(weeks.quantize(CENT)), "staff": len(staff)})


@source("surveys_per_year")
def surveys_per_year(post, user, project, period, *, kpi):
    """Satisfaction surveys sent in the calendar year up to the end of the month (seed 000 篇18: ≥ 2 a
    year). A project-wide figure: the same for the person and the post."""
    from dutydesk.duties.models import Survey

    if not Survey.objects.filter(project=project).exists():
        return NO_DATA
    year_start = period.start.replace(month=1)
    from dutydesk.duties.periods import Period

    start_at = Period.month_of(year_start).start_at
    count = Survey.objects.filter(project=project, opened_at__gte=start_at, opened_at__lt=period.end_at).count()
    return Measurement(Decimal(count), url(["duties:surveys"], "/duties/surveys/", year=period.start.year),
                       {"surveys": count, "year": period.start.year})


@source("manual")
def manual(post, user, project, period, *, kpi):
    """A value a supervisor entered for the person (or the post) and month. A post without its own
    value shows the average of its holders' values."""
    from dutydesk.duties.models import KPIValue

    values = KPIValue.objects.filter(kpi=kpi, project=project, period=period.start)
    link = url(["duties:kpi-values"], "/duties/scores/values/", kpi=kpi.pk, period=period.label,
               user=getattr(user, "pk", None))
    if user is not None:
        entry = values.filter(user=user).first()
        return Measurement(entry.value, link, {"entered": 1}) if entry else NO_DATA
    own = values.filter(user__isnull=True).first()
    if own is not None:
        return Measurement(own.value, link, {"entered": 1})
    totals = values.filter(user_id__in=holder_ids(post, project)).aggregate(avg=Avg("value"), n=Count("id"))
    return Measurement(totals["avg"], link, {"entered": totals["n"]}) if totals["n"] else NO_DATA


@source("deduction")
def deduction(post, user, project, period, *, kpi):
    """扣分 (seed 004: 月平均扣分少于3分): points deducted from the person in the month (no deduction
    recorded = 0 points, the full mark of deduction-style appraisal); for the post, the average over its
    holders (Σ points ÷ number of holders)."""
    from dutydesk.duties.models import Deduction

    staff = people(post, user, project)
    if not staff:
        return NO_DATA
    totals = Deduction.objects.filter(project=project, post=post, user_id__in=staff, occurred_on__gte=period.start,
                                      occurred_on__lt=period.end).aggregate(points=Sum("points"), n=Count("id"))
    points = totals["points"] or Decimal("0")
    return Measurement(points / Decimal(len(staff)),
                       url(["duties:deductions"], "/duties/scores/deductions/", period=period.label, post=post.pk,
                           user=getattr(user, "pk", None)),
                       {"points": str(points), "deductions": totals["n"], "staff": len(staff)})


# ---- sources reading other apps (defensive; see the contract above) ----------------------------

def _tickets():
    return apps.get_model("tickets", "Ticket")


@source("sla_compliance")
def sla_compliance(post, user, project, period, *, kpi):
    Ticket = _tickets()
    resolved = Ticket.objects.filter(project=project, assignee_id__in=people(post, user, project),
                                     resolved_at__gte=period.start_at, resolved_at__lt=period.end_at,
                                     resolution_due__isnull=False)
    totals = resolved.aggregate(total=Count("id"), within=Count("id", filter=Q(resolved_at__lte=F("resolution_due"))))
    if not totals["total"]:
        return NO_DATA
    return Measurement(percent(totals["within"], totals["total"]),
                       url(["tickets:queue", "tickets:list"], "/api/v1/tickets/", project=project.pk,
                           assignee=getattr(user, "pk", None), resolved=period.label),
                       {"within": totals["within"], "resolved": totals["total"]})


@source("complaint_closed_3d")
def complaint_closed_3d(post, user, project, period, *, kpi):
    """Seed 000 篇11: a complaint form is closed within 3 days."""
    from datetime import timedelta

    Ticket = _tickets()
    now = clock.now()
    complaints = Ticket.objects.filter(project=project, kind="complaint", owner_id__in=people(post, user, project),
                                       created_at__gte=period.start_at, created_at__lt=period.end_at)
    due = complaints.filter(Q(created_at__lte=now - timedelta(days=3)) | Q(closed_at__isnull=False))
    totals = due.aggregate(total=Count("id"), within=Count("id", filter=Q(
        closed_at__isnull=False, closed_at__lte=F("created_at") + timedelta(days=3))))
    if not totals["total"]:
        return NO_DATA
    return Measurement(percent(totals["within"], totals["total"]),
                       url(["tickets:queue", "tickets:list"], "/api/v1/tickets/", project=project.pk, kind="complaint",
                           owner=getattr(user, "pk", None), received=period.label),
                       {"closed_within_3_days": totals["within"], "complaints": totals["total"]})


def _ticket_scope(post, user, project):
    floors = floors_q(post, user, project)
    return floors if floors is not None else Q(owner_id__in=people(post, user, project))


@source("return_visit_rate")
def return_visit_rate(post, user, project, period, *, kpi):
    """Every complaint gets a return visit (PRODUCT.md; 004 篇2)."""
    Ticket = _tickets()
    resolved = Ticket.objects.filter(_ticket_scope(post, user, project), project=project,
                                     kind__in=["complaint", "repair"], resolved_at__gte=period.start_at,
                                     resolved_at__lt=period.end_at)
    totals = resolved.aggregate(total=Count("id", distinct=True),
                                visited=Count("id", filter=Q(return_visits__isnull=False), distinct=True))
    if not totals["total"]:
        return NO_DATA
    return Measurement(percent(totals["visited"], totals["total"]),
                       url(["tickets:queue", "tickets:list"], "/api/v1/tickets/", project=project.pk,
                           owner=getattr(user, "pk", None), resolved=period.label),
                       {"visited": totals["visited"], "resolved": totals["total"]})


@source("avg_satisfaction")
def avg_satisfaction(post, user, project, period, *, kpi):
    """Average 1–5 rating in the month: ticket return visits (when the tickets module is installed)
    and survey scores of this app, weighted by the number of ratings."""
    from dutydesk.duties.models import Answer

    answers = Answer.objects.filter(score__isnull=False, response__survey__project=project,
                                    response__submitted_at__gte=period.start_at, response__submitted_at__lt=period.end_at)
    floors = floors_q(post, user, project, unit_path="response__unit__")
    answers = answers.filter(floors if floors is not None else Q(response__butler_id__in=people(post, user, project)))
    survey = answers.aggregate(total=Sum("score"), n=Count("id"))
    total, n = Decimal(survey["total"] or 0), survey["n"]
    try:
        with transaction.atomic():
            ReturnVisit = apps.get_model("tickets", "ReturnVisit")
            scope = floors_q(post, user, project, unit_path="ticket__unit__")
            visits = ReturnVisit.objects.filter(ticket__project=project, at__gte=period.start_at, at__lt=period.end_at)
            visits = visits.filter(scope if scope is not None else Q(ticket__owner_id__in=people(post, user, project)))
            tickets = visits.aggregate(total=Sum("satisfaction"), n=Count("id"))
            total += Decimal(tickets["total"] or 0)
            n += tickets["n"]
    except MISSING_MODULE:
        pass
    if not n:
        return NO_DATA
    return Measurement(total / Decimal(n), url(["duties:surveys"], "/duties/surveys/"), {"ratings": n})


@source("service_time_compliance")
def service_time_compliance(post, user, project, period, *, kpi):
    selector = _selector("dutydesk.frontdesk.selectors", "service_time_compliance")
    if selector is None:
        return NO_DATA
    rate = selector(start=period.start_at, end=period.end_at, user=user, post=post, project=project)
    if rate is None:
        return NO_DATA
    return Measurement(Decimal(rate) * HUNDRED,
                       url(["frontdesk:times", "frontdesk:service-times"], "/api/v1/reports/service-times",
                           period=period.label, clerk=getattr(user, "pk", None)))


def collection_figures(project, period, units_q=None):
    """(receivable, received) of the month's bills, from billing's selector or its Bill table;
    None when billing has no bills for the month."""
    selector = _selector("dutydesk.billing.selectors", "collection_rate")
    if selector is not None and units_q is None:
        figures = selector(project=project, period=period.label)
        if figures:
            receivable, received = Decimal(str(figures["receivable"])), Decimal(str(figures["received"]))
            return (receivable, received) if receivable else None
    Bill = apps.get_model("billing", "Bill")
    bills = Bill.objects.filter(project=project, period=period.label)
    if units_q is not None:
        bills = bills.filter(units_q)
    totals = bills.aggregate(receivable=Sum("amount"), received=Sum("paid"))
    if not totals["receivable"]:
        return None
    return totals["receivable"], totals["received"] or Decimal("0")


@source("collection_rate")
def collection_rate(post, user, project, period, *, kpi):
    """Seed 004: 管理费收费率 = 实收 ÷ 应收 ≥ 95 %; a floor butler's covers their floors."""
    figures = collection_figures(project, period, floors_q(post, user, project))
    if figures is None:
        return NO_DATA
    receivable, received = figures
    return Measurement(percent(received, receivable),
                       url(["billing:bills", "billing:bill-list"], "/api/v1/bills/", period=period.label),
                       {"receivable": str(receivable), "received": str(received)})
