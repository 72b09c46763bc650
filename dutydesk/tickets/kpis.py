"""The work-order KPIs: KPI sources (dutydesk.org.kpis) built on the figures of tickets/selectors.py."""
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from dutydesk.core import clock
from dutydesk.org import kpis
from dutydesk.org.kpis import Cards, CardKey, Measurement
from dutydesk.org.models import KPI
from dutydesk.tickets import selectors

TICKETS = (["tickets:queue", "tickets:list"], "/api/v1/tickets/")


@kpis.source("sla_compliance", _("work orders on time"))
def sla_compliance(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """Work orders resolved in the month by their resolution target ÷ those resolved in the month with a target,
    in %, of the assignee (the person, or the post's holders)."""
    project, period = cards.project, cards.period
    figures = selectors.sla_compliance(project=project, periods=[period], by="assignee_id",
                                       among=cards.all_staff(group))
    by_assignee = {assignee: (month.resolved, month.within) for assignee, (month,) in figures.items()}
    results = {}
    for kpi, user_id, (total, within) in kpis.by_person(group, cards, by_assignee, 2):
        if total:
            results[kpi.pk, user_id] = Measurement(
                kpis.percent(within, total),
                kpis.url(*TICKETS, project=project.pk, assignee=user_id, resolved=period.label),
                {"within": within, "resolved": total})
    return results


@kpis.source("complaint_closed_3d", _("complaints closed within 3 days"))
def complaint_closed_3d(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """seeds/000_d44081c6db2527f0.txt:245 篇11: a complaint form is closed within 3 days. Complaints received in the month and closed within
    3 days ÷ those received in the month whose 3 days have run out or that are closed, owned (首问负责人) by the
    person or the post's holders, in %."""
    project, period = cards.project, cards.period
    by_owner = selectors.complaints_closed_in_time(project=project, start=period.start_at, end=period.end_at,
                                                   now=clock.now(), owners=cards.all_staff(group))
    results = {}
    for kpi, user_id, (total, within) in kpis.by_person(group, cards, by_owner, 2):
        if total:
            results[kpi.pk, user_id] = Measurement(
                kpis.percent(within, total),
                kpis.url(*TICKETS, project=project.pk, kind="complaint", owner=user_id, received=period.label),
                {"closed_within_3_days": within, "complaints": total})
    return results


@kpis.source("return_visit_rate", _("return-visit rate"))
def return_visit_rate(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """Every complaint gets a return visit (PRODUCT.md; 004 篇2): complaints and repairs resolved in the month with
    a return visit ÷ those resolved, in % — of their owner, or on a floor butler's floors."""
    project, period = cards.project, cards.period
    resolved = selectors.resolved_needing_return_visit(project=project, start=period.start_at, end=period.end_at)
    counts = {"total": Count("id"), "visited": Count("id", filter=selectors.has_return_visit())}
    by_owner, floor_cells = kpis.by_person_and_floor(group, cards, resolved, "owner_id", "unit__", **counts)
    results = {}
    for kpi, user_id, (total, visited) in kpis.card_totals(group, cards, by_owner, floor_cells, 2):
        if total:
            results[kpi.pk, user_id] = Measurement(
                kpis.percent(visited, total),
                kpis.url(*TICKETS, project=project.pk, owner=user_id, resolved=period.label),
                {"visited": visited, "resolved": total})
    return results
