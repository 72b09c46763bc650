from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    """An in-app message for a user (badge + list); e-mail goes out at the same time if the
    user has an address (see ``dutydesk.core.services.notify``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications", verbose_name=_("user"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title


class OutboundEmail(models.Model):
    """The outbox: an e-mail waiting for the ``core.send_emails`` job. Nothing is sent inside a request, so a hung
    mail server never holds a clerk's dispatch; a failure is retried on later ticks, then marked failed."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("email", "pending")
        SENT = "sent", pgettext_lazy("email", "sent")
        FAILED = "failed", pgettext_lazy("email", "failed")

    to = models.EmailField(pgettext_lazy("email", "to"))
    subject = models.CharField(pgettext_lazy("email", "subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    state = models.CharField(pgettext_lazy("email", "state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(pgettext_lazy("email", "attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(pgettext_lazy("email", "sent at"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["id"], name="outbound_email_pending", condition=models.Q(state="pending"))]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class BackgroundJob(models.Model):
    """Long work (bill runs, exports, reports, dunning) run by a worker: queued → running → done | failed, with
    progress 0..100 and a JSON result (shared/API.md "Background jobs"). Without a broker it runs in-process."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("job", "queued")
        RUNNING = "running", pgettext_lazy("job", "running")
        DONE = "done", pgettext_lazy("job", "done")
        FAILED = "failed", pgettext_lazy("job", "failed")

    kind = models.CharField(pgettext_lazy("job", "kind"), max_length=60)
    params = models.JSONField(pgettext_lazy("job", "parameters"), default=dict)
    status = models.CharField(pgettext_lazy("job", "status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(pgettext_lazy("job", "progress"), default=0)
    result = models.JSONField(pgettext_lazy("job", "result"), null=True, blank=True)
    error = models.TextField(pgettext_lazy("job", "error"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=pgettext_lazy("job", "requested by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(pgettext_lazy("job", "started at"), null=True, blank=True)
    finished_at = models.DateTimeField(pgettext_lazy("job", "finished at"), null=True, blank=True)
    # the file the job produced (an export, a PDF), served only by GET /api/v1/jobs/{id}/file after a permission check
    file = models.FileField(pgettext_lazy("job", "file"), upload_to="jobs/", max_length=255, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_by", "-created_at"])]
        verbose_name = pgettext_lazy("job", "background job")
        verbose_name_plural = pgettext_lazy("job", "background jobs")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    def attach(self, filename: str, content: bytes) -> str:
        """Store the file this job produced (under MEDIA ``jobs/<id>/``); returns its storage name."""
        from django.core.files.base import ContentFile

        self.file.save(f"{self.pk}/{filename}", ContentFile(content), save=False)
        name = self.file.name
        assert name is not None  # FieldFile.save() always sets the stored name
        BackgroundJob.objects.filter(pk=self.pk).update(file=name)
        return name

    def report(self, progress: int) -> None:
        """A running job's progress, 0..100 (its runner calls ``job.report(40)``)."""
        self.progress = max(0, min(100, int(progress)))
        BackgroundJob.objects.filter(pk=self.pk).update(progress=self.progress)

    def attach_stored(self, name: str) -> None:
        """Point at a file stored already (a monthly report's PDF): no copy."""
        self.file.name = name
        BackgroundJob.objects.filter(pk=self.pk).update(file=name)


class JobMark(models.Model):
    """"This job has done its work for this project and period": the one lock rule of the scheduler
    (``core.scheduler.run_once``). The runner inserts the mark in the same transaction as the job's work, so a
    second worker, a repeated tick or a second scheduler skips (the unique constraint), and a failed run rolls its
    mark back so the next tick runs it. ``period`` is what the job's idempotence is about: the minute, the day or
    the month (local time); ``project`` is empty for a job that is not per project."""

    job = models.CharField(pgettext_lazy("job", "job"), max_length=60)
    period = models.CharField(pgettext_lazy("job", "period"), max_length=20)
    project = models.PositiveIntegerField(pgettext_lazy("job", "project"), null=True, blank=True)
    at = models.DateTimeField(pgettext_lazy("job", "done at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "period", "project"], condition=models.Q(project__isnull=False),
                                    name="job_mark_per_project_unique"),
            models.UniqueConstraint(fields=["job", "period"], condition=models.Q(project__isnull=True),
                                    name="job_mark_unique"),
        ]
        verbose_name = pgettext_lazy("job", "job mark")
        verbose_name_plural = pgettext_lazy("job", "job marks")

    def __str__(self) -> str:
        return f"{self.job} {self.period} {self.project or ''}".strip()


class IdempotencyKey(models.Model):
    """``Idempotency-Key`` of a request that moves money or stock: the same key (per user) returns the stored first
    response; the same key with a different request body is a conflict (``dutydesk.core.idempotency``). Moved here
    from billing (issue 16); the table keeps its name."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(pgettext_lazy("idempotency", "key"), max_length=100)
    request_hash = models.CharField(_("request hash"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), default=0)
    response = models.JSONField(_("response"), default=dict)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "billing_idempotencykey"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
