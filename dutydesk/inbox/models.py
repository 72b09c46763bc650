"""Tasks: everything that lands in a person's inbox. Routine tasks (from the post catalogue)
and tasks created by other modules (sweeps, overdue keys, dunning lists) share this model;
``source`` says where a task came from and ``source_key`` makes creation idempotent.

The model moved here from the duty engine (issue 16) so that tickets, billing and frontdesk can put
work into an inbox without importing the duty engine, which reads them; its tables keep their names."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dutydesk.core import clock

# Where a task came from, as staff read it (the modules name the code when they create the task).
TASK_SOURCE_LABELS = {
    "manual": _("assigned by hand"), "routine": _("routine of the post"), "monthly_report": _("monthly report"),
    "survey": _("satisfaction survey"), "tickets": _("work orders"), "billing.dunning": _("arrears follow-up"),
    "billing.fee_notices": _("fee notices"), "frontdesk.key_overdue": _("key not returned"),
    "customer_contact": _("customer contact cadence"), "patrols.round": _("patrol round"),
    "shifts.handover_unacknowledged": _("handover not acknowledged"), "vendors.evaluation_due": _("vendor evaluation"),
}


class Task(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    project = models.ForeignKey("archive.Project", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="tasks", verbose_name=_("project"))
    post = models.ForeignKey("org.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks",
                             verbose_name=_("post"))
    # assignee null = shared by every holder of ``post`` in ``project``
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="tasks", verbose_name=_("assignee"))
    routine = models.ForeignKey("org.Routine", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="tasks", verbose_name=_("routine"))
    source = models.CharField(_("source"), max_length=40, default="manual")

    @property
    def source_label(self) -> str | Promise:
        return TASK_SOURCE_LABELS.get(self.source) or TASK_SOURCE_LABELS["manual"]
    source_key = models.CharField(_("source key"), max_length=200, unique=True, null=True, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("completed by"))
    note = models.TextField(_("completion note"), blank=True)
    evidence = models.ImageField(_("photo evidence"), upload_to="tasks/%Y/%m/", null=True, blank=True)
    history = HistoricalRecords(table_name="duties_historicaltask")

    class Meta:
        db_table = "duties_task"  # created by the duty engine's first migration, kept when the model moved
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["assignee", "status", "due_at"]), models.Index(fields=["post", "status", "due_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(assignee__isnull=False) | Q(post__isnull=False), name="task_has_assignee_or_post"),
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        """Tasks go overdue by themselves: open and past due (computed, never stored)."""
        return self.status == self.Status.OPEN and self.due_at < clock.now()
