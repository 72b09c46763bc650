"""Front-desk registers (seeds/004_418914185ea837fa.txt:13 前台客户助理, 档案室资料员, 来访登记处, IC卡发卡员; seeds/000_d44081c6db2527f0.txt:382 篇18 客服员,
楼层管家, 文员): keys, visitors, goods release, access passes, IC cards, mail and parcels.

Every timed act (a key lent, a visitor registered, a pass issued, ...) also writes one row to
``ServiceRecord``: procedure, clerk, post, started_at, finished_at. The service-time report is a
single aggregate over that table, measured against the standard as it is in the catalogue now."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from dutydesk.archive.validators import validate_phone, validate_prc_id

USER = settings.AUTH_USER_MODEL


class Timed(models.Model):
    """A register entry timed against its standard: started when the clerk opened the form (or
    the visitor arrived), finished on save."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))

    class Meta:
        abstract = True


class ServiceRecord(models.Model):
    """One timed act of a clerk; the limit is looked up in org.Standard when the report runs."""

    project = models.ForeignKey("archive.Project", on_delete=models.CASCADE, related_name="service_records",
                                verbose_name=_("project"))
    procedure = models.ForeignKey("org.Procedure", on_delete=models.PROTECT, related_name="service_records",
                                  verbose_name=_("procedure"))
    clerk = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="service_records", verbose_name=_("clerk"))
    # the clerk's post in the project that has a standard for this procedure (None: no such post)
    post = models.ForeignKey("org.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("post"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"))
    action = models.CharField(_("action"), max_length=40)
    content_type = models.ForeignKey(ContentType, verbose_name=_("content type"), on_delete=models.CASCADE,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField(_("object id"))
    entry = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["-finished_at", "-id"]
        indexes = [models.Index(fields=["project", "finished_at"]), models.Index(fields=["clerk", "finished_at"])]
        constraints = [models.CheckConstraint(condition=Q(finished_at__gte=F("started_at")),
                                              name="service_record_finished_after_start")]
        verbose_name = _("service-time record")
        verbose_name_plural = _("service-time records")

    def __str__(self) -> str:
        return f"{self.procedure} {self.duration_seconds}s"


# ---------------------------------------------------------------- keys (钥匙)
class Key(models.Model):
    class Kind(models.TextChoices):
        CUSTODY = "custody", _("unit key in custody")
        PUBLIC = "public", _("public-area key")

    class Status(models.TextChoices):
        IN_CUSTODY = "in_custody", _("in custody")
        LENT = "lent", _("lent")
        LOST = "lost", _("lost")

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="keys",
                                verbose_name=_("project"))
    label = models.CharField(_("key label"), max_length=60)
    unit = models.ForeignKey("archive.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="keys",
                             verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CUSTODY)
    location = models.CharField(_("location"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IN_CUSTODY)
    lost_at = models.DateTimeField(_("reported lost at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "label"]
        constraints = [models.UniqueConstraint(fields=["project", "label"], name="key_label_unique_in_project")]
        verbose_name = _("key")
        verbose_name_plural = _("keys")

    def __str__(self) -> str:
        return self.label


class KeyLoan(Timed):
    key = models.ForeignKey(Key, on_delete=models.PROTECT, related_name="loans", verbose_name=_("key"))
    borrower_name = models.CharField(_("borrower"), max_length=60)
    borrower_phone = models.CharField(_("borrower's phone"), max_length=20, validators=[validate_phone])
    purpose = models.CharField(_("purpose"), max_length=200)
    lent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("lent by"))
    lent_at = models.DateTimeField(_("lent at"))
    due_at = models.DateTimeField(_("due back"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_to = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("returned to"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-lent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["key"], condition=Q(returned_at__isnull=True),
                                               name="key_one_open_loan")]
        indexes = [models.Index(fields=["returned_at", "due_at"])]
        verbose_name = _("key loan")
        verbose_name_plural = _("key loans")

    def __str__(self) -> str:
        return f"{self.key} → {self.borrower_name}"


class KeyCount(models.Model):
    """The daily key count (盘点, seeds/004_418914185ea837fa.txt:24 档案室资料员: 每日清点借取、留置的钥匙及钥匙登记簿)."""

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="key_counts",
                                verbose_name=_("project"))
    counted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("counted by"))
    counted_at = models.DateTimeField(_("counted at"))
    expected = models.PositiveIntegerField(_("keys expected in custody"))
    confirmed = models.PositiveIntegerField(_("keys confirmed"))
    missing = models.PositiveIntegerField(_("missing"))
    unexpected = models.PositiveIntegerField(_("unexpected"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-counted_at", "-id"]
        verbose_name = _("key count")
        verbose_name_plural = _("key counts")

    @property
    def discrepancies(self) -> int:
        return self.missing + self.unexpected


class KeyCountLine(models.Model):
    class Result(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        MISSING = "missing", _("missing")
        UNEXPECTED = "unexpected", _("unexpected")

    count = models.ForeignKey(KeyCount, verbose_name=pgettext_lazy("key count", "count"), on_delete=models.CASCADE,
                              related_name="lines")
    key = models.ForeignKey(Key, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("key"))
    label = models.CharField(_("key label"), max_length=60)
    status_in_register = models.CharField(_("status in the register"), max_length=12, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)

    class Meta:
        ordering = ["count_id", "result", "label"]
        verbose_name = _("key count line")
        verbose_name_plural = _("key count lines")


# ---------------------------------------------------------------- visitors (来访登记)
class ExpectedVisitor(models.Model):
    """A visitor pre-registered by a resident in the portal; the desk turns the code into a visit."""

    unit = models.ForeignKey("archive.Unit", on_delete=models.CASCADE, related_name="expected_visitors",
                             verbose_name=_("unit"))
    resident = models.ForeignKey("archive.Resident", on_delete=models.CASCADE, related_name="expected_visitors",
                                 verbose_name=_("resident"))
    visitor_name = models.CharField(_("visitor's name"), max_length=60)
    visitor_phone = models.CharField(_("visitor's phone"), max_length=20, blank=True, validators=[validate_phone])
    expected_on = models.DateField(_("expected on"))
    code = models.CharField(pgettext_lazy("pre-registration", "code"), max_length=12, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    visit = models.OneToOneField("Visit", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="pre_registration",
                                 verbose_name=pgettext_lazy("visitors", "visit"))

    class Meta:
        ordering = ["-expected_on", "-id"]
        verbose_name = _("expected visitor")
        verbose_name_plural = _("expected visitors")

    def __str__(self) -> str:
        return f"{self.visitor_name} {self.expected_on}"


class Visit(Timed):
    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="visits",
                                verbose_name=_("project"))
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="visits", verbose_name=_("unit"))
    visitor_name = models.CharField(_("visitor's name"), max_length=60)
    visitor_phone = models.CharField(_("visitor's phone"), max_length=20, validators=[validate_phone])
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, validators=[validate_prc_id])
    purpose = models.CharField(_("purpose"), max_length=200)
    headcount = models.PositiveSmallIntegerField(_("headcount"), default=1)
    pass_code = models.CharField(_("pass code"), max_length=12, unique=True)
    arrived_at = models.DateTimeField(_("arrived at"))
    valid_until = models.DateTimeField(_("pass valid until"))
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("registered by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-arrived_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(headcount__gte=1), name="visit_headcount_positive")]
        indexes = [models.Index(fields=["project", "left_at"])]
        verbose_name = pgettext_lazy("visitors", "visit")  # 来访; a return visit's "visit" is 上门
        verbose_name_plural = _("visits")

    def __str__(self) -> str:
        return f"{self.visitor_name} → {self.unit}"


# ---------------------------------------------------------------- goods release (物品放行)
class GoodsRelease(Timed):
    class Authorisation(models.TextChoices):
        RESIDENT = "resident", _("resident of the unit")
        BUTLER = "butler", _("floor butler (tenant's move-out)")

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="goods_releases",
                                verbose_name=_("project"))
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="goods_releases",
                             verbose_name=_("unit"))
    items = models.TextField(_("items"))
    carrier_name = models.CharField(_("carrier"), max_length=60)
    carrier_phone = models.CharField(_("carrier's phone"), max_length=20, blank=True, validators=[validate_phone])
    authorisation = models.CharField(_("authorised as"), max_length=10, choices=Authorisation.choices,
                                     default=Authorisation.RESIDENT)
    authorised_by = models.CharField(_("authorised by"), max_length=60)
    checked_out_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("checked out by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-finished_at", "-id"]
        verbose_name = _("goods release")
        verbose_name_plural = _("goods releases")

    def __str__(self) -> str:
        return f"{self.unit}: {self.items[:30]}"


# ---------------------------------------------------------------- access passes (出入证)
class AccessPass(Timed):
    class Kind(models.TextChoices):
        TEMPORARY = "temporary", _("temporary pass")
        RENOVATION = "renovation", _("renovation-worker pass")
        RESIDENT = "resident", _("resident pass")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        CANCELLED = "cancelled", _("cancelled")

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="access_passes",
                                verbose_name=_("project"))
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="access_passes",
                             verbose_name=_("unit"))
    number = models.CharField(_("pass number"), max_length=12, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    holder_name = models.CharField(_("holder"), max_length=60)
    holder_phone = models.CharField(_("holder's phone"), max_length=20, blank=True, validators=[validate_phone])
    holder_id_number = models.CharField(_("holder's ID number"), max_length=18, blank=True,
                                        validators=[validate_prc_id])
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by"))
    renewals = models.PositiveSmallIntegerField(_("renewals"), default=0)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("cancelled by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-valid_until", "-id"]
        constraints = [models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")),
                                              name="access_pass_dates_ordered")]
        verbose_name = _("access pass")
        verbose_name_plural = _("access passes")

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"


# ---------------------------------------------------------------- IC cards (IC卡)
class CardBatch(models.Model):
    """Blank IC cards bought (新购卡)."""

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="card_batches",
                                verbose_name=_("project"))
    bought_on = models.DateField(_("bought on"))
    quantity = models.PositiveIntegerField(_("quantity"))
    supplier = models.CharField(_("supplier"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-bought_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="card_batch_quantity_positive")]
        verbose_name = _("card batch")
        verbose_name_plural = _("card batches")


class Card(Timed):
    """A card made for a resident (造卡, uses one blank); issued after a second look (004: 录入后应反复核对)."""

    class Status(models.TextChoices):
        MADE = "made", _("made, awaiting check")
        ISSUED = "issued", _("issued")
        RETURNED = "returned", _("returned")
        SCRAPPED = "scrapped", _("scrapped")

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="cards",
                                verbose_name=_("project"))
    number = models.CharField(_("card number"), max_length=30)
    resident = models.ForeignKey("archive.Resident", on_delete=models.PROTECT, related_name="cards",
                                 verbose_name=_("resident"))
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="cards", verbose_name=_("unit"))
    photo = models.ImageField(_("photo"), upload_to="cards/%Y/%m/", null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.MADE)
    made_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("made by"))
    made_at = models.DateTimeField(_("made at"))
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("checked by"))
    confirmed_at = models.DateTimeField(_("checked and issued at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    scrapped_at = models.DateTimeField(_("scrapped at"), null=True, blank=True)
    scrap_reason = models.CharField(_("reason for scrapping"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="card_number_unique_in_project")]
        verbose_name = _("IC card")
        verbose_name_plural = _("IC cards")

    def __str__(self) -> str:
        return self.number


class CardReport(models.Model):
    """The monthly card report (004 IC卡发卡员: 新购卡、造卡、报废卡、剩余卡, 每月5日前提交), frozen when generated."""

    project = models.ForeignKey("archive.Project", verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="card_reports")
    period = models.CharField(_("period"), max_length=7)
    bought = models.PositiveIntegerField(_("bought"))
    made = models.PositiveIntegerField(_("made"))
    scrapped = models.PositiveIntegerField(_("scrapped"))
    remaining = models.IntegerField(_("remaining"))
    generated_at = models.DateTimeField(_("generated at"))

    class Meta:
        ordering = ["-period"]
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="card_report_once_per_period")]
        verbose_name = _("monthly card report")
        verbose_name_plural = _("monthly card reports")


# ---------------------------------------------------------------- mail and parcels (平邮、报刊、包裹代签收)
class MailItem(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", pgettext_lazy("mail", "letter")  # 平邮信件; a letter as an opinion's channel is 信函
        NEWSPAPER = "newspaper", _("newspaper or magazine")
        PARCEL = "parcel", _("parcel")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting at the desk")
        DELIVERED = "delivered", _("delivered by the butler")
        COLLECTED = "collected", _("collected")

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="mail_items",
                                verbose_name=_("project"))
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="mail_items",
                             verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PARCEL)
    sender = models.CharField(_("sender or courier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=40, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    signed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed for by"))
    signed_at = models.DateTimeField(_("signed for at"))
    residents_notified = models.PositiveSmallIntegerField(_("residents notified"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    handed_over_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("handed over by"))
    collected_by_name = models.CharField(_("collected by"), max_length=60, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_at", "-id"]
        indexes = [models.Index(fields=["project", "status"])]
        verbose_name = _("mail item")
        verbose_name_plural = _("mail items")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit}"
