"""Scheduler jobs of the vendors (idempotent: a tick can run twice)."""
from datetime import datetime

from django.utils import timezone

from dutydesk.archive.models import Project
from dutydesk.core.periods import Period
from dutydesk.core.scheduler import job
from dutydesk.vendors import services


@job("vendors.evaluation_reminder", "At the start of each month, remind the supervising posts to evaluate their vendors "
     "for the month that ended", per_project=True, period="month",
     projects=lambda now: Project.objects.filter(vendors__active=True).distinct())
def evaluation_reminder(now: datetime, project: Project) -> int:
    """The first tick of a month puts one task per supervising post that has vendors left to evaluate for the
    previous month (``services.evaluation_reminders``). Returns the tasks created."""
    month = Period.month_of(timezone.localtime(now).date()).previous()
    return services.evaluation_reminders(project=project, month=month)
