"""The stores' KPI: a KPI source (dutydesk.org.kpis) built on stock/selectors.py."""
from django.utils.translation import gettext_lazy as _

from dutydesk.org import kpis
from dutydesk.org.kpis import Cards, CardKey, Measurement
from dutydesk.org.models import KPI
from dutydesk.stock import selectors

COUNTS = (["stock:count"], "/api/v1/stock/counts")


@kpis.source("stock_count_accuracy", _("stocktakes matching the books"))
def stock_count_accuracy(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """seeds/000_d44081c6db2527f0.txt:156 篇5 仓管员: 每星期必须把在库货物盘点一次，做到帐实相符 — the month's stocktakes
    whose count matched the books ÷ the month's stocktakes, in %: the person's, or every holder's of the post."""
    people = cards.all_staff(group)
    if not people:
        return {}
    period = cards.period
    groups = selectors.count_accuracy_by_person(project=cards.project, start=period.start_at, end=period.end_at,
                                                people=people)
    results = {}
    for kpi, user_id, (total, matched) in kpis.by_person(group, cards, groups, 2):
        share = kpis.percent(matched, total)
        if share is not None:
            results[kpi.pk, user_id] = Measurement(
                share, kpis.url(*COUNTS, project=getattr(cards.project, "pk", cards.project)),
                {"stocktakes": total, "matched": matched})
    return results
