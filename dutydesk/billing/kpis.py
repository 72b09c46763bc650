"""Billing's KPI: a KPI source (dutydesk.org.kpis) built on billing/selectors.py."""
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from dutydesk.billing import selectors
from dutydesk.org import kpis
from dutydesk.org.kpis import Cards, CardKey, Measurement
from dutydesk.org.models import KPI

BILLS = (["billing:bills", "billing:bill-list"], "/api/v1/bills/")


@kpis.source("collection_rate", _("collection rate"))
def collection_rate(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """seeds/004_418914185ea837fa.txt:63: 管理费收费率 = 实收 ÷ 应收 ≥ 95 %, of the month's bills, in %; a floor butler's covers their floors."""
    project, period = cards.project, cards.period
    floor_cells: kpis.FloorCells | None = None
    # butlers' own cards alone read the bills of their floors; any other card the whole project
    covered = cards.butlers_only(group)
    if covered is not None:
        floor_cells = kpis.FloorCells(selectors.collection_by_floor(project=project, period=period.label,
                                                                    where=cards.covering(covered, "unit__")), 2)
        receivable = received = Decimal(0)  # no project-wide card to fill
    elif any(cards.is_floors(kpi.post_id) for kpi in group):
        # every bill of the month by its unit's building and floor (the project's total is their sum)
        floor_cells = kpis.FloorCells(selectors.collection_by_floor(project=project, period=period.label), 2)
        receivable, received = floor_cells.everything()
    else:
        totals = selectors.collection_rate(project=project, period=period.label)
        receivable, received = Decimal(totals["receivable"]), Decimal(totals["received"])
    project_wide = (receivable, received) if receivable else None
    results = {}
    for kpi, user_id in cards.each(group):
        figures = project_wide
        if floor_cells is not None and cards.is_floors(kpi.post_id):
            receivable, received = floor_cells.total(cards.holdings(kpi.post_id, user_id))
            figures = (receivable, received) if receivable else None
        if figures is None:
            continue
        receivable, received = figures
        results[kpi.pk, user_id] = Measurement(
            kpis.percent(received, receivable), kpis.url(*BILLS, period=period.label),
            {"receivable": str(receivable), "received": str(received)})
    return results
