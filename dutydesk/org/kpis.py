"""KPI sources: where a KPI's actual comes from. A KPI of the catalogue names its source (``KPI.source``,
docs/catalog.md); this module is the registry of sources and what they have in common.

**Registering.** Each app publishes the sources it can measure in its own ``<app>/kpis.py``, built on its own
selectors, the way it publishes its permission codes in ``permissions.py``::

    from django.utils.translation import gettext_lazy as _
    from dutydesk.org import kpis

    @kpis.source("sla_compliance", _("work orders on time"))
    def sla_compliance(group: list[KPI], cards: kpis.Cards) -> dict[kpis.CardKey, kpis.Measurement]:
        ...

``all_sources()`` imports ``<app>.kpis`` of every app in ``settings.DOMAIN_APPS`` the first time it is asked,
so org, at the ground, names no app above it. The catalogue accepts exactly the registered names (``is_known``;
``names()`` lists them) and pages show their labels (``label``). A KPI whose source is not registered measures
"no data".

**Measuring.** A scorecard is about a person (their personal card) or a post (the post's card: all active holders
of the post in the project); ``period`` is a ``dutydesk.core.periods.Period`` (a calendar month). A source is
set-based (issue 11): ``source(kpis, cards) -> {(kpi.pk, user id or None): Measurement}`` measures every wanted
card of ``kpis`` (the KPIs of that source among the computed posts) at once, so the scorecards of a project cost
the same number of queries for 5 holders or 500. ``cards`` (a ``Cards``) says which cards are wanted and who they
are about. A source reads its records in one grouped query (GROUP BY person, post, or building and floor for a
floor butler's floors) and adds the groups up per card in Python; a card it leaves out measures "no data".
``Measurement.actual`` is a Decimal in the KPI's unit (rounded half-up to 2 places here), or ``None`` = "no data"
— never zero for missing data; ``records_url`` opens the records behind the figure (drill-down).

**Floor butlers.** A floor butler's figures cover the units of their holdings (``PostHolding.units_q``; the
post's card: all its holders' floors). Those sources group their records by the unit's (building, floor) and add
up, per card, the cells its holdings cover (``PostHolding.covers_floor``) — each cell once, however many holdings
overlap on it (``FloorCells``, ``by_person_and_floor``).
"""
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.http import urlencode
from django_stubs_ext import StrOrPromise

from dutydesk.core.lookups import key_among
from dutydesk.org.models import KPI, Post, PostHolding, units_covered_q

if TYPE_CHECKING:
    from dutydesk.core.periods import Period

HUNDRED = Decimal("100")
CENT = Decimal("0.01")
ZERO = Decimal("0")

CardKey = tuple[int, int | None]  # (kpi.pk, user id or None for the post's card)


@dataclass
class Measurement:
    actual: Decimal | None
    records_url: str = ""
    detail: dict = field(default_factory=dict)


NO_DATA = Measurement(None)


@dataclass
class Cards:
    """The cards one computation measures, and who they are about.

    ``wanted``: {post id: [None for the post's own card, and/or user ids for personal cards]};
    ``holders``: {post id: [user ids]}, the post's active holders in the project (the post's card is about them;
    for a post whose own card is not wanted, only the wanted people);
    ``floors``: {post id: [PostHolding]}, the floor butlers' holdings of a post (``PostHolding.on_floors``)."""
    project: Any
    period: "Period"
    posts: dict
    wanted: dict
    holders: dict
    floors: dict
    _by_person: dict | None = None
    # the ids of the units some floor holdings cover (``archive.selectors.floor_unit_ids``), given by a caller above
    # the archive: see ``covering``
    unit_ids: Callable[[list[PostHolding]], Any] | None = None

    @classmethod
    def load(cls, project: Any, period: "Period", wanted: dict,
             unit_ids: Callable[[list[PostHolding]], Any] | None = None) -> "Cards":
        """``wanted``: {Post: [user id or None, ...]}. One query for the holdings of those posts."""
        posts = {post.pk: post for post in wanted}
        holders: dict[int, dict[int, bool]] = {pk: {} for pk in posts}
        floors: dict[int, list[PostHolding]] = {pk: [] for pk in posts}
        # a post's own card is about every holder; a person's card about that person: their holdings alone are read
        # (a butler's own card on the home page read all 3,240 holdings of a 600,000-unit project)
        whole = [post.pk for post, users in wanted.items() if None in users]
        people = {user for post, users in wanted.items() if None not in users for user in users}
        holdings = (PostHolding.objects.filter(project=project, active=True, post_id__in=list(posts))
                    .filter(Q(post_id__in=whole) | Q(user_id__in=people))
                    .values_list("post_id", "user_id", "building_id", "floor_from", "floor_to").order_by("pk"))
        for post_id, user_id, building_id, floor_from, floor_to in holdings:
            holders[post_id][user_id] = True
            holding = PostHolding(post=posts[post_id], project_id=getattr(project, "pk", project), user_id=user_id,
                                  building_id=building_id, floor_from=floor_from, floor_to=floor_to)
            if holding.on_floors:
                floors[post_id].append(holding)
        return cls(project=project, period=period, posts=posts,
                   wanted={post.pk: list(dict.fromkeys(users)) for post, users in wanted.items()},
                   holders={pk: list(users) for pk, users in holders.items()}, floors=floors, unit_ids=unit_ids)

    def each(self, kpis: Iterable[KPI]) -> Iterator[tuple[KPI, int | None]]:
        """(kpi, user id or None) for every wanted card of every KPI's post."""
        for kpi in kpis:
            for user_id in self.wanted.get(kpi.post_id, ()):
                yield kpi, user_id

    def staff(self, post_id: int, user_id: int | None) -> list[int]:
        """The staff a figure is about: the person, or every active holder of the post."""
        return [user_id] if user_id is not None else self.holders.get(post_id, [])

    def all_staff(self, kpis: Iterable[KPI]) -> list[int]:
        """Everyone any card of ``kpis`` is about."""
        return sorted({user for kpi, user_id in self.each(kpis) for user in self.staff(kpi.post_id, user_id)})

    def is_floors(self, post_id: int) -> bool:
        return self.posts[post_id].scope == Post.Scope.FLOORS

    def floors_covered(self, kpis: Iterable[KPI]) -> list[PostHolding] | None:
        """The floor butlers' holdings the floors-scoped cards of ``kpis`` add up, or None when one of them is a
        post's own card (every butler's floors: the whole project is read)."""
        covered: list[PostHolding] = []
        for kpi, user_id in self.each(kpis):
            if self.is_floors(kpi.post_id):
                if user_id is None:
                    return None
                covered.extend(self.holdings(kpi.post_id, user_id))
        return covered

    def butlers_only(self, kpis: Iterable[KPI]) -> list[PostHolding] | None:
        """``floors_covered`` when every card of ``kpis`` is a floor butler's own; None when any card is a post's or a
        project-wide post's (its figure needs the whole project)."""
        kpis = list(kpis)
        return self.floors_covered(kpis) if all(self.is_floors(kpi.post_id) for kpi in kpis) else None

    def covering(self, holdings: list[PostHolding], unit_path: str) -> Q:
        """The records whose unit (reached through ``unit_path``) ``holdings`` cover: by the units' ids when the
        caller can read them (one array parameter), else as building/floor ranges. A butler of 19 ranges put 57
        conditions into each of their home page's KPI statements: ~20 ms of building them, and PostgreSQL looked
        for the ranges' units across the project's 1,500 buildings."""
        if self.unit_ids is None or not holdings:
            return units_covered_q(holdings, unit_path)
        return key_among(unit_path, self.unit_ids(holdings))

    def holdings(self, post_id: int, user_id: int | None) -> list[PostHolding]:
        """The floor butler's holdings a card of a floors-scoped post covers."""
        if user_id is None:
            return self.floors.get(post_id, [])
        if self._by_person is None:
            self._by_person = defaultdict(list)
            for floors_post, holdings in self.floors.items():
                for holding in holdings:
                    self._by_person[floors_post, holding.user_id].append(holding)
        return self._by_person.get((post_id, user_id), [])


SourceFunction = Callable[[list[KPI], Cards], dict[CardKey, Measurement]]


@dataclass(frozen=True)
class Source:
    name: str
    label: StrOrPromise  # a lazy translation
    measure: SourceFunction


_REGISTERED: dict[str, Source] = {}


def source(name: str, label: StrOrPromise) -> Callable[[SourceFunction], SourceFunction]:
    """Register a set-based source: ``func(kpis, cards) -> {(kpi.pk, user id or None): Measurement}``."""
    def register(func: SourceFunction) -> SourceFunction:
        _REGISTERED[name] = Source(name, label, func)
        return func

    return register


def source_per_card(name: str, label: StrOrPromise) -> Callable[[Callable[..., Measurement]], Callable[..., Measurement]]:
    """Register a source written for one card, ``func(post, user_id, project, period, *, kpi) -> Measurement``:
    it is called once per card (queries grow with the cards — for a new source until it is made set-based)."""
    def register(func: Callable[..., Measurement]) -> Callable[..., Measurement]:
        def each_card(kpis: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
            return {(kpi.pk, user_id): func(kpi.post, user_id, cards.project, cards.period, kpi=kpi)
                    for kpi, user_id in cards.each(kpis)}

        _REGISTERED[name] = Source(name, label, each_card)
        return func

    return register


@cache
def _discover() -> None:
    for app in settings.DOMAIN_APPS:
        module = f"{app}.kpis"
        try:
            import_module(module)
        except ModuleNotFoundError as missing:
            if missing.name != module:  # the app has no sources; anything else it imports must exist
                raise


def all_sources() -> dict[str, Source]:
    """{name: Source} of every app's ``kpis.py``."""
    _discover()
    return _REGISTERED


def names() -> list[str]:
    return sorted(all_sources())


def is_known(name: str) -> bool:
    return name in all_sources()


def label(name: str) -> StrOrPromise:
    """How source ``name`` reads on a page (the name itself for an unknown source)."""
    found = all_sources().get(name)
    return found.label if found is not None else name


def measure_cards(kpis: Iterable[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """{(kpi.pk, user id or None): Measurement} for every wanted card of ``kpis``: one call of each source (a
    card missing from the answer has no data). A KPI whose source is not registered has no data."""
    sources = all_sources()
    by_source = defaultdict(list)
    for kpi in kpis:
        by_source[kpi.source].append(kpi)
    results = {}
    for name, group in by_source.items():
        found = sources.get(name)
        if found is None:
            continue
        for key, result in found.measure(group, cards).items():
            if result.actual is not None:
                result.actual = Decimal(result.actual).quantize(CENT, ROUND_HALF_UP)
            results[key] = result
    return results


def measure(kpi: KPI, user: Any, project: Any, period: "Period") -> Measurement:
    """The KPI's actual for ``user`` (or the whole post) in ``period``."""
    user_id = getattr(user, "pk", None)
    cards = Cards.load(project, period, {kpi.post: [user_id]})
    return measure_cards([kpi], cards).get((kpi.pk, user_id), NO_DATA)


# ---- helpers for sources ------------------------------------------------------------------------

def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part`` ÷ ``whole`` in %, rounded half-up to 2 places; None when ``whole`` is 0 (no data)."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def url(names: Iterable[str], fallback: str, **params: Any) -> str:
    """The first page URL that exists among ``names`` (``ns:name``), else ``fallback`` (an API path
    of shared/API.md), with ``params`` as the query string."""
    base = _first_page(tuple(names), fallback, get_script_prefix(), get_urlconf(settings.ROOT_URLCONF))
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


@lru_cache(maxsize=128)
def _first_page(names: tuple[str, ...], fallback: str, prefix: str, urlconf: str) -> str:
    """``url``'s page, looked up once per prefix and URL configuration: every card links its records (a project of
    400 holders: 2,300 lookups, 0.15 s of the scorecards)."""
    for name in names:
        try:
            return reverse(name, urlconf=urlconf)
        except NoReverseMatch:
            continue
    return fallback


# what PostgreSQL's driver already gives as Python ints and Decimals
_COUNTED = {"IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
            "PositiveSmallIntegerField", "PositiveBigIntegerField", "DecimalField"}


def grouped(queryset: QuerySet, by: str | tuple | list, **aggregates: Any) -> dict:
    """{value of ``by``: (aggregate, …)} of one GROUP BY query (``by`` a field or a tuple of fields)."""
    keys = (by,) if isinstance(by, str) else tuple(by)
    rows = queryset.values_list(*keys).annotate(**aggregates).order_by()
    width = len(keys)
    return {(row[0] if width == 1 else row[:width]): row[width:] for row in _plain(rows)}


def _plain(rows: QuerySet) -> Iterable[tuple]:
    """The rows of a grouping whose aggregates are counts and sums of integers or decimals: on PostgreSQL as the
    driver gives them (ints and Decimals already), without Django's converter per value, int() or Decimal() of each
    (172,000 values, 0.15–0.25 s of the scorecards of a 600,000-unit project); elsewhere through the queryset
    (SQLite's sums of decimals need their converter)."""
    if connections[rows.db].vendor != "postgresql" or not all(
            isinstance(aggregate, (Count, Sum)) and aggregate.output_field.get_internal_type() in _COUNTED
            for aggregate in rows.query.annotations.values()):
        return rows
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def column_sums(rows: list, size: int) -> list:
    """The column sums of ``rows`` (tuples of ``size`` numbers; None counts 0)."""
    if not rows:
        return [0] * size
    # filter(None, …) drops the None (and zeros) in C: a post's card adds up tens of thousands of cells per KPI
    return [sum(filter(None, column)) for column in zip(*rows, strict=True)]


def add_up(groups: dict, keys: Iterable, size: int) -> list:
    """The column sums of ``groups[key]`` over ``keys`` (missing groups count nothing)."""
    return column_sums([groups[key] for key in keys if key in groups], size)


def _summed(rows: Iterable[tuple[Any, tuple]]) -> dict:
    """{key: column sums} of (key, row) pairs (several rows may share a key)."""
    sums: dict = {}
    shared: dict = {}  # the keys several rows share, with those rows: added up once, at the end
    for key, row in rows:
        if key in sums:
            shared.setdefault(key, [sums[key]]).append(row)
        else:
            sums[key] = row
    for key, group in shared.items():
        sums[key] = tuple(column_sums(group, len(group[0])))
    return sums


class FloorCells:
    """Records grouped by their unit's (building, floor): a floor butler's figure is the sum over the cells their
    holdings cover, each cell once (holdings may overlap; a record lies in exactly one cell)."""

    def __init__(self, groups: dict, size: int) -> None:
        self.groups, self.size = groups, size
        self._sums: dict[tuple, list] = {}
        self.by_building: defaultdict[int | None, dict] = defaultdict(dict)
        for (building, floor), row in groups.items():
            self.by_building[building][floor] = row

    def total(self, holdings: list[PostHolding]) -> list:
        # each building's cells are picked once, by the floors its holdings cover (a set of the floors the building
        # has records on): a post's card holds every holder's holdings (thousands) over every cell (60,000 at 600k
        # units), and a check per cell and holding took ~0.5 s of the scorecards (issue 11)
        by_building: defaultdict[int | None, list[PostHolding]] = defaultdict(list)
        for holding in holdings:
            by_building[holding.building_id].append(holding)
        rows = []
        for building, own in by_building.items():
            cells = self.by_building.get(building)
            if not cells:
                continue
            if len(own) == 1:  # one holding on the building: its floors' sums, kept for the next card holding them
                rows.append(self._range_sums(building, own[0], cells))
                continue
            floors = set().union(*(holding.floors_among(cells) for holding in own))
            if len(floors) == len(cells):  # every floor with records (a post's card): the building's sums
                rows.append(self._range_sums(building, None, cells))
            else:
                rows += [cells[floor] for floor in floors]
        return column_sums(rows, self.size)

    def _range_sums(self, building: int | None, holding: PostHolding | None, cells: dict) -> list:
        """The sums of the cells of ``building`` that ``holding`` covers (None: all of them), added up once for all
        the cards (a post's card and its 160 butlers' picked 600,000 cells a KPI: 0.2 s of the scorecards)."""
        key = (building, None, None, False) if holding is None else \
            (building, holding.floor_from, holding.floor_to, True)
        sums = self._sums.get(key)
        if sums is None:
            rows = cells.values() if holding is None else [cells[floor] for floor in holding.floors_among(cells)]
            sums = self._sums[key] = column_sums(list(rows), self.size)
        return sums

    def everything(self) -> list:
        return add_up(self.groups, self.groups, self.size)


def by_person_and_floor(kpis: list[KPI], cards: Cards, queryset: QuerySet, person: str, unit_path: str,
                        *, place_path: str | None = None, **aggregates: Any) -> tuple[dict, FloorCells | None]:
    """The records of ``queryset`` for every card of ``kpis`` in one GROUP BY: per person (``person``, the field
    naming who a record is about) for the cards of project-wide posts, and per (building, floor) of the record's
    unit (``unit_path``) for floors-scoped posts (a floor butler's floors are picked from the cells in Python).
    The floors read are those of the wanted butlers' cards, or every record of ``queryset`` when a post's own card
    is wanted (one scan, no filter per building). ``place_path``: where the records say their unit's building and floor
    themselves (``archive.places``: ``"response__"`` for survey answers), grouped without joining the units; by
    default the unit's own (``unit_path``). Returns ({person: sums}, FloorCells or None)."""
    people = cards.all_staff([kpi for kpi in kpis if not cards.is_floors(kpi.post_id)])
    floors = any(cards.is_floors(kpi.post_id) for kpi in kpis)
    if floors:
        covered = cards.floors_covered(kpis)
        place = unit_path if place_path is None else place_path
        scope, keys = Q(), ([person] if people else []) + [f"{place}building_id", f"{place}floor"]
        if covered is not None:
            scope = cards.covering(covered, unit_path) | (Q(**{f"{person}__in": people}) if people else Q(pk__in=[]))
    elif people:
        scope, keys = Q(**{f"{person}__in": people}), [person]
    else:
        return {}, None
    groups = grouped(queryset.filter(scope), keys, **aggregates)
    if not floors:
        return groups, None
    cells = FloorCells(_summed((key[-2:], row) for key, row in groups.items()), len(aggregates))
    return (_summed((key[0], row) for key, row in groups.items()) if people else {}), cells


def by_person(kpis: list[KPI], cards: Cards, groups: dict, size: int) -> Iterator[tuple[KPI, int | None, list]]:
    """(kpi, user id, sums over the card's staff) for every wanted card, from groups keyed by person."""
    for kpi, user_id in cards.each(kpis):
        yield kpi, user_id, add_up(groups, cards.staff(kpi.post_id, user_id), size)


def card_totals(kpis: list[KPI], cards: Cards, by_owner: dict, floor_cells: FloorCells | None,
                size: int) -> Iterator[tuple[KPI, int | None, list]]:
    """(kpi, user id, sums) per wanted card: over the card's floors for a floors-scoped post, else over its staff
    (``floor_cells`` None: no records on any floor)."""
    for kpi, user_id in cards.each(kpis):
        if cards.is_floors(kpi.post_id):
            yield kpi, user_id, (floor_cells.total(cards.holdings(kpi.post_id, user_id)) if floor_cells is not None
                                 else [0] * size)
        else:
            yield kpi, user_id, add_up(by_owner, cards.staff(kpi.post_id, user_id), size)
