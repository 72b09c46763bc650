"""Patrols (巡查/巡检): routes of checkpoints, walked in rounds that the schedule releases as tasks.

Sources: seeds/000_d44081c6db2527f0.txt:535 篇18 12.2 物业管理员（巡楼）: 每天不间断对广场公共区域全面巡查，主要负责检查设施设备
是否完好，运行正常，发现任何不合格项按照相关程序报告相关岗位人员进行报修，并做好记录; :518 10.2 清洁监管员: 每天不间断地对物业
范围内公共区域…的保洁质量进行检查，发现问题及时处理并记录; :526 11.2 绿化监管员: 每天定时对广场范围内…进行巡视，发现问题及时
跟进处理并记录; :453 4.2 环境管理副主管: 全面负责物业管辖区域的设施、环境巡查，建立并完善巡查记录档案;
seeds/002_59da8478c28f7f86.txt:180 坚持每天上、下午巡查管辖区域，检查公共设施、设备、车辆、卫生、绿化、治安、装修等情况，发现
问题及时处理与汇报; :958 负责社区房屋、公共设施、场地、装修施工的管理等工作巡查，并做好记录表，发现问题及时处理、跟踪.

A route (巡查路线) belongs to a project and to the post that walks it; each checkpoint (巡查点) carries a QR code that
opens its page on a phone, and says where an issue found there goes (the work-order category and the post it is routed
to, the unit it is filed against). A round (一次巡查) is one walk of a route at a scheduled time; it copies the route's
checkpoints, so a route changed later leaves the record of past rounds as they were walked."""
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from dutydesk.core import clock
from dutydesk.patrols import schedules

USER = settings.AUTH_USER_MODEL
CODE_PATTERN = r"^[A-Za-z0-9_-]{1,20}$"
code_validator = RegexValidator(CODE_PATTERN, _("A checkpoint code is 1–20 letters, digits, - or _."))


class Route(models.Model):
    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="patrol_routes",
                                verbose_name=_("project"))
    name = models.CharField(pgettext_lazy("patrols", "name"), max_length=100)
    # the post that walks the route: its rounds are that post's tasks (seeds 000 篇18 12.2 / 10.2 / 11.2)
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="patrol_routes",
                             verbose_name=_("post"))
    schedule = models.JSONField(pgettext_lazy("patrols", "schedule"), default=dict)  # normalized by patrols/schedules.py
    active = models.BooleanField(pgettext_lazy("patrols", "active"), default=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="patrol_route_name_unique")]
        verbose_name = _("patrol route")
        verbose_name_plural = _("patrol routes")

    def __str__(self) -> str:
        return self.name

    @property
    def schedule_text(self) -> str:
        return schedules.describe(self.schedule)


class Checkpoint(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="checkpoints", verbose_name=_("route"))
    code = models.CharField(pgettext_lazy("patrols", "code"), max_length=20, validators=[code_validator])
    name = models.CharField(pgettext_lazy("patrols", "name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    location = models.CharField(pgettext_lazy("patrols", "location"), max_length=200, blank=True)
    # where an issue found here goes: a work order of this category, routed to this post's queue, filed against this
    # unit (a work order always has one: for a common area, the unit nearest the checkpoint)
    category = models.ForeignKey("tickets.TicketCategory", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("work-order category"))
    post = models.ForeignKey("org.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("issues go to"))
    unit = models.ForeignKey("archive.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("unit"))
    active = models.BooleanField(pgettext_lazy("patrols", "active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["route_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["route", "code"], name="patrol_checkpoint_code_unique")]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Round(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("patrols", "open")
        DONE = "done", pgettext_lazy("patrols", "done")
        MISSED = "missed", pgettext_lazy("patrols", "missed")

    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("route"))
    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="patrol_rounds",
                                verbose_name=_("project"))
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("post"))
    starts_at = models.DateTimeField(_("starts at"))
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # who walked it: the first to record one of its checkpoints
    walker = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("walked by"))
    task = models.ForeignKey("inbox.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("task"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["route", "starts_at"], name="patrol_round_once_per_slot"),
            models.CheckConstraint(condition=Q(due_at__gt=F("starts_at")), name="patrol_round_due_after_start"),
        ]
        indexes = [models.Index(fields=["project", "due_at"], name="patrol_round_project_due"),
                   models.Index(fields=["route", "-starts_at"], name="patrol_round_route_start"),
                   # the rounds list newest first: all, by status (and its bounded counts), by walker
                   models.Index(fields=["project", "-starts_at", "-id"], name="patrol_round_list"),
                   models.Index(fields=["project", "status", "-starts_at"], name="patrol_round_status"),
                   models.Index(fields=["walker", "-starts_at"], name="patrol_round_walker"),
                   # a route's open rounds (the routes page's count, the round a scan opens): a few among thousands
                   models.Index(fields=["route", "starts_at"], condition=Q(status="open"), name="patrol_round_open")]
        verbose_name = _("patrol round")
        verbose_name_plural = _("patrol rounds")

    def __str__(self) -> str:
        return f"{self.route} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_overdue(self) -> bool:
        """Open past its due time (computed, never stored)."""
        return self.status == self.Status.OPEN and self.due_at < clock.now()

    @property
    def on_time(self) -> bool | None:
        """Every checkpoint recorded by the due time; None while it is still open and not due."""
        if self.completed_at is not None:
            return self.completed_at <= self.due_at
        return False if self.status == self.Status.MISSED or self.is_overdue else None


class RoundCheckpoint(models.Model):
    """One checkpoint of one round: recorded once (ok, or an issue with a note, a photo and the work order it opened)."""

    class Result(models.TextChoices):
        OK = "ok", pgettext_lazy("patrols", "ok")
        ISSUE = "issue", pgettext_lazy("patrols", "issue")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="checkpoints",
                              verbose_name=_("patrol round"))
    checkpoint = models.ForeignKey(Checkpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("checkpoint"))
    code = models.CharField(pgettext_lazy("patrols", "code"), max_length=20)
    name = models.CharField(pgettext_lazy("patrols", "name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    photo = models.FileField(_("photo"), upload_to="patrols/%Y/%m/", null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("work order"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["round_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="patrol_checkpoint_once_per_round"),
            # recorded = a result, a time and a recorder, all or none
            models.CheckConstraint(condition=(Q(result="", recorded_at__isnull=True)
                                              | (~Q(result="") & Q(recorded_at__isnull=False))),
                                   name="patrol_checkpoint_recorded_whole"),
        ]
        verbose_name = _("checkpoint record")
        verbose_name_plural = _("checkpoint records")

    def __str__(self) -> str:
        return f"{self.round} {self.code}"
