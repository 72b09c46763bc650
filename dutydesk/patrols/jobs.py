"""Scheduler jobs of patrols (idempotent: a tick can run twice, two schedulers at once are harmless)."""
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.core.scheduler import job
from dutydesk.patrols import services


def _projects_with_rounds(now: datetime) -> QuerySet[Project]:
    return Project.objects.filter(Q(patrol_routes__active=True) | Q(patrol_rounds__status="open")).distinct()


@job("patrols.rounds", "release the day's patrol rounds as tasks of the routes' posts; close the rounds of past days "
     "still open as missed (seeds 000 篇18 12.2 每天不间断…巡查, 002 每天上、下午巡查)",
     per_project=True, period="day", projects=_projects_with_rounds)
def release_rounds(now: datetime, project: Project) -> int:
    """Once a project and day (core.JobMark): yesterday's open rounds become missed, today's are released (each its
    task). The release itself is idempotent too: it never makes a round twice for a route and start time."""
    day = timezone.localtime(now).date()
    services.rounds_close_missed(project=project, before=clock.at(day, "00:00"))
    return services.rounds_release(project=project, day=day, now=now)
