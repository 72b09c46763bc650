#!/usr/bin/env python
"""Benchmark: the overdue queue of one assignee over 100,000 work orders.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dutydesk_bench_tickets \\
        .venv/bin/python scripts/bench_tickets.py [--tickets 100000] [--runs 50] [--reset]

The PostgreSQL database is the benchmark's own (a re-fill truncates the work orders; not shared with
bench_modules.py, whose project and staff have the same names). Migrates the
database, loads the catalogue and a benchmark project (600 units, 20 technicians),
fills it set-based (PostgreSQL: one INSERT ... SELECT over generate_series; other databases:
bulk_create in batches), then times ``GET /api/v1/tickets/?assignee=me&overdue=true`` (the whole
request: scope, filters, count, first page of 50, serialisation) as the technician, and the bare
SQL of that queue. Prints the p50/p95 of each over ``--runs`` runs. Goal: p95 < 100 ms.
"""
import argparse
import statistics
import time

from benchkit import percentile, replayed_sql  # noqa: E402  (sets Django up first)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from dutydesk.archive.models import Building, Project, Unit  # noqa: E402
from dutydesk.org.catalog import import_catalog  # noqa: E402
from dutydesk.org.catalog_yaml import load_shipped  # noqa: E402
from dutydesk.org.models import Organisation, Post, PostHolding  # noqa: E402
from dutydesk.tickets.models import Ticket, TicketCategory, TicketCounter  # noqa: E402

TECHNICIANS = 20
YEAR = 2025
STATUSES = ["closed", "closed", "closed", "closed", "resolved", "in_progress", "in_progress", "dispatched", "new", "on_hold"]
KINDS = ["repair", "repair", "complaint", "enquiry", "suggestion", "praise"]


def add_units(project, units):
    """Buildings A, B, then T3, T4 … of 30 floors × 10 units, up to ``units`` units, each with one resident
    (PostgreSQL: INSERT … SELECT; elsewhere bulk_create)."""
    buildings = -(-units // 300)
    for number in range(Building.objects.filter(project=project).count(), buildings):
        Building.objects.create(project=project, name="AB"[number] if number < 2 else f"T{number + 1}", floors=30)
    by_name = dict(Building.objects.filter(project=project).values_list("name", "id"))
    names = ["A", "B", *[f"T{n + 1}" for n in range(2, buildings)]][:buildings]
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("""
                INSERT INTO archive_unit (project_id, building_id, floor, number, area_m2, status)
                SELECT %(project)s, (%(buildings)s::bigint[])[1 + (g - 1) / 300], 1 + ((g - 1) %% 300) / 10,
                       (1 + ((g - 1) %% 300) / 10)::text || lpad((1 + (g - 1) %% 10)::text, 2, '0'), 88.00, 'occupied'
                FROM generate_series(1, %(units)s) AS g
                ON CONFLICT DO NOTHING""", {"project": project.pk, "units": units,
                                            "buildings": [by_name[name] for name in names]})
            cursor.execute("""
                INSERT INTO archive_resident (unit_id, name, phone, id_number, role, email, emergency_contact,
                                              emergency_phone, notes)
                SELECT u.id, '住户' || u.id, '139' || lpad(u.id::text, 8, '0'), '', 'owner', '', '', '', ''
                FROM archive_unit u WHERE u.project_id = %s
                 AND NOT EXISTS (SELECT 1 FROM archive_resident r WHERE r.unit_id = u.id)""", [project.pk])
            cursor.execute("ANALYZE archive_unit; ANALYZE archive_resident")
    else:
        for name in names:
            Unit.objects.bulk_create([Unit(project=project, building_id=by_name[name], floor=floor,
                                           number=f"{floor}{i:02d}", area_m2="88.00", status="occupied")
                                      for floor in range(1, 31) for i in range(1, 11)], ignore_conflicts=True)


def setup_project(units=600):
    organisation, _ = Organisation.objects.get_or_create(code="bench-org", defaults={"name": "基准测试物业"})
    import_catalog(load_shipped("property-cs"), organisation=organisation)
    project, _ = Project.objects.get_or_create(code="bench", defaults={"organisation": organisation, "name": "基准花园"})
    if Unit.objects.filter(project=project).count() < units:
        started = time.perf_counter()
        add_units(project, units)
        print(f"{Unit.objects.filter(project=project).count()} units in the project "
              f"({time.perf_counter() - started:.1f} s)")
    User = get_user_model()
    technician_post = Post.objects.get(code="repair-technician")
    frontdesk_post = Post.objects.get(code="frontdesk-assistant")
    technicians = []
    for number in range(TECHNICIANS):
        user, created = User.objects.get_or_create(username=f"bench-tech-{number}")
        if created:
            PostHolding.objects.create(user=user, post=technician_post, project=project)
        technicians.append(user)
    clerk, created = User.objects.get_or_create(username="bench-clerk")
    if created:
        PostHolding.objects.create(user=clerk, post=frontdesk_post, project=project)
    manager, created = User.objects.get_or_create(username="bench-manager")
    if created:
        PostHolding.objects.create(user=manager, post=Post.objects.get(code="cs-manager"), project=project)
    supervisor, created = User.objects.get_or_create(username="bench-supervisor")
    if created:  # the department's complaints closed in 3 days: a KPI of the whole project's month
        PostHolding.objects.create(user=supervisor, post=Post.objects.get(code="cs-supervisor"), project=project)
    butler, created = User.objects.get_or_create(username="bench-butler")
    if created:  # a floor butler of the first building's floors 1-15 (their lists: owner OR assignee OR floors OR post)
        PostHolding.objects.create(user=butler, post=Post.objects.get(code="floor-butler"), project=project,
                                   building=Unit.objects.filter(project=project).order_by("id").first().building,
                                   floor_from=1, floor_to=15)
    return project, technicians, clerk


def quiet_butler(project):
    """A floor butler whose floors have nothing overdue, which is what a well-kept floor looks like: floors 1–15 of a
    building Q added after the fill (so none of the work orders is on it)."""
    building, created = Building.objects.get_or_create(project=project, name="Q", defaults={"floors": 30})
    if created:
        Unit.objects.bulk_create([Unit(project=project, building=building, floor=floor, number=f"{floor}{i:02d}",
                                       area_m2="88.00", status="occupied")
                                  for floor in range(1, 16) for i in range(1, 11)])
    butler, created = get_user_model().objects.get_or_create(username="bench-butler-quiet")
    if created:
        PostHolding.objects.create(user=butler, post=Post.objects.get(code="floor-butler"), project=project,
                                   building=building, floor_from=1, floor_to=15)


def fill(project, technicians, clerk, count):
    unit_ids = list(Unit.objects.filter(project=project).values_list("id", flat=True))
    tech_ids = [u.pk for u in technicians]
    category_ids = list(TicketCategory.objects.filter(project__isnull=True).values_list("id", flat=True))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("""
                    INSERT INTO tickets_ticket (project_id, number, kind, channel, priority, unit_id, title, description,
                        owner_id, assignee_id, status, created_at, response_due, resolution_due, escalation_due,
                        held_minutes, held_from_status, escalation_level, reopen_count, resolution, location, materials,
                        caller_name, caller_phone, first_response_at, resolved_at, closed_at, category_id)
                    SELECT %(project)s, 'KF-' || %(year)s || '-' || lpad(g::text, greatest(6, length(g::text)), '0'),
                           (%(kinds)s::text[])[1 + g %% array_length(%(kinds)s::text[], 1)], 'phone', 'normal',
                           (%(units)s::bigint[])[1 + g %% array_length(%(units)s::bigint[], 1)],
                           '基准工单 ' || g, '', %(clerk)s,
                           (%(techs)s::bigint[])[1 + (g / 7) %% array_length(%(techs)s::bigint[], 1)],
                           s.status, t.created, t.created + interval '1 day', t.created + interval '3 days',
                           -- steady state: escalated tickets wait for their next step; 1 in 100,000 is due now
                           CASE WHEN g %% 100000 = 0 THEN t.created + interval '3 days' END,
                           0, '', 0, 0, '', '', '', '', '',
                           -- as the workflow leaves them: answered unless new (4 in 5 within the day), resolved and
                           -- closed ones with their times (3 in 4 resolved within their 3 days), none in the future
                           CASE WHEN s.status <> 'new' THEN LEAST(t.created + (g %% 30) * interval '1 hour', now()) END,
                           CASE WHEN s.status IN ('resolved', 'closed')
                                THEN LEAST(t.created + (g %% 96) * interval '1 hour', now()) END,
                           CASE WHEN s.status = 'closed' THEN LEAST(t.created + (g %% 96 + 24) * interval '1 hour', now()) END,
                           (%(categories)s::bigint[])[1 + (g / 3) %% array_length(%(categories)s::bigint[], 1)]
                    FROM generate_series(1, %(count)s) AS g,
                         -- received in number order over the last 400 days, as a live table grows (a month's rows lie together)
                         LATERAL (SELECT now() - (%(count)s - g) * (34560000.0 / %(count)s) * interval '1 second' AS created) AS t,
                         LATERAL (SELECT (%(statuses)s::text[])[1 + g %% array_length(%(statuses)s::text[], 1)] AS status) AS s
                """, {"project": project.pk, "year": YEAR, "kinds": KINDS, "units": unit_ids, "techs": tech_ids,
                      "clerk": clerk.pk, "statuses": STATUSES, "count": count, "categories": category_ids})
                # return visits (回访): two in three resolved complaints and repairs, within three days, 1–5
                cursor.execute("""
                    INSERT INTO tickets_returnvisit (ticket_id, method, satisfaction, comment, by_id, at, outcome)
                    SELECT id, 'phone', 1 + id %% 5, '', %(clerk)s, LEAST(resolved_at + (id %% 72) * interval '1 hour', now()),
                           'closed'
                    FROM tickets_ticket
                    WHERE project_id = %(project)s AND resolved_at IS NOT NULL AND kind IN ('complaint', 'repair')
                      AND id %% 3 <> 0""", {"project": project.pk, "clerk": clerk.pk})
                cursor.execute("ANALYZE tickets_ticket; ANALYZE tickets_returnvisit")
        else:
            now = timezone.now()
            batch = []
            for g in range(1, count + 1):
                created = now - timezone.timedelta(seconds=(count - g) * 34_560_000 / count)  # 400 days, in number order
                status = STATUSES[g % len(STATUSES)]
                resolved = min(created + timezone.timedelta(hours=g % 96), now) if status in ("resolved", "closed") else None
                batch.append(Ticket(project=project, number=f"KF-{YEAR}-{g:06d}", kind=KINDS[g % len(KINDS)],
                                    category_id=category_ids[(g // 3) % len(category_ids)],
                                    unit_id=unit_ids[g % len(unit_ids)], title=f"基准工单 {g}", owner=clerk,
                                    assignee_id=tech_ids[(g // 7) % len(tech_ids)], status=status,
                                    created_at=created,
                                    first_response_at=min(created + timezone.timedelta(hours=g % 30), now)
                                    if status != "new" else None, resolved_at=resolved,
                                    closed_at=min(resolved + timezone.timedelta(days=1), now) if status == "closed" else None, response_due=created + timezone.timedelta(days=1),
                                    resolution_due=created + timezone.timedelta(days=3),
                                    escalation_due=created + timezone.timedelta(days=3)))
                if len(batch) == 5000:
                    Ticket.objects.bulk_create(batch)
                    batch = []
            Ticket.objects.bulk_create(batch)
        TicketCounter.objects.update_or_create(project=project, year=YEAR, defaults={"last": count})


def count_offset(args):
    return min(12345, args.tickets - 1)


def timed(func, runs):
    for _ in range(5):  # warm-up
        func()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _delete_bench_tickets(project):
    """The benchmark project's work orders gone. On PostgreSQL the database is the benchmark's own: TRUNCATE (the ORM
    deletes a million work orders one history row at a time: longer than filling ten million)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE tickets_ticket, tickets_historicalticket CASCADE")
    else:
        Ticket.objects.filter(project=project).delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--units", type=int, default=600, help="units of the project (300 per building)")
    parser.add_argument("--reset", action="store_true", help="delete the benchmark tickets first")
    parser.add_argument("--unprepared", action="store_true",
                        help="time without core.serving.prepare_process() (what a served process does first)")
    parser.add_argument("--only", action="append", metavar="WORDS",
                        help="time only the pages whose label contains WORDS (may be repeated), then stop")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    project, technicians, clerk = setup_project(args.units)
    if args.reset:
        _delete_bench_tickets(project)
    existing = Ticket.objects.filter(project=project).count()
    if existing < args.tickets:
        _delete_bench_tickets(project)
        started = time.perf_counter()
        fill(project, technicians, clerk, args.tickets)
        print(f"filled {args.tickets} tickets in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    else:
        print(f"{existing} tickets already there ({connection.vendor})")

    quiet_butler(project)

    from rest_framework.test import APIClient

    from dutydesk.core.serving import prepare_process
    from dutydesk.org import access
    from dutydesk.tickets import selectors

    if not args.unprepared:
        prepare_process()
    technician = technicians[3]
    client = APIClient()
    client.force_authenticate(technician)

    def api_call():
        response = client.get("/api/v1/tickets/", {"assignee": "me", "overdue": "true"})
        assert response.status_code == 200, response.content[:300]
        return response

    def sql_only():
        access.forget(technician)
        queryset = selectors.overdue(selectors.tickets_visible_to(technician).filter(assignee=technician)) \
            .order_by("resolution_due", "id")
        return queryset.count(), list(queryset[:50])

    body = api_call().json()
    print(f"overdue queue of {technician.username}: {body['count']} tickets, first page {len(body['results'])}")
    for label, func in (("API GET /api/v1/tickets/?assignee=me&overdue=true", api_call), ("queryset (count + page)", sql_only)):
        samples = timed(func, args.runs)
        print(f"{label}: p50 {statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms "
              f"over {args.runs} runs (goal p95 < 100 ms)")
    # the manager's pages (issue 11): the list as it opens (overdue tab, 5 tab counts, first page), and searches
    from django.test import Client

    manager = get_user_model().objects.get(username="bench-manager")
    browser = Client()
    browser.force_login(manager)

    butler_browser = Client()
    butler_browser.force_login(get_user_model().objects.get(username="bench-butler"))
    quiet_browser = Client()
    quiet_browser.force_login(get_user_model().objects.get(username="bench-butler-quiet"))
    supervisor_browser = Client()
    supervisor_browser.force_login(get_user_model().objects.get(username="bench-supervisor"))

    def page(params, path="/tickets/", who=browser):
        def call():
            response = who.get(path, params)
            assert response.status_code == 200, response.status_code
        return call

    def raw_overdue_page():
        with connection.cursor() as cursor:
            cursor.execute("""SELECT t.id, t.number, t.title, t.status, t.resolution_due, u.number, b.name
                                FROM tickets_ticket t JOIN archive_unit u ON u.id = t.unit_id
                                JOIN archive_building b ON b.id = u.building_id
                               WHERE t.project_id = %s AND t.status IN ('new', 'dispatched', 'in_progress')
                                 AND t.resolution_due < now() ORDER BY t.resolution_due, t.id LIMIT 50""", [project.pk])
            return cursor.fetchall()

    samples = timed(raw_overdue_page, args.runs)
    print(f"raw SQL of the manager's first page (50 rows): p50 {statistics.median(samples):.1f} ms")
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=manager)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    some_ticket = Ticket.objects.filter(project=project).order_by("-id").values_list("id", flat=True)[count_offset(args)]

    def detail():
        response = api.get(f"/api/v1/tickets/{some_ticket}/")
        assert response.status_code == 200, response.status_code

    # the monthly figures the trends read (tickets/figures.py): kept as the hourly job keeps them, before the pages
    from dutydesk.tickets import figures
    from dutydesk.tickets.models import KeptFigures

    if not KeptFigures.objects.filter(project=project).exists():
        started = time.perf_counter()
        result = figures.keep(project, now=timezone.now())
        print(f"kept figures, first keep from {result['from']} ({result['rows']} rows): "
              f"{time.perf_counter() - started:.1f} s")
    if not args.only or any("keep" in words for words in args.only):
        samples = []
        for _ in range(3):
            started = time.perf_counter()
            result = figures.keep(project, now=timezone.now())
            samples.append((time.perf_counter() - started) * 1000)
        print(f"kept figures, the hourly keep from {result['from']} ({result['rows']} rows): "
              f"p50 {statistics.median(samples):.0f} ms, max {max(samples):.0f} ms")
    # each page beside the raw replay of every statement it sends (auth, holdings, tab counts, page, lookups)
    for label, func in (("page /tickets/ (manager, opens on overdue)", page({})),
                        ("page /tickets/?q=all", page({"q": "all"})),
                        ("page /tickets/?q=all&sort=due", page({"q": "all", "sort": "due"})),
                        ("page /tickets/?q=all&sort=priority", page({"q": "all", "sort": "priority"})),
                        ("page search by number KF-…-012345", page({"q": "all", "search": f"KF-{YEAR}-012345"})),
                        ("page search by title words", page({"q": "all", "search": "基准工单 4321"})),
                        ("page search by unit A-1201", page({"q": "all", "search": "A-1201"})),
                        ("page /tickets/?q=overdue (floor butler, 15 floors)", page({"q": "overdue"}, who=butler_browser)),
                        ("page /tickets/?q=new (floor butler)", page({"q": "new"}, who=butler_browser)),
                        ("page /tickets/?q=all (floor butler)", page({"q": "all"}, who=butler_browser)),
                        ("page /tickets/?q=overdue (floor butler, quiet floors)", page({"q": "overdue"}, who=quiet_browser)),
                        ("API GET /api/v1/tickets/{id}/ (manager, Bearer token)", detail),
                        # the home page: every panel the post has (work orders, tasks, KPIs of the month, …)
                        ("page / home (manager)", page({}, "/")),
                        ("page / home (floor butler)", page({}, "/", who=butler_browser)),
                        ("page / home (CS supervisor)", page({}, "/", who=supervisor_browser)),
                        # the trends over months: six months of SLA and first responses, a year of return visits
                        ("page /duties/dashboard/ (manager)", page({}, "/duties/dashboard/")),
                        ("page /tickets/reports/return-visits/ (manager)", page({}, "/tickets/reports/return-visits/")),
                        ("page /tickets/reports/return-visits/ (floor butler)",
                         page({}, "/tickets/reports/return-visits/", who=butler_browser)),
                        # the archive and the intake lookups over the project's units and residents
                        ("page /units/", page({}, "/units/")),
                        ("page /units/?q=A-1201", page({"q": "A-1201"}, "/units/")),
                        ("page /residents/?q=<phone>", page({"q": "13900001234"}, "/residents/")),
                        ("page /residents/?q=<name>", page({"q": "住户1234"}, "/residents/")),
                        ("intake lookup /frontdesk/options/units/?q=A-12", page({"q": "A-12"}, "/frontdesk/options/units/")),
                        ("intake lookup /frontdesk/options/residents/?q=1390000",
                         page({"q": "1390000"}, "/frontdesk/options/residents/"))):
        if args.only and not any(words in label for words in args.only):
            continue
        runs = max(20, args.runs)
        samples = timed(func, runs)
        queries, replay = replayed_sql(func)
        raw = timed(replay, runs)
        print(f"{label}: p50 {statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms; "
              f"its {queries} statements raw p50 {statistics.median(raw):.1f} ms "
              f"-> {statistics.median(samples) / statistics.median(raw):.1f}x")
    if args.only:
        return
    # the scheduler tick (issue 11: work proportional to what is due, not to what is open)
    from dutydesk.core import clock
    from dutydesk.core.scheduler import run_tick

    evening = clock.at(clock.today(), "17:30")  # both sweeps of the day (09:00 and 17:00) are due
    started = time.perf_counter()
    first = run_tick(evening)
    print(f"scheduler tick, first after the day's sweeps are due: {(time.perf_counter() - started) * 1000:.0f} ms "
          f"({ {k: v for k, v in first.items() if v} })")
    samples = timed(lambda: run_tick(evening), 10)
    print(f"scheduler tick, the following ticks: p50 {statistics.median(samples):.1f} ms, "
          f"p95 {percentile(samples, 0.95):.1f} ms")
    if connection.vendor == "postgresql":
        queryset = selectors.overdue(selectors.tickets_visible_to(technician).filter(assignee=technician)) \
            .order_by("resolution_due", "id")[:50]
        with connection.cursor() as cursor:
            sql, params = queryset.query.sql_with_params()
            cursor.execute("EXPLAIN ANALYZE " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
        print("plan:", *[line for line in plan if "Index" in line or "Execution" in line][:6], sep="\n  ")


if __name__ == "__main__":
    main()
