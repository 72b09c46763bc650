"""The work-order KPIs: KPI sources (dutydesk.org.kpis) built on the figures of tickets/selectors.py."""
from collections.abc import Callable, Iterable

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
    """seeds/000_d44081c6db2527f0.txt:245 篇11: a complaint form is closed within 3 days. Complaints received in the month and closed within
    3 days ÷ those received in the month whose 3 days have run out or that are closed, owned (首问负责人) by the
    person or the post's holders, in %."""
    project, period = cards.project, cards.period
    by_owner = selectors.complaints_closed_in_time(project=project, start=period.start_at, end=period.end_at,
                                                   now=clock.now(), owners=cards.all_staff(group))
    return _shares(kpis.by_person(group, cards, by_owner, 2), ("closed_within_3_days", "complaints"),
                   lambda user_id: kpis.url(*TICKETS, project=project.pk, kind="complaint", owner=user_id,
                                            received=period.label))


@kpis.source("return_visit_rate", _("return-visit rate"))
def return_visit_rate(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """Every complaint gets a return visit (PRODUCT.md; 004 篇2): complaints and repairs resolved in the month with
    a return visit ÷ those resolved, in % — of their owner, or on a floor butler's floors."""
    project, period = cards.project, cards.period
    resolved = selectors.resolved_needing_return_visit(project=project, start=period.start_at, end=period.end_at)
    counts = {"total": Count("id"), "visited": Count("id", filter=selectors.has_return_visit())}
    by_owner, floor_cells = kpis.by_person_and_floor(group, cards, resolved, "owner_id", "unit__", **counts)
    return _shares(kpis.card_totals(group, cards, by_owner, floor_cells, 2), ("visited", "resolved"),
                   lambda user_id: kpis.url(*TICKETS, project=project.pk, owner=user_id, resolved=period.label))
