#!/usr/bin/env python
"""Benchmark: the scorecards, the dashboard and the monthly report of a property group (issue 11).

    createdb -h 127.0.0.1 -U postgres dd_bench_reports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dd_bench_reports \\
        .venv/bin/python scripts/bench_reports.py [--units 600000] [--projects 40] [--buildings 1500]
            [--holders 400] [--tickets 1000000] [--months 3] [--period 2026-10] [--runs 3] [--refill]
            [--only scorecards|dashboard|monthly|files ...] [--kept]

PostgreSQL only; the database is dedicated to the benchmark. Migrates it, loads the property-cs catalogue
(plus an ``sla_compliance`` KPI on the repair technician and an ``avg_satisfaction`` KPI on the floor butler, so
every KPI source is measured), then fills set-based (INSERT … SELECT over generate_series): ``--projects``
projects, ``--buildings`` buildings of 40 floors, ``--units`` units, ``--holders`` post holders spread over the
projects (of every 10 holders of a project: 4 floor butlers, who share its buildings' floors 1–20 and 21–40 round
robin, 2 front-desk assistants, a technician, a supervisor, an archivist and one more post), ``--tickets`` work orders over the 12 months up to
``--period`` with return visits, ``--months`` months of bills for every unit, and the period's routine tasks,
opinions, deductions, manual KPI values, timed front-desk acts, survey answers and move-ins.
Re-running with the same arguments reuses the data; other arguments (or ``--refill``) truncate and refill.
``--projects 1`` puts the whole group in one project (the worst case for one report: 1,500 buildings, 400 holders).

Then, for the first project, times (p50 over ``--runs`` after a warm-up) and counts the queries of:
``GET /api/v1/reports/scorecards`` (every post), ``GET /api/v1/reports/dashboard``, ``GET /api/v1/reports/monthly``
(figures computed, none stored) and the monthly report's generation (figures + PDF + Excel, stored), and replays
the SQL each of them ran, alone, for the ratio "whole call ÷ its SQL" and the slowest (main grouped) query.
Goal (issue 11): a constant number of queries and < 2 s each at 600,000 units.
``--kept`` first keeps the work orders' monthly figures of the year before ``--period`` for every project, as the
hourly job ``tickets.keep_figures`` does in production; without it the reports read every figure from the raw work
orders (a project the job has not reached yet: the worst case).
"""
import argparse
from datetime import timedelta
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutydesk.settings")
os.environ.setdefault("DUTYDESK_DEBUG", "1")
os.environ.setdefault("DUTYDESK_ALLOWED_HOSTS", "localhost,testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dutydesk.archive.models import Project  # noqa: E402
from dutydesk.core.periods import Period  # noqa: E402
from dutydesk.org.catalog import import_catalog  # noqa: E402
from dutydesk.org.catalog_yaml import load_shipped  # noqa: E402
from dutydesk.org.models import KPI, Organisation, Post, PostHolding  # noqa: E402

ORG = "bench-reports"
# the posts of each group of 10 holders in a project; the last place rotates over ROTATING
ROLES = ["floor-butler"] * 4 + ["frontdesk-assistant"] * 2 + ["repair-technician", "cs-supervisor", "archivist", None]
ROTATING = ["visitor-desk", "ic-card-clerk", "cleaning-inspector", "cs-manager"]
DESK = ("frontdesk-assistant", "cs-supervisor")
CLERKS = {"frontdesk-assistant": "move_in", "archivist": "key_lending", "visitor-desk": "visitor_registration",
          "ic-card-clerk": "ic_card_issue"}
FLOORS = 40


def step(label, func, *args):
    started = time.perf_counter()
    result = func(*args)
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params or {})
        return cursor.rowcount


def catalogue(organisation):
    import_catalog(load_shipped("property-cs"), organisation=organisation)
    KPI.objects.get_or_create(post=Post.objects.get(code="repair-technician"), code="sla", defaults={
        "name": "工单按时完成率", "target": 90, "unit": "%", "source": "sla_compliance"})
    KPI.objects.get_or_create(post=Post.objects.get(code="floor-butler"), code="satisfaction", defaults={
        "name": "满意度", "target": 4, "source": "avg_satisfaction"})


def truncate():
    """The database is dedicated to the benchmark: empty everything the fill writes (and what refers to it)."""
    sql("TRUNCATE archive_project, auth_user CASCADE")


def fill_places(args, organisation):
    Project.objects.bulk_create([Project(organisation=organisation, code=f"bench-r-{n:03d}", name=f"基准花园{n}")
                                 for n in range(args.projects)])
    sql("""
        INSERT INTO archive_building (project_id, name, floors)
        SELECT p.id, lpad(b::text, 4, '0'), %(floors)s
        FROM generate_series(0, %(buildings)s - 1) b
        JOIN (SELECT id, row_number() OVER (ORDER BY code) - 1 AS idx FROM archive_project
              WHERE code LIKE 'bench-r-%%') p ON p.idx = b %% %(projects)s""",
        {"buildings": args.buildings, "projects": args.projects, "floors": FLOORS})
    per_building = args.units // args.buildings
    sql("""
        INSERT INTO archive_unit (project_id, building_id, floor, number, area_m2, status)
        SELECT b.project_id, b.id, g %% %(floors)s + 1, ((g %% %(floors)s + 1) * 100 + g / %(floors)s + 1)::text,
               60 + (g * 7919 %% 9000) / 100.0,
               CASE WHEN g %% 10 = 0 THEN 'vacant' WHEN g %% 23 = 0 THEN 'renovating' ELSE 'occupied' END
        FROM archive_building b CROSS JOIN generate_series(0, %(per)s - 1) g""",
        {"per": per_building, "floors": FLOORS})
    # a numbered copy of the units, to spread rows over them by arithmetic
    sql("DROP TABLE IF EXISTS bench_unit")
    sql("""CREATE UNLOGGED TABLE bench_unit AS
           SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, id, project_id, building_id, floor FROM archive_unit""")
    sql("CREATE UNIQUE INDEX ON bench_unit (n)")
    sql("ANALYZE bench_unit")


def fill_people(args):
    User = get_user_model()
    posts = {p.code: p for p in Post.objects.all()}
    projects = list(Project.objects.filter(code__startswith="bench-r-").order_by("code"))
    users = User.objects.bulk_create([User(username=f"bench-h{n:04d}", first_name=f"员工{n}", password="!")
                                      for n in range(args.holders)])
    holdings, butlers = [], {p.pk: [] for p in projects}
    for n, user in enumerate(users):
        project = projects[n % len(projects)]
        place = (n // len(projects)) % len(ROLES)
        code = ROLES[place] or ROTATING[(n // len(projects) // len(ROLES)) % len(ROTATING)]
        if code == "floor-butler":
            butlers[project.pk].append(user)
        else:
            holdings.append(PostHolding(user=user, post=posts[code], project=project))
    # the floor butlers share every building's floors 1–20 and 21–40, round robin
    buildings = {}
    for project in projects:
        buildings[project.pk] = list(project.buildings.order_by("name").values_list("pk", flat=True))
    for project in projects:
        ranges = [(b, low, low + 19) for b in buildings[project.pk] for low in (1, 21)]
        for index, (building, low, high) in enumerate(ranges):
            if butlers[project.pk]:
                holdings.append(PostHolding(user=butlers[project.pk][index % len(butlers[project.pk])],
                                            post=posts["floor-butler"], project=project, building_id=building,
                                            floor_from=low, floor_to=high))
    PostHolding.objects.bulk_create(holdings, batch_size=2000)
    User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True, "is_staff": True})
    # per project: its desk (ticket owners), technicians, clerks; per unit: the butler covering it
    sql("DROP TABLE IF EXISTS bench_staff")
    sql("""CREATE UNLOGGED TABLE bench_staff AS
           SELECT h.project_id,
                  array_agg(h.user_id ORDER BY h.user_id) FILTER (WHERE p.code = ANY(%(desk)s)) AS desk,
                  array_agg(h.user_id ORDER BY h.user_id) FILTER (WHERE p.code = 'repair-technician') AS techs
           FROM org_postholding h JOIN org_post p ON p.id = h.post_id GROUP BY h.project_id""", {"desk": list(DESK)})
    sql("DROP TABLE IF EXISTS bench_butler")
    sql("""CREATE UNLOGGED TABLE bench_butler AS
           SELECT DISTINCT ON (u.id) u.id AS unit_id, h.user_id
           FROM bench_unit u JOIN org_postholding h ON h.building_id = u.building_id
                AND u.floor BETWEEN h.floor_from AND h.floor_to ORDER BY u.id, h.id""")
    sql("CREATE UNIQUE INDEX ON bench_butler (unit_id)")


def fill_tickets(args, period):
    end = period.end_at
    # 8 in 10 resolved (half of them within the 48 h target), 7 in 10 closed; the rest still running. Kind and
    # status follow a hash of g (h): the project follows g %% 40 (the unit's building), so that g %% 10 and g %% 6
    # made every work order of a project closed, or open, or no complaint at all
    sql("""
        INSERT INTO tickets_ticket (project_id, number, kind, channel, priority, unit_id, title, description,
            owner_id, assignee_id, status, created_at, response_due, resolution_due, resolved_at, closed_at,
            held_minutes, held_from_status, escalation_level, reopen_count, resolution, location, materials,
            caller_name, caller_phone)
        SELECT u.project_id, 'R' || g,
               (ARRAY['repair','repair','complaint','enquiry','suggestion','praise'])[1 + h.k / 10 %% 6],
               'phone', 'normal', u.id, '基准工单 ' || g, '',
               s.desk[1 + g %% cardinality(s.desk)], s.techs[1 + (g / 7) %% cardinality(s.techs)],
               CASE WHEN h.k %% 10 < 7 THEN 'closed' WHEN h.k %% 10 = 7 THEN 'resolved'
                    ELSE (ARRAY['new','in_progress'])[1 + h.k / 60 %% 2] END,
               t.created, t.created + interval '1 day', t.created + interval '48 hours',
               CASE WHEN h.k %% 10 < 8 THEN t.created + (g %% 97) * interval '1 hour' END,
               CASE WHEN h.k %% 10 < 7 THEN t.created + (g %% 97 + 2) * interval '1 hour' END,
               0, '', 0, 0, '', '', '', '', ''
        FROM generate_series(1, %(count)s) g
        CROSS JOIN LATERAL (SELECT abs(hashint8(g)) AS k) h
        JOIN bench_unit u ON u.n = (g::bigint * 7919) %% %(units)s
        JOIN bench_staff s ON s.project_id = u.project_id
        CROSS JOIN LATERAL (SELECT %(end)s::timestamptz - (g %% 365) * interval '1 day'
                                   - (g %% 1440) * interval '1 minute' - interval '5 days' AS created) t""",
        {"count": args.tickets, "units": args.units, "end": end})
    sql("""
        INSERT INTO tickets_returnvisit (ticket_id, method, satisfaction, comment, at, outcome)
        SELECT id, 'phone', 1 + id %% 5, '', resolved_at + interval '1 day', 'closed' FROM tickets_ticket
        WHERE resolved_at IS NOT NULL AND kind IN ('complaint', 'repair') AND id %% 2 = 0""")


def fill_bills(args, period):
    months = [period]
    while len(months) < args.months:
        months.insert(0, months[0].previous())
    for month in months:
        sql("""INSERT INTO billing_billrun (project_id, period, bills_created, total, created_at, seconds)
               SELECT id, %(period)s, 0, 0, now(), 0 FROM archive_project WHERE code LIKE 'bench-r-%%'""",
            {"period": month.label})
        # ~85 % of the bills paid, some half paid, the rest open, in every project: a hash of the unit, for the
        # units are numbered building by building across the projects, so that ``n %% 20`` put every unpaid bill
        # in three projects of 40 (each project's buildings share one residue)
        sql("""
            INSERT INTO billing_bill (project_id, unit_id, building_id, floor, run_id, period, amount, paid, status,
                                      due_date, created_at)
            SELECT u.project_id, u.id, u.building_id, u.floor, r.id, %(period)s, a.amount,
                   CASE WHEN a.k < 17 THEN a.amount WHEN a.k = 17 THEN round(a.amount / 2, 2) ELSE 0 END,
                   CASE WHEN a.k < 17 THEN 'paid' WHEN a.k = 17 THEN 'partial' ELSE 'open' END,
                   %(due)s, %(start)s
            FROM bench_unit u JOIN billing_billrun r ON r.project_id = u.project_id AND r.period = %(period)s
            CROSS JOIN LATERAL (SELECT 100 + (u.n::bigint * 7919 %% 40000) / 100.0 AS amount,
                                       mod(abs(hashint8(u.id)), 20) AS k) a""",
            {"period": month.label, "due": month.start.replace(day=15), "start": month.start_at})


def fill_duties(args, period):
    start, days = period.start_at, period.days
    # routine tasks: each holder one a day (80 % on time, 15 % late, 5 % open) and a shared one per post and project
    sql("""
        INSERT INTO duties_task (title, description, project_id, post_id, assignee_id, source, source_key, url, due_at,
                                 status, created_at, completed_at, note)
        SELECT '例行检查', '', h.project_id, h.post_id, CASE WHEN d = 0 THEN NULL ELSE h.user_id END, 'routine',
               'bench-' || h.id || '-' || d, '', t.due, CASE WHEN (h.id + d) %% 20 = 0 THEN 'open' ELSE 'done' END,
               t.due - interval '1 day',
               CASE WHEN (h.id + d) %% 20 = 0 THEN NULL
                    WHEN (h.id + d) %% 20 < 4 THEN t.due + interval '2 hours' ELSE t.due - interval '1 hour' END, ''
        FROM (SELECT DISTINCT ON (user_id, post_id, project_id) * FROM org_postholding ORDER BY user_id, post_id,
              project_id, id) h
        CROSS JOIN generate_series(0, %(days)s - 1) d
        CROSS JOIN LATERAL (SELECT %(start)s::timestamptz + d * interval '1 day' + interval '17 hours' AS due) t""",
        {"days": days, "start": start})
    # opinions: one unit in 10 in the month, tagged to its butler, a third recorded by the desk
    sql("""
        INSERT INTO duties_opinion (project_id, unit_id, butler_id, recorded_by_id, kind, channel, text, received_at)
        SELECT u.project_id, u.id, b.user_id,
               CASE WHEN u.n %% 3 = 0 THEN s.desk[1 + u.n %% cardinality(s.desk)] END,
               CASE WHEN u.n %% 4 = 0 THEN 'suggestion' ELSE 'opinion' END, 'visit', '意见',
               %(start)s::timestamptz + (u.n %% %(days)s) * interval '1 day' + interval '10 hours'
        FROM bench_unit u JOIN bench_staff s ON s.project_id = u.project_id
        LEFT JOIN bench_butler b ON b.unit_id = u.id WHERE u.n %% 10 = 0""", {"start": start, "days": days})
    # deductions: a third of the holders of a post with a deduction KPI, 1–2 points twice in the month
    sql("""
        INSERT INTO duties_deduction (project_id, user_id, post_id, rule, points, reason, occurred_on, recorded_at)
        SELECT h.project_id, h.user_id, h.post_id, '3.1', 1 + d * 0.5, '超时', %(day)s::date + d * 7, now()
        FROM org_postholding h CROSS JOIN generate_series(0, 1) d
        WHERE h.user_id %% 3 = 0 AND h.post_id IN (SELECT post_id FROM org_kpi WHERE source = 'deduction')""",
        {"day": period.start})
    # manual KPI values: every holder of a post with manual KPIs, and the post's own value for one KPI in 3
    sql("""
        INSERT INTO duties_kpivalue (kpi_id, project_id, user_id, period, value, note, entered_at)
        SELECT DISTINCT k.id, h.project_id, h.user_id, %(day)s::date, (h.user_id %% 5) + 0.5, '', now()
        FROM org_kpi k JOIN org_postholding h ON h.post_id = k.post_id WHERE k.source = 'manual'""",
        {"day": period.start})
    sql("""
        INSERT INTO duties_kpivalue (kpi_id, project_id, user_id, period, value, note, entered_at)
        SELECT DISTINCT k.id, h.project_id, NULL::int, %(day)s::date, 2.5, '', now()
        FROM org_kpi k JOIN org_postholding h ON h.post_id = k.post_id WHERE k.source = 'manual' AND k.id %% 3 = 0""",
        {"day": period.start})
    # timed front-desk acts: 300 per clerk in the month, 1–40 minutes
    from dutydesk.org.models import Procedure

    procedures = {p.code: p.pk for p in Procedure.objects.filter(code__in=CLERKS.values())}
    content_type = ContentType.objects.get(app_label="tickets", model="ticket").pk
    for post_code, procedure in CLERKS.items():
        sql("""
            INSERT INTO frontdesk_servicerecord (project_id, procedure_id, clerk_id, post_id, started_at, finished_at,
                                                 duration_seconds, action, content_type_id, object_id)
            SELECT h.project_id, %(procedure)s, h.user_id, h.post_id, t.started,
                   t.started + (60 * (1 + g %% 40)) * interval '1 second', 60 * (1 + g %% 40), 'x', %(ct)s, g
            FROM org_postholding h JOIN org_post p ON p.id = h.post_id AND p.code = %(post)s
            CROSS JOIN generate_series(1, 300) g
            CROSS JOIN LATERAL (SELECT %(start)s::timestamptz + (g %% %(days)s) * interval '1 day'
                                       + (g %% 480) * interval '1 minute' AS started) t""",
            {"procedure": procedures[procedure], "ct": content_type, "post": post_code, "start": start, "days": days})
    # a survey per project opened this year; one unit in 5 answers it in the month, entered with its butler
    sql("""INSERT INTO duties_survey (project_id, title, intro, status, opened_at, created_at)
           SELECT id, '年度满意度调查', '', 'open', %(opened)s, now() FROM archive_project WHERE code LIKE 'bench-r-%%'""",
        {"opened": Period.month_of(period.start.replace(month=1)).start_at})
    sql("""INSERT INTO duties_question (survey_id, position, text, kind, choices)
           SELECT id, 1, '总体满意度', 'scale', '[]'::jsonb FROM duties_survey""")
    sql("""
        INSERT INTO duties_surveyresponse (survey_id, unit_id, building_id, floor, butler_id, channel, submitted_at)
        SELECT s.id, u.id, u.building_id, u.floor, b.user_id, 'paper',
               %(start)s::timestamptz + (u.n %% %(days)s) * interval '1 day'
        FROM bench_unit u JOIN duties_survey s ON s.project_id = u.project_id
        LEFT JOIN bench_butler b ON b.unit_id = u.id WHERE u.n %% 5 = 1""", {"start": start, "days": days})
    sql("""INSERT INTO duties_answer (response_id, question_id, score, choice, text)
           SELECT r.id, q.id, 1 + r.unit_id %% 5, '', '' FROM duties_surveyresponse r
           JOIN duties_question q ON q.survey_id = r.survey_id""")
    # move-ins: a resident for one unit in 5, moved in over the last 2 years
    sql("""
        INSERT INTO archive_resident (unit_id, name, phone, id_number, role, email, move_in_date, emergency_contact,
                                      emergency_phone, notes)
        SELECT u.id, '业主' || u.n, '139' || lpad(u.n::text, 8, '0'), '', 'owner', '',
               %(end)s::date - (u.n %% 730), '', '', ''
        FROM bench_unit u WHERE u.n %% 5 = 2""", {"end": period.end})


def fill(args, period):
    organisation, _ = Organisation.objects.get_or_create(code=ORG, defaults={"name": "基准测试物业集团"})
    wanted = json.dumps({k: getattr(args, k) for k in ("units", "projects", "buildings", "holders", "tickets",
                                                        "months", "period")}, sort_keys=True)
    catalogue(organisation)
    if organisation.name_en == wanted and not args.refill:
        print(f"data already there ({wanted})")
        return
    print(f"filling {wanted}")
    started = time.perf_counter()
    step("truncate", truncate)
    with transaction.atomic():
        step("projects, buildings, units", fill_places, args, organisation)
        step("users and post holdings", fill_people, args)
        step(f"{args.tickets:,} work orders and return visits", fill_tickets, args, period)
        step(f"{args.months} months of bills", fill_bills, args, period)
        step("tasks, opinions, deductions, values, timed acts, surveys, move-ins", fill_duties, args, period)
        Organisation.objects.filter(pk=organisation.pk).update(name_en=wanted)
    step("ANALYZE", sql, "ANALYZE")
    print(f"filled in {time.perf_counter() - started:.0f} s")


def replay(captured):
    """Seconds the captured SQL takes run alone (no ORM, no Python around it), and the slowest statement."""
    total, slowest = 0.0, (0.0, "")
    with transaction.atomic(), connection.cursor() as cursor:
        for query in captured:
            statement = query["sql"]
            if statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
                continue
            started = time.perf_counter()
            cursor.execute(statement)
            if cursor.description:
                cursor.fetchall()
            took = time.perf_counter() - started
            total += took
            slowest = max(slowest, (took, statement))
        transaction.set_rollback(True)
    return total, slowest


def measure(label, call, runs):
    call()  # warm-up (URL and template loading, the first request's caches)
    samples = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
    seconds = statistics.median(samples)
    sql_seconds, (slowest, statement) = replay(captured.captured_queries)
    print(f"{label}: {seconds:.3f} s p50 of {runs} (min {min(samples):.3f}), {len(captured)} queries; "
          f"their SQL alone {sql_seconds:.3f} s (call ÷ SQL = {seconds / sql_seconds:.1f}×); "
          f"slowest query {slowest:.3f} s: {statement[:110]}…", flush=True)
    return seconds, len(captured)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=600_000)
    parser.add_argument("--projects", type=int, default=40)
    parser.add_argument("--buildings", type=int, default=1_500)
    parser.add_argument("--holders", type=int, default=400)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=3, help="months of bills up to --period")
    parser.add_argument("--period", default="2026-10", help="the month reported on (YYYY-MM)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--refill", action="store_true", help="truncate and fill again")
    parser.add_argument("--only", choices=["scorecards", "dashboard", "monthly", "files"], action="append",
                        help="time only these (repeatable)")
    parser.add_argument("--kept", action="store_true",
                        help="keep the work orders' monthly figures first, as the hourly job does in production "
                             "(tickets/figures.py); without it every figure is read from the raw work orders")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database dedicated to the benchmark")
    period = Period.parse(args.period)
    call_command("migrate", verbosity=0)
    fill(args, period)

    from rest_framework.test import APIClient

    from dutydesk.archive.models import Building, Unit
    from dutydesk.duties.models import MonthlyReport
    from dutydesk.duties.reports import monthly_report_generate
    from dutydesk.tickets.models import Ticket

    project = Project.objects.filter(code__startswith="bench-r-").order_by("code").first()
    print(f"project {project.code}: {Unit.objects.filter(project=project).count():,} units in "
          f"{Building.objects.filter(project=project).count():,} buildings, "
          f"{PostHolding.objects.filter(project=project).values('user').distinct().count():,} holders "
          f"({PostHolding.objects.filter(project=project).count():,} holdings), "
          f"{Ticket.objects.filter(project=project).count():,} work orders; group: "
          f"{Unit.objects.count():,} units, {Ticket.objects.count():,} work orders", flush=True)
    if args.kept:
        from dutydesk.core import clock
        from dutydesk.tickets import figures

        started = time.perf_counter()
        for each in Project.objects.filter(code__startswith="bench-r-"):
            figures.keep(each, now=clock.now(), since=period.start - timedelta(days=366))
        print(f"kept the work orders' figures of every project in {time.perf_counter() - started:.1f} s", flush=True)
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="bench-admin"))

    def api(path):
        def call():
            response = client.get(path, {"project": project.pk, "period": period.label})
            assert response.status_code == 200, response.content[:300]
            return response
        return call

    def generate():
        MonthlyReport.objects.filter(project=project, period=period.start).delete()
        _report, created = monthly_report_generate(project=project, period=period)
        assert created

    MonthlyReport.objects.filter(project=project, period=period.start).delete()  # the API computes, not reads
    if not args.only or "scorecards" in args.only:
        print(f"scorecards: {len(api('/api/v1/reports/scorecards')().json()['results'])} cards")
    timings = {}
    for key, label, call in (
            ("scorecards", "GET /api/v1/reports/scorecards (every post)", api("/api/v1/reports/scorecards")),
            ("dashboard", "GET /api/v1/reports/dashboard", api("/api/v1/reports/dashboard")),
            ("monthly", "GET /api/v1/reports/monthly (computed)", api("/api/v1/reports/monthly")),
            ("files", "monthly report generated (figures + PDF + Excel, stored)", generate)):
        if args.only and key not in args.only:
            continue
        timings[key] = measure(label, call, args.runs)
    MonthlyReport.objects.filter(project=project, period=period.start).delete()
    print("RESULT " + " ".join(f"{key}={seconds:.3f}s/{count}q" for key, (seconds, count) in timings.items())
          + " (goal < 2 s each, constant queries)")


if __name__ == "__main__":
    main()
