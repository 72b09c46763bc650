from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "dutydesk.duties"
    label = "duties"
    verbose_name = _("Duty engine")
    nav_items = [
        (_("My tasks"), "duties:inbox", None),
        (_("Dashboard"), "duties:dashboard", "reports.view"),
        (_("Scorecards"), "duties:scorecards", "reports.view"),
        (_("Opinions"), "duties:opinions", None),
        (_("Surveys"), "duties:surveys", "duties.surveys"),
        (_("Appraisal"), "duties:deductions", "duties.score"),
        (_("Monthly reports"), "duties:monthly-reports", "reports.view"),
    ]
    portal_items = [(_("Satisfaction surveys"), "duties:portal-surveys")]
