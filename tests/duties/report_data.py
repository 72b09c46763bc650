"""Records behind the scorecards, the dashboard and the monthly report for the tests of their figures and
of their query counts: a month of every KPI source's records for a set of post holders over a set of buildings.

``add_building`` and ``add_holders`` grow the project; ``add_month`` writes one month of records for the holders
and units given (tasks, opinions, deductions, manual values, work orders and return visits, bills, timed
front-desk acts, survey answers, move-ins), so a test can add holders, buildings and units and records for them
and check that the report's figures and its number of queries behave."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from dutydesk.billing.models import Bill, BillRun
from dutydesk.duties.models import Answer, Deduction, KPIValue, Opinion, Question, Survey, SurveyResponse
from dutydesk.frontdesk.models import ServiceRecord
from dutydesk.inbox.models import Task
from dutydesk.org.models import KPI, Post, PostHolding, Procedure
from dutydesk.tickets.models import ReturnVisit, Ticket
from tests.factories import BuildingFactory, ResidentFactory, UnitFactory, UserFactory

SH = ZoneInfo("Asia/Shanghai")


def at(day, hour=10, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SH)


def extra_kpis():
    """Sources no shipped post uses yet (sla_compliance, avg_satisfaction) on the technician, the supervisor and the
    butler (floors), so that every source is covered."""
    KPI.objects.get_or_create(post=Post.objects.get(code="repair-technician"), code="sla",
                              defaults={"name": "按时完成率", "target": 90, "unit": "%", "source": "sla_compliance"})
    for code in ("cs-supervisor", "floor-butler"):
        KPI.objects.get_or_create(post=Post.objects.get(code=code), code="satisfaction",
                                  defaults={"name": "满意度", "target": 4, "source": "avg_satisfaction"})


def add_building(project, name, floors=(2, 5, 12, 18)):
    """A building with one unit on each of ``floors``; returns its units."""
    building = BuildingFactory(project=project, name=name, floors=max(floors))
    return [UnitFactory(building=building, floor=floor, number=f"{floor}01",
                        status=["occupied", "vacant", "renovating"][index % 3]) for index, floor in enumerate(floors)]


def add_holders(project, prefix, posts, *, building=None, floors=None):
    """One new user per post code in ``posts`` holding it in ``project`` (a floor butler on ``building`` and
    ``floors``); returns {post code: user}."""
    holders = {}
    for code in posts:
        user = UserFactory(username=f"{prefix}-{code}")
        floor_from, floor_to = floors or (None, None)
        PostHolding.objects.create(user=user, post=Post.objects.get(code=code), project=project,
                                   building=building if code == "floor-butler" else None,
                                   floor_from=floor_from if code == "floor-butler" else None,
                                   floor_to=floor_to if code == "floor-butler" else None)
        holders[code] = user
    return holders


def _bill_run(project, period):
    return BillRun.objects.get_or_create(project=project, period=period)[0]


def add_month(project, month, people, units, *, seed=0, supervisor=None):
    """One month (``month`` = the first day) of records of ``people`` ({post code: user}) on ``units``.
    ``seed`` varies the figures between calls so that holders do not all measure the same."""
    period = f"{month:%Y-%m}"
    day = lambda n: month + timedelta(days=n)  # noqa: E731
    posts = {code: Post.objects.get(code=code) for code in people}
    for index, (code, user) in enumerate(people.items()):
        post = posts[code]
        # routines: on time, late, the post's shared task, a cancelled one
        for n, (done_hour, status) in enumerate([(16, "done"), (18, "done"), (None, "open"), (9, "cancelled")][: 2 + (seed + index) % 3]):
            due = at(day(n + 1), 17)
            Task.objects.create(source="routine", source_key=f"{period}-{user.pk}-{n}", title="例行", post=post,
                                assignee=user if n != 2 else None, project=project, due_at=due, status=status,
                                completed_at=due.replace(hour=done_hour) if done_hour else None)
        # deductions of the post's holders
        for n in range((seed + index) % 3):
            Deduction.objects.create(project=project, user=user, post=post, rule="3.1", points=Decimal("1.5") + n,
                                     reason="超时", occurred_on=day(3 + n), recorded_by=supervisor)
        # manual values: a person's value; some posts also get their own value
        for kpi in KPI.objects.filter(post=post, source="manual").order_by("id")[: 1 + (seed + index) % 2]:
            KPIValue.objects.get_or_create(kpi=kpi, project=project, user=user, period=month,
                                           defaults={"value": Decimal(seed + index) + Decimal("0.25")})
    for kpi in KPI.objects.filter(post__code="archivist", source="manual").order_by("id")[:1]:
        if "archivist" in people:
            KPIValue.objects.get_or_create(kpi=kpi, project=project, user=None, period=month,
                                           defaults={"value": Decimal("3.00")})
    staff = list(people.values())
    butlers = [u for c, u in people.items() if c == "floor-butler"] or staff
    desk = [u for c, u in people.items() if c in ("frontdesk-assistant", "cs-supervisor")] or staff
    technicians = [u for c, u in people.items() if c == "repair-technician"] or staff
    run = _bill_run(project, period)
    procedures = {p.code: p for p in Procedure.objects.filter(code__in=["move_in", "key_lending", "visitor_registration"])}
    key_type = ContentType.objects.get_for_model(Ticket)
    survey = Survey.objects.filter(project=project, title="年度满意度").first()
    if survey is None:
        survey = Survey.objects.create(project=project, title="年度满意度", status="open", opened_at=at(day(0)))
        Question.objects.create(survey=survey, position=1, text="总体满意度")
    question = survey.questions.get()
    number = Ticket.objects.filter(project=project).count()
    for index, unit in enumerate(units):
        k = seed + index
        # opinions tagged to a butler and/or recorded by the desk
        Opinion.objects.create(project=project, unit=unit, butler=butlers[k % len(butlers)],
                               recorded_by=desk[k % len(desk)] if k % 2 else None, text="意见",
                               kind="suggestion" if k % 3 == 0 else "opinion", received_at=at(day(k % 25)))
        # work orders: a repair resolved on time (or late), a complaint closed in 2 days (or never), both owned by the desk
        for kind, n in (("repair", 0), ("complaint", 1)):
            number += 1
            created = at(day(k % 20), 9)
            resolved = created + timedelta(hours=20 if (k + n) % 3 else 80)
            closed = resolved + timedelta(hours=4) if (k + n) % 4 else None
            ticket = Ticket.objects.create(
                project=project, number=f"T{number:05d}", kind=kind, unit=unit, title="报修", owner=desk[k % len(desk)],
                assignee=technicians[k % len(technicians)], status="closed" if closed else "resolved",
                created_at=created, resolution_due=created + timedelta(days=2), resolved_at=resolved, closed_at=closed)
            if (k + n) % 2 == 0:
                ReturnVisit.objects.create(ticket=ticket, method="phone", satisfaction=1 + (k + n) % 5, by=staff[0],
                                           at=resolved + timedelta(hours=30), outcome="closed")
        number += 1
        Ticket.objects.create(project=project, number=f"T{number:05d}", kind="repair", unit=unit, title="未完成",
                              owner=desk[k % len(desk)], status="in_progress", created_at=at(day(k % 27), 8) - timedelta(days=k % 9),
                              resolution_due=at(day(k % 27), 8))
        # the month's bill, partly paid
        amount = Decimal("200.00") + Decimal(k * 37 % 100)
        paid = amount if k % 3 == 0 else (amount / 2).quantize(Decimal("0.01")) if k % 3 == 1 else Decimal("0")
        Bill.objects.get_or_create(unit=unit, period=period, defaults=dict(
            project=project, run=run, amount=amount, paid=paid, due_date=day(14), created_at=at(day(0)),
            status="paid" if paid == amount else "partial" if paid else "open"))
        # a timed front-desk act, within or over the standard
        code, clerk_post = [("move_in", "frontdesk-assistant"), ("key_lending", "archivist"),
                            ("visitor_registration", "visitor-desk")][k % 3]
        clerk = people.get(clerk_post)
        if clerk is not None:
            started = at(day(k % 26))
            seconds = 60 * (5 + k * 7 % 40)
            ServiceRecord.objects.create(project=project, procedure=procedures[code], clerk=clerk, post=posts[clerk_post],
                                         started_at=started, finished_at=started + timedelta(seconds=seconds),
                                         duration_seconds=seconds, action="x", content_type=key_type, object_id=k)
        # a survey answer, entered with the unit's butler
        if not SurveyResponse.objects.filter(survey=survey, unit=unit).exists():
            response = SurveyResponse.objects.create(survey=survey, unit=unit, butler=butlers[k % len(butlers)],
                                                     channel="paper", submitted_at=at(day(k % 28)))
            Answer.objects.create(response=response, question=question, score=1 + k % 5)
        # a move-in
        if k % 2:
            ResidentFactory(unit=unit, move_in_date=day(k % 28) if isinstance(month, date) else None)
