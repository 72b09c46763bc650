from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "duties.team": _("See the tasks of subordinate posts"),
    "duties.score": _("Enter manual KPI values and deductions"),
    "duties.surveys": _("Build satisfaction surveys and record opinions"),
    "reports.view": _("See dashboards, scorecards and monthly reports"),
}
