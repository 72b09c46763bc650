"""Who may read task photos (whoever sees the task) and the monthly reports (who may see the project's report)."""
from django.db.models import Q

from dutydesk.core import files
from dutydesk.duties.api import may_see_monthly_report
from dutydesk.duties.models import MonthlyReport
from dutydesk.inbox.selectors import tasks_visible_to


@files.reader("tasks/")
def task_evidence(user, name):
    return tasks_visible_to(user).filter(evidence=name).exists()


@files.reader("reports/monthly/")
def monthly_report_file(user, name):
    report = MonthlyReport.objects.filter(Q(pdf=name) | Q(xlsx=name)).select_related("project").first()
    return report is not None and may_see_monthly_report(user, report.project)
