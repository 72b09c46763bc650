"""The managers' and supervisors' dashboard (reports.view): seven charts, each with the list behind
every bar or point. A chart with no rows says "no data". The figures are the other apps' selectors (duties sits
above tickets, billing and frontdesk): SLA compliance is ``tickets.selectors.sla_compliance`` and first responses on
time ``tickets.selectors.response_compliance``, as in the KPIs and the monthly report.
Set-based (issue 11): each chart is one grouped query (per building, per month, per age bucket), so the
dashboard costs the same number of queries whatever the number of buildings and units.
Each chart is ``{"key", "title", "type", "unit", "labels", "values", "urls", "url", "no_data"}``; its links are
given only to someone whose posts open the list behind them in the project (``OPENS``): reports.view alone (the
department's clerk) sees the figures without links that would answer 403."""
from decimal import Decimal

from django.db.models import Avg, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from dutydesk.archive.models import Building
from dutydesk.billing import selectors as billing
from dutydesk.core import clock
from dutydesk.core.periods import Period
from dutydesk.duties.models import Answer
from dutydesk.frontdesk.selectors import service_time_report
from dutydesk.inbox.selectors import overdue_tasks_by_post
from dutydesk.org import access
from dutydesk.org.kpis import percent, url
from dutydesk.tickets import figures as ticket_figures
from dutydesk.tickets import selectors as tickets

TICKETS_LIST = (["tickets:queue", "tickets:list"], "/api/v1/tickets/")
# the permission the list behind each chart's bars and points asks for (the page's own check)
OPENS = {"work_orders_by_age": "tickets.view", "sla_trend": "tickets.view", "response_trend": "tickets.view",
         "collection_by_building": "billing.view", "service_time_by_procedure": "frontdesk.reports",
         "satisfaction_trend": "duties.surveys", "overdue_tasks_by_post": "duties.team"}


def _chart(key, title, kind="bar", unit=""):
    return {"key": key, "title": title, "type": kind, "unit": unit, "labels": [], "values": [], "urls": [],
            "url": "", "no_data": True}


def _filled(chart: dict, fill) -> dict:
    fill(chart)
    chart["no_data"] = not chart["values"]
    return chart


def _months(period, count=6):
    months = [period]
    while len(months) < count:
        months.insert(0, months[0].previous())
    return months


def open_work_orders_by_age(project):
    chart = _chart("work_orders_by_age", _("Open work orders by age"), unit=_("work orders"))

    def fill(chart):
        buckets = [(_("under 1 day"), 0, 1), (_("1–3 days"), 1, 3), (_("3–7 days"), 3, 7), (_("over 7 days"), 7, None)]
        counts = tickets.open_by_age(project=project, now=clock.now(),
                                     buckets=[(low, high) for _label, low, high in buckets])
        if not any(counts):
            return
        for (label, low, high), count in zip(buckets, counts, strict=True):
            chart["labels"].append(str(label))
            chart["values"].append(count)
            chart["urls"].append(url(*TICKETS_LIST, project=project.pk, status="open", age_from=low, age_to=high))
        chart["url"] = url(*TICKETS_LIST, project=project.pk, status="open")

    return _filled(chart, fill)


def sla_trend(project, period):
    chart = _chart("sla_trend", _("SLA compliance trend"), kind="line", unit="%")

    def fill(chart):
        months = _months(period)
        figures = ticket_figures.sla_by_month(project=project, periods=months)  # kept days + today: ≤ 3 queries
        any_data = False
        for month, sla in zip(months, figures, strict=True):
            rate = sla.percent
            any_data |= rate is not None
            chart["labels"].append(month.label)
            chart["values"].append(float(rate) if rate is not None else None)
            chart["urls"].append(url(*TICKETS_LIST, project=project.pk, resolved=month.label))
        if not any_data:
            chart.update(labels=[], values=[], urls=[])
        chart["url"] = url(*TICKETS_LIST, project=project.pk)

    return _filled(chart, fill)


def response_trend(project, period):
    """First responses on time (same-day reply / 48 h) per month received: the KPI response_on_time of the project."""
    chart = _chart("response_trend", _("First responses on time"), kind="line", unit="%")

    def fill(chart):
        months = _months(period)
        figures = ticket_figures.responses_by_month(project=project, periods=months, now=clock.now())  # ≤ 3 queries
        any_data = False
        for month, responses in zip(months, figures, strict=True):
            rate = responses.percent
            any_data |= rate is not None
            chart["labels"].append(month.label)
            chart["values"].append(float(rate) if rate is not None else None)
            chart["urls"].append(url(*TICKETS_LIST, project=project.pk, received=month.label))
        if not any_data:
            chart.update(labels=[], values=[], urls=[])
        chart["url"] = url(*TICKETS_LIST, project=project.pk)

    return _filled(chart, fill)


def collection_by_building(project, period):
    chart = _chart("collection_by_building", _("Collection rate by building"), unit="%")

    def fill(chart):
        by_building = billing.collection_by_building(project=project, period=period.label)  # one GROUP BY building
        for building in Building.objects.filter(project=project).order_by("name"):
            figures = by_building.get(building.pk)
            if figures is None:
                continue
            chart["labels"].append(building.name)
            chart["values"].append(float(percent(figures[1], figures[0])))
            chart["urls"].append(url(["billing:bills", "billing:bill-list"], "/api/v1/bills/", period=period.label,
                                     building=building.pk))
        chart["url"] = url(["billing:bills", "billing:bill-list"], "/api/v1/bills/", period=period.label)

    return _filled(chart, fill)


def service_time_by_procedure(project, period):
    chart = _chart("service_time_by_procedure", _("Service-time compliance by procedure"), unit="%")

    def fill(chart):
        report = service_time_report(project_ids=[project.pk], period=period.label)
        for row in report.get("results", []):
            if not row.get("count"):
                continue
            chart["labels"].append(row.get("procedure_name") or row["procedure"])
            # contract: compliance_rate is a share 0–1 as a decimal string (like the collection rate)
            chart["values"].append(float(Decimal(str(row["compliance_rate"])) * 100))
            chart["urls"].append(url(["frontdesk:times", "frontdesk:service-times"], "/api/v1/reports/service-times",
                                     period=period.label, procedure=row["procedure"]))
        chart["url"] = url(["frontdesk:times", "frontdesk:service-times"], "/api/v1/reports/service-times",
                           period=period.label)

    return _filled(chart, fill)


def satisfaction_trend(project, period):
    chart = _chart("satisfaction_trend", _("Satisfaction trend (1–5)"), kind="line", unit=_("points"))

    def fill(chart):
        months = _months(period)
        averages = Answer.objects.filter(  # one query: an average per month
            score__isnull=False, response__survey__project=project, response__submitted_at__gte=months[0].start_at,
            response__submitted_at__lt=months[-1].end_at).aggregate(**{
                f"avg{index}": Avg("score", filter=Q(response__submitted_at__gte=month.start_at,
                                                     response__submitted_at__lt=month.end_at))
                for index, month in enumerate(months)})
        any_data = False
        for index, month in enumerate(months):
            average = averages[f"avg{index}"]
            any_data |= average is not None
            chart["labels"].append(month.label)
            chart["values"].append(round(float(average), 2) if average is not None else None)
            chart["urls"].append(reverse("duties:surveys") + f"?period={month.label}")
        if not any_data:
            chart.update(labels=[], values=[], urls=[])
        chart["url"] = reverse("duties:surveys")

    return _filled(chart, fill)


def overdue_tasks(user, project):
    chart = _chart("overdue_tasks_by_post", _("Overdue tasks by post"), unit=_("tasks"))

    def fill(chart):
        for row in overdue_tasks_by_post(user, [project.pk]):
            chart["labels"].append(row["post__name"])
            chart["values"].append(row["count"])
            chart["urls"].append(reverse("duties:team") + f"?due=overdue&post={row['post_id']}")
        chart["url"] = reverse("duties:team") + "?due=overdue"

    return _filled(chart, fill)


def _links_they_may_open(chart: dict, user, project) -> dict:
    """``chart`` without its links when ``user``'s posts in ``project`` do not open the list behind them."""
    if not access.has_perm(user, OPENS[chart["key"]], project):
        chart.update(url="", urls=[])
    return chart


def dashboard_data(user, project, period=None):
    period = period or Period.current()
    charts = [
        open_work_orders_by_age(project),
        sla_trend(project, period),
        response_trend(project, period),
        collection_by_building(project, period),
        service_time_by_procedure(project, period),
        satisfaction_trend(project, period),
        overdue_tasks(user, project),
    ]
    return {"project": project.pk, "period": period.label,
            "charts": [_links_they_may_open(chart, user, project) for chart in charts]}
