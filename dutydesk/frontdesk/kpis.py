"""The front desk's KPI: a KPI source (dutydesk.org.kpis) built on frontdesk/selectors.py."""
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from dutydesk.frontdesk import selectors
from dutydesk.org import kpis
from dutydesk.org.kpis import Cards, CardKey, Measurement
from dutydesk.org.models import KPI

SERVICE_TIMES = (["frontdesk:times", "frontdesk:service-times"], "/api/v1/reports/service-times")


@kpis.source("service_time_compliance", _("service-time compliance"))
def service_time_compliance(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """Timed acts finished in the month within their post's time standard (服务时限) ÷ timed acts, in %: the
    person's acts, or every act of the post whoever the clerk."""
    period = cards.period
    groups = selectors.service_time_compliance_by_post_and_clerk(start=period.start_at, end=period.end_at,
                                                                 project=cards.project,
                                                                 post_ids=sorted({kpi.post_id for kpi in group}))
    by_post: defaultdict[int, dict] = defaultdict(dict)
    for (post_id, clerk_id), row in groups.items():
        by_post[post_id][clerk_id] = row
    results = {}
    for kpi, user_id in cards.each(group):
        rows = by_post[kpi.post_id]  # the post's card: every timed act of the post, whoever the clerk
        count, within = kpis.add_up(rows, rows if user_id is None else [user_id], 2)
        share = selectors.rate(within, count)
        if share is not None:
            results[kpi.pk, user_id] = Measurement(
                Decimal(share) * kpis.HUNDRED, kpis.url(*SERVICE_TIMES, period=period.label, clerk=user_id))
    return results
