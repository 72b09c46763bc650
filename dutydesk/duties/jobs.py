"""Scheduler jobs of the duty engine (``dutydesk scheduler``). Both are idempotent."""
from django.utils import timezone

from dutydesk.core.scheduler import job


@job("duties.routines", "turn the catalogue's routines into today's (this week's, this month's) tasks")
def generate_routine_tasks(now):
    from dutydesk.duties.services import routine_tasks_generate

    return routine_tasks_generate(day=timezone.localtime(now).date())


@job("duties.monthly_report", "on the 1st: the department's report of last month (PDF + Excel) to the archivist")
def generate_monthly_reports(now):
    from dutydesk.duties.reports import monthly_reports_generate

    return monthly_reports_generate(now=now)
