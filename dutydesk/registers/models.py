"""Entries of the registers (登记/记录/台账) a catalogue declares (``org.Register``: fields, writers, readers, time
standard, follow-ups). An entry keeps its values as JSON keyed by field code, already checked and normalised by
``registers.values`` (numbers and amounts as decimal text, dates ISO, a unit or resident as its id, a photo as
its stored file name)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Entry(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("in progress")
        FINISHED = "finished", _("finished")

    register = models.ForeignKey("org.Register", on_delete=models.PROTECT, related_name="entries",
                                 verbose_name=_("register"))
    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="register_entries",
                                verbose_name=_("project"))
    number = models.CharField(_("number"), max_length=30)
    values = models.JSONField(_("values"), default=dict)
    unit = models.ForeignKey("archive.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))  # the first unit field, for lists and searching
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    post = models.ForeignKey("org.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("post"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    finished_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("finished by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.FINISHED)
    # timed registers: finished within the register's limit (None while open, or for an untimed register)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["register", "project", "started_at"]),
            models.Index(fields=["recorded_by", "started_at"]),
            models.Index(fields=["register", "started_at"], condition=Q(status="open"), name="register_entry_open"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["register", "project", "number"], name="register_entry_number_unique"),
            models.CheckConstraint(condition=Q(finished_at__isnull=True) | Q(finished_at__gte=models.F("started_at")),
                                   name="register_entry_finished_after_start"),
        ]
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")

    def __str__(self) -> str:
        return self.number

    @property
    def duration_minutes(self) -> int | None:
        if self.finished_at is None:
            return None
        return int((self.finished_at - self.started_at).total_seconds() // 60)


class EntryCounter(models.Model):
    """The last number issued per register, project and year; locked while an entry is recorded, so numbers are
    gapless (a rolled-back entry gives its number back), as ticket numbers are."""

    register = models.ForeignKey("org.Register", verbose_name=_("register"), on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("archive.Project", verbose_name=_("project"), on_delete=models.CASCADE,
                                related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["register", "project", "year"],
                                               name="register_entry_counter_unique")]
        verbose_name = _("entry counter")
        verbose_name_plural = _("entry counters")
