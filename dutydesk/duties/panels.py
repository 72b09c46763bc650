"""The duty engine on the home page: my tasks due today and overdue (with one-click done), my KPIs of the
current month, and for supervisors the team's overdue tasks (see core/panels.py)."""
from dutydesk.core import panels
from dutydesk.core.paging import badge_counts
from dutydesk.core.periods import Period
from dutydesk.duties.scorecards import scorecards_of_projects
from dutydesk.inbox import selectors as inbox_selectors
from dutydesk.inbox.models import Task
from dutydesk.org import access

MAX_TASKS = 10


@panels.register("home", template="duties/panels/tasks.html", order=10)
def my_tasks(request, **kwargs):
    user = request.user
    if not access.holdings(user):
        return None
    mine = inbox_selectors.tasks_for_me(user).filter(status=Task.Status.OPEN)
    overdue = inbox_selectors.filter_due(mine, "overdue")
    today = inbox_selectors.filter_due(mine, "today")
    rows = list(inbox_selectors.with_overdue(overdue | today).order_by("due_at", "id")[:MAX_TASKS])
    counted = {"overdue": overdue, "today": today}
    if access.has_perm(user, "duties.team"):
        counted["team_overdue"] = inbox_selectors.filter_due(inbox_selectors.tasks_of_team(user), "overdue")
    counts = badge_counts(counted)  # one statement, bounded like the tabs' badges
    return {"tasks": rows, "task_counts": {"overdue": counts["overdue"], "today": counts["today"]},
            "team_overdue": counts.get("team_overdue")}


@panels.register("home", template="duties/panels/kpis.html", order=50)
def my_kpis(request, **kwargs):
    """Each post I hold that has KPIs: my card of this month (target, actual, score) — one card per post and
    project however many buildings/floors I hold it on, computed set-based per project."""
    period = Period.current()
    holdings = access.holdings(request.user)
    shown, more = panels.first_projects(holding.project_id for holding in holdings)
    projects = {holding.project_id: holding.project for holding in holdings}
    cards_of = scorecards_of_projects(projects=[projects[project_id] for project_id in shown], period=period,
                                      user=request.user)
    cards = [card for project_id in shown for card in cards_of[project_id]]
    if not cards:
        return None
    return {"kpi_cards": cards, "kpi_period": period.label, "kpi_more_projects": more,
            "may_see_scorecards": access.has_perm(request.user, "reports.view")}
