"""Shifts, the monthly roster of each post, swaps and leave, and the handover log (交接班记录).

- ``Shift``: a project's a/b/c shift with its times (seeds/002_59da8478c28f7f86.txt:1368 篇6 a班:09:00—17:00; :1370
  b班:12:00—20:00; :1372 c班:20:00—22:00(在家值班)). A shift whose end is not after its start ends the next day (a
  night shift), so "who is on duty at 01:00" looks at yesterday's roster too.
- ``Roster``: one post's roster for one month (seeds/002_59da8478c28f7f86.txt:1350 客服班表进行倒班制;
  seeds/000_d44081c6db2527f0.txt:508 篇18 9.2 负责本部门员工每月排班). ``RosterEntry``: one person on one shift of one
  day; ``status`` ``leave`` takes them off that day (:1354 原则上不允许请假…如特殊情况…提前上报).
- ``SwapRequest``: two people exchange two entries; the supervisor post approves it (:1356 需自行对接其他客服人员,
  并提前上报(需提供双方达成一致依据证明)).
- ``Handover``: the log one shift leaves the next (seeds/002_59da8478c28f7f86.txt:206 认真做好交接班记录;
  seeds/004_418914185ea837fa.txt:139 篇2 輪休時作好交接班手續), with its open items; the next shift acknowledges it,
  and one left unacknowledged past ``ack_due_at`` goes to the supervisor post (jobs.py)."""
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from dutydesk.core import clock

USER = settings.AUTH_USER_MODEL


class ShiftCode(models.TextChoices):
    A = "a", _("shift a")
    B = "b", _("shift b")
    C = "c", _("shift c")


# seeds/002_59da8478c28f7f86.txt:1368-1372 篇6 (分a、b、c班): the times every project starts with; :1374 a班和b班需到公司到岗
# 工作; :1376 C班为值班时间…可在家处理
SEED_SHIFTS = [
    (ShiftCode.A, "09:00", "17:00", False),
    (ShiftCode.B, "12:00", "20:00", False),
    (ShiftCode.C, "20:00", "22:00", True),
]


class Shift(models.Model):
    project = models.ForeignKey("archive.Project", on_delete=models.CASCADE, related_name="shifts",
                                verbose_name=_("project"))
    code = models.CharField(_("shift"), max_length=1, choices=ShiftCode.choices)
    name = models.CharField(_("name"), max_length=40, blank=True)
    starts_at = models.TimeField(_("start"))
    # not after the start: the shift ends the next day
    ends_at = models.TimeField(_("end"))
    on_call = models.BooleanField(_("on call from home"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="shifts_shift_code_unique_in_project"),
            models.CheckConstraint(condition=~Q(starts_at=models.F("ends_at")), name="shifts_shift_has_length"),
        ]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name or str(self.get_code_display())

    @property
    def crosses_midnight(self) -> bool:
        return self.ends_at <= self.starts_at

    def span(self, day: date) -> tuple[datetime, datetime]:
        """When the shift of ``day`` starts and ends (aware, local time)."""
        start = clock.at(day, self.starts_at)
        end = clock.at(day + timedelta(days=1) if self.crosses_midnight else day, self.ends_at)
        return start, end


class Roster(models.Model):
    """One post's roster for one month (``month`` is ``YYYY-MM``)."""

    project = models.ForeignKey("archive.Project", on_delete=models.CASCADE, related_name="rosters",
                                verbose_name=_("project"))
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="rosters", verbose_name=_("post"))
    month = models.CharField(_("month"), max_length=7)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "-month", "post_id"]
        constraints = [models.UniqueConstraint(fields=["project", "post", "month"],
                                               name="shifts_roster_one_per_post_and_month")]
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")

    def __str__(self) -> str:
        return f"{self.post} {self.month}"


class RosterEntry(models.Model):
    """One person on one shift of one day. ``project`` and ``post`` repeat the roster's, so "who is on duty" is one
    indexed query."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        LEAVE = "leave", _("on leave")

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="entries", verbose_name=_("roster"))
    project = models.ForeignKey("archive.Project", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("project"))
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("post"))
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="roster_entries",
                             verbose_name=_("staff member"))
    day = models.DateField(_("day"))
    shift = models.CharField(_("shift"), max_length=1, choices=ShiftCode.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    leave_reason = models.CharField(_("reason for leave"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["day", "shift", "user_id"]
        constraints = [models.UniqueConstraint(fields=["project", "user", "day", "shift"],
                                               name="shifts_entry_one_per_person_day_shift")]
        indexes = [models.Index(fields=["project", "post", "day", "shift"], name="shifts_entry_on_duty"),
                   # the project's entries in the list's order (the API's roster entries)
                   models.Index(fields=["project", "day", "shift", "user"], name="shifts_entry_by_day")]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")

    def __str__(self) -> str:
        return f"{self.day} {self.shift} {self.user}"


class SwapRequest(models.Model):
    """``entry`` (the requester's shift) and ``other_entry`` change hands once the supervisor post approves
    (transitions in ``services.SWAP_TRANSITIONS``). The two people at the time of the request are kept, so a roster
    changed in the meantime makes the approval a 409, not a silent swap of other people."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", pgettext_lazy("swap", "approved")
        REJECTED = "rejected", pgettext_lazy("swap", "rejected")
        CANCELLED = "cancelled", pgettext_lazy("swap", "cancelled")

    project = models.ForeignKey("archive.Project", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("project"))
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("post"))
    entry = models.ForeignKey(RosterEntry, on_delete=models.CASCADE, related_name="+", verbose_name=_("shift given"))
    other_entry = models.ForeignKey(RosterEntry, on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("shift taken"))
    entry_user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("requester"))
    other_user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("counterpart"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["entry"], condition=Q(status="pending"),
                                    name="shifts_swap_one_pending_per_entry"),
            models.UniqueConstraint(fields=["other_entry"], condition=Q(status="pending"),
                                    name="shifts_swap_one_pending_per_other_entry"),
            models.CheckConstraint(condition=~Q(entry=models.F("other_entry")), name="shifts_swap_two_entries"),
        ]
        # the lists: newest first (the API), waiting by age and decided newest first (the page)
        indexes = [models.Index(fields=["project", "-requested_at", "-id"], name="shifts_swap_list"),
                   models.Index(fields=["project", "status", "requested_at"], name="shifts_swap_status"),
                   models.Index(fields=["project", "-decided_at", "-id"], name="shifts_swap_decided")]
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")

    def __str__(self) -> str:
        return f"{self.entry} ⇄ {self.other_entry}"


class Handover(models.Model):
    """The handover log of one shift of one post (交接班记录)."""

    project = models.ForeignKey("archive.Project", on_delete=models.CASCADE, related_name="handovers",
                                verbose_name=_("project"))
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="handovers", verbose_name=_("post"))
    day = models.DateField(_("day"))
    shift = models.CharField(_("shift"), max_length=1, choices=ShiftCode.choices)
    notes = models.TextField(pgettext_lazy("handover", "notes"))
    # what the next shift must carry on with: a list of short texts
    open_items = models.JSONField(_("open items"), default=list, blank=True)
    handed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=pgettext_lazy("handover", "handed over by"))
    handed_at = models.DateTimeField(pgettext_lazy("handover", "handed over at"))
    next_day = models.DateField(_("day of the next shift"))
    next_shift = models.CharField(_("next shift"), max_length=1, choices=ShiftCode.choices)
    ack_due_at = models.DateTimeField(_("to be acknowledged by"))
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("acknowledged by"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    ack_note = models.CharField(_("acknowledgement note"), max_length=200, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-handed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["project", "post", "day", "shift"],
                                               name="shifts_handover_one_per_shift")]
        indexes = [models.Index(fields=["ack_due_at"], condition=Q(acknowledged_at__isnull=True, escalated_at__isnull=True),
                                name="shifts_handover_unacked"),
                   # the handover log newest first; those still waiting for the next shift
                   models.Index(fields=["project", "-handed_at", "-id"], name="shifts_handover_list"),
                   models.Index(fields=["project", "-handed_at", "-id"], condition=Q(acknowledged_at__isnull=True),
                                name="shifts_handover_waiting")]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return f"{self.day} {self.shift} {self.post}"

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None
