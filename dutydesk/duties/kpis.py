"""The duty engine's KPIs: KPI sources (dutydesk.org.kpis) for routines, opinions, surveys, manual values and
deductions, and the average satisfaction of surveys and ticket return visits (duties sits above tickets)."""
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from dutydesk.core import clock
from dutydesk.core.periods import Period
from dutydesk.duties.models import Answer, Deduction, KPIValue, Opinion, Survey
from dutydesk.inbox.models import Task
from dutydesk.org import kpis
from dutydesk.org.kpis import CENT, ZERO, Cards, CardKey, Measurement
from dutydesk.org.models import KPI
from dutydesk.tickets import selectors as tickets


@kpis.source("routine_on_time", _("routines done on time"))
def routine_on_time(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """Routine tasks of the post due in the month (and already due) that were completed by their due
    time (``completed_at <= due_at``), in %. A person's figure includes the post's shared tasks."""
    project, period = cards.project, cards.period
    now = clock.now()
    tasks = Task.objects.filter(source="routine", post_id__in={kpi.post_id for kpi in group}, project=project,
                                due_at__gte=period.start_at, due_at__lt=min(period.end_at, now)).exclude(
        status=Task.Status.CANCELLED)
    groups = kpis.grouped(tasks, ("post_id", "assignee_id"), total=Count("id"), on_time=Count(
        "id", filter=Q(status="done", completed_at__isnull=False, completed_at__lte=F("due_at"))))
    by_post: defaultdict[int, dict] = defaultdict(dict)
    for (post_id, assignee_id), row in groups.items():
        by_post[post_id][assignee_id] = row
    results = {}
    for kpi, user_id in cards.each(group):
        rows = by_post[kpi.post_id]
        total, on_time = kpis.add_up(rows, rows if user_id is None else [user_id, None], 2)
        results[kpi.pk, user_id] = Measurement(
            kpis.percent(on_time, total),
            kpis.url(["duties:team"], "/api/v1/tasks/", post=kpi.post_id, project=project.pk, period=period.label,
                     source="routine", user=user_id),
            {"on_time": on_time, "total": total})
    return results


@kpis.source("opinions_per_week", _("opinions collected per week"))
def opinions_per_week(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """Opinions collected per week (seeds/004_418914185ea837fa.txt: ≥ 7 per butler): opinions received in the month that are
    tagged to the person as butler or recorded by them, ÷ the month's weeks (days ÷ 7); for a post,
    the average per holder. No opinion ever recorded in the project = no data (feature not in use)."""
    project, period = cards.project, cards.period
    if not Opinion.objects.filter(project=project).exists():
        return {}
    everyone = cards.all_staff(group)
    if not everyone:
        return {}
    # one group per (butler, recorder) pair; an opinion tagged to one holder and recorded by another counts once
    pairs = list(kpis.grouped(Opinion.objects.filter(project=project, received_at__gte=period.start_at,
                                                     received_at__lt=period.end_at)
                              .filter(Q(butler_id__in=everyone) | Q(recorded_by_id__in=everyone)),
                              ("butler_id", "recorded_by_id"), n=Count("id")).items())
    involving = defaultdict(set)
    for index, ((butler, recorder), _row) in enumerate(pairs):
        involving[butler].add(index)
        involving[recorder].add(index)
    weeks = Decimal(period.days) / Decimal(7)
    results = {}
    for kpi, user_id in cards.each(group):
        staff = cards.staff(kpi.post_id, user_id)
        if not staff:
            continue
        count = sum(pairs[index][1][0] for index in set().union(*(involving[person] for person in staff)))
        actual = Decimal(count) / weeks / Decimal(len(staff))
        results[kpi.pk, user_id] = Measurement(
            actual, kpis.url(["duties:opinions"], "/duties/opinions/", period=period.label, staff=user_id,
                             post=kpi.post_id if user_id is None else None),
            {"opinions": count, "weeks": str(weeks.quantize(CENT)), "staff": len(staff)})
    return results


@kpis.source("surveys_per_year", _("surveys per year"))
def surveys_per_year(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """Satisfaction surveys sent in the calendar year up to the end of the month (seeds/000_d44081c6db2527f0.txt:382 篇18: ≥ 2 a
    year). A project-wide figure: the same for the person and the post."""
    project, period = cards.project, cards.period
    if not Survey.objects.filter(project=project).exists():
        return {}
    start_at = Period.month_of(period.start.replace(month=1)).start_at
    count = Survey.objects.filter(project=project, opened_at__gte=start_at, opened_at__lt=period.end_at).count()
    return {(kpi.pk, user_id): Measurement(Decimal(count), kpis.url(["duties:surveys"], "/duties/surveys/",
                                                                    year=period.start.year),
                                           {"surveys": count, "year": period.start.year})
            for kpi, user_id in cards.each(group)}


@kpis.source("manual", _("entered by hand"))
def manual(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """A value a supervisor entered for the person (or the post) and month. A post without its own
    value shows the average of its holders' values."""
    period = cards.period
    values: dict[CardKey, Decimal] = {(kpi_id, user_id): value for kpi_id, user_id, value in KPIValue.objects.filter(
        kpi__in=group, project=cards.project, period=period.start).values_list("kpi_id", "user_id", "value")}
    results = {}
    for kpi, user_id in cards.each(group):
        link = kpis.url(["duties:kpi-values"], "/duties/scores/values/", kpi=kpi.pk, period=period.label, user=user_id)
        own = values.get((kpi.pk, user_id))
        if own is not None:
            results[kpi.pk, user_id] = Measurement(own, link, {"entered": 1})
        elif user_id is None:
            entered = [values[kpi.pk, holder] for holder in cards.holders.get(kpi.post_id, ())
                       if (kpi.pk, holder) in values]
            if entered:
                results[kpi.pk, user_id] = Measurement(sum(entered, ZERO) / Decimal(len(entered)), link,
                                                       {"entered": len(entered)})
    return results


@kpis.source("deduction", _("appraisal deductions"))
def deduction(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """扣分 (seeds/004_418914185ea837fa.txt:43: 月平均扣分少于3分): points deducted from the person in the month (no deduction
    recorded = 0 points, the full mark of deduction-style appraisal); for the post, the average over its
    holders (Σ points ÷ number of holders)."""
    project, period = cards.project, cards.period
    groups = kpis.grouped(Deduction.objects.filter(project=project, post_id__in={kpi.post_id for kpi in group},
                                                   user_id__in=cards.all_staff(group), occurred_on__gte=period.start,
                                                   occurred_on__lt=period.end),
                          ("post_id", "user_id"), points=Sum("points"), n=Count("id"))
    results = {}
    for kpi, user_id in cards.each(group):
        staff = cards.staff(kpi.post_id, user_id)
        if not staff:
            continue
        rows = [groups[kpi.post_id, person] for person in staff if (kpi.post_id, person) in groups]
        points = sum((row[0] for row in rows), ZERO) if rows else ZERO
        results[kpi.pk, user_id] = Measurement(
            points / Decimal(len(staff)),
            kpis.url(["duties:deductions"], "/duties/scores/deductions/", period=period.label, post=kpi.post_id,
                     user=user_id),
            {"points": str(points), "deductions": sum(row[1] for row in rows), "staff": len(staff)})
    return results


@kpis.source("avg_satisfaction", _("average satisfaction"))
def avg_satisfaction(group: list[KPI], cards: Cards) -> dict[CardKey, Measurement]:
    """Average 1–5 rating in the month: survey scores of this app and ticket return visits, weighted by the
    number of ratings — the butler's (or owner's), or on a floor butler's floors."""
    project, period = cards.project, cards.period
    answers = Answer.objects.filter(score__isnull=False, response__survey__project=project,
                                    response__submitted_at__gte=period.start_at, response__submitted_at__lt=period.end_at)
    # the responses say where their unit is: grouped by floor without the units (0.33 s of 0.48 s at 600,000 units)
    survey_by_butler, survey_cells = kpis.by_person_and_floor(group, cards, answers, "response__butler_id",
                                                              "response__unit__", place_path="response__",
                                                              total=Sum("score"), n=Count("id"))
    visits = tickets.return_visits(project=project, start=period.start_at, end=period.end_at)
    visit_by_owner, visit_cells = kpis.by_person_and_floor(group, cards, visits, "ticket__owner_id", "ticket__unit__",
                                                           total=Sum("satisfaction"), n=Count("id"))
    results = {}
    for (kpi, user_id, (survey_total, survey_n)), (_k, _u, (visit_total, visit_n)) in zip(
            kpis.card_totals(group, cards, survey_by_butler, survey_cells, 2),
            kpis.card_totals(group, cards, visit_by_owner, visit_cells, 2), strict=True):
        n = survey_n + visit_n
        if n:
            results[kpi.pk, user_id] = Measurement(Decimal(survey_total + visit_total) / Decimal(n),
                                                   kpis.url(["duties:surveys"], "/duties/surveys/"), {"ratings": n})
    return results
