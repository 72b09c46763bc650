"""Stores (仓库): one module for a supermarket's warehouse and a property's supplies.

An ``Item`` (物料/商品) has a unit, a fixed bin, a safety stock and a shelf life. Every delivery is a ``Receipt``: a
batch that lands in the pending zone (待检区) and is inspected into the passed (合格区) or rejected zone (不合格区)
(seeds/002_59da8478c28f7f86.txt:790 收料区需区分三个区域; :810 进料待验区/进料合格区/进料验退区). Only passed batches are
stock: an ``Issue`` takes them first in, first out (:848 发料必须以先进先出为原则), never an expired one
(seeds/000_d44081c6db2527f0.txt:11 先进先出，并检查保质期), and its ``IssueLine`` rows say which batch gave how much.
A ``StockCount`` (盘点) records the book quantity, the counted one and the difference (000:156 每星期必须把在库货物
盘点一次，做到帐实相符). Receipts and issues are the in/out slips (入库单/出库单) a manager signs off (002:878).

Quantities are decimals with three places (items may be weighed in kg)."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

USER = settings.AUTH_USER_MODEL


def quantity_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=3, **kwargs)


class Item(models.Model):
    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="stock_items",
                                verbose_name=_("project"))
    code = models.CharField(_("item code"), max_length=40)
    name = models.CharField(_("item name"), max_length=100)
    unit = models.CharField(_("unit of measure"), max_length=20)
    # seeds/002_59da8478c28f7f86.txt:752 每一种物料都有一固定储位，并依储位来放置物料: one bin per item, no bin shared
    bin = models.CharField(_("fixed bin"), max_length=40, blank=True)
    # 002:874 对于常用的产品进行安全库存登记，若产品数量一旦出现紧缺立即向上级汇报
    safety_stock = quantity_field(_("safety stock"), default=0)
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    active = models.BooleanField(pgettext_lazy("stock", "active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="stock_item_code_unique_in_project"),
            models.UniqueConstraint(fields=["project", "bin"], condition=~Q(bin=""), name="stock_item_bin_unique"),
            models.CheckConstraint(condition=Q(safety_stock__gte=0), name="stock_item_safety_stock_not_negative"),
        ]
        verbose_name = _("stock item")
        verbose_name_plural = _("stock items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Receipt(models.Model):
    """One delivery of one item: a batch (入库单). ``remaining`` is what is left of a passed batch to issue."""

    class Zone(models.TextChoices):
        PENDING = "pending", _("pending inspection")
        PASSED = "passed", _("passed")
        REJECTED = "rejected", _("rejected")

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="stock_receipts",
                                verbose_name=_("project"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("item"))
    batch = models.CharField(_("batch"), max_length=60)
    quantity = quantity_field(_("quantity"))
    remaining = quantity_field(pgettext_lazy("stock", "remaining"), default=0)
    supplier = models.CharField(_("supplier"), max_length=100, blank=True)
    produced_on = models.DateField(_("production date"), null=True, blank=True)
    # the first day the batch may no longer be used; empty: it does not expire
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    zone = models.CharField(_("zone"), max_length=10, choices=Zone.choices, default=Zone.PENDING)
    received_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=pgettext_lazy("stock", "received by"))
    received_at = models.DateTimeField(pgettext_lazy("stock", "received at"))
    inspected_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("inspected by"))
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    inspection_note = models.CharField(_("inspection note"), max_length=200, blank=True)
    # set by the daily expiry sweep when a passed batch with stock left reaches its expiry date
    expired_flagged_at = models.DateTimeField(_("flagged as expired at"), null=True, blank=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["item", "zone", "received_at"], name="stock_receipt_fifo"),
                   models.Index(fields=["project", "zone", "received_at"], name="stock_receipt_zone"),
                   # the lists, newest first; the ledger's receipts into stock by time; the slips not yet signed
                   models.Index(fields=["project", "-received_at", "-id"], name="stock_receipt_recent"),
                   models.Index(fields=["project", "inspected_at"], condition=Q(zone="passed"),
                                name="stock_receipt_passed_at"),
                   models.Index(fields=["project", "received_at"], condition=Q(approved_at__isnull=True),
                                name="stock_receipt_to_approve"),
                   # a ledger page: its items' receipts into stock from its first day on
                   models.Index(fields=["item", "inspected_at"], condition=Q(zone="passed"),
                                name="stock_receipt_item_passed_at"),
                   # the batches that hold stock or wait for inspection: what the levels and the books read (a few
                   # per item, where an old store has thousands of batches issued long ago)
                   models.Index(fields=["item"], condition=Q(remaining__gt=0) | Q(zone="pending"),
                                name="stock_receipt_stocked")]
        constraints = [
            models.UniqueConstraint(fields=["item", "batch"], name="stock_receipt_batch_unique_per_item"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="stock_receipt_quantity_positive"),
            models.CheckConstraint(condition=Q(remaining__gte=0) & Q(remaining__lte=F("quantity")),
                                   name="stock_receipt_remaining_within_quantity"),
        ]
        verbose_name = pgettext_lazy("stock", "receipt")
        verbose_name_plural = pgettext_lazy("stock", "receipts")

    def __str__(self) -> str:
        return f"{self.item.code} {self.batch}"


class Issue(models.Model):
    """Goods out (出库单): to a shelf, a department, a person."""

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="stock_issues",
                                verbose_name=_("project"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="issues", verbose_name=_("item"))
    quantity = quantity_field(_("quantity"))
    to = models.CharField(_("issued to"), max_length=100)
    note = models.CharField(_("note"), max_length=200, blank=True)
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=pgettext_lazy("stock", "issued by"))
    issued_at = models.DateTimeField(pgettext_lazy("stock", "issued at"))
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["project", "issued_at"], name="stock_issue_project_time"),
                   models.Index(fields=["item", "issued_at"], name="stock_issue_item_time"),  # a ledger page's items
                   models.Index(fields=["project", "issued_at"], condition=Q(approved_at__isnull=True),
                                name="stock_issue_to_approve")]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="stock_issue_quantity_positive")]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")

    def __str__(self) -> str:
        return f"{self.item.code} → {self.to}"


class IssueLine(models.Model):
    """How much one batch gave to one issue."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="lines", verbose_name=_("issue"))
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="issue_lines",
                                verbose_name=_("batch"))
    quantity = quantity_field(_("quantity"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["issue_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="stock_issue_line_quantity_positive")]
        verbose_name = _("issue line")
        verbose_name_plural = _("issue lines")

    def __str__(self) -> str:
        return f"{self.receipt.batch} × {self.quantity}"


class StockCount(models.Model):
    """A stocktake of one item (盘点): the book quantity in the passed zone, what was counted, the difference
    (counted − book: positive a surplus 盘盈, negative a loss 盘亏). It records; it does not change the books."""

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="stock_counts",
                                verbose_name=_("project"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="counts", verbose_name=_("item"))
    book = quantity_field(_("book quantity"))
    counted = quantity_field(_("counted quantity"))
    difference = quantity_field(_("difference"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    counted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("counted by"))
    counted_at = models.DateTimeField(_("counted at"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-counted_at", "-id"]
        indexes = [models.Index(fields=["project", "counted_at"], name="stock_count_project_time")]
        constraints = [models.CheckConstraint(condition=Q(counted__gte=0), name="stock_count_counted_not_negative")]
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")

    def __str__(self) -> str:
        return f"{self.item.code} {self.counted}"
