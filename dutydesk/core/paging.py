"""Counting that stays cheap at a group's scale: a list of ten million rows is never counted to the end.

``bounded_count(queryset)`` counts at most ``COUNT_CAP + 1`` rows (``SELECT COUNT(*) FROM (SELECT id … LIMIT n)``),
so a list header shows "10,000+" instead of scanning every row; ``BoundedPaginator`` pages with that count.
A tab's badge counts at most ``BADGE_CAP + 1`` (``badge_counts``, shown "999+"): five badges on every list page
each reading 10,001 index entries cost more than the page's own rows (scripts/loadtest). Under the caps the
figures are exact, so a tab still equals what its list shows."""
from math import ceil
from typing import Any

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy, RawSQL
from django.utils.functional import cached_property

COUNT_CAP = 10_000
BADGE_CAP = 999


def _first_keys(queryset: QuerySet[Any], cap: int) -> QuerySet[Any]:
    """The keys of at most ``cap + 1`` rows, unordered: what a bounded count counts."""
    return queryset.order_by().values("pk")[: cap + 1]


def bounded_count(queryset: QuerySet[Any], cap: int | None = None) -> int:
    """The number of rows, or ``cap + 1`` (default ``COUNT_CAP + 1``) when there are more."""
    return _first_keys(queryset, COUNT_CAP if cap is None else cap).count()


def badge_counts(querysets: dict[str, QuerySet[Any]]) -> dict[str, int]:
    """Badge counts of several querysets (of one database), each exact up to ``BADGE_CAP`` and ``BADGE_CAP + 1``
    when there are more, in one statement: a list page's tab badges cost one round trip instead of one each."""
    counts = dict.fromkeys(querysets, 0)
    parts: list[tuple[str, str]] = []
    params: list[Any] = []
    for key, queryset in querysets.items():
        inner = _first_keys(queryset, BADGE_CAP)
        try:
            sql, inner_params = inner.query.get_compiler(queryset.db).as_sql()
        except EmptyResultSet:  # a condition that can match nothing (an empty ``__in``): 0 without asking
            continue
        parts.append((key, f"(SELECT COUNT(*) FROM ({sql}) AS badge_{len(parts)})"))
        params.extend(inner_params)
    if parts:
        with connections[next(iter(querysets.values())).db].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(part for _key, part in parts), params)
            counts.update(zip((key for key, _part in parts), cursor.fetchone(), strict=True))
    return counts


def is_capped(count: int) -> bool:
    return count > COUNT_CAP


class BoundedPaginator(Paginator):
    """Pages counted up to ``cap`` (default ``COUNT_CAP``): a work-order queue pages with ``BADGE_CAP``, so its header
    and its tab show the same figure and a floor butler's queue is not filtered row by row 10,001 times
    (``counted``: the queryset to count when ``object_list`` is rows sliced some other way, e.g.
    ``billing.selectors.MonthByMonth``.)"""

    def __init__(self, object_list: Any, per_page: int, *, cap: int | None = None,
                 counted: QuerySet[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = COUNT_CAP if cap is None else cap
        self.counted: QuerySet[Any] = object_list if counted is None else counted

    @cached_property
    def count(self) -> int:
        return bounded_count(self.counted, self.cap)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number: int | str) -> Page[Any]:
        """A full page even at the cap (the plain paginator would stop at the counted row)."""
        valid = self.validate_number(number)
        bottom = (valid - 1) * self.per_page
        # Paginator._get_page (Django's hook for a Page subclass) is missing from django-stubs
        return self._get_page(self.object_list[bottom:bottom + self.per_page], valid, self)  # type: ignore[attr-defined]


class KnownCount:
    """Rows to page whose number is known already (counted another, cheaper way): a paginator slices ``rows`` and asks
    this for its count. The arrears list is grouped per household; counting its groups would group every owing bill
    of the project again (600,000 units: 488 ms), counting the households off an index takes 55 ms."""

    def __init__(self, rows: Any, count: int) -> None:
        self.rows, self._count = rows, count
        self.ordered = getattr(rows, "ordered", True)

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key: Any) -> Any:
        return self.rows[key]


MERGED_ROWS = 100_000  # rows a merged page may read in all (projects × the page's end) before one sort is cheaper
# rows the projects' branches would read (projects × the page's end) from which a sample bounds them first
SAMPLED_ROWS = 5_000


def ordering_of(queryset: QuerySet[Any]) -> tuple[Any, ...]:
    """The order ``queryset``'s rows come in: its ``order_by``, else its model's ``Meta.ordering``."""
    return tuple(queryset.query.order_by or queryset.model._meta.ordering or ())


def _sort_key(field: Any) -> tuple[str, str]:
    """A column of an ordering and how it sorts in SQL: ``"-created_at"`` → ``("created_at", " DESC")``,
    ``F("due").asc(nulls_last=True)`` → ``("due", " NULLS LAST")``; ``id`` is ``pk``."""
    if isinstance(field, str):
        name, how = field.lstrip("-"), " DESC" if field.startswith("-") else ""
    elif isinstance(field, OrderBy) and isinstance(field.expression, F):
        name = field.expression.name  # type: ignore[attr-defined]  # (F's name is missing from django-stubs)
        how = (" DESC" if field.descending else "") + (" NULLS LAST" if field.nulls_last else "") + (
            " NULLS FIRST" if field.nulls_first else "")
    else:
        raise ValueError(f"cannot merge an ordering by {field!r}")
    return ("pk" if name == "id" else name), how


class ProjectByProject:
    """The rows of several projects in the queryset's own order, each project's first rows read off its own index
    and merged. ``WHERE project_id IN (40 ids) ORDER BY created_at DESC`` is 40 ranges of the (project, created)
    index, which PostgreSQL cannot read as one ordered walk: it fetched and sorted every row the 40 projects have
    (a group's manager, 10^6 work orders: 431 ms for the list's first page). Read project by project, a page ending
    at row n needs at most n rows of each project: one statement joins the projects' ids ``LATERAL`` to the
    queryset's first n keys of that project (an index range that stops) with its sort columns, sorts those and cuts
    the page; then the rows of the page's keys are read as the queryset reads them (its columns, joins and order).
    The branch is compiled once, whatever the number of projects (40 compiled ``UNION ALL`` branches cost 30 ms).

    ``projects`` must hold every project of the queryset's rows (the caller knows its scope); the order must be by
    columns (``"-created_at"``, ``F("due").asc(nulls_last=True)``) that each project's index gives in order, or each
    branch sorts its project instead of stopping.
    ``keys``: the same rows as a model queryset without the list's joins (``rows`` may be a ``values_list`` over
    them). Plain slicing where merging cannot pay: one project, pages so deep that the branches would read more than
    ``MERGED_ROWS``, or a database without ``LATERAL`` (SQLite, the quick start).
    ``filtered``: the rows are filtered by a condition their order's index does not follow (complaints by due): a
    project's branch walks its index checking each row, to its end when the project has fewer rows of the kind than
    the page needs (a project without complaints: all its work orders). One statement first counts each project's
    rows, at most the page's end of them, off the filter's own index; the projects that have fewer are read by that
    index alone, beside the branches of the others.
    Deep pages (the branches would read ``SAMPLED_ROWS`` or more) read a sample of each project first and bound each
    branch by where the sample's row at the page's end sorts (``_bound``): 40 projects' complaints by due, page 20,
    read 40,000 work orders for 1,000 (0.2 s → 27 ms of SQL).
    A paginator slices it and asks its ``count()``."""

    ordered = True

    def __init__(self, rows: QuerySet[Any], projects: Any, *, keys: QuerySet[Any] | None = None,
                 filtered: bool = False) -> None:
        self.rows, self.projects, self.filtered = rows, sorted(set(projects)), filtered
        self.keys = rows if keys is None else keys

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> Any:
        start, stop = key.start or 0, key.stop
        if (stop is None or len(self.projects) < 2 or stop * len(self.projects) > MERGED_ROWS
                or connections[self.rows.db].vendor != "postgresql"):
            return self.rows[key]
        ordering = [_sort_key(field) for field in ordering_of(self.rows)]
        columns = ["pk", *(name for name, _how in ordering if name != "pk")]
        order = ", ".join(f"{columns.index(name) + 1}{how}" for name, how in ordering)
        in_project = self.keys.filter(project_id=RawSQL('"project"."id"', ()))
        try:
            walked, few = (self._with_fewer(in_project, stop) if self.filtered else (self.projects, []))
            if stop * len(walked) >= SAMPLED_ROWS:  # the branches would read thousands of rows: bound them first
                bound = self._bound(in_project, walked, few, columns, ordering, order, stop)
                in_project = in_project if bound is None else in_project.filter(bound)
            branches = self._branches(in_project, walked, few, columns, stop)
        except EmptyResultSet:  # a condition that can match nothing
            return []
        with connections[self.rows.db].cursor() as cursor:
            cursor.execute(f"SELECT * FROM ({branches[0]}) AS merged ORDER BY {order} LIMIT %s OFFSET %s",
                           [*branches[1], stop - start, start])
            page = [row[0] for row in cursor.fetchall()]
        return self.rows.filter(pk__in=page)

    def _branches(self, in_project: QuerySet[Any], walked: list[int], few: list[int], columns: list[str],
                  stop: int) -> tuple[str, list[Any]]:
        """The SQL (and its parameters) of every row a page ending at ``stop`` may hold, unsorted: the first ``stop``
        keys of each project of ``walked`` (``in_project`` walked off its index, ``LATERAL``) and every row of the
        projects of ``few``."""
        sql, params = in_project.values_list(*columns)[:stop].query.sql_with_params()
        parts = [f'SELECT branch.* FROM unnest(%s::bigint[]) AS "project"("id") CROSS JOIN LATERAL ({sql}) AS branch']
        arguments = [walked, *params]
        if few:  # every row of these projects, fewer than the page's end in each
            few_sql, few_params = (self.keys.filter(project_id__in=few).order_by().values_list(*columns)
                                   .query.sql_with_params())
            parts.append(f"SELECT * FROM ({few_sql}) AS few")
            arguments += few_params
        return " UNION ALL ".join(parts), arguments

    def _bound(self, in_project: QuerySet[Any], walked: list[int], few: list[int], columns: list[str],
               ordering: list[tuple[str, str]], order: str, stop: int) -> Q | None:
        """How far into each project's order a page ending at ``stop`` can reach, as a condition on the order's first
        column, or None when a sample cannot say. Each project's first ``stop`` rows would read ``stop`` × the
        projects' rows (40 projects, page 20: 40,000 work orders, 0.2 s) for a page that keeps ``stop`` of them.
        The sample, each project's first ``stop`` ÷ (number of projects) rows (and the few projects' every row),
        holds at least ``stop`` rows; its row ``stop`` sorts at or after the list's own row ``stop`` (it is one of the
        list's rows), so no row of the page sorts after it."""
        name, how = ordering[0]
        field = self.keys.model._meta.pk if name == "pk" else self._field(name)
        if field is None:
            # an expression (the priority's rank): a bound on it is checked row by row, not a range of the index, and
            # a branch with fewer rows inside it than the page's end would walk its project to the end checking them
            return None
        sql, params = self._branches(in_project, walked, few, columns, ceil(stop / len(walked)))
        with connections[self.rows.db].cursor() as cursor:
            cursor.execute(f"SELECT * FROM ({sql}) AS sampled ORDER BY {order} LIMIT 1 OFFSET %s", [*params, stop - 1])
            last = cursor.fetchone()
        if last is None:  # the sample holds fewer than ``stop`` rows
            return None
        value = last[columns.index(name)]
        # (PostgreSQL's defaults; NULLs are named only for a column that has them: an OR walks no index in order)
        nulls_first = ("NULLS FIRST" in how or ("DESC" in how and "NULLS LAST" not in how)) and field.null
        if value is None:  # the sample ends among the rows without a value: sorted last they bound nothing
            return Q(**{f"{name}__isnull": True}) if nulls_first else None
        bound = Q(**{f"{name}__{'gte' if 'DESC' in how else 'lte'}": value})
        return bound | Q(**{f"{name}__isnull": True}) if nulls_first else bound

    def _field(self, name: str) -> Any:
        """The model's field ``name``, or None (an annotation)."""
        try:
            return self.keys.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def _with_fewer(self, in_project: QuerySet[Any], stop: int) -> tuple[list[int], list[int]]:
        """(the projects with at least ``stop`` rows, those with fewer): one statement, each project's rows counted
        up to ``stop`` (``filtered``)."""
        sql, params = in_project.order_by().values("pk")[:stop].query.sql_with_params()
        with connections[self.rows.db].cursor() as cursor:
            cursor.execute(f'SELECT "project"."id", (SELECT COUNT(*) FROM ({sql}) AS counted) '
                           f'FROM unnest(%s::bigint[]) AS "project"("id")', [*params, self.projects])
            counted = cursor.fetchall()
        return ([project for project, rows in counted if rows >= stop],
                [project for project, rows in counted if rows < stop])
