"""Writes of the stores: keyword-only functions, one verb each, each in one transaction with its history.

The web edge has checked the permission and the project (docs/architecture.md "Where permission checks live"); these
check the input (400), the state of the row they lock (409) and the stock itself."""
import logging
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.errors import BusinessRuleError, StateConflict
from dutydesk.inbox.models import Task
from dutydesk.inbox.services import task_create_once, tasks_create_once
from dutydesk.org.models import Post
from dutydesk.stock import selectors
from dutydesk.stock.models import Issue, IssueLine, Item, Receipt, StockCount

log = logging.getLogger(__name__)
MAX_QUANTITY = Decimal("999999999.999")
THOUSANDTH = Decimal("0.001")
KEEPER_PERMISSION = "stock.manage"  # the keeper's post: keeps the item list and gets the stores' alerts
# seeds/002_59da8478c28f7f86.txt:874 若产品数量一旦出现紧缺立即向上级汇报并与业务主办及时补货: due within two hours
SHORTAGE_DUE = timedelta(hours=2)
INSPECTION_RESULTS = {"passed": Receipt.Zone.PASSED, "rejected": Receipt.Zone.REJECTED}


def parse_quantity(value: Decimal | int | str | None, field: str, *, allow_zero: bool = False) -> Decimal:
    """A quantity from input: a finite decimal with at most three places, > 0 (≥ 0 with ``allow_zero``)."""
    try:
        quantity = Decimal(str(value).strip()) if value is not None else None
    except (InvalidOperation, ValueError):
        quantity = None
    if quantity is None or not quantity.is_finite():
        raise BusinessRuleError({field: [_("Enter a number.")]})
    if abs(quantity) > MAX_QUANTITY:
        raise BusinessRuleError({field: [_("The quantity is too large.")]})
    if quantity != quantity.quantize(THOUSANDTH):
        raise BusinessRuleError({field: [_("Use at most three decimal places.")]})
    if quantity < 0 or (quantity == 0 and not allow_zero):
        raise BusinessRuleError({field: [_("Enter a quantity greater than zero.") if not allow_zero
                                         else _("Enter zero or more.")]})
    return quantity.quantize(THOUSANDTH)


def _item_of(project: Project, item: Item) -> Item:
    if item.project_id != project.pk:
        raise BusinessRuleError({"item": [_("Unknown item.")]})
    return item


# ---------------------------------------------------------------- items
@transaction.atomic
def item_save(*, project: Project, code: str, name: str, unit: str, safety_stock: Decimal | int | str = 0,
              shelf_life_days: int | None = None, bin: str = "", active: bool = True, item: Item | None = None) -> Item:
    """Create an item, or change ``item``. A bin holds one item (seeds/002_59da8478c28f7f86.txt:752 每一种物料都有一
    固定储位)."""
    code, name, unit, bin = code.strip(), name.strip(), unit.strip(), bin.strip()
    errors: dict[str, list[str]] = {}
    for field, value in (("code", code), ("name", name), ("unit", unit)):
        if not value:
            errors[field] = [_("This field is required.")]
    others = Item.objects.filter(project=project)
    if item is not None:
        others = others.exclude(pk=item.pk)
    if code and others.filter(code=code).exists():
        errors["code"] = [_("Another item of the project has this code.")]
    holder = others.filter(bin=bin).first() if bin else None
    if holder is not None:
        errors["bin"] = [_("Bin %(bin)s already holds %(item)s: each item has its own fixed bin.")
                         % {"bin": bin, "item": holder}]
    try:
        safety = parse_quantity(safety_stock, "safety_stock", allow_zero=True)
    except BusinessRuleError as exc:
        errors.update(exc.errors)
        safety = Decimal(0)
    if shelf_life_days is not None and shelf_life_days <= 0:
        errors["shelf_life_days"] = [_("Enter a number of days greater than zero, or leave it empty.")]
    if errors:
        raise BusinessRuleError(errors)
    item = item if item is not None else Item(project=project)
    if item.pk is not None:
        item = Item.objects.select_for_update().get(pk=item.pk)
    item.code, item.name, item.unit, item.bin = code, name, unit, bin
    item.safety_stock, item.shelf_life_days, item.active = safety, shelf_life_days, active
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # another clerk took the code or the bin in the meantime
        raise BusinessRuleError({"code": [_("Another item of the project has this code or bin.")]}) from None
    return item


# ---------------------------------------------------------------- receiving and inspection
def _expiry(item: Item, expires_on: date | None, produced_on: date | None, today: date) -> date | None:
    if produced_on is not None and produced_on > today:
        raise BusinessRuleError({"produced_on": [_("The production date is in the future.")]})
    if expires_on is not None:
        return expires_on
    if item.shelf_life_days:
        if produced_on is None:
            raise BusinessRuleError({"expires_on": [
                _("%(item)s has a shelf life: give the expiry date or the production date.") % {"item": item.name}]})
        return produced_on + timedelta(days=item.shelf_life_days)
    return None


@transaction.atomic
def receipt_record(*, project: Project, item: Item, quantity: Decimal | int | str, received_by: User,
                   batch: str = "", expires_on: date | None = None, produced_on: date | None = None,
                   supplier: str = "") -> Receipt:
    """Goods received land in the pending zone (待检区), never straight in stock (seeds/002_59da8478c28f7f86.txt:882
    产品必须经过检验合格后方可办理入库手续，严禁先入库后检验). Without an expiry date, one is worked out from the
    production date and the item's shelf life."""
    _item_of(project, item)
    if not item.active:
        raise BusinessRuleError({"item": [_("This item is no longer kept.")]})
    amount = parse_quantity(quantity, "quantity")
    now = clock.now()
    today = clock.today()
    expiry = _expiry(item, expires_on, produced_on, today)
    batch = batch.strip()
    if batch and Receipt.objects.filter(item=item, batch=batch).exists():
        raise BusinessRuleError({"batch": [_("Batch %(batch)s of this item was already received.") % {"batch": batch}]})
    receipt = Receipt(project=project, item=item, quantity=amount, remaining=0, supplier=supplier.strip(),
                      produced_on=produced_on, expires_on=expiry, received_by=received_by, received_at=now,
                      batch=batch or f"{today:%Y%m%d}-{now:%H%M%S%f}")
    try:
        with transaction.atomic():
            receipt.save()
    except IntegrityError:
        raise BusinessRuleError({"batch": [_("Batch %(batch)s of this item was already received.")
                                           % {"batch": receipt.batch}]}) from None
    if not batch:  # numbered after the receipt: the day and the receipt's number, readable on the box
        receipt.batch = f"{today:%Y%m%d}-{receipt.pk}"
        receipt.save(update_fields=["batch"])
    return receipt


@transaction.atomic
def receipt_inspect(*, receipt: Receipt, result: str, inspected_by: User, note: str = "") -> Receipt:
    """Move a pending batch to the passed zone (合格区: it becomes stock) or the rejected zone (不合格区: it waits for
    the supplier) — seeds/002_59da8478c28f7f86.txt:810. Once only: an inspected batch → 409."""
    if result not in INSPECTION_RESULTS:
        raise BusinessRuleError({"result": [_("Choose passed or rejected.")]})
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.zone != Receipt.Zone.PENDING:
        raise StateConflict(_("Batch %(batch)s was already inspected: %(zone)s.")
                            % {"batch": receipt.batch, "zone": receipt.get_zone_display()})
    receipt.zone = INSPECTION_RESULTS[result]
    receipt.remaining = receipt.quantity if receipt.zone == Receipt.Zone.PASSED else Decimal(0)
    receipt.inspected_by, receipt.inspected_at, receipt.inspection_note = inspected_by, clock.now(), note.strip()[:200]
    receipt.save()
    return receipt


# ---------------------------------------------------------------- issue (FIFO)
@transaction.atomic
def issue_record(*, project: Project, item: Item, quantity: Decimal | int | str, to: str, issued_by: User,
                 note: str = "") -> Issue:
    """Issue ``quantity`` of ``item`` from passed, unexpired batches, oldest receipt first
    (seeds/002_59da8478c28f7f86.txt:848 发料必须以先进先出为原则; seeds/000_d44081c6db2527f0.txt:11 先进先出，并检查保质期).
    The batches are locked in FIFO order, so two issues at once queue on them and never take the same quantity
    twice; more than is available → 400 on ``quantity`` and nothing changes."""
    _item_of(project, item)
    amount = parse_quantity(quantity, "quantity")
    to = to.strip()
    if not to:
        raise BusinessRuleError({"to": [_("Say whom or where the goods go to.")]})
    today = clock.today()
    batches = list(selectors.fifo_batches(item=item, today=today).select_for_update())
    available = sum((batch.remaining for batch in batches), Decimal(0))
    if amount > available:
        raise BusinessRuleError({"quantity": [
            _("Only %(available)s %(unit)s of %(item)s can be issued (passed and not expired).")
            % {"available": quantity_text(available), "unit": item.unit, "item": item.name}]})
    issue = Issue.objects.create(project=project, item=item, quantity=amount, to=to[:100], note=note.strip()[:200],
                                 issued_by=issued_by, issued_at=clock.now())
    left = amount
    for batch in batches:
        if left <= 0:
            break
        taken = min(batch.remaining, left)
        batch.remaining -= taken
        batch.save(update_fields=["remaining"])
        IssueLine.objects.create(issue=issue, receipt=batch, quantity=taken)
        left -= taken
    safety_check(item=item, today=today)
    return issue


# ---------------------------------------------------------------- stocktake
@transaction.atomic
def count_record(*, project: Project, item: Item, counted: Decimal | int | str, counted_by: User,
                 note: str = "") -> StockCount:
    """A stocktake of one item (seeds/000_d44081c6db2527f0.txt:156 每星期必须把在库货物盘点一次，做到帐实相符): the
    book quantity of the passed zone, the count and the difference. The books are not changed by it."""
    _item_of(project, item)
    amount = parse_quantity(counted, "counted", allow_zero=True)
    # the item's batches locked: the book is what it is while the count is written
    list(Receipt.objects.filter(item=item, zone=Receipt.Zone.PASSED).select_for_update().values_list("pk"))
    book = selectors.book_quantity(item=item)
    return StockCount.objects.create(project=project, item=item, book=book, counted=amount, difference=amount - book,
                                     note=note.strip()[:200], counted_by=counted_by, counted_at=clock.now())


# ---------------------------------------------------------------- slips approved (入库单/出库单)
@transaction.atomic
def slip_approve(*, slip: Receipt | Issue, approved_by: User) -> Receipt | Issue:
    """seeds/002_59da8478c28f7f86.txt:878 进、出库时，《入库单》、《出库单》都必须经总经理签字生效: a receiving slip once it is
    inspected, an issue slip at any time; once only (409)."""
    model = type(slip)
    slip = model.objects.select_for_update().get(pk=slip.pk)
    if slip.approved_at is not None:
        raise StateConflict(_("This slip was already approved."))
    if isinstance(slip, Receipt) and slip.zone == Receipt.Zone.PENDING:
        raise StateConflict(_("Inspect the batch before the receiving slip is approved."))
    slip.approved_by, slip.approved_at = approved_by, clock.now()
    slip.save(update_fields=["approved_by", "approved_at"])
    return slip


# ---------------------------------------------------------------- alerts for the keeper
def keeper_post(project: Project | int) -> Post | None:
    """The post that keeps the store in ``project``: the first (by catalogue order) held there that grants
    ``stock.manage``."""
    posts = (Post.objects.filter(holdings__project=project, holdings__active=True).distinct()
             .order_by("catalog_id", "position", "pk"))
    return next((post for post in posts if KEEPER_PERMISSION in (post.permissions or [])), None)


def _levels_url(project_id: int) -> str:
    return f"{reverse('stock:levels')}?project={project_id}"


def _shortage_task(item: Item, available: Decimal, today: date, now: datetime) -> dict[str, Any]:
    return {"source": "stock.below_safety", "source_key": f"stock:below-safety:{item.pk}:{today:%Y-%m-%d}",
            "due_at": now + SHORTAGE_DUE, "url": _levels_url(item.project_id),
            "title": _("Below safety stock: %(item)s has %(available)s %(unit)s (safety stock %(safety)s)") % {
                "item": item.name, "available": quantity_text(available), "unit": item.unit,
                "safety": quantity_text(item.safety_stock)},
            "description": _("Report the shortage to your supervisor and arrange the replenishment.")}


def _no_keeper(project_id: int, items: str) -> None:
    log.warning("no post with %s held in project %s: %s below safety stock not alerted", KEEPER_PERMISSION,
                project_id, items)


def safety_check(*, item: Item, today: date | None = None) -> tuple[Task | None, bool]:
    """Below safety stock → a task for the keeper's post, once per item and day (seeds/002_59da8478c28f7f86.txt:874
    对于常用的产品进行安全库存登记，若产品数量一旦出现紧缺立即向上级汇报). Returns ``(task or None, created)``."""
    today = today or clock.today()
    if item.safety_stock <= 0:
        return None, False
    available = selectors.available_quantity(item=item, today=today)
    if available >= item.safety_stock:
        return None, False
    post = keeper_post(item.project_id)
    if post is None:
        _no_keeper(item.project_id, item.code)
        return None, False
    return task_create_once(post=post, project=item.project_id, **_shortage_task(item, available, today, clock.now()))


def safety_alerts(*, project: Project, today: date | None = None) -> int:
    """``safety_check`` for every active item of ``project`` at once (the daily check): the items below their safety
    stock are found in one grouped query and each gets its task of the day unless it has it. Returns how many tasks
    were created."""
    today = today or clock.today()
    below = list(selectors.below_safety_items(project=project, today=today))
    if not below:
        return 0
    post = keeper_post(project)
    if post is None:
        _no_keeper(project.pk, ", ".join(item.code for item in below))
        return 0
    now = clock.now()
    # on_hand: an annotation of selectors.levels(), unknown to the stubs
    return tasks_create_once([Task(post=post, project=project, **_shortage_task(
        item, item.on_hand, today, now)) for item in below])  # type: ignore[attr-defined]


@transaction.atomic
def expired_flag(*, project: Project | int, today: date | None = None) -> int:
    """Flag the passed batches with stock left whose expiry date has come, each with a task for the keeper's post to
    take it out of the passed zone (they are never issued either way). Idempotent and set-based (one query finds the
    batches, one bulk update flags them, the tasks go in at once): returns how many were flagged."""
    today = today or clock.today()
    batches = list(selectors.expired_batches_unflagged(project=project, today=today).select_for_update(of=("self",)))
    if not batches:
        return 0
    post = keeper_post(project)
    now = clock.now()
    for batch in batches:
        batch.expired_flagged_at = now
    bulk_update_with_history(batches, Receipt, ["expired_flagged_at"])
    if post is not None:
        tasks_create_once([Task(
            source="stock.expired", source_key=f"stock:expired:{batch.pk}", post=post, project_id=batch.project_id,
            due_at=now + SHORTAGE_DUE, url=_levels_url(batch.project_id),
            title=_("Expired: %(item)s batch %(batch)s, %(left)s %(unit)s left (expired on %(date)s)") % {
                "item": batch.item.name, "batch": batch.batch, "left": quantity_text(batch.remaining),
                "unit": batch.item.unit, "date": batch.expires_on},
            description=_("Take the batch out of the passed zone; it is no longer issued.")) for batch in batches])
    return len(batches)


def quantity_text(value: Decimal | int | None) -> str:
    """A quantity as people write it: 12, 12.5, 0.125 (no trailing zeros)."""
    if value is None:
        return ""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text

