"""Billing. ``OneOffCharge`` is the hand-over point from other modules: a paid service
(有偿服务) recorded on a repair work order becomes a receivable for the unit here, and the next
bill run puts it on the unit's bill."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OneOffCharge(models.Model):
    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="one_off_charges")
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="one_off_charges",
                             verbose_name=_("unit"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    description = models.CharField(_("description"), max_length=200)
    source = models.CharField(_("source"), max_length=30, default="repair")  # e.g. "repair"
    source_id = models.BigIntegerField(_("source record"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    billed_at = models.DateTimeField(_("billed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="one_off_charge_positive")]
        verbose_name = _("one-off charge")
        verbose_name_plural = _("one-off charges")

    def __str__(self):
        return f"{self.unit} {self.description} {self.amount}"
