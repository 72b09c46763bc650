"""The work-order KPIs: KPI sources (dutydesk.org.kpis) built on the figures of tickets/selectors.py."""
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from dutydesk.core import clock
from dutydesk.org import kpis
from dutydesk.org.kpis import Cards, CardKey, Measurement
from dutydesk.org.models import KPI
from dutydesk.tickets import selectors

TICKETS = (["tickets:queue", "tickets:list"], "/api/v1/tickets/")


def _shares(cards: Iterable[tuple[KPI, int | None, list]], names: tuple[str, str],
            link: Callable[[int | None], str]) -> dict[CardKey, Measurement]:
    """Per card (kpi, user id, (whole, part)): part ÷ whole in %, the card's work orders, and the two figures named
    ``names`` (part, whole); a card with no work orders measures no data."""
    return {(kpi.pk, user_id): Measurement(kpis.percent(part, whole), link(user_id),
                                           {names[0]: part, names[1]: whole})
            for kpi, user_id, (whole, part) in cards if whole}


@kpis.source("sla_compliance", _("work orders on time"))
def sla_compliance(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """Work orders resolved in the month by their resolution target ÷ those resolved in the month with a target,
    in %, of the assignee (the person, or the post's holders)."""
    project, period = cards.project, cards.period
    figures = selectors.sla_compliance(project=project, periods=[period], by="assignee_id",
                                       among=cards.all_staff(group))
    by_assignee = {assignee: (month.resolved, month.within) for assignee, (month,) in figures.items()}
    return _shares(kpis.by_person(group, cards, by_assignee, 2), ("within", "resolved"),
                   lambda user_id: kpis.url(*TICKETS, project=project.pk, assignee=user_id, resolved=period.label))


@kpis.source("complaint_closed_3d", _("complaints closed within 3 days"))
def complaint_closed_3d(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """seeds/000_d44081c6db2527f0.txt:245 篇11: a complaint form is closed within 3 days — working days, as the SLA counts
    them. Complaints received in the month and closed by the end of the third working day after the day they came
    in ÷ those received in the month whose deadline has passed or that are closed, in %. The department's figure: a
    post's card and its holders' cards count every complaint of the project (a supervisor answers for the complaints
    the desk takes, not only those they received themselves); a floor butler's, those on their floors."""
    project, period = cards.project, cards.period
    # butlers' cards alone read their own floors, other cards alone the project's figure (no cells); both: the cells
    covered = cards.butlers_only(group)
    cells = kpis.FloorCells(selectors.complaints_closed_in_time(
        project=project, period=period, now=clock.now(), by_floor=any(cards.is_floors(kpi.post_id) for kpi in group),
        where=None if covered is None else cards.covering(covered, "unit__")), 2)
    figures = ((kpi, user_id, cells.total(cards.holdings(kpi.post_id, user_id)) if cards.is_floors(kpi.post_id)
                else cells.everything()) for kpi, user_id in cards.each(group))
    return _shares(figures, ("closed_within_3_days", "complaints"),
                   lambda user_id: kpis.url(*TICKETS, project=project.pk, kind="complaint", received=period.label))


@kpis.source("return_visit_rate", _("return-visit rate"))
def return_visit_rate(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """Every complaint gets a return visit (PRODUCT.md; 004 篇2): complaints and repairs resolved in the month with
    a return visit ÷ those resolved, in % — of their owner, or on a floor butler's floors."""
    project, period = cards.project, cards.period
    resolved = selectors.resolved_needing_return_visit(project=project, start=period.start_at, end=period.end_at)
    counts: dict[str, Any] = {"total": Count("id"), "visited": Count("id", filter=selectors.has_return_visit())}
    by_owner, floor_cells = kpis.by_person_and_floor(group, cards, resolved, "owner_id", "unit__", **counts)
    return _shares(kpis.card_totals(group, cards, by_owner, floor_cells, 2), ("visited", "resolved"),
                   lambda user_id: kpis.url(*TICKETS, project=project.pk, owner=user_id, resolved=period.label))


@kpis.source("response_on_time", _("first responses on time"))
def response_on_time(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """The resident gets an answer by the first-response target (``response_due``: the same day,
    seeds/000_d44081c6db2527f0.txt:367 篇16 客户提出的问题务必当天给予回复; within 48 h, seeds/002_59da8478c28f7f86.txt:1338 篇6):
    work orders received in the month answered by their target ÷ those whose target has passed or that were answered,
    in % — of their first-ask owner (首问负责人, who answers the resident), or on a floor butler's floors."""
    project, period = cards.project, cards.period
    due = selectors.responses_due(project=project, start=period.start_at, end=period.end_at, now=clock.now())
    counts: dict[str, Any] = {"total": Count("id"), "answered": Count("id", filter=selectors.answered_in_time())}
    by_owner, floor_cells = kpis.by_person_and_floor(group, cards, due, "owner_id", "unit__", **counts)
    return _shares(kpis.card_totals(group, cards, by_owner, floor_cells, 2), ("answered_in_time", "due"),
                   lambda user_id: kpis.url(*TICKETS, project=project.pk, owner=user_id, received=period.label))
