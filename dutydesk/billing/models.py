"""Billing. ``OneOffCharge`` is the hand-over point from other modules: a paid service
(有偿服务) recorded on a repair work order becomes a receivable for the unit here, and the next
bill run puts it on the unit's bill."""
from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from dutydesk.archive.places import PLACE_FIELDS, AtItsUnitsPlace
from dutydesk.core.choices import ChoiceLabels


class OneOffCharge(models.Model):
    project = models.ForeignKey("archive.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="one_off_charges")
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="one_off_charges",
                             verbose_name=_("unit"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    description = models.CharField(_("description"), max_length=200)
    source = models.CharField(_("source"), max_length=30, default="repair")  # e.g. "repair"
    source_id = models.BigIntegerField(_("source record"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    billed_at = models.DateTimeField(_("billed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="one_off_charge_positive")]
        verbose_name = _("one-off charge")
        verbose_name_plural = _("one-off charges")

    def __str__(self):
        return f"{self.unit} {self.description} {self.amount}"


class _MoneyField(TypedDict):
    max_digits: int
    decimal_places: int


# a TypedDict so that the type checker sees the keywords of ``DecimalField(**MONEY)``
MONEY: _MoneyField = {"max_digits": 12, "decimal_places": 2}
PERIOD_VALIDATOR = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Use the form YYYY-MM."))


class BillingPolicy(models.Model):
    """Per-project billing settings: the due day of a period's bills and the late-fee rule
    (滞纳金, off by default)."""

    project = models.OneToOneField("archive.Project", verbose_name=_("project"), on_delete=models.CASCADE,
                                   related_name="billing_policy")
    # bills are issued in advance for the period month and fall due on this day of it
    due_day = models.PositiveSmallIntegerField(_("due day of the period month"), default=15,
                                               validators=[MinValueValidator(1), MaxValueValidator(28)])
    late_fee_enabled = models.BooleanField(_("charge late fees"), default=False)
    late_fee_daily_rate = models.DecimalField(_("late fee per day (fraction of the balance)"), max_digits=8,
                                              decimal_places=6, default=Decimal("0.000500"))
    late_fee_grace_days = models.PositiveSmallIntegerField(_("grace days after the due date"), default=0)
    late_fee_cap_percent = models.PositiveSmallIntegerField(_("late fee cap (percent of the balance)"), default=100)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(late_fee_daily_rate__gte=0) & Q(late_fee_daily_rate__lte=Decimal("0.01")),
                                   name="billing_policy_rate_range"),
        ]
        verbose_name = _("billing policy")
        verbose_name_plural = _("billing policies")


class ChargeItem(models.Model):
    """A fee the project charges (收费项目)."""

    class Basis(models.TextChoices):
        PER_M2 = "per_m2", _("per m² of the unit per month")
        PER_UNIT = "per_unit", _("per unit per month × quantity")
        FIXED = "fixed", _("fixed amount per unit per month")
        PER_SPACE = "per_space", _("per parking space of the unit per month")
        METERED = "metered", _("metered (meter readings)")

    class Kind(models.TextChoices):
        MANAGEMENT = "management", _("management fee")
        WATER = "water", _("water")
        ELECTRICITY = "electricity", _("electricity")
        PARKING = "parking", _("parking")
        RENT = "rent", _("rent")
        OTHER = "other", _("other")

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="charge_items",
                                verbose_name=_("project"))
    code = models.SlugField(pgettext_lazy("billing", "code"), max_length=40)
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="charge_item_code_unique_in_project"),
            models.CheckConstraint(condition=Q(unit_price__gte=0) & Q(unit_price__lt=100000), name="charge_item_price_range"),
        ]
        verbose_name = _("charge item")
        verbose_name_plural = _("charge items")

    def __str__(self):
        return self.name


class ChargeTier(models.Model):
    """A price tier of a metered item (阶梯价): usage above ``from_qty`` up to ``up_to``
    (null = no upper bound) costs ``price``."""

    item = models.ForeignKey(ChargeItem, verbose_name=pgettext_lazy("billing", "item"), on_delete=models.CASCADE,
                             related_name="tiers")
    position = models.PositiveSmallIntegerField(_("position"))
    from_qty = models.DecimalField(_("from qty"), max_digits=12, decimal_places=2)
    up_to = models.DecimalField(_("up to"), max_digits=12, decimal_places=2, null=True, blank=True)
    price = models.DecimalField(_("price"), **MONEY)

    class Meta:
        ordering = ["item_id", "position"]
        constraints = [models.UniqueConstraint(fields=["item", "position"], name="charge_tier_position_unique")]
        verbose_name = _("charge tier")
        verbose_name_plural = _("charge tiers")


class UnitCharge(models.Model):
    """An item that applies to a unit from ``start`` to ``end`` (inclusive, null = open)."""

    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="charges", verbose_name=pgettext_lazy("billing", "unit"))
    item = models.ForeignKey(ChargeItem, on_delete=models.PROTECT, related_name="unit_charges",
                             verbose_name=_("charge item"))
    start = models.DateField(pgettext_lazy("billing", "from"))
    end = models.DateField(_("until"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=Decimal("1"))
    unit_price = models.DecimalField(_("price for this unit (overrides the item)"), null=True, blank=True, **MONEY)
    vacant_discount_percent = models.PositiveSmallIntegerField(_("discount while vacant (%)"), default=0,
                                                               validators=[MaxValueValidator(100)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit_id", "item_id", "start"]
        indexes = [models.Index(fields=["item", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="unit_charge_dates_ordered"),
            models.CheckConstraint(condition=Q(vacant_discount_percent__lte=100), name="unit_charge_discount_range"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="unit_charge_quantity_positive"),
        ]
        verbose_name = _("unit charge")
        verbose_name_plural = _("unit charges")


class MeterReading(models.Model):
    """A meter reading of a unit for a metered item and period; ``usage`` is the difference to
    the previous reading (the first reading of a meter is its baseline: usage 0)."""

    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="meter_readings",
                             verbose_name=pgettext_lazy("billing", "unit"))
    item = models.ForeignKey(ChargeItem, on_delete=models.PROTECT, related_name="readings", verbose_name=_("charge item"))
    period = models.CharField(_("period"), max_length=7, validators=[PERIOD_VALIDATOR])
    reading = models.DecimalField(_("reading"), max_digits=12, decimal_places=2)
    usage = models.DecimalField(_("usage"), max_digits=12, decimal_places=2)
    flagged = models.BooleanField(_("unusual jump, confirmed"), default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit_id", "item_id", "period"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "item", "period"], name="meter_reading_unique_per_period"),
            models.CheckConstraint(condition=Q(usage__gte=0) & Q(reading__gte=0), name="meter_reading_not_negative"),
        ]
        indexes = [models.Index(fields=["item", "period"])]
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")


class BillRun(models.Model):
    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="bill_runs",
                                verbose_name=_("project"))
    period = models.CharField(_("period"), max_length=7, validators=[PERIOD_VALIDATOR])
    bills_created = models.PositiveIntegerField(_("bills"), default=0)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=Decimal("0"))
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("run by"))
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        ordering = ["-period", "project_id"]
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="bill_run_unique_per_period")]
        verbose_name = _("bill run")
        verbose_name_plural = _("bill runs")

    def __str__(self):
        return f"{self.project} {self.period}"


class Bill(ChoiceLabels, AtItsUnitsPlace, models.Model):
    """A unit's bill for a period. ``amount`` is always the sum of its lines; after the run it
    changes only by appended adjustment lines. ``paid`` moves with payments, reversals and
    applied credit. ``building`` and ``floor``: where the unit is (``archive.places``), so that a month's collection
    by building or by floor is read off the bills' own index; the bill run writes them."""

    class Status(models.TextChoices):
        OPEN = "open", _("unpaid")
        PARTIAL = "partial", _("partly paid")
        PAID = "paid", _("paid")

    # no single-column indexes on project and unit: (project, period) and (unit, period) cover them
    project = models.ForeignKey("archive.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="bills", db_index=False)
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="bills", verbose_name=pgettext_lazy("billing", "unit"),
                             db_index=False)
    run = models.ForeignKey(BillRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="bills")
    period = models.CharField(_("period"), max_length=7)
    amount = models.DecimalField(_("amount"), **MONEY)
    paid = models.DecimalField(_("paid"), default=Decimal("0"), **MONEY)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    due_date = models.DateField(_("due date"))
    created_at = models.DateTimeField(_("created at"))
    history = HistoricalRecords(excluded_fields=PLACE_FIELDS)

    class Meta:
        ordering = ["-period", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="bill_unique_per_unit_period"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="bill_amount_not_negative"),
            models.CheckConstraint(condition=Q(paid__gte=0) & Q(paid__lte=models.F("amount")), name="bill_paid_within_amount"),
        ]
        # a project's month of bills, carrying what its collection rate adds up (receivable, received): the home
        # page's and the billing page's rate is read off the index alone, not off bills scattered over the table
        # (15,200 bills of a month lay on 7,400 pages: 17 ms a project, five projects on a group manager's home);
        # and by building and floor (a floor butler's rate, a building's row of the dashboard): the month's 60,000
        # (building, floor) cells of 600,000 bills come off it already in order, grouped as they are read
        indexes = [models.Index(fields=["project", "period", "building", "floor"], include=["amount", "paid"],
                                name="bill_month_by_floor"),
                   models.Index(fields=["project", "due_date"]),
                   # the bills still owing, by due date and unit: how many households are in arrears is read off
                   # this index alone (600,000 units, 270,000 owing bills: 488 ms grouped and joined, 55 ms here)
                   models.Index(fields=["project", "due_date", "unit"], name="bill_owing_by_due",
                                condition=Q(paid__lt=models.F("amount"))),
                   # the same bills by unit: a floor butler's households in arrears (3,800 units) probe the owing
                   # bills alone, not every month's bill of each unit (three months: 11,400 bills read for none)
                   models.Index(fields=["unit", "due_date"], name="bill_owing_by_unit",
                                condition=Q(paid__lt=models.F("amount")))]
        verbose_name = _("bill")
        verbose_name_plural = _("bills")

    def __str__(self):
        return f"{self.unit} {self.period}"

    @property
    def balance(self):
        return self.amount - self.paid


class BillLine(models.Model):
    class Kind(models.TextChoices):
        CHARGE = "charge", _("charge")
        METERED = "metered", _("metered")
        ONE_OFF = "one_off", _("one-off service")
        LATE_FEE = "late_fee", _("late fee")
        ADJUSTMENT = "adjustment", _("adjustment")

    bill = models.ForeignKey(Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    item = models.ForeignKey(ChargeItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("charge item"), db_index=False)
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    days = models.PositiveSmallIntegerField(_("days billed"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    source_id = models.BigIntegerField(_("source id"), null=True, blank=True)  # OneOffCharge / LateFee / Adjustment id

    class Meta:
        ordering = ["bill_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0) | Q(kind="adjustment"), name="bill_line_not_negative"),
        ]
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")


class Adjustment(models.Model):
    """A correction after the run: a debit (+) or credit (−) appended to the bill as a line."""

    bill = models.ForeignKey(Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="adjustments")
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="adjustment_not_zero")]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")


class UnitCredit(models.Model):
    """Prepaid money held for a unit (预存款); the bill run applies it to the unit's new bills.
    ``balance`` is the sum of the unit's ``CreditEntry`` rows, kept here so that it can be locked."""

    unit = models.OneToOneField("archive.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="credit")
    balance = models.DecimalField(_("credit"), default=Decimal("0"), **MONEY)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="unit_credit_not_negative")]
        verbose_name = _("unit credit")
        verbose_name_plural = _("unit credits")


class Payment(models.Model):
    """Money received. Never edited or deleted: a mistake is corrected by a ``PaymentReversal``."""

    class Method(models.TextChoices):
        CASH = "cash", _("cash")
        BANK = "bank", _("bank card")
        WECHAT = "wechat", _("WeChat Pay")
        ALIPAY = "alipay", _("Alipay")
        TRANSFER = "transfer", _("bank transfer")
        COLLECTION = "collection", _("bank collection (托收)")

    project = models.ForeignKey("archive.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="payments")
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="payments", verbose_name=pgettext_lazy("billing", "unit"))
    bill = models.ForeignKey(Bill, null=True, blank=True, on_delete=models.PROTECT, related_name="payments",
                             verbose_name=_("bill"))
    amount = models.DecimalField(_("amount"), **MONEY)
    applied = models.DecimalField(_("applied to the bill"), **MONEY)
    credited = models.DecimalField(_("held as credit"), default=Decimal("0"), **MONEY)
    method = models.CharField(pgettext_lazy("billing", "method"), max_length=10, choices=Method.choices)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("received by"))
    received_at = models.DateTimeField(pgettext_lazy("billing", "received at"))

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0) & Q(applied__gte=0) & Q(credited__gte=0),
                                   name="payment_amounts_positive"),
            models.CheckConstraint(condition=Q(amount=models.F("applied") + models.F("credited")),
                                   name="payment_amount_split"),
        ]
        indexes = [models.Index(fields=["project", "received_at"]), models.Index(fields=["received_by", "received_at"])]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self):
        return f"{self.unit} {self.amount}"


class PaymentReversal(models.Model):
    payment = models.OneToOneField(Payment, verbose_name=_("payment"), on_delete=models.PROTECT,
                                   related_name="reversal")
    reason = models.CharField(_("reason"), max_length=200)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reversed by"), on_delete=models.PROTECT,
                                    related_name="+")
    reversed_at = models.DateTimeField(_("reversed at"))

    class Meta:
        verbose_name = _("payment reversal")
        verbose_name_plural = _("payment reversals")


class CreditEntry(models.Model):
    """The ledger behind ``UnitCredit``: + prepaid, − applied to a bill or reversed."""

    class Kind(models.TextChoices):
        PREPAID = "prepaid", _("prepaid")
        APPLIED = "applied", _("applied to a bill")
        REVERSED = "reversed", _("payment reversed")

    unit = models.ForeignKey("archive.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="credit_entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    payment = models.ForeignKey(Payment, verbose_name=_("payment"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    bill = models.ForeignKey(Bill, verbose_name=_("bill"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="credit_entries")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["unit_id", "id"]
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit entries")


class ReceiptCounter(models.Model):
    """The last receipt number of a project; locked in the payment transaction so numbers are
    gapless and never repeat, whatever the concurrency."""

    project = models.OneToOneField("archive.Project", verbose_name=_("project"), on_delete=models.CASCADE,
                                   related_name="receipt_counter")
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")


class Receipt(models.Model):
    project = models.ForeignKey("archive.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="receipts")
    number = models.PositiveIntegerField(_("receipt number"))
    payment = models.OneToOneField(Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="receipt")
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        ordering = ["project_id", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="receipt_number_unique_in_project")]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    @property
    def label(self):
        return f"{self.number:08d}"


class LateFee(models.Model):
    """Late fee (滞纳金) of an overdue bill, shown apart from the bill; it accrues daily until
    the next bill run puts it on the unit's next bill, or a manager waives it."""

    class Status(models.TextChoices):
        ACCRUING = "accruing", _("accruing")
        BILLED = "billed", _("billed")
        WAIVED = "waived", _("waived")

    bill = models.OneToOneField(Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="late_fee")
    amount = models.DecimalField(_("late fee"), **MONEY)
    days = models.PositiveIntegerField(_("days late"), default=0)
    as_of = models.DateField(_("computed on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACCRUING)
    billed_on = models.ForeignKey(Bill, verbose_name=_("billed on"), null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("waived by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    waived_at = models.DateTimeField(_("waived at"), null=True, blank=True)
    waive_reason = models.CharField(_("reason for waiving"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-as_of", "bill_id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="late_fee_not_negative")]
        verbose_name = _("late fee")
        verbose_name_plural = _("late fees")


class DunningRun(models.Model):
    """The follow-up of arrears (催缴) of a project on a date: seeds/004_418914185ea837fa.txt — on the 10th and 25th."""

    project = models.ForeignKey("archive.Project", verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="dunning_runs")
    date = models.DateField(_("date"))
    notices = models.PositiveIntegerField(_("notices"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["project", "date"], name="dunning_run_unique_per_day")]
        verbose_name = _("dunning run")
        verbose_name_plural = _("dunning runs")


class DunningNotice(models.Model):
    run = models.ForeignKey(DunningRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="notice_rows")
    unit = models.ForeignKey("archive.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="dunning_notices")
    balance = models.DecimalField(_("balance"), **MONEY)
    oldest_due_date = models.DateField(_("oldest due date"))

    class Meta:
        ordering = ["run_id", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="dunning_notice_unique_per_unit")]
        verbose_name = _("dunning notice")
        verbose_name_plural = _("dunning notices")
