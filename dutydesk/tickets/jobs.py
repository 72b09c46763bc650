"""Scheduler jobs of the work orders (``dutydesk scheduler`` runs them every tick; all idempotent)."""
from dutydesk.core.scheduler import job
from dutydesk.tickets import escalation, figures
from dutydesk.tickets.sweeps import DAY_END, MORNING_COMPLAINTS


@job("tickets.escalate", "escalate work orders past their resolution target to the superior post",
     per_project=True, projects=escalation.projects_with_breaches)
def escalate(now, project):
    return escalation.escalate_breached(now, project=project)


@job("tickets.escalate_response", "escalate work orders nobody has answered by their first-response target (once)",
     per_project=True, projects=escalation.projects_with_missed_replies)
def escalate_response(now, project):
    return escalation.escalate_missed_replies(now, project=project)


# The sweeps stay one job each (not per project): a receiver's task lists their tickets of every project, found by
# two grouped queries; split per project, one receiver would get one task per project under one task key.
@job("tickets.sweep_1700", "seeds/004_418914185ea837fa.txt 篇2: by 17:00 each receiver gets the list of today's open work orders (in the 17:00 check)",
     period="day", due=DAY_END.is_due)
def sweep_1700(now):
    return DAY_END.run(now)


@job("tickets.sweep_0900", "seeds/004_418914185ea837fa.txt 篇2: before 09:00 each owner of an unfinished complaint gets a follow-up task",
     period="day", due=MORNING_COMPLAINTS.is_due)
def sweep_0900(now):
    return MORNING_COMPLAINTS.run(now)


@job("tickets.keep_figures", "keep the work-order figures of each month for the trends (tickets/figures.py): every "
     "hour, the previous month and this one up to yesterday", per_project=True, period="hour")
def keep_figures(now, project):
    return figures.keep(project, now=now)["rows"]
