"""Reads of the stores: scoped querysets, stock levels, the FIFO order and the 三级数量帐 (daily quantity ledger).

What counts where (one rule, used by the issue, the levels, the counts and the ledger):
- **available** (on hand, may be issued): passed batches with stock left that have not expired;
- **expired**: passed batches with stock left whose expiry date has come (``expires_on <= today``): flagged, never
  issued, still on the books until they leave the store;
- **book**: available + expired, what a stocktake should find in the passed zone;
- **pending**: the received quantity still waiting for inspection (待检区)."""
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, overload

from django.db.models import (BooleanField, Case, Count, DateField, DecimalField, F, FilteredRelation, Q, QuerySet,
                              Sum, Value, When)
from django.db.models.functions import Coalesce, TruncDate

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.org import access
from dutydesk.stock.models import Issue, Item, Receipt, StockCount

ZERO = Decimal("0")
QUANTITY = DecimalField(max_digits=12, decimal_places=3)
# the ledger covers at most this many days at once (a page and a sheet people read; a year is an export job)
LEDGER_MAX_DAYS = 62


# the batches a level or the books read: stock left, or waiting for inspection (the predicate of the partial index
# stock_receipt_stocked, spelt the same so PostgreSQL uses it)
STOCKED = Q(receipts__remaining__gt=0) | Q(receipts__zone=Receipt.Zone.PENDING)


def _zero() -> Value:
    return Value(ZERO, output_field=QUANTITY)


# ---------------------------------------------------------------- scopes (the web edge filters with these)
def items_visible_to(user: Any, code: str = "stock.view") -> QuerySet[Item]:
    return Item.objects.filter(access.project_scope(user, code)).select_related("project")


def receipts_visible_to(user: Any, code: str = "stock.view") -> QuerySet[Receipt]:
    return (Receipt.objects.filter(access.project_scope(user, code))
            .select_related("item", "project", "received_by", "inspected_by", "approved_by"))


def issues_visible_to(user: Any, code: str = "stock.view") -> QuerySet[Issue]:
    return (Issue.objects.filter(access.project_scope(user, code))
            .select_related("item", "project", "issued_by", "approved_by")
            .prefetch_related("lines__receipt"))


def counts_visible_to(user: Any, code: str = "stock.view") -> QuerySet[StockCount]:
    return StockCount.objects.filter(access.project_scope(user, code)).select_related("item", "project", "counted_by")


# ---------------------------------------------------------------- what may be issued
def available_q(today: date, prefix: str = "") -> Q:
    """Passed batches with stock left that have not expired (no expiry date: never expires)."""
    return (Q(**{f"{prefix}zone": Receipt.Zone.PASSED, f"{prefix}remaining__gt": 0})
            & (Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gt": today})))


def expired_q(today: date, prefix: str = "") -> Q:
    """Passed batches with stock left whose expiry date has come: never issued."""
    return Q(**{f"{prefix}zone": Receipt.Zone.PASSED, f"{prefix}remaining__gt": 0,
                f"{prefix}expires_on__lte": today})


def fifo_batches(*, item: Item, today: date) -> QuerySet[Receipt]:
    """The batches an issue of ``item`` may take, oldest receipt first (先进先出)."""
    return Receipt.objects.filter(available_q(today), item=item).order_by("received_at", "id")


def available_quantity(*, item: Item, today: date | None = None) -> Decimal:
    today = today or clock.today()
    total = Receipt.objects.filter(available_q(today), item=item).aggregate(total=Sum("remaining"))["total"]
    return total or ZERO


def book_quantity(*, item: Item) -> Decimal:
    """What the books say is in the passed zone (expired batches included: they are on the shelf until removed)."""
    total = Receipt.objects.filter(item=item, zone=Receipt.Zone.PASSED).aggregate(total=Sum("remaining"))["total"]
    return total or ZERO


# ---------------------------------------------------------------- levels
def levels(*, items: QuerySet[Item], today: date | None = None) -> QuerySet[Item]:
    """``items`` with ``on_hand`` (available), ``expired``, ``pending`` and ``below_safety``: one grouped query."""
    today = today or clock.today()
    # joined to the batches that hold stock or wait for inspection only (stock_receipt_stocked, a partial index):
    # the batches issued long ago are most of a store's receipts and count for none of the sums
    stocked = FilteredRelation("receipts", condition=STOCKED)
    on_hand = Coalesce(Sum("stocked__remaining", filter=available_q(today, "stocked__")), _zero())
    return (items.annotate(stocked=stocked).annotate(
        on_hand=on_hand,
        expired=Coalesce(Sum("stocked__remaining", filter=expired_q(today, "stocked__")), _zero()),
        pending=Coalesce(Sum("stocked__quantity", filter=Q(stocked__zone=Receipt.Zone.PENDING)), _zero()),
    ).annotate(below_safety=Case(When(on_hand__lt=F("safety_stock"), then=Value(True)), default=Value(False),
                                 output_field=BooleanField()))
        .order_by("code", "id"))


def below_safety_items(*, project: Project | int, today: date | None = None) -> QuerySet[Item]:
    """The active items of ``project`` whose available stock is below their safety stock."""
    rows = levels(items=Item.objects.filter(project=project, active=True, safety_stock__gt=0), today=today)
    return rows.filter(below_safety=True)  # type: ignore[misc]  # an annotation of levels(), unknown to the stubs


# ---------------------------------------------------------------- lists of the pages
def pending_receipts(*, project: Project | int) -> QuerySet[Receipt]:
    return (Receipt.objects.filter(project=project, zone=Receipt.Zone.PENDING)
            .select_related("item", "received_by").order_by("received_at", "id"))


def slips_to_approve(*, project: Project | int) -> tuple[QuerySet[Receipt], QuerySet[Issue]]:
    """Receiving slips (inspected) and issue slips nobody has approved yet, oldest first."""
    receipts = (Receipt.objects.filter(project=project, approved_at__isnull=True)
                .exclude(zone=Receipt.Zone.PENDING).select_related("item", "received_by", "inspected_by")
                .order_by("received_at", "id"))
    issues = (Issue.objects.filter(project=project, approved_at__isnull=True)
              .select_related("item", "issued_by").prefetch_related("lines__receipt").order_by("issued_at", "id"))
    return receipts, issues


def expired_batches_unflagged(*, project: Project | int, today: date) -> QuerySet[Receipt]:
    return (Receipt.objects.filter(expired_q(today), project=project, expired_flagged_at__isnull=True)
            .select_related("item").order_by("expires_on", "id"))


# ---------------------------------------------------------------- the 三级数量帐 (daily quantity ledger)
@dataclass
class LedgerRow:
    day: date
    item: Item
    opening: Decimal
    received: Decimal  # passed into stock that day (入库: after inspection, never before)
    issued: Decimal  # issued that day (销售/出库)
    closing: Decimal


def _day_start(day: date) -> datetime:
    return clock.at(day, "00:00")


class Ledger(Sequence[LedgerRow]):
    """The ledger's rows, day by day and item by item, made when read. A page (a slice) reads the movements of its
    own items only, from its first day on (an index range per item), so page 1 of a month of a 2,000-item store
    reads a hundred items' movements, not the store's; an export walks every row once from the project's grouped
    movements of the whole window. ``len()`` and slicing serve the paginators."""

    def __init__(self, days: list[date], items: list[Item], receipts: QuerySet[Receipt],
                 issues: QuerySet[Issue]) -> None:
        self.days, self.items, self.receipts, self.issues = days, items, receipts, issues

    def __len__(self) -> int:
        return len(self.days) * len(self.items)

    def _rows(self, indices: range) -> list[LedgerRow]:
        if not indices:
            return []
        width = len(self.items)
        first_day, last_day = indices[0] // width, indices[-1] // width
        touched = sorted({index % width for index in indices}) if len(indices) < width else range(width)
        window = _window(self.receipts, self.issues, [self.items[n].pk for n in touched],
                         self.days[first_day], self.days[last_day])
        rows: dict[int, LedgerRow] = {}
        stock = {self.items[n].pk: window.opening.get(self.items[n].pk, ZERO) for n in touched}
        for day_index in range(first_day, last_day + 1):
            day = self.days[day_index]
            for item_index in touched:
                item = self.items[item_index]
                row = window.row(day, item, stock[item.pk])
                stock[item.pk] = row.closing
                rows[day_index * width + item_index] = row
        return [rows[index] for index in indices]

    @overload
    def __getitem__(self, index: int) -> LedgerRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[LedgerRow]: ...

    def __getitem__(self, index: int | slice) -> LedgerRow | list[LedgerRow]:
        if isinstance(index, slice):
            indices = range(*index.indices(len(self)))
            if indices.step != 1:
                return [self[n] for n in indices]
            return self._rows(indices)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._rows(range(index, index + 1))[0]

    def __iter__(self) -> Iterator[LedgerRow]:
        if not self:
            return
        window = _window(self.receipts, self.issues, None, self.days[0], self.days[-1])
        stock = {item.pk: window.opening.get(item.pk, ZERO) for item in self.items}
        for day in self.days:
            for item in self.items:
                row = window.row(day, item, stock[item.pk])
                stock[item.pk] = row.closing
                yield row


@dataclass(frozen=True)
class _Window:
    """Per item: the stock at the start of ``first`` day, and what came in and went out on each day to the last."""

    opening: dict[int, Decimal]
    received: dict[tuple[int, date], Decimal]
    issued: dict[tuple[int, date], Decimal]

    def row(self, day: date, item: Item, opening: Decimal) -> LedgerRow:
        came = self.received.get((item.pk, day)) or ZERO
        went = self.issued.get((item.pk, day)) or ZERO
        return LedgerRow(day=day, item=item, opening=opening, received=came, issued=went,
                         closing=opening + came - went)

    def moved(self) -> set[int]:
        """The items that came in or went out on one of the days."""
        return {item_id for item_id, _day in (*self.received, *self.issued)}


def _by_day_since(queryset: QuerySet[Any], moment: str, since: datetime,
                  until: datetime) -> tuple[dict[int, Decimal], dict[tuple[int, date], Decimal]]:
    """What moved from ``since`` on, per item in all, and per item and day before ``until`` (one grouped query:
    what moved after ``until`` falls in one bucket per item, the day left empty)."""
    day = Case(When(**{f"{moment}__lt": until}, then=TruncDate(moment)), default=None, output_field=DateField())
    rows = (queryset.filter(**{f"{moment}__gte": since}).annotate(day=day).values_list("item_id", "day")
            .annotate(total=Sum("quantity")).order_by())
    in_all: dict[int, Decimal] = defaultdict(lambda: ZERO)
    per_day = {}
    for item_id, moved_on, total in rows:
        in_all[item_id] += total
        if moved_on is not None:
            per_day[(item_id, moved_on)] = total
    return in_all, per_day


def _window(receipts: QuerySet[Receipt], issues: QuerySet[Issue], item_ids: list[int] | None, first: date,
            last: date) -> _Window:
    """The opening stock of ``first`` is counted back from the books as they stand (the passed batches'
    ``remaining``: every issue takes from them) less what came in and plus what went out since: it reads the
    movements since ``first``, not every movement since the store opened (10^6 receipts: scripts/bench_modules.py).
    ``item_ids`` None: every item of the querysets (grouped over the project)."""
    if item_ids is not None:
        receipts, issues = receipts.filter(item_id__any_of=item_ids), issues.filter(item_id__any_of=item_ids)
    since, until = _day_start(first), _day_start(last + timedelta(days=1))
    book = _by_item(receipts.filter(remaining__gt=0), "remaining")
    came_in, received = _by_day_since(receipts, "inspected_at", since, until)
    went_out, issued = _by_day_since(issues, "issued_at", since, until)
    opening = {item_id: book.get(item_id, ZERO) - came_in.get(item_id, ZERO) + went_out.get(item_id, ZERO)
               for item_id in {*book, *came_in, *went_out}}
    return _Window(opening, received, issued)


def _by_item(queryset: QuerySet[Any], total: str) -> dict[int, Decimal]:
    return dict(queryset.values_list("item_id").annotate(total=Sum(total)).order_by())


def ledger(*, project: Project | int, start: date, end: date, item: Item | None = None) -> Ledger:
    """seeds/000_d44081c6db2527f0.txt:33 篇1 三、1: 填写“三级数量帐记录”，每日定期准确计算库存量、销售量、进货量 — per item
    and day from ``start`` to ``end``: the stock at the start of the day, what came into stock (passed inspection),
    what was issued, the stock at the end. The active items are shown, and an item no longer active while it had
    stock or moved in the window. A constant number of grouped queries whatever the number of days and items."""
    items = Item.objects.filter(project=project)
    receipts = Receipt.objects.filter(project=project, zone=Receipt.Zone.PASSED)
    issues = Issue.objects.filter(project=project)
    if item is not None:
        items = items.filter(pk=item.pk)
    every = list(items.order_by("code", "id"))
    retired = [each.pk for each in every if not each.active]
    if retired:
        window = _window(receipts, issues, retired, start, end)
        kept = {item_id for item_id in retired if window.opening.get(item_id)} | window.moved()
        every = [each for each in every if each.active or each.pk in kept]
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return Ledger(days, every, receipts, issues)


# ---------------------------------------------------------------- KPI figures
def count_accuracy_by_person(*, project: Project | int, start: datetime, end: datetime,
                             people: list[int]) -> dict[int, tuple[int, int]]:
    """{user id: (stocktakes, stocktakes whose count matched the books)} of ``people`` in [start, end)."""
    rows = (StockCount.objects.filter(project=project, counted_at__gte=start, counted_at__lt=end,
                                      counted_by__in=people)
            .values_list("counted_by").annotate(total=Count("id"), matched=Count("id", filter=Q(difference=0)))
            .order_by())
    return {user_id: (total, matched) for user_id, total, matched in rows}
