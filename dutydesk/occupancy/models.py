"""Move-in (入住/收楼), renovation (装修) and move-out (退租/迁出) of a unit.

Sources: seeds/004_418914185ea837fa.txt:14-17 前台客户助理 (负责办理业主入住收楼工作; 负责办理装修申报、延期、停工、退场工作;
负责办理转名、退楼工作) with the time standards at :42, :46 and :48 (30 / 15 / 30 minutes), and :128-131 (收楼手续:
接待业主、验证身份、填写业主资料、签署业主公约; 装修许可证的签发及延期; 装修出入证); seeds/000_d44081c6db2527f0.txt:387 篇18
(业户入驻、二次装修、物品放行、退租等相关手续的办理), :459-460 客服主管 (装修申请 … 批准; 竣工验收), :475 客服副主管
(装修押金退还等手续的初审及办理), :560-565 楼层管家 (收楼手续; 装修许可证签发; 装修现场巡查; 竣工验收 … 装修押金退还).

A move-in and a move-out are checklists: one row per step, each timed (``done_at``) and signed (``done_by``).
A renovation is an application that a supervisor approves; the deposit becomes a billing receivable
(``billing.OneOffCharge``), the workers get renovation passes (``frontdesk.AccessPass``) valid only within the approved
dates, inspections are recorded with photos, and the deposit is refunded here (billing has no refunds) only after a
passed final inspection."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from dutydesk.archive.validators import validate_phone, validate_prc_id
from dutydesk.billing.models import MONEY
from dutydesk.core import clock

USER = settings.AUTH_USER_MODEL

# The checklists as data: (code, label) in the order the desk works through them.
MOVE_IN_STEPS = [
    # seeds/004_418914185ea837fa.txt:128: 接待业主、验证身份、填写业主资料、签署业主公约、银行托收证明
    ("documents", _("Identity and documents checked")),
    ("fees", _("Fees settled")),
    ("keys", _("Keys handed over")),
    ("meters", _("Meter readings taken")),
    # seeds/002_59da8478c28f7f86.txt:50-52: 入驻手续 … 编制成用户手册、装修手册提供给客户参考
    ("welcome_pack", _("Welcome pack handed over")),
    # seeds/004_418914185ea837fa.txt:129: 负责业主入伙、装修手续的办理及资料的完整性并转交资料专员
    ("archive", _("Archive completed")),
]
MOVE_OUT_STEPS = [
    ("fees", _("Fees settled")),
    ("meters", _("Meter readings taken")),
    ("keys", _("Keys returned")),
    # seeds/000_d44081c6db2527f0.txt:387 篇18: 物品放行、退租等相关手续的办理
    ("goods", _("Goods release issued")),
]

# The meters read at a move-in and a move-out (a move-out's last bill is settled on them).
METERS = [("water", _("water meter")), ("electricity", _("electricity meter")), ("gas", _("gas meter"))]


class Checklist(models.Model):
    """What a move-in and a move-out share: a unit, a resident, a date, the clerk, and the time the desk took."""

    class Status(models.TextChoices):
        OPEN = "open", _("in progress")
        COMPLETED = "completed", _("completed")

    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # when the clerk opened the form: the time standard is measured from here to the last step
    started_at = models.DateTimeField(_("started at"), default=clock.now)
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    keys_count = models.PositiveSmallIntegerField(_("keys"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.unit} {self.date}"  # type: ignore[attr-defined]  # unit is declared by each concrete model


class ChecklistStep(models.Model):
    position = models.PositiveSmallIntegerField(_("position"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # what the step recorded: {"count": 2} for keys, {"readings": {"水表": "123.40"}} for meters
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        abstract = True


class MoveIn(Checklist):
    """A unit handed over to a resident (入住收楼, seeds/004_418914185ea837fa.txt:14, ≤ 30 min at :42)."""

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="move_ins",
                                verbose_name=_("project"))
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="move_ins", verbose_name=_("unit"))
    resident = models.ForeignKey("archive.Resident", on_delete=models.PROTECT, related_name="move_ins",
                                 verbose_name=_("resident"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by"))
    completed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("completed by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["project", "status", "date"]),
                   models.Index(fields=["project", "-date", "-id"], name="occupancy_move_in_list")]
        constraints = [models.UniqueConstraint(fields=["unit"], condition=Q(status="open"),
                                               name="move_in_one_open_per_unit")]
        verbose_name = _("move-in")
        verbose_name_plural = _("move-ins")


class MoveInStep(ChecklistStep):
    move_in = models.ForeignKey(MoveIn, verbose_name=_("move in"), on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("step"), max_length=20, choices=MOVE_IN_STEPS)
    done_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("done by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["move_in_id", "position"]
        constraints = [models.UniqueConstraint(fields=["move_in", "code"], name="move_in_step_once")]
        verbose_name = _("move-in step")
        verbose_name_plural = _("move-in steps")


class MoveOut(Checklist):
    """A resident leaving a unit (退租/迁出, 退楼 in seeds/004_418914185ea837fa.txt:17, ≤ 30 min at :48): refused while the
    unit owes money; the goods leave with a front-desk goods release; the unit is vacant afterwards."""

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="move_outs",
                                verbose_name=_("project"))
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="move_outs", verbose_name=_("unit"))
    resident = models.ForeignKey("archive.Resident", on_delete=models.PROTECT, related_name="move_outs",
                                 verbose_name=_("resident"))
    goods_release = models.ForeignKey("frontdesk.GoodsRelease", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("goods release"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by"))
    completed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("completed by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["project", "status", "date"]),
                   models.Index(fields=["project", "-date", "-id"], name="occupancy_move_out_list")]
        constraints = [models.UniqueConstraint(fields=["unit"], condition=Q(status="open"),
                                               name="move_out_one_open_per_unit")]
        verbose_name = _("move-out")
        verbose_name_plural = _("move-outs")


class MoveOutStep(ChecklistStep):
    move_out = models.ForeignKey(MoveOut, verbose_name=_("move out"), on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("step"), max_length=20, choices=MOVE_OUT_STEPS)
    done_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("done by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["move_out_id", "position"]
        constraints = [models.UniqueConstraint(fields=["move_out", "code"], name="move_out_step_once")]
        verbose_name = _("move-out step")
        verbose_name_plural = _("move-out steps")


class Renovation(models.Model):
    """A renovation application (装修申报) and its life: approval, permit and passes, inspections, exit, refund."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        APPROVED = "approved", _("approved, works under way")
        REJECTED = "rejected", pgettext_lazy("renovation", "rejected")
        PASSED = "passed", _("final inspection passed")
        CLOSED = "closed", pgettext_lazy("renovation", "closed")

    class RefundMethod(models.TextChoices):
        CASH = "cash", _("cash")
        TRANSFER = "transfer", _("bank transfer")
        WECHAT = "wechat", _("WeChat Pay")
        ALIPAY = "alipay", _("Alipay")

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="renovations",
                                verbose_name=_("project"))
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="renovations",
                             verbose_name=_("unit"))
    resident = models.ForeignKey("archive.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="renovations", verbose_name=_("applicant"))
    contractor = models.CharField(_("contractor"), max_length=100)
    contractor_phone = models.CharField(_("contractor's phone"), max_length=20, blank=True,
                                        validators=[validate_phone])
    description = models.TextField(_("works"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    deposit = models.DecimalField(_("deposit"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    started_at = models.DateTimeField(_("started at"), default=clock.now)
    created_at = models.DateTimeField(_("filed at"), default=clock.now)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    deposit_charge = models.ForeignKey("billing.OneOffCharge", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("deposit receivable"))
    closed_at = models.DateTimeField(pgettext_lazy("renovation", "closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("closed by"))
    # The refund of the deposit, kept here: billing records money received, not money paid back
    # (docs/decisions.md "Renovation deposit refunds").
    refund_amount = models.DecimalField(_("refunded"), null=True, blank=True, **MONEY)
    refund_method = models.CharField(_("refunded by way of"), max_length=10, choices=RefundMethod.choices, blank=True)
    refund_note = models.CharField(_("refund note"), max_length=200, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    refunded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("refunded by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "status", "ends_on"]),
                   models.Index(fields=["project", "-created_at", "-id"], name="occupancy_renovation_list")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="renovation_dates_ordered"),
            models.CheckConstraint(condition=Q(deposit__gte=0), name="renovation_deposit_not_negative"),
            models.CheckConstraint(condition=Q(refund_amount__isnull=True)
                                   | (Q(refund_amount__gt=0) & Q(refund_amount__lte=F("deposit"))),
                                   name="renovation_refund_within_deposit"),
            models.UniqueConstraint(fields=["unit"], condition=Q(status__in=["applied", "approved", "passed"]),
                                    name="renovation_one_active_per_unit"),
        ]
        verbose_name = _("renovation")
        verbose_name_plural = _("renovations")

    def __str__(self) -> str:
        return f"{self.unit} {self.contractor}"

    @property
    def is_overdue(self) -> bool:
        """Works still under way after the last approved day."""
        return self.status == self.Status.APPROVED and self.ends_on < clock.today()


class RenovationWorker(models.Model):
    """A worker of the contractor; holds a renovation pass (装修出入证, seeds/004_418914185ea837fa.txt:131) once approved."""

    renovation = models.ForeignKey(Renovation, on_delete=models.CASCADE, related_name="workers",
                                   verbose_name=_("renovation"))
    name = models.CharField(pgettext_lazy("person", "name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    id_number = models.CharField(_("ID number"), max_length=18, blank=True, validators=[validate_prc_id])
    access_pass = models.ForeignKey("frontdesk.AccessPass", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("pass"))
    added_at = models.DateTimeField(_("added at"), default=clock.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["renovation_id", "id"]
        verbose_name = _("renovation worker")
        verbose_name_plural = _("renovation workers")

    def __str__(self) -> str:
        return self.name


class RenovationInspection(models.Model):
    """An inspection of the works (装修现场巡查, seeds/000_d44081c6db2527f0.txt:563) or the final one (竣工验收, :564)."""

    class Result(models.TextChoices):
        PASS = "pass", _("passed")
        FAIL = "fail", _("failed")

    renovation = models.ForeignKey(Renovation, on_delete=models.CASCADE, related_name="inspections",
                                   verbose_name=_("renovation"))
    final = models.BooleanField(_("final inspection"), default=False)
    result = models.CharField(_("result"), max_length=4, choices=Result.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    inspected_at = models.DateTimeField(pgettext_lazy("renovation", "inspected at"), default=clock.now)
    inspected_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=pgettext_lazy("renovation", "inspected by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["renovation_id", "inspected_at", "id"]
        indexes = [models.Index(fields=["result", "inspected_at"])]
        verbose_name = _("renovation inspection")
        verbose_name_plural = _("renovation inspections")

    def __str__(self) -> str:
        return f"{self.renovation} {self.result}"


def photo_path(instance: "InspectionPhoto", filename: str) -> str:
    return f"renovations/{clock.today():%Y/%m}/{filename}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(RenovationInspection, verbose_name=_("inspection"), on_delete=models.CASCADE,
                                   related_name="photos")
    file = models.FileField(_("photo"), upload_to=photo_path)
    name = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")

    def __str__(self) -> str:
        return self.name
