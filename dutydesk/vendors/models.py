"""Outsourced vendors (外包方) and their monthly evaluation (外包方评价).

The customer-service department of seed 000 篇18 outsources cleaning, greening and pest control
(seeds/000_d44081c6db2527f0.txt:386 一、3.0 负责物业清洁、绿化、消杀等专项业务外包单位的选聘、计划安排、质量监督、考核以及
费用呈报); the property also contracts security and lift maintenance. Each vendor names the posts that supervise it;
those posts evaluate it every month (:437 3.2 负责绿化养护、清洁、消杀服务的月度考评; :519 10.2 每月对清洁、消杀、幕墙清洗等
外包供应商的服务质量和效果进行考评), one ``Evaluation`` per vendor, month and evaluating post: a score (0–100) per
criterion of the vendor's kind (``criteria.py``), the weighted total, who evaluated and their comments."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

USER = settings.AUTH_USER_MODEL


class Vendor(models.Model):
    class Kind(models.TextChoices):
        CLEANING = "cleaning", _("cleaning")
        GREENING = "greening", _("greening")
        PEST_CONTROL = "pest_control", _("pest control")
        SECURITY = "security", _("security")
        LIFTS = "lifts", _("lift maintenance")
        OTHER = "other", _("other services")

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="vendors",
                                verbose_name=_("project"))
    name = models.CharField(_("vendor name"), max_length=100)
    kind = models.CharField(_("service"), max_length=20, choices=Kind.choices)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    contract_starts_on = models.DateField(_("contract from"), null=True, blank=True)
    contract_ends_on = models.DateField(_("contract until"), null=True, blank=True)
    # the posts that supervise the vendor and evaluate it each month (each link audited: ``Supervision``)
    supervising_posts = models.ManyToManyField("org.Post", through="Supervision", related_name="supervised_vendors",
                                               verbose_name=_("supervising posts"))
    active = models.BooleanField(_("under contract"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="vendors_vendor_name_unique_in_project"),
            models.CheckConstraint(condition=Q(contract_ends_on__isnull=True) | Q(contract_starts_on__isnull=True)
                                   | Q(contract_ends_on__gte=models.F("contract_starts_on")),
                                   name="vendors_vendor_contract_dates_ordered"),
        ]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self) -> str:
        return self.name


class Supervision(models.Model):
    """A post that supervises a vendor. Its own rows and history: who added or removed a supervising post, when."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="supervisions", verbose_name=_("vendor"))
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("post"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["vendor_id", "id"]
        constraints = [models.UniqueConstraint(fields=["vendor", "post"], name="vendors_supervision_unique")]
        verbose_name = _("supervising post")
        verbose_name_plural = _("supervising posts")

    def __str__(self) -> str:
        return f"{self.vendor} · {self.post}"


class Evaluation(models.Model):
    """One post's evaluation of one vendor for one month (``month`` is ``YYYY-MM``)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="evaluations",
                               verbose_name=_("vendor"))
    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("project"))
    month = models.CharField(_("month"), max_length=7)
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="vendor_evaluations",
                             verbose_name=_("evaluating post"))
    evaluated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("evaluated by"))
    evaluated_at = models.DateTimeField(_("evaluated at"))
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=2)
    comments = models.TextField(_("comments"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "vendor_id", "post_id"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "month", "post"], name="vendors_one_evaluation_per_post_and_month"),
            models.CheckConstraint(condition=Q(total__gte=0) & Q(total__lte=100), name="vendors_evaluation_total_0_100"),
        ]
        indexes = [models.Index(fields=["project", "month"], name="vendors_evaluation_month")]
        verbose_name = _("vendor evaluation")
        verbose_name_plural = _("vendor evaluations")

    def __str__(self) -> str:
        return f"{self.vendor} {self.month}"


class Score(models.Model):
    """The score of one criterion; the criterion's name and weight are kept as they were when it was scored."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores",
                                   verbose_name=_("evaluation"))
    criterion = models.CharField(_("criterion"), max_length=40)
    name = models.CharField(_("criterion name"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    score = models.PositiveSmallIntegerField(_("score"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="vendors_score_one_per_criterion"),
            models.CheckConstraint(condition=Q(score__lte=100), name="vendors_score_0_100"),
        ]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")

    def __str__(self) -> str:
        return f"{self.name} {self.score}"
