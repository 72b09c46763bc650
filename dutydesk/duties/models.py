"""Tasks: everything that lands in a person's inbox. Routine tasks (from the post catalogue)
and tasks created by other modules (sweeps, overdue keys, dunning lists) share this model;
``source`` says where a task came from and ``source_key`` makes creation idempotent."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
    source_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("completed by"))
    note = models.TextField(_("completion note"), blank=True)
    evidence = models.ImageField(_("photo evidence"), upload_to="tasks/%Y/%m/", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["assignee", "status", "due_at"]), models.Index(fields=["post", "status", "due_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(assignee__isnull=False) | Q(post__isnull=False), name="task_has_assignee_or_post"),
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self):
        return self.title
