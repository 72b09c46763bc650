"""Where a KPI's actual comes from: one function per ``KPI.source`` of the catalogue.

A scorecard is about a person (their personal card) or a post (the post's card: all active holders of the post
in the project); ``period`` is a ``duties.periods.Period`` (a calendar month). ``Measurement.actual`` is a
Decimal in the KPI's unit, or ``None`` = "no data" — never zero for missing data. ``records_url`` opens the
records behind the figure (drill-down).

Set-based (issue 11): a source measures every card of a computation at once, so the scorecards of a project
cost the same number of queries for 5 holders or 500. Every source is
``source(kpis, cards) -> {(kpi.pk, user id or None): Measurement}``: ``kpis`` are the KPIs of that source
among the computed posts, ``cards`` (a ``Cards``) says which cards are wanted and who they are about. A source
reads its records in one grouped query (GROUP BY person, post, or building and floor for a floor butler's
floors) and adds the groups up per card in Python; a card it leaves out measures "no data".
``measure(kpi, user, project, period)`` measures one card the same way.

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
- **frontdesk** ``dutydesk.frontdesk.selectors.service_time_compliance_by_post_and_clerk(start=, end=,
  project=, post_ids=)`` → ``{(post id, clerk id): (timed acts, within their standard)}`` and
  ``selectors.rate(part, whole)`` (a share 0–1 to 4 places); × 100.
- **billing** ``dutydesk.billing.selectors.collection_rate(project=, period="YYYY-MM")`` →
  ``{"receivable", "received", "rate"}`` if billing exposes it; else read ``billing.Bill(project, unit,
  period "YYYY-MM", amount, paid)``: Σ paid ÷ Σ amount of the month's bills (seed 004: 实收÷应收), in %;
  a floor butler's rate covers the units of their floors.

A floor butler's figures cover the units of their buildings/floors (``PostHolding.building``, ``floor_from``,
``floor_to``; the post's card: all its holders' floors). Those sources group their records by (building, floor)
and add up, per card, the cells its holdings cover — each cell once, however many holdings overlap on it.
"""
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from dutydesk.core import clock
from dutydesk.org.models import Post, PostHolding

log = logging.getLogger(__name__)
HUNDRED = Decimal("100")
CENT = Decimal("0.01")
ZERO = Decimal("0")
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
    """Register a set-based source: ``func(kpis, cards) -> {(kpi.pk, user id or None): Measurement}``."""
    def register(func):
        SOURCES[name] = func
        return func

    return register


def source_per_card(name):
    """Register a source written for one card, ``func(post, user_id, project, period, *, kpi) -> Measurement``:
    it is called once per card (queries grow with the cards — for a new source until it is made set-based)."""
    def register(func):
        def each_card(kpis, cards):
            return {(kpi.pk, user_id): func(kpi.post, user_id, cards.project, cards.period, kpi=kpi)
                    for kpi, user_id in cards.each(kpis)}

        SOURCES[name] = each_card
        return func

    return register


@dataclass
class Cards:
    """The cards one computation measures, and who they are about.

    ``wanted``: {post id: [None for the post's own card, and/or user ids for personal cards]};
    ``holders``: {post id: [user ids]}, the post's active holders in the project (the post's card is about them);
    ``floors``: {post id: [(user id, building id, floor_from, floor_to)]}, the holdings of a floors-scoped post
    that name a building."""
    project: object
    period: object
    posts: dict
    wanted: dict
    holders: dict
    floors: dict
    _by_person: dict | None = None

    @classmethod
    def load(cls, project, period, wanted):
        """``wanted``: {Post: [user id or None, ...]}. One query for the holdings of those posts."""
        posts = {post.pk: post for post in wanted}
        holders = {pk: {} for pk in posts}
        floors = {pk: [] for pk in posts}
        holdings = (PostHolding.objects.filter(project=project, active=True, post_id__in=list(posts))
                    .values_list("post_id", "user_id", "building_id", "floor_from", "floor_to").order_by("pk"))
        for post_id, user_id, building_id, floor_from, floor_to in holdings:
            holders[post_id][user_id] = True
            if building_id is not None and posts[post_id].scope == Post.Scope.FLOORS:
                floors[post_id].append((user_id, building_id, floor_from, floor_to))
        return cls(project=project, period=period, posts=posts,
                   wanted={post.pk: list(dict.fromkeys(users)) for post, users in wanted.items()},
                   holders={pk: list(users) for pk, users in holders.items()}, floors=floors)

    def each(self, kpis):
        """(kpi, user id or None) for every wanted card of every KPI's post."""
        for kpi in kpis:
            for user_id in self.wanted.get(kpi.post_id, ()):
                yield kpi, user_id

    def staff(self, post_id, user_id):
        """The staff a figure is about: the person, or every active holder of the post."""
        return [user_id] if user_id is not None else self.holders.get(post_id, [])

    def all_staff(self, kpis):
        """Everyone any card of ``kpis`` is about."""
        return sorted({user for kpi, user_id in self.each(kpis) for user in self.staff(kpi.post_id, user_id)})

    def is_floors(self, post_id):
        return self.posts[post_id].scope == Post.Scope.FLOORS

    def holdings(self, post_id, user_id):
        """The (building, floor_from, floor_to) a card of a floors-scoped post covers."""
        if user_id is None:
            return [(building, low, high) for _user, building, low, high in self.floors.get(post_id, ())]
        if self._by_person is None:
            self._by_person = defaultdict(list)
            for floors_post, rows in self.floors.items():
                for user, building, low, high in rows:
                    self._by_person[floors_post, user].append((building, low, high))
        return self._by_person.get((post_id, user_id), [])


def measure_cards(kpis, cards):
    """{(kpi.pk, user id or None): Measurement} for every wanted card of ``kpis``: one call of each source (a
    card missing from the answer has no data). An unknown source or a source whose module is missing gives "no
    data". Each source runs in a savepoint so that a missing table does not break the caller's transaction on
    PostgreSQL."""
    by_source = defaultdict(list)
    for kpi in kpis:
        by_source[kpi.source].append(kpi)
    results = {}
    for name, group in by_source.items():
        func = SOURCES.get(name)
        if func is None:
            continue
        try:
            with transaction.atomic():
                measured = func(group, cards)
        except MISSING_MODULE:
            log.info("KPI source %s has no data (module missing)", name, exc_info=True)
            continue
        for key, result in measured.items():
            if result.actual is not None:
                result.actual = Decimal(result.actual).quantize(CENT, ROUND_HALF_UP)
            results[key] = result
    return results


def measure(kpi, user, project, period):
    """The KPI's actual for ``user`` (or the whole post) in ``period``."""
    user_id = getattr(user, "pk", None)
    cards = Cards.load(project, period, {kpi.post: [user_id]})
    return measure_cards([kpi], cards).get((kpi.pk, user_id), NO_DATA)


# ---- helpers ------------------------------------------------------------------------------------

def percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


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


def grouped(queryset, by, **aggregates):
    """{value of ``by``: (aggregate, …)} of one GROUP BY query (``by`` a field or a tuple of fields)."""
    keys = (by,) if isinstance(by, str) else tuple(by)
    rows = queryset.values_list(*keys).annotate(**aggregates).order_by()
    width = len(keys)
    return {(row[0] if width == 1 else row[:width]): row[width:] for row in rows}


def column_sums(rows, size):
    """The column sums of ``rows`` (tuples of ``size`` numbers; None counts 0)."""
    if not rows:
        return [0] * size
    return [sum(value or 0 for value in column) for column in zip(*rows, strict=True)]


def add_up(groups, keys, size):
    """The column sums of ``groups[key]`` over ``keys`` (missing groups count nothing)."""
    return column_sums([groups[key] for key in keys if key in groups], size)


def _summed(rows):
    """{key: column sums} of (key, row) pairs (several rows may share a key)."""
    sums = {}
    for key, row in rows:
        previous = sums.get(key)
        sums[key] = row if previous is None else tuple((a or 0) + (b or 0) for a, b in zip(previous, row, strict=True))
    return sums


class FloorCells:
    """Records grouped by their unit's (building, floor): a floor butler's figure is the sum over the cells their
    holdings cover, each cell once (holdings may overlap; a record lies in exactly one cell)."""

    def __init__(self, groups, size):
        self.groups, self.size = groups, size
        self.by_building = defaultdict(dict)
        for (building, floor), row in groups.items():
            self.by_building[building][floor] = row

    def total(self, holdings):
        ranges = defaultdict(list)
        for building, low, high in holdings:
            ranges[building].append((low, high))
        rows = [row for building, spans in ranges.items() for floor, row in self.by_building.get(building, {}).items()
                if any((low is None or floor >= low) and (high is None or floor <= high) for low, high in spans)]
        return column_sums(rows, self.size)

    def everything(self):
        return add_up(self.groups, self.groups, self.size)


def by_person_and_floor(kpis, cards, queryset, person, unit_path, **aggregates):
    """The records of ``queryset`` for every card of ``kpis`` in one GROUP BY: per person (``person``, the field
    naming who a record is about) for the cards of project-wide posts, and per (building, floor) of the record's
    unit (``unit_path``) for floors-scoped posts (then every record of ``queryset``: a floor butler's floors are
    picked from the cells in Python). Returns ({person: sums}, FloorCells or None)."""
    people = cards.all_staff([kpi for kpi in kpis if not cards.is_floors(kpi.post_id)])
    floors = any(cards.is_floors(kpi.post_id) for kpi in kpis)
    if floors:  # every record of the project, by (person,) building and floor: one scan, no filter per building
        scope, keys = Q(), ([person] if people else []) + [f"{unit_path}building_id", f"{unit_path}floor"]
    elif people:
        scope, keys = Q(**{f"{person}__in": people}), [person]
    else:
        return {}, None
    groups = grouped(queryset.filter(scope), keys, **aggregates)
    if not floors:
        return groups, None
    cells = FloorCells(_summed((key[-2:], row) for key, row in groups.items()), len(aggregates))
    return (_summed((key[0], row) for key, row in groups.items()) if people else {}), cells


# ---- sources of this app ------------------------------------------------------------------------

@source("routine_on_time")
def routine_on_time(kpis, cards):
    """Routine tasks of the post due in the month (and already due) that were completed by their due
    time (``completed_at <= due_at``), in %. A person's figure includes the post's shared tasks."""
    from dutydesk.duties.models import Task

    project, period = cards.project, cards.period
    now = clock.now()
    tasks = Task.objects.filter(source="routine", post_id__in={kpi.post_id for kpi in kpis}, project=project,
                                due_at__gte=period.start_at, due_at__lt=min(period.end_at, now)).exclude(
        status=Task.Status.CANCELLED)
    groups = grouped(tasks, ("post_id", "assignee_id"), total=Count("id"), on_time=Count(
        "id", filter=Q(status="done", completed_at__isnull=False, completed_at__lte=F("due_at"))))
    by_post = defaultdict(dict)
    for (post_id, assignee_id), row in groups.items():
        by_post[post_id][assignee_id] = row
    results = {}
    for kpi, user_id in cards.each(kpis):
        rows = by_post[kpi.post_id]
        total, on_time = add_up(rows, rows if user_id is None else [user_id, None], 2)
        results[kpi.pk, user_id] = Measurement(
            percent(on_time, total),
            url(["duties:team"], "/api/v1/tasks/", post=kpi.post_id, project=project.pk, period=period.label,
                source="routine", user=user_id),
            {"on_time": on_time, "total": total})
    return results


@source("opinions_per_week")
def opinions_per_week(kpis, cards):
    """Opinions collected per week (seed 004: ≥ 7 per butler): opinions received in the month that are
    tagged to the person as butler or recorded by them, ÷ the month's weeks (days ÷ 7); for a post,
    the average per holder. No opinion ever recorded in the project = no data (feature not in use)."""
    from dutydesk.duties.models import Opinion

    project, period = cards.project, cards.period
    if not Opinion.objects.filter(project=project).exists():
        return {}
    everyone = cards.all_staff(kpis)
    if not everyone:
        return {}
    # one group per (butler, recorder) pair; an opinion tagged to one holder and recorded by another counts once
    pairs = list(grouped(Opinion.objects.filter(project=project, received_at__gte=period.start_at,
                                                received_at__lt=period.end_at)
                         .filter(Q(butler_id__in=everyone) | Q(recorded_by_id__in=everyone)),
                         ("butler_id", "recorded_by_id"), n=Count("id")).items())
    involving = defaultdict(set)
    for index, ((butler, recorder), _row) in enumerate(pairs):
        involving[butler].add(index)
        involving[recorder].add(index)
    weeks = Decimal(period.days) / Decimal(7)
    results = {}
    for kpi, user_id in cards.each(kpis):
        staff = cards.staff(kpi.post_id, user_id)
        if not staff:
            continue
        count = sum(pairs[index][1][0] for index in set().union(*(involving[person] for person in staff)))
        actual = Decimal(count) / weeks / Decimal(len(staff))
        results[kpi.pk, user_id] = Measurement(
            actual, url(["duties:opinions"], "/duties/opinions/", period=period.label, staff=user_id,
                        post=kpi.post_id if user_id is None else None),
            {"opinions": count, "weeks": str(weeks.quantize(CENT)), "staff": len(staff)})
    return results


@source("surveys_per_year")
def surveys_per_year(kpis, cards):
    """Satisfaction surveys sent in the calendar year up to the end of the month (seed 000 篇18: ≥ 2 a
    year). A project-wide figure: the same for the person and the post."""
    from dutydesk.duties.models import Survey
    from dutydesk.duties.periods import Period

    project, period = cards.project, cards.period
    if not Survey.objects.filter(project=project).exists():
        return {}
    start_at = Period.month_of(period.start.replace(month=1)).start_at
    count = Survey.objects.filter(project=project, opened_at__gte=start_at, opened_at__lt=period.end_at).count()
    return {(kpi.pk, user_id): Measurement(Decimal(count), url(["duties:surveys"], "/duties/surveys/",
                                                               year=period.start.year),
                                           {"surveys": count, "year": period.start.year})
            for kpi, user_id in cards.each(kpis)}


@source("manual")
def manual(kpis, cards):
    """A value a supervisor entered for the person (or the post) and month. A post without its own
    value shows the average of its holders' values."""
    from dutydesk.duties.models import KPIValue

    period = cards.period
    values = {(kpi_id, user_id): value for kpi_id, user_id, value in KPIValue.objects.filter(
        kpi__in=kpis, project=cards.project, period=period.start).values_list("kpi_id", "user_id", "value")}
    results = {}
    for kpi, user_id in cards.each(kpis):
        link = url(["duties:kpi-values"], "/duties/scores/values/", kpi=kpi.pk, period=period.label, user=user_id)
        own = values.get((kpi.pk, user_id))
        if own is not None:
            results[kpi.pk, user_id] = Measurement(own, link, {"entered": 1})
        elif user_id is None:
            entered = [values[kpi.pk, holder] for holder in cards.holders.get(kpi.post_id, ())
                       if (kpi.pk, holder) in values]
            if entered:
                results[kpi.pk, user_id] = Measurement(sum(entered, ZERO) / Decimal(len(entered)), link,
                                                       {"entered": len(entered)})
    return results


@source("deduction")
def deduction(kpis, cards):
    """扣分 (seed 004: 月平均扣分少于3分): points deducted from the person in the month (no deduction
    recorded = 0 points, the full mark of deduction-style appraisal); for the post, the average over its
    holders (Σ points ÷ number of holders)."""
    from dutydesk.duties.models import Deduction

    project, period = cards.project, cards.period
    groups = grouped(Deduction.objects.filter(project=project, post_id__in={kpi.post_id for kpi in kpis},
                                              user_id__in=cards.all_staff(kpis), occurred_on__gte=period.start,
                                              occurred_on__lt=period.end),
                     ("post_id", "user_id"), points=Sum("points"), n=Count("id"))
    results = {}
    for kpi, user_id in cards.each(kpis):
        staff = cards.staff(kpi.post_id, user_id)
        if not staff:
            continue
        rows = [groups[kpi.post_id, person] for person in staff if (kpi.post_id, person) in groups]
        points = sum((row[0] for row in rows), ZERO) if rows else ZERO
        results[kpi.pk, user_id] = Measurement(
            points / Decimal(len(staff)),
            url(["duties:deductions"], "/duties/scores/deductions/", period=period.label, post=kpi.post_id,
                user=user_id),
            {"points": str(points), "deductions": sum(row[1] for row in rows), "staff": len(staff)})
    return results


# ---- sources reading other apps (defensive; see the contract above) ----------------------------

def _tickets():
    return apps.get_model("tickets", "Ticket")


def _by_person(kpis, cards, groups, size):
    """(kpi, user id, sums over the card's staff) for every wanted card, from groups keyed by person."""
    for kpi, user_id in cards.each(kpis):
        yield kpi, user_id, add_up(groups, cards.staff(kpi.post_id, user_id), size)


@source("sla_compliance")
def sla_compliance(kpis, cards):
    project, period = cards.project, cards.period
    resolved = _tickets().objects.filter(project=project, assignee_id__in=cards.all_staff(kpis),
                                         resolved_at__gte=period.start_at, resolved_at__lt=period.end_at,
                                         resolution_due__isnull=False)
    groups = grouped(resolved, "assignee_id", total=Count("id"),
                     within=Count("id", filter=Q(resolved_at__lte=F("resolution_due"))))
    results = {}
    for kpi, user_id, (total, within) in _by_person(kpis, cards, groups, 2):
        if total:
            results[kpi.pk, user_id] = Measurement(
                percent(within, total),
                url(["tickets:queue", "tickets:list"], "/api/v1/tickets/", project=project.pk, assignee=user_id,
                    resolved=period.label),
                {"within": within, "resolved": total})
    return results


@source("complaint_closed_3d")
def complaint_closed_3d(kpis, cards):
    """Seed 000 篇11: a complaint form is closed within 3 days."""
    project, period = cards.project, cards.period
    now = clock.now()
    complaints = _tickets().objects.filter(project=project, kind="complaint", owner_id__in=cards.all_staff(kpis),
                                           created_at__gte=period.start_at, created_at__lt=period.end_at)
    due = complaints.filter(Q(created_at__lte=now - timedelta(days=3)) | Q(closed_at__isnull=False))
    groups = grouped(due, "owner_id", total=Count("id"), within=Count("id", filter=Q(
        closed_at__isnull=False, closed_at__lte=F("created_at") + timedelta(days=3))))
    results = {}
    for kpi, user_id, (total, within) in _by_person(kpis, cards, groups, 2):
        if total:
            results[kpi.pk, user_id] = Measurement(
                percent(within, total),
                url(["tickets:queue", "tickets:list"], "/api/v1/tickets/", project=project.pk, kind="complaint",
                    owner=user_id, received=period.label),
                {"closed_within_3_days": within, "complaints": total})
    return results


def _card_totals(kpis, cards, by_owner, floor_cells, size):
    """(kpi, user id, sums) per wanted card: over the card's floors for a floors-scoped post, else over its staff
    (``floor_cells`` None: no records on any floor)."""
    for kpi, user_id in cards.each(kpis):
        if cards.is_floors(kpi.post_id):
            yield kpi, user_id, (floor_cells.total(cards.holdings(kpi.post_id, user_id)) if floor_cells is not None
                                 else [0] * size)
        else:
            yield kpi, user_id, add_up(by_owner, cards.staff(kpi.post_id, user_id), size)


@source("return_visit_rate")
def return_visit_rate(kpis, cards):
    """Every complaint gets a return visit (PRODUCT.md; 004 篇2)."""
    project, period = cards.project, cards.period
    resolved = _tickets().objects.filter(project=project, kind__in=["complaint", "repair"],
                                         resolved_at__gte=period.start_at, resolved_at__lt=period.end_at)
    visited = Exists(apps.get_model("tickets", "ReturnVisit").objects.filter(ticket=OuterRef("pk")))
    counts = {"total": Count("id"), "visited": Count("id", filter=visited)}
    by_owner, floor_cells = by_person_and_floor(kpis, cards, resolved, "owner_id", "unit__", **counts)
    results = {}
    for kpi, user_id, (total, visited) in _card_totals(kpis, cards, by_owner, floor_cells, 2):
        if total:
            results[kpi.pk, user_id] = Measurement(
                percent(visited, total),
                url(["tickets:queue", "tickets:list"], "/api/v1/tickets/", project=project.pk, owner=user_id,
                    resolved=period.label),
                {"visited": visited, "resolved": total})
    return results


@source("avg_satisfaction")
def avg_satisfaction(kpis, cards):
    """Average 1–5 rating in the month: ticket return visits (when the tickets module is installed)
    and survey scores of this app, weighted by the number of ratings."""
    from dutydesk.duties.models import Answer

    project, period = cards.project, cards.period
    answers = Answer.objects.filter(score__isnull=False, response__survey__project=project,
                                    response__submitted_at__gte=period.start_at, response__submitted_at__lt=period.end_at)
    survey_by_butler, survey_cells = by_person_and_floor(kpis, cards, answers, "response__butler_id",
                                                         "response__unit__", total=Sum("score"), n=Count("id"))
    visit_by_owner, visit_cells = {}, None
    try:
        with transaction.atomic():
            ReturnVisit = apps.get_model("tickets", "ReturnVisit")
            visits = ReturnVisit.objects.filter(ticket__project=project, at__gte=period.start_at, at__lt=period.end_at)
            visit_by_owner, visit_cells = by_person_and_floor(kpis, cards, visits, "ticket__owner_id", "ticket__unit__",
                                                              total=Sum("satisfaction"), n=Count("id"))
    except MISSING_MODULE:
        pass
    results = {}
    for (kpi, user_id, (survey_total, survey_n)), (_k, _u, (visit_total, visit_n)) in zip(
            _card_totals(kpis, cards, survey_by_butler, survey_cells, 2),
            _card_totals(kpis, cards, visit_by_owner, visit_cells, 2), strict=True):
        n = survey_n + visit_n
        if n:
            results[kpi.pk, user_id] = Measurement(Decimal(survey_total + visit_total) / Decimal(n),
                                                   url(["duties:surveys"], "/duties/surveys/"), {"ratings": n})
    return results


@source("service_time_compliance")
def service_time_compliance(kpis, cards):
    selector = _selector("dutydesk.frontdesk.selectors", "service_time_compliance_by_post_and_clerk")
    share = _selector("dutydesk.frontdesk.selectors", "rate")
    if selector is None or share is None:
        return {}
    period = cards.period
    groups = selector(start=period.start_at, end=period.end_at, project=cards.project,
                      post_ids=sorted({kpi.post_id for kpi in kpis}))
    by_post = defaultdict(dict)
    for (post_id, clerk_id), row in groups.items():
        by_post[post_id][clerk_id] = row
    results = {}
    for kpi, user_id in cards.each(kpis):
        rows = by_post[kpi.post_id]  # the post's card: every timed act of the post, whoever the clerk
        count, within = add_up(rows, rows if user_id is None else [user_id], 2)
        rate = share(within, count)
        if rate is not None:
            results[kpi.pk, user_id] = Measurement(
                Decimal(rate) * HUNDRED,
                url(["frontdesk:times", "frontdesk:service-times"], "/api/v1/reports/service-times",
                    period=period.label, clerk=user_id))
    return results


def collection_figures(project, period):
    """(receivable, received) of the project's bills of the month, from billing's selector or its Bill table;
    None when billing has no bills for the month."""
    selector = _selector("dutydesk.billing.selectors", "collection_rate")
    if selector is not None:
        figures = selector(project=project, period=period.label)
        if figures:
            receivable, received = Decimal(str(figures["receivable"])), Decimal(str(figures["received"]))
            return (receivable, received) if receivable else None
    totals = apps.get_model("billing", "Bill").objects.filter(project=project, period=period.label).aggregate(
        receivable=Sum("amount"), received=Sum("paid"))
    if not totals["receivable"]:
        return None
    return totals["receivable"], totals["received"] or ZERO


def collection_figures_by_building(project, period):
    """{building id: (receivable, received)} of the month's bills, one GROUP BY; a building without a
    receivable amount is left out."""
    bills = apps.get_model("billing", "Bill").objects.filter(project=project, period=period.label)
    groups = grouped(bills, "unit__building_id", receivable=Sum("amount"), received=Sum("paid"))
    return {building: (receivable, received or ZERO) for building, (receivable, received) in groups.items()
            if receivable}


@source("collection_rate")
def collection_rate(kpis, cards):
    """Seed 004: 管理费收费率 = 实收 ÷ 应收 ≥ 95 %; a floor butler's covers their floors."""
    project, period = cards.project, cards.period
    floor_cells = None
    if any(cards.is_floors(kpi.post_id) for kpi in kpis):
        # every bill of the month by its unit's building and floor (the project's total is their sum)
        bills = apps.get_model("billing", "Bill").objects.filter(project=project, period=period.label)
        floor_cells = FloorCells(grouped(bills, ("unit__building_id", "unit__floor"), receivable=Sum("amount"),
                                         received=Sum("paid")), 2)
        receivable, received = floor_cells.everything()
        project_wide = (receivable, received) if receivable else None
    else:
        project_wide = collection_figures(project, period)
    results = {}
    for kpi, user_id in cards.each(kpis):
        if cards.is_floors(kpi.post_id):
            receivable, received = floor_cells.total(cards.holdings(kpi.post_id, user_id))
            figures = (receivable, received) if receivable else None
        else:
            figures = project_wide
        if figures is None:
            continue
        receivable, received = figures
        results[kpi.pk, user_id] = Measurement(
            percent(received, receivable),
            url(["billing:bills", "billing:bill-list"], "/api/v1/bills/", period=period.label),
            {"receivable": str(receivable), "received": str(received)})
    return results
