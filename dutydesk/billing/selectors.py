"""Billing reads: querysets and set-based reports (one aggregate query each, whatever the size)."""
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import (Case, Count, DecimalField, F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum,
                              Value, When, prefetch_related_objects)
from django.db.models.functions import Coalesce

from dutydesk.archive.models import Building, Project, Unit
from dutydesk.archive.selectors import in_building_name_order
from dutydesk.billing.models import Bill, BillLine, LateFee, OneOffCharge, Payment
from dutydesk.core import clock
from dutydesk.core.money import money, money_text
from dutydesk.core.lookups import Ids
from dutydesk.core.paging import KnownCount, bounded_count
from dutydesk.core.templatetags.people import person_name
from dutydesk.org import access, kpis
from dutydesk.org.kpis import FloorCells
from dutydesk.org.models import KPI, PostHolding, units_covered_q
from dutydesk.org.selectors import butler_holdings

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))
RATE = Decimal("0.0001")
BUCKETS = (("d0_30", 0, 30), ("d31_90", 31, 90), ("d91_180", 91, 180), ("over_180", 181, None))


def bills_visible_to(user: User | AnonymousUser, code: str = "billing.view") -> QuerySet[Bill]:
    # a whole-project post's bills by the bill's own project (a bill is always its unit's project): no join to the
    # units to count or list them (600,000 units: the households in arrears 268 -> 41 ms)
    return (Bill.objects.filter(access.unit_scope(user, code, "unit__", own_project="project_id"))
            .select_related("unit__building", "late_fee")
            .prefetch_related(Prefetch("lines", queryset=BillLine.objects.select_related("item"))))


def payments_visible_to(user: User | AnonymousUser, code: str = "billing.view") -> QuerySet[Payment]:
    return (Payment.objects.filter(access.unit_scope(user, code, "unit__", own_project="project_id"))
            .select_related("unit__building", "bill", "receipt", "reversal", "received_by"))


def late_fees_visible_to(user: User | AnonymousUser) -> QuerySet[LateFee]:
    return LateFee.objects.filter(access.unit_scope(user, "billing.view", "bill__unit__")).select_related("bill__unit__building")


def rate(received: Decimal | int, receivable: Decimal | int | None) -> str | None:
    """received ÷ receivable to 4 decimals, as a string ("0.9523"); null when nothing is receivable."""
    if not receivable:
        return None
    return str((Decimal(received) / Decimal(receivable)).quantize(RATE, rounding=ROUND_HALF_UP))


def collection_rate_target() -> Decimal:
    """The 95 % of seeds/004_418914185ea837fa.txt, read from the catalogue's ``collection_rate`` KPI, as a fraction."""
    kpi = KPI.objects.filter(code="collection_rate").order_by("id").first()
    target = kpi.target if kpi else Decimal("95")
    return (target / 100).quantize(RATE)


def _totals(bills: QuerySet[Bill]) -> dict[str, Any]:
    totals = bills.aggregate(receivable=Coalesce(Sum("amount"), ZERO), received=Coalesce(Sum("paid"), ZERO))
    return _rate_figures(totals["receivable"], totals["received"])


def _rate_figures(receivable: Decimal, received: Decimal) -> dict[str, Any]:
    """A collection rate as the pages and the API give it: {receivable, received, rate}."""
    return {"receivable": money_text(receivable), "received": money_text(received), "rate": rate(received, receivable)}


def collection_rate(*, project: Project | int, period: str, units_q: Q | None = None) -> dict[str, Any]:
    """Receivable = the period's bills; received = what has been paid on them (payments and
    applied credit, net of reversals) — seeds/004_418914185ea837fa.txt: 收费率 = 实收 ÷ 应收. ``units_q`` (a ``Q`` through ``unit__``,
    such as a floor butler's ``holding.units_q("unit__")``) keeps the bills of those units only."""
    bills = Bill.objects.filter(project=project, period=period)
    if units_q is not None:
        bills = bills.filter(units_q)
    return _totals(bills)


def collection_rates(periods: Mapping[int, str]) -> dict[int, dict[str, Any]]:
    """``collection_rate`` of several projects, each of its own period ({project id: period}): one grouped statement
    per period (a group's manager's home page asked one for each of five projects), an index-only read of the
    (project, period) index, which carries the amounts (the periods OR-ed made it read the bills: 37 ms for five
    projects' month, 10 ms asked apart)."""
    sums: dict[int, tuple[Decimal, Decimal]] = {}
    for period in set(periods.values()):
        sums.update((project, (receivable, received)) for project, receivable, received in
                    Bill.objects.filter(project__in=[p for p, month in periods.items() if month == period],
                                        period=period)
                    .values_list("project_id").annotate(receivable=Sum("amount"), received=Sum("paid")).order_by())
    return {project: _rate_figures(*sums.get(project, (Decimal("0"), Decimal("0")))) for project in periods}


def collection_by_building(*, project: Project | int, period: str) -> dict[int, tuple[Decimal, Decimal]]:
    """{building id: (receivable, received)} of the period's bills in one GROUP BY, as Decimals; a building with
    nothing receivable is left out (the dashboard's and the monthly report's rows)."""
    return {building: amounts for building, amounts in _building_sums(project, period).items() if amounts[0]}


def _building_sums(project: Project | int, period: str) -> dict[int, tuple[Decimal, Decimal]]:
    """{building id: (receivable, received)} of the period's bills, every building with bills: one GROUP BY on the
    bills' own building, off the (project, period, building, floor) index (by the name too, 600,000 bills were sorted
    on disk: 1.5 s; joined to their units, 0.5 s; read off the index, 0.13 s)."""
    rows = (Bill.objects.filter(project=project, period=period).values_list("building_id")
            .annotate(receivable=Sum("amount"), received=Sum("paid")).order_by())
    return {building: (receivable, received or Decimal("0")) for building, receivable, received in rows}


def collection_by_floor(*, project: Project | int, period: str,
                        where: Q | None = None) -> dict[tuple[int, int], tuple[Decimal, Decimal | None]]:
    """{(building id, floor): (receivable, received)} of the period's bills in one GROUP BY: a floor butler's rate
    adds up the floors of their holdings (the collection_rate KPI, billing/kpis.py); ``where`` narrows the bills
    (to those floors). The bills' own building and floor (their unit's, ``Bill.building``): the project's month is
    read off the (project, period, building, floor) index in the order it groups by (600,000 bills into 60,000 cells:
    0.2 s; joined to their units, 0.5–1 s)."""
    bills = Bill.objects.filter(project=project, period=period)
    if where is not None:
        bills = bills.filter(where)
    return kpis.grouped(bills, ("building_id", "floor"), receivable=Sum("amount"), received=Sum("paid"))


def collection_rate_by_building(*, project: Project | int, period: str) -> list[dict[str, Any]]:
    return collection_by_building_with_total(project=project, period=period)[1]


def collection_by_building_with_total(*, project: Project | int, period: str
                                      ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The period's collection of the whole project (as ``collection_rate``) and of each building in name order, from
    one GROUP BY on the building id (``_building_sums``), the names read apart; the project's total adds up the
    buildings' instead of reading the bills again."""
    sums = _building_sums(project, period)
    names = Building.objects.filter(pk__in=sums).order_by("name", "pk").values_list("pk", "name")
    receivable = sum((amounts[0] for amounts in sums.values()), start=Decimal("0"))
    received = sum((amounts[1] for amounts in sums.values()), start=Decimal("0"))
    total = {"receivable": money_text(receivable), "received": money_text(received), "rate": rate(received, receivable)}
    return total, [{"building": pk, "name": name, "receivable": money_text(sums[pk][0]),
                    "received": money_text(sums[pk][1]), "rate": rate(sums[pk][1], sums[pk][0])} for pk, name in names]


def collection_rate_by_butler(*, project: Project | int, period: str) -> list[dict[str, Any]]:
    """Per floor butler's holding (``org.selectors.butler_holdings``: each on a building): the period's bills of its
    building and floors. The month is grouped once by the bills' own (building, floor) (``collection_by_floor``) and
    each holding adds up the cells of its floors (``FloorCells``, as their KPI cards and home panels do), whatever
    the number of holdings. Two ``CASE`` sums per holding in one statement reached PostgreSQL's 1,664 columns at 833
    holdings (3,240 in a 600,000-unit project): an error, not a report.
    The holdings are read as values, and one bare ``PostHolding`` takes each one's building and floors in turn for
    ``FloorCells``: as models with their user, post and building they were 12,000 instances at 3,000 holdings (240
    of the report's 530 ms)."""
    holdings = list(butler_holdings(project=project).select_related(None).values_list(
        "pk", "user_id", "building_id", "floor_from", "floor_to", "user__first_name", "user__last_name",
        "user__username", "building__name"))
    if not holdings:
        return []
    cells = FloorCells(collection_by_floor(project=project, period=period), 2)
    rows, place = [], PostHolding()
    for pk, user, building, floor_from, floor_to, first_name, last_name, username, building_name in holdings:
        place.building_id, place.floor_from, place.floor_to = building, floor_from, floor_to
        receivable, received = cells.total([place])
        rows.append({"holding": pk, "user": user, "name": person_name(first_name, last_name, username),
                     "building": building_name, "floors": [floor_from, floor_to],
                     "receivable": money_text(receivable), "received": money_text(received),
                     "rate": rate(received, receivable)})
    return rows


def collection_rate_trend(*, project: Project | int, until_period: str, months: int = 12) -> list[dict[str, Any]]:
    """The rate per month up to ``until_period``, against the KPI target."""
    year, month = (int(part) for part in until_period.split("-"))
    periods = []
    for _ in range(months):
        periods.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    rows = {r["period"]: r for r in Bill.objects.filter(project=project, period__in=periods).values("period")
            .annotate(receivable=Sum("amount"), received=Sum("paid"))}
    target = collection_rate_target()
    trend = []
    for period in reversed(periods):
        row = rows.get(period)
        if row is None:
            continue
        value = rate(row["received"], row["receivable"])
        trend.append({"period": period, "receivable": money_text(row["receivable"]), "received": money_text(row["received"]),
                      "rate": value, "meets_target": value is not None and Decimal(value) >= target})
    return trend


def arrears(*, project: Project | int, as_of: date, queryset: QuerySet[Bill] | None = None
            ) -> QuerySet[Bill, Mapping[str, Any]]:
    """Per unit, the unpaid balance of bills due by ``as_of`` in aged buckets by days past the
    due date (0–30, 31–90, 91–180, > 180), as one GROUP BY with CASE sums. Balances are the
    current ones."""
    bills = owing(queryset if queryset is not None else Bill.objects.filter(project=project), as_of)
    balance = F("amount") - F("paid")
    sums = {}
    for name, low, high in BUCKETS:
        condition = Q(due_date__lte=as_of - timedelta(days=low))
        if high is not None:
            condition &= Q(due_date__gte=as_of - timedelta(days=high))
        sums[name] = Coalesce(Sum(Case(When(condition, then=balance), default=ZERO,
                                       output_field=DecimalField(max_digits=14, decimal_places=2))), ZERO)
    # in building-name order walked building by building (archive.selectors.in_building_name_order): a page of 100
    # households reads their buildings' bills, not every owing bill of the project grouped and sorted first
    return (in_building_name_order(bills, project).values("unit_id", "unit__building__name", "unit__number")
            .annotate(total=Sum(balance), bills=Count("id"), **sums))


def with_status(bills: QuerySet[Bill], status: str) -> QuerySet[Bill]:
    """``unpaid`` (every bill not fully paid) or one status. The unpaid ones are said by what was paid (a bill is paid
    when its payments reach its amount: services._set_status), so the owing bills' partial index counts them (600,000
    units, three months: the project's 270,000 unpaid bills counted in 39 ms, 162 ms over every bill)."""
    not_fully_paid = Q(paid__lt=F("amount"))
    return bills.filter({"unpaid": not_fully_paid, Bill.Status.OPEN: not_fully_paid & Q(paid=0),
                         Bill.Status.PARTIAL: not_fully_paid & Q(paid__gt=0)}.get(status, Q(status=status)))


def owing(bills: QuerySet[Bill], as_of: date) -> QuerySet[Bill]:
    """The bills due by ``as_of`` and not fully paid (the partial index ``bill_owing_by_due``)."""
    return bills.filter(due_date__lte=as_of, paid__lt=F("amount"))


def households_in_arrears(bills: QuerySet[Bill], as_of: date) -> int:
    """How many units owe on ``bills`` due by ``as_of``: one count of distinct units, off the owing bills' index for a
    whole project (the arrears list's rows, grouped, would be counted by grouping them all again)."""
    return owing(bills, as_of).order_by().values("unit_id").distinct().count()


def arrears_page_rows(user: User | AnonymousUser, project: Project, as_of: date) -> KnownCount:
    """The arrears rows ``user`` may see in ``project``, to page: grouped per household in building order, counted as
    households (the page, the API and the export read the same rows)."""
    bills = bills_visible_to(user).filter(project=project)
    return KnownCount(arrears(project=project, as_of=as_of, queryset=bills), households_in_arrears(bills, as_of))


def arrears_row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"unit": row["unit_id"], "unit_label": f"{row['unit__building__name']}-{row['unit__number']}",
            "bills": row["bills"], **{name: money_text(row[name]) for name, *_ in BUCKETS}, "total": money_text(row["total"])}


def arrears_brought_forward(*, unit: Unit, period: str) -> Decimal:
    """What the unit still owes on earlier bills (上期欠费)."""
    total = Bill.objects.filter(unit=unit, period__lt=period).aggregate(
        owed=Coalesce(Sum(F("amount") - F("paid")), ZERO))["owed"]
    return money(total or 0)


def cash_up(*, project: Project | int, day: date, user: User | None = None) -> list[dict[str, Any]]:
    """日清: what each clerk received on a day, per method (reversals of the day listed apart)."""
    start = clock.at(day, "00:00")
    end = start + timedelta(days=1)
    payments = Payment.objects.filter(project=project, received_at__gte=start, received_at__lt=end)
    if user is not None:
        payments = payments.filter(received_by=user)
    rows = (payments.values("received_by_id", "received_by__username", "received_by__first_name", "method")
            .annotate(count=Count("id"), total=Sum("amount"),
                      reversed=Coalesce(Sum("amount", filter=Q(reversal__isnull=False)), ZERO))
            .order_by("received_by__username", "method"))
    return [{"clerk": r["received_by_id"], "name": r["received_by__first_name"] or r["received_by__username"],
             "method": r["method"], "count": r["count"], "amount": money_text(r["total"]),
             "reversed": money_text(r["reversed"]), "net": money_text(r["total"] - r["reversed"])} for r in rows]


def current_period() -> str:
    today = clock.today()
    return f"{today:%Y-%m}"


def previous_period(period: str) -> str:
    year, month = (int(part) for part in period.split("-"))
    return f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


# --- finding a bill by what the clerk types ------------------------------------------------------

# "A-1003", "A1003", "a-1003", "A座1003", "A 1003", "A栋-1003", "1003": an optional building name
# (letters or digits, optionally followed by 座/栋/幢/号楼), an optional separator, the unit number.
UNIT_CODE = re.compile(r"^\s*(?:(?P<building>[A-Za-z]{1,3}|\d{1,3}(?=\s*(?:座|栋|幢|号楼)))\s*(?:座|栋|幢|号楼)?\s*[-－—_/ ]?\s*)?"
                       r"(?P<number>\d{1,6}[A-Za-z]?)\s*$")
BUILDING_SUFFIXES = ("", "座", "栋", "幢", "号楼")


def unit_search_q(text: str | None, prefix: str = "unit__") -> Q:
    """A ``Q`` for units matching what was typed: a unit code in any usual spelling, or a
    resident's name (``archive.selectors.name_q``: a surname by its start, a given name anywhere) or phone (by its
    start). Each match one an index serves (building name, unit number, the names' trigrams and pairs, phone); an
    empty or junk query matches nothing."""
    from dutydesk.archive.models import Resident  # archive sits below billing
    from dutydesk.archive.selectors import name_q

    text = (text or "").strip()[:40]
    if not text:
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    match = UNIT_CODE.match(text)
    if match:
        number = match["number"]
        by_unit = Q(**{f"{prefix}number__in": {number, number.upper(), number.lower()}})
        if match["building"]:
            names = Q()
            for suffix in BUILDING_SUFFIXES:
                names |= Q(**{f"{prefix}building__name__iexact": match["building"] + suffix})
            by_unit &= names
        condition |= by_unit
    compact = re.sub(r"[\s-]", "", text)
    residents = Resident.objects.none()
    if compact.isdigit() and len(compact) >= 7:
        residents = Resident.objects.filter(phone__startswith=compact)
    elif not compact.isdigit():
        residents = Resident.objects.filter(name_q(text))
    condition |= Q(**{f"{prefix}id__in": residents.values("unit_id")})
    return condition


class MonthByMonth:
    """``bills`` of one project (any filter) in the order of its ledger, to page: the newest month first, each month in
    building-name order. Sorting every bill of the project for one page took 1.8 s at 600,000 units and three months
    (1.8 million bills); this finds the project's months off its (project, period) index, newest first, counts the
    months the page starts past (no further than the page reaches), and walks the months the page falls in building
    by building (``archive.selectors.in_building_name_order``). A paginator slices it and asks its ``count()``.
    ``month``: the bills are of that month only. A page costs a probe of the index per month it reaches, a count of
    each month it skips and a read of each month it shows, so a search with few rows over a year of months sends 24
    small statements.

    ``project`` may be the ids of several projects whose every bill ``bills`` may hold (a group's ledger, read by
    someone who sees those projects whole): each month then reads project by project in id order, and each probe of
    the months asks every project's index at once (one statement). Sorting the 40 projects' bills by month, building
    and unit for one page read every one of them (600,000 units, three months: 1.1 s)."""

    ordered = True

    def __init__(self, bills: QuerySet[Bill], project: Project | int | Iterable[int], month: str | None = None
                 ) -> None:
        self.bills, self.month = bills, month
        self.projects: list[Any] = sorted(set(project)) if isinstance(project, Iterable) else [project]

    def count(self) -> int:
        return self.bills.count()

    def months(self) -> Iterator[tuple[str, list[Any]]]:
        """The billed months, newest first, each with the projects (of ours) billed in it: one statement per month,
        a probe of each project's (project, period) index. Several projects are probed for bills of the list's own
        filter, from a project's newest month down to the first with such bills: a project without unpaid bills is
        then skipped without walking its buildings. One project is probed for any bill: its months hold the filter's
        rows in any order (a unit number's bills lie where the units were written), and a probe walking the index
        backwards checking each bill read 582,000 of them for "1201" (0.5 s)."""
        if self.month and len(self.projects) == 1:
            yield self.month, self.projects
            return
        probed = self.bills if len(self.projects) > 1 else Bill.objects.all()
        below = None
        while newest := newest_months(self.projects, probed, below=below, month=self.month):
            month = max(newest.values())
            yield month, [project for project in self.projects if newest.get(getattr(project, "pk", project)) == month]
            if self.month:
                return
            below = month

    def parts(self) -> Iterator[tuple[Any, QuerySet[Bill]]]:
        """(project, its bills of one month) in the ledger's order."""
        for month, projects in self.months():
            for project in projects:
                yield project, self.bills.filter(period=month, project=project)

    def __getitem__(self, key: slice) -> list[Bill]:
        start, stop = key.start or 0, key.stop
        rows: list[Bill] = []
        before = 0  # the rows of the months (and projects) already passed
        for project, part in self.parts():
            many = False  # many rows to pass: the project's units are read off their own index
            per_building: dict[int, int] = {}
            if skip := max(start - before, 0):  # the page starts further on: how far does this part reach?
                if skip > SKIP_BY_BUILDING:  # deep: the rows per building say it, and where the page starts
                    per_building = rows_per_building(part)
                    reached = sum(per_building.values())
                else:
                    reached = bounded_count(part, max(stop - before - 1, FEW_TO_SORT))
                if reached <= skip:
                    before += reached
                    continue
                many = reached > FEW_TO_SORT
            walked = in_building_name_order(part.prefetch_related(None), project, many=many)
            if per_building:  # deep into the month: walk from the building the page starts in
                walked, passed = _from_building(walked, per_building, skip)
                before, skip = before + passed, skip - passed
            found = list(walked[skip:stop - before])
            rows += found
            if len(rows) == stop - start:
                break
            before += skip + len(found)  # the part ended before the page did
        # what the rows fetch with them (a bill's lines), once for the page, not once for each part it spans
        prefetch_related_objects(rows, *self.bills._prefetch_related_lookups)  # type: ignore[attr-defined]
        return rows


# the rows of one project's month (of the list's filter) that are sorted as they are, read off their own index, for a
# page past the first (``archive.selectors.in_building_name_order``'s ``many``)
FEW_TO_SORT = 2_000
# rows into one project's month past which a page is found by counting the month's rows building by building (one
# grouped statement off the bills' own index, ~0.14 µs a bill of the month: 15,200 bills 2 ms, 600,000 bills 83 ms)
# rather than walking every row before it (~3.6 µs a row: 18 ms at 5,000, 2.2 s at 600,000). A month of a real
# project (up to tens of thousands of bills) is then never walked further than 5,000 rows; in a month of 600,000 a
# page 5,000–23,000 rows in costs more counted than walked (up to 65 ms), every page further in far less.
SKIP_BY_BUILDING = 5_000


def rows_per_building(part: QuerySet[Bill]) -> dict[int, int]:
    """{building id: rows} of ``part`` (one project's bills of one month): one grouped statement over the bills' own
    building, off the (project, period, building, floor) index rather than joined to the units. Their sum is the
    month's rows, so a page that starts past the month learns it from the same statement."""
    # COUNT(*), not of the id: the id is not in the index, and counting it read every bill (600,000: 182 ms, not 83)
    return dict(part.order_by().values_list("building_id").annotate(rows=Count("*")))


def _from_building(walked: QuerySet[Bill], per_building: dict[int, int], skip: int) -> tuple[QuerySet[Bill], int]:
    """``walked`` (one project's bills of one month, in building-name order, more than ``skip`` of them, counted
    ``per_building``) from the building its row ``skip`` is in, and the number of rows before that building; the
    buildings read in name order (a name is unique in its project)."""
    passed = 0
    for building, name in Building.objects.filter(pk__in=per_building).order_by("name").values_list("pk", "name"):
        if passed + per_building[building] > skip:
            return walked.filter(unit__building__name__gte=name), passed
        passed += per_building[building]
    return walked, 0  # (the bills changed since they were counted: walk them all)


def newest_months(projects: Iterable[Project | int], bills: QuerySet[Bill], *, below: str | None = None,
                  month: str | None = None) -> dict[int, str]:
    """{project id: the newest month of its ``bills``} (before ``below``; or ``month`` itself, when it has some) for
    the projects that have one: one statement, each project's months read off its (project, period) index, newest
    first, down to the first with such a bill."""
    newest = bills.filter(project=OuterRef("pk")).order_by("-period")
    if below:
        newest = newest.filter(period__lt=below)
    if month:
        newest = newest.filter(period=month)
    found = (Project.objects.filter(pk__in=[getattr(project, "pk", project) for project in projects])
             .annotate(month=Subquery(newest.values("period")[:1])).order_by().values_list("pk", "month"))
    return {project: month for project, month in found if month}


def projects_seen_whole(user: User | AnonymousUser, code: str = "billing.view") -> list[int]:
    """The projects whose every bill ``user`` sees, in id order (a superuser: every project), when they see nothing
    else; ``[]`` when a floor butler's floors in another project are among what they see (their few bills are
    sorted as they are)."""
    if getattr(user, "is_superuser", False):
        return list(Project.objects.order_by("pk").values_list("pk", flat=True))
    whole = access.whole_projects(user, code)
    return whole if set(whole) == access.project_ids(user, code) else []


def latest_periods_with_bills(projects: Iterable[int]) -> dict[int, str]:
    """``latest_period_with_bills`` of several projects, {project id: period}: one statement."""
    newest = newest_months(projects, Bill.objects.all())
    return {project: newest.get(project) or current_period() for project in projects}


def latest_period_with_bills(*, project: Project | int) -> str:
    """The project's newest period that has bills (so a page opens on data, not on an empty new month; bills are run
    per project, so a floor butler's floors have that month too); the current month when there are none yet. One
    read of the (project, period) index: asked through a person's scope, PostgreSQL joined every bill of the project
    to its unit (600,000 units, three months: 444 ms)."""
    project_id: int = project.pk if isinstance(project, Project) else project
    return latest_periods_with_bills([project_id])[project_id]


# --- summaries for other apps' pages (billing/panels.py) ---------------------------------------

def units_billing_summary(*, units: Iterable[Unit], periods: int = 6) -> dict[str, Any]:
    """For a few units: their bills of the last ``periods`` billed months and what each still owes.
    Two queries whatever the number of units or bills."""
    unit_ids = [unit.pk for unit in units]
    recent = list(Bill.objects.filter(unit_id__in=unit_ids).order_by().values_list("period", flat=True)
                  .distinct().order_by("-period")[:periods])
    bills = list(Bill.objects.filter(unit_id__in=unit_ids, period__in=recent).select_related("unit__building")
                 .order_by("-period", "unit_id"))
    owed = {row["unit_id"]: row for row in Bill.objects.filter(unit_id__in=unit_ids, paid__lt=F("amount"))
            .values("unit_id").annotate(owing=Sum(F("amount") - F("paid")), count=Count("id"),
                                        oldest=Min("due_date")).order_by()}
    balance = sum((row["owing"] for row in owed.values()), start=Decimal("0"))
    return {"bills": bills, "balance": money(balance),
            "unpaid": sum(row["count"] for row in owed.values()),
            "oldest_due": min((row["oldest"] for row in owed.values()), default=None)}


def floors_collections(*, holdings: list[PostHolding], period: str, unit_ids: Ids | None = None
                       ) -> dict[int, dict[str, Any]]:
    """For floor butlers' holdings of one project, each holding's units (its building and floors) in ``period``: the
    collection rate and how many units owe on bills already due, {holding pk: {receivable, received, rate, period,
    units_in_arrears}}. Two grouped queries by (building, floor) whatever the number of holdings (a butler of 19
    ranges sent 57 statements for the home page's panel). ``unit_ids``: the ids of the holdings' units
    (``archive.selectors.floor_unit_ids``): the bills are then read off their (unit, period) key; as building/floor
    ranges PostgreSQL read the project's whole month (600,000 units, a butler of 19 ranges: 65 ms for two groupings)."""
    if not holdings:
        return {}
    project = holdings[0].project_id
    where = units_covered_q(holdings) if unit_ids is None else Q(unit_id__any_of=unit_ids)  # the bills' own floors
    # each holding adds up the cells of its floors (org.kpis.FloorCells, as the butlers' KPI cards do)
    collected = FloorCells(collection_by_floor(project=project, period=period, where=where), 2)
    owing = (Bill.objects.filter(project=project).filter(where).filter(due_date__lt=clock.today(), paid__lt=F("amount"))
             .values_list("building_id", "floor").annotate(units=Count("unit_id", distinct=True)).order_by())
    owing_units = FloorCells({(building, floor): (units,) for building, floor, units in owing}, 1)
    result = {}
    for holding in holdings:
        receivable, received = collected.total([holding])
        result[holding.pk] = {"receivable": money_text(receivable), "received": money_text(received),
                              "rate": rate(received, receivable), "period": period,
                              "units_in_arrears": owing_units.total([holding])[0]}
    return result


def one_off_charge_paid(charge: OneOffCharge) -> bool:
    """Has the money of a receivable handed over by another module come in: billed, and the bill it is on fully
    paid? (A renovation deposit is refunded only once it was collected: dutydesk/occupancy.) One query over the
    unit's bills."""
    if charge.billed_at is None:
        return False
    return BillLine.objects.filter(bill__unit_id=charge.unit_id, kind=BillLine.Kind.ONE_OFF, source_id=charge.pk,
                                   bill__status=Bill.Status.PAID).exists()
