"""Scheduler jobs of the work orders (``dutydesk scheduler`` runs them every tick; all idempotent)."""
from dutydesk.core.scheduler import job
from dutydesk.tickets import services


@job("tickets.escalate", "escalate work orders past their resolution target to the superior post",
     per_project=True, projects=services.projects_with_breaches)
def escalate(now, project):
    return services.escalate_breached(now, project=project)


# The sweeps stay one job each (not per project): a receiver's task lists their tickets of every project, found by
# two grouped queries; split per project, one receiver would get one task per project under one task key.
@job("tickets.sweep_1700", "seed 004 篇2: at 17:00 each receiver gets a task listing today's open work orders",
     period="day", due=services.sweep_day_end_due)
def sweep_1700(now):
    return services.sweep_day_end(now)


@job("tickets.sweep_0900", "seed 004 篇2: before 09:00 each owner of an unfinished complaint gets a follow-up task",
     period="day", due=services.sweep_morning_due)
def sweep_0900(now):
    return services.sweep_morning_complaints(now)
