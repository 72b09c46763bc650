"""The duty engine's records: resident opinions, satisfaction surveys and their answers, manual KPI values,
deductions and the monthly reports. Tasks live in the inbox (dutydesk.inbox.models.Task)."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from dutydesk.archive.places import PLACE_FIELDS, AtItsUnitsPlace


class Opinion(models.Model):
    """A resident's opinion or suggestion (意见/建议) from any channel, tagged to a unit and the butler
    responsible for it. seeds/004_418914185ea837fa.txt: each butler collects at least 7 a week."""

    class Kind(models.TextChoices):
        OPINION = "opinion", _("opinion")
        SUGGESTION = "suggestion", _("suggestion")

    class Channel(models.TextChoices):
        PHONE = "phone", _("phone")
        VISIT = "visit", _("visit")
        LETTER = "letter", _("letter")
        FRONT_DESK = "front_desk", _("front desk")
        PORTAL = "portal", _("portal")
        EVENT = "event", _("community event")
        OTHER = "other", _("other")

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="opinions",
                                verbose_name=_("project"))
    unit = models.ForeignKey("archive.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="opinions",
                             verbose_name=_("unit"))
    resident = models.ForeignKey("archive.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="opinions", verbose_name=_("resident"))
    butler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="butler_opinions", verbose_name=_("butler"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OPINION)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.VISIT)
    text = models.TextField(_("opinion"))
    received_at = models.DateTimeField(_("received at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="recorded_opinions", verbose_name=_("recorded by"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["project", "received_at"])]
        verbose_name = _("resident opinion")
        verbose_name_plural = _("resident opinions")

    def __str__(self):
        return self.text[:60]


class Survey(models.Model):
    """A satisfaction survey (满意度调查) sent to the residents of a project. seeds/000_d44081c6db2527f0.txt:382 篇18: at least
    twice a year, with analysis and return visits to dissatisfied residents."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="surveys",
                                verbose_name=_("project"))
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("score 1–5")
        CHOICE = "choice", pgettext_lazy("question kind", "choice")  # 单选; a register field of choices is 选项
        TEXT = "text", _("free text")

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        ordering = ["survey_id", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text


class SurveyResponse(AtItsUnitsPlace, models.Model):
    """One unit's answers to a survey (online in the portal or a paper form entered by staff). ``building`` and
    ``floor``: where the unit is (``archive.places``), so that a month's ratings by floor (a floor butler's average
    satisfaction) group the answers and their responses alone."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("portal")
        PAPER = "paper", _("paper form")

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.PROTECT, related_name="responses")
    unit = models.ForeignKey("archive.Unit", on_delete=models.PROTECT, related_name="survey_responses",
                             verbose_name=_("unit"))
    resident = models.ForeignKey("archive.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("resident"))
    butler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("butler"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("entered by"))
    submitted_at = models.DateTimeField(_("submitted at"))
    history = HistoricalRecords(excluded_fields=PLACE_FIELDS)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["survey", "unit"], name="one_survey_response_per_unit")]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, verbose_name=pgettext_lazy("survey", "response"),
                                 on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="answer_score_1_to_5"),
        ]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")


class KPIValue(models.Model):
    """A manual KPI value a supervisor enters for a person (user) or a whole post (user null) for a month."""

    kpi = models.ForeignKey("org.KPI", on_delete=models.CASCADE, related_name="values", verbose_name=_("KPI"))
    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("project"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="kpi_values", verbose_name=_("staff member"))
    period = models.DateField(_("month"))  # the first day of the month
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period", "kpi_id"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "project", "user", "period"], condition=Q(user__isnull=False),
                                    name="kpi_value_once_per_person_month"),
            models.UniqueConstraint(fields=["kpi", "project", "period"], condition=Q(user__isnull=True),
                                    name="kpi_value_once_per_post_month"),
        ]
        verbose_name = _("manual KPI value")
        verbose_name_plural = _("manual KPI values")


class Deduction(models.Model):
    """扣分: a supervisor deducts points from a staff member against a rule of the
    《操作规程及考核评分标准》 (seeds/004_418914185ea837fa.txt: monthly average deduction under 3 points)."""

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("project"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deductions",
                             verbose_name=_("staff member"))
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("post"))
    rule = models.CharField(_("rule"), max_length=200)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("reason"))
    occurred_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(points__gt=0), name="deduction_points_positive")]
        verbose_name = _("deduction")
        verbose_name_plural = _("deductions")


class MonthlyReport(models.Model):
    """The department's monthly report (seeds/004_418914185ea837fa.txt:28 archivist: 部门每月工作总结, before the 5th), generated
    on the 1st for the previous month as PDF and Excel."""

    project = models.ForeignKey("archive.Project", on_delete=models.PROTECT, related_name="monthly_reports",
                                verbose_name=_("project"))
    period = models.DateField(_("month"))
    data = models.JSONField(_("data"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to="reports/monthly/")
    xlsx = models.FileField(_("Excel"), upload_to="reports/monthly/")
    generated_at = models.DateTimeField(_("generated at"))

    class Meta:
        ordering = ["-period", "project_id"]
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="one_monthly_report_per_project")]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")

    def __str__(self):
        return f"{self.project} {self.period:%Y-%m}"
