"""A catalogue draft: the text a manager pasted or uploaded, the posts read from it (as the reviewer edits them) and the
catalogue YAML they make, until it is published through the normal catalogue import."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dutydesk.core import clock


class CatalogDraft(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    catalog_code = models.SlugField(_("catalogue code"))
    catalog_name = models.CharField(_("catalogue name"), max_length=120)
    department = models.CharField(_("department"), max_length=120, blank=True)
    source_name = models.CharField(_("source file"), max_length=200, blank=True)
    source_text = models.TextField(_("source text"))
    # [{key, name, code, name_en, line, superior_key, superior_text, superior_line, subordinates,
    #   duties: [{id, text, line, source}], standards: [...], routines: [...], kpis: [...]}] (drafts/builder.py)
    posts = models.JSONField(_("posts"), default=list)
    warnings = models.JSONField(_("warnings"), default=list)
    yaml = models.TextField(_("catalogue YAML"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("previous draft"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=clock.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("published by"))
    result = models.JSONField(_("import result"), default=dict, blank=True)
    # the source text is kept once, not in every history row (up to 5 MB)
    history = HistoricalRecords(excluded_fields=["source_text"])

    class Meta:
        ordering = ["-id"]
        verbose_name = _("catalogue draft")
        verbose_name_plural = _("catalogue drafts")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["draft", "published"]), name="drafts_status_known"),
            models.CheckConstraint(condition=Q(status="draft") | Q(published_at__isnull=False),
                                   name="drafts_published_has_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.catalog_name}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
