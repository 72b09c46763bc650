#!/usr/bin/env python
"""Benchmark: the wave-2 modules (stock, occupancy, patrols, shifts, vendors, drafts) at a group's scale (issue 11).

    createdb -h 127.0.0.1 -U postgres dd_bench_modules
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dd_bench_modules \\
        .venv/bin/python scripts/bench_modules.py [--rows 100000] [--runs 20] [--only stock] [--refill]

PostgreSQL only; the database is the benchmark's own (not the one of bench_tickets.py: both name their project
and staff ``bench…``, and the second one's users then hold no post in the project it times: 403). Migrates it, loads the property-cs catalogue and one project of
3,000 units (one resident each) with its staff, then fills each module set-based (INSERT … SELECT generate_series; a
module already holding ``--rows`` is reused, ``--refill`` truncates its tables first):

- stock: 2,000 items; ``rows`` receipts (the newest 100 pending, 1 in 50 rejected, about 10 batches an item still in
  stock, some expired), the older batches issued whole (≈ ``rows`` issues and issue lines), ``rows``/10 stocktakes;
- occupancy: ``rows`` move-ins (6 steps each), ``rows``/2 move-outs (4 steps), ``rows``/2 renovations (2 workers and
  2 inspections each; 200 under way, half of them past their end with a failed inspection);
- patrols: 100 routes of 6 checkpoints, ``rows`` rounds (6 checkpoint records each) every 4 hours back from today;
- shifts: 300 staff on 4 posts, ``rows`` roster entries (one shift a day each), ``rows``/2 handovers and
  ``rows``/100 swaps;
- vendors: max(500, ``rows``/200) vendors, 4 supervising posts, ``rows`` monthly evaluations (4 scores each);
- drafts: min(``rows``/10, 10,000) catalogue drafts.

Then, as production runs (debug off: no query log but the one captured for the count), times every staff list page,
API list, export and scheduled job of those modules: p50/p95 over ``--runs`` runs after a warm-up, the number of
queries, and the same statements replayed raw (their SQL alone, p50) for the ratio call ÷ SQL. Jobs run in a
transaction that is rolled back, so each run does the same work. Goal: p95 < 150 ms and call ÷ SQL ≤ 3.
"""
import argparse
import statistics
import sys
import time
from datetime import timedelta

from benchkit import percentile, replayed_sql  # noqa: E402  (sets Django up first)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from dutydesk.archive.models import Building, Project, Unit  # noqa: E402
from dutydesk.core import clock  # noqa: E402
from dutydesk.core.periods import Period  # noqa: E402
from dutydesk.core.serving import prepare_process  # noqa: E402
from dutydesk.org.catalog import import_catalog  # noqa: E402
from dutydesk.org.catalog_yaml import load_shipped  # noqa: E402
from dutydesk.org.models import Organisation, Post, PostHolding  # noqa: E402

UNITS = 3000
ITEMS = 2000
ROUTES = 100
CHECKPOINTS = 6
SHIFT_POSTS = ["frontdesk-assistant", "cs-clerk", "visitor-desk", "exhibition-service-assistant"]
SHIFT_STAFF = 300
VENDOR_POSTS = ["env-supervisor", "env-deputy-supervisor", "cleaning-inspector", "greening-inspector"]
WALKERS = 20


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchall() if cursor.description else None


def scalar(statement, params=None):
    return sql(statement, params)[0][0]


def analyze(*tables):
    for table in tables:
        sql(f"VACUUM ANALYZE {table}")


# ---------------------------------------------------------------- the project and its people
class Bench:
    """The project, its people and the clients the cases use."""

    def __init__(self):
        self.organisation, _ = Organisation.objects.get_or_create(
            code="bench-modules", defaults={"name": "基准物业", "name_en": "Bench"})
        import_catalog(load_shipped("property-cs"), organisation=self.organisation)
        self.project, _ = Project.objects.get_or_create(code="bench-modules", defaults={
            "organisation": self.organisation, "name": "基准花园", "name_en": "Bench gardens"})
        self._units()
        self.manager = self.user("bench-manager", "cs-manager")
        self.clerk = self.user("bench-clerk", "cs-dept-clerk")
        self.supervisor = self.user("bench-supervisor", "cs-supervisor")
        self.env = self.user("bench-env", "env-supervisor")
        self.walkers = [self.user(f"bench-walker-{n:02d}", "patrol-officer") for n in range(WALKERS)]
        per_post = SHIFT_STAFF // len(SHIFT_POSTS)
        self.shift_staff = [self.user(f"bench-shift-{n:03d}", SHIFT_POSTS[n // per_post]) for n in range(SHIFT_STAFF)]
        self.evaluators = [self.user(f"bench-eval-{code}", code) for code in VENDOR_POSTS]
        analyze("auth_user", "org_postholding")  # as autovacuum would after 300 new staff

    def user(self, username, post_code):
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"first_name": username})
        if created:
            PostHolding.objects.create(user=user, post=self.post(post_code), project=self.project)
        return user

    def post(self, code):
        return Post.objects.get(code=code, catalog__code="property-cs")

    def _units(self):
        if Unit.objects.filter(project=self.project).count() >= UNITS:
            return
        names = [chr(ord("A") + n) for n in range(UNITS // 300)]
        for name in names:
            Building.objects.get_or_create(project=self.project, name=name, defaults={"floors": 30})
        by_name = dict(Building.objects.filter(project=self.project).values_list("name", "id"))
        with transaction.atomic():
            sql("""INSERT INTO archive_unit (project_id, building_id, floor, number, area_m2, status)
                   SELECT %(project)s, (%(buildings)s::bigint[])[1 + (g - 1) / 300], 1 + ((g - 1) %% 300) / 10,
                          (1 + ((g - 1) %% 300) / 10)::text || lpad((1 + (g - 1) %% 10)::text, 2, '0'), 88.00,
                          'occupied'
                   FROM generate_series(1, %(units)s) AS g ON CONFLICT DO NOTHING""",
                {"project": self.project.pk, "units": UNITS, "buildings": [by_name[name] for name in names]})
            sql("""INSERT INTO archive_resident (unit_id, name, phone, id_number, role, email, emergency_contact,
                                                 emergency_phone, notes)
                   SELECT u.id, '住户' || u.id, '139' || lpad(u.id::text, 8, '0'), '', 'owner', '', '', '', ''
                   FROM archive_unit u WHERE u.project_id = %s
                    AND NOT EXISTS (SELECT 1 FROM archive_resident r WHERE r.unit_id = u.id)""", [self.project.pk])
        analyze("archive_unit", "archive_resident")

    def browser(self, user):
        client = Client()
        client.force_login(user)
        return client

    def api(self, user):
        client = APIClient()
        client.force_authenticate(user)
        return client


def ids(users):
    return [user.pk for user in users]


# ---------------------------------------------------------------- measuring
def timed(func, runs, warm=2):
    started = time.perf_counter()
    for _ in range(warm):
        func()
    if time.perf_counter() - started > 2 * warm:  # seconds a call (the long exports): a few runs say enough
        runs = min(runs, 3)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def rolled_back(func):
    """``func`` in a transaction that is rolled back: a job does the same work on every run."""
    def call():
        with transaction.atomic():
            func()
            transaction.set_rollback(True)
    return call


RESULTS = []


def measure(module, label, rows, func, runs):
    samples = timed(func, runs)
    queries, replay = replayed_sql(func)
    raw = timed(replay, runs)
    p50, p95, raw50 = statistics.median(samples), percentile(samples, 0.95), statistics.median(raw)
    RESULTS.append((module, label, rows, p50, p95, queries, raw50))
    print(f"{module:9} | {label:52} | {rows:>9,} | p50 {p50:7.1f} | p95 {p95:7.1f} | {queries:3} q | "
          f"raw {raw50:6.1f} | {p50 / raw50 if raw50 else 0:4.1f}x", flush=True)


def ok(response):
    assert response.status_code == 200, (response.status_code, getattr(response, "content", b"")[:300])
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


def get(client, path, **headers):
    return lambda: ok(client.get(path, **headers))


# ---------------------------------------------------------------- stock
STOCK_TABLES = ["stock_issueline", "stock_issue", "stock_stockcount", "stock_receipt", "stock_item"]


def stock_rows(bench):
    return scalar("SELECT count(*) FROM stock_receipt WHERE project_id = %s", [bench.project.pk])


def stock_fill(bench, rows):
    project, now, today = bench.project.pk, clock.now(), clock.today()
    in_stock = min(rows // 5, 10 * ITEMS)  # the newest batches still hold stock; the older ones were issued whole
    step = timedelta(days=365) / rows
    with transaction.atomic():
        sql("""INSERT INTO stock_item (project_id, code, name, unit, bin, safety_stock, shelf_life_days, active)
               SELECT %s, 'SP' || lpad(g::text, 5, '0'), '商品' || g, (ARRAY['个','箱','瓶','kg'])[1 + g %% 4],
                      'C-' || lpad(g::text, 5, '0'), CASE WHEN g %% 10 = 0 THEN 200 ELSE 20 END, 365, g %% 50 <> 0
               FROM generate_series(1, %s) g""", [project, ITEMS])
        sql("""WITH i AS (SELECT array_agg(id ORDER BY code) AS ids FROM stock_item WHERE project_id = %(project)s)
               INSERT INTO stock_receipt (project_id, item_id, batch, quantity, remaining, supplier, produced_on,
                   expires_on, zone, received_by_id, received_at, inspected_by_id, inspected_at, inspection_note,
                   approved_by_id, approved_at)
               SELECT %(project)s, i.ids[1 + (g - 1) %% %(items)s], 'B' || lpad(g::text, 8, '0'), 10 + g %% 7,
                      CASE WHEN g > 100 AND g %% 50 <> 0 AND g <= %(in_stock)s THEN 10 + g %% 7 ELSE 0 END,
                      '供应商' || (g %% 40), NULL,
                      CASE WHEN g <= %(in_stock)s AND g %% 97 = 0 THEN %(today)s::date - 3
                           WHEN g <= %(in_stock)s THEN %(today)s::date + 180 END,
                      CASE WHEN g <= 100 THEN 'pending' WHEN g %% 50 = 0 THEN 'rejected' ELSE 'passed' END,
                      %(clerk)s, t.at, CASE WHEN g > 100 THEN %(clerk)s END,
                      CASE WHEN g > 100 THEN t.at + interval '10 minutes' END, '',
                      CASE WHEN g > 5000 THEN %(manager)s END, CASE WHEN g > 5000 THEN t.at + interval '1 day' END
               FROM i, generate_series(1, %(rows)s) g, LATERAL (SELECT %(now)s - (g + 100) * %(step)s AS at) t""",
            {"project": project, "items": ITEMS, "in_stock": in_stock, "today": today, "clerk": bench.clerk.pk,
             "manager": bench.manager.pk, "rows": rows, "now": now, "step": step})
        sql("""INSERT INTO stock_issue (project_id, item_id, quantity, "to", note, issued_by_id, issued_at,
                                        approved_by_id, approved_at)
               SELECT project_id, item_id, quantity, '卖场', batch, %(clerk)s, inspected_at + interval '2 hours',
                      CASE WHEN received_at < %(now)s - interval '7 days' THEN %(manager)s END,
                      CASE WHEN received_at < %(now)s - interval '7 days' THEN inspected_at + interval '1 day' END
               FROM stock_receipt WHERE project_id = %(project)s AND zone = 'passed' AND remaining = 0
               ORDER BY received_at""", {"project": project, "clerk": bench.clerk.pk, "manager": bench.manager.pk,
                                         "now": now})
        sql("""INSERT INTO stock_issueline (issue_id, receipt_id, quantity)
               SELECT i.id, r.id, i.quantity FROM stock_issue i
               JOIN stock_receipt r ON r.item_id = i.item_id AND r.batch = i.note
               WHERE i.project_id = %s""", [project])
        sql("UPDATE stock_issue SET note = '' WHERE project_id = %s", [project])
        sql("""WITH i AS (SELECT array_agg(id ORDER BY code) AS ids FROM stock_item WHERE project_id = %(project)s)
               INSERT INTO stock_stockcount (project_id, item_id, book, counted, difference, note, counted_by_id,
                                             counted_at)
               SELECT %(project)s, i.ids[1 + g %% %(items)s], 10, CASE WHEN g %% 10 = 0 THEN 9 ELSE 10 END,
                      CASE WHEN g %% 10 = 0 THEN -1 ELSE 0 END, '', %(clerk)s, %(now)s - g * %(step)s
               FROM i, generate_series(1, %(rows)s) g""",
            {"project": project, "items": ITEMS, "clerk": bench.clerk.pk, "now": now, "step": step * 10,
             "rows": rows // 10})
    analyze(*STOCK_TABLES)


def stock_cases(bench, rows):
    from dutydesk.stock.jobs import daily_check
    from dutydesk.stock.models import Item

    p = bench.project.pk
    clerk, boss, api = bench.browser(bench.clerk), bench.browser(bench.manager), bench.api(bench.clerk)
    item = Item.objects.filter(project=p).order_by("code")[17]
    month_ago = (clock.today() - timedelta(days=30)).isoformat()
    now = clock.now()
    return [
        ("page /stock/ (levels, 2,000 items)", ITEMS, get(clerk, f"/stock/?project={p}")),
        ("page /stock/?below=1", ITEMS, get(clerk, f"/stock/?project={p}&below=1")),
        ("page /stock/items/<pk>/", rows // ITEMS, get(clerk, f"/stock/items/{item.pk}/")),
        ("page /stock/receive/", rows, get(clerk, f"/stock/receive/?project={p}")),
        ("page /stock/pending/", rows, get(clerk, f"/stock/pending/?project={p}")),
        ("page /stock/issue/", rows, get(clerk, f"/stock/issue/?project={p}")),
        ("page /stock/count/", rows // 10, get(clerk, f"/stock/count/?project={p}")),
        ("page /stock/slips/ (manager)", rows, get(boss, f"/stock/slips/?project={p}")),
        ("page /stock/ledger/ (today)", rows, get(clerk, f"/stock/ledger/?project={p}")),
        ("page /stock/ledger/ (31 days)", rows, get(clerk, f"/stock/ledger/?project={p}&from={month_ago}")),
        ("export /stock/ledger.xlsx (today)", rows, get(clerk, f"/stock/ledger.xlsx?project={p}")),
        ("export /stock/ledger.xlsx (31 days, 62,000 rows)", rows,
         get(clerk, f"/stock/ledger.xlsx?project={p}&from={month_ago}")),
        ("API /api/v1/stock/items/", ITEMS, get(api, f"/api/v1/stock/items/?project={p}")),
        ("API /api/v1/stock/receipts", rows, get(api, f"/api/v1/stock/receipts?project={p}")),
        ("API /api/v1/stock/receipts?zone=pending", rows, get(api, f"/api/v1/stock/receipts?project={p}&zone=pending")),
        ("API /api/v1/stock/issues", rows, get(api, f"/api/v1/stock/issues?project={p}")),
        ("API /api/v1/stock/counts", rows // 10, get(api, f"/api/v1/stock/counts?project={p}")),
        ("API /api/v1/stock/levels", ITEMS, get(api, f"/api/v1/stock/levels?project={p}")),
        ("API /api/v1/stock/ledger (today)", rows, get(api, f"/api/v1/stock/ledger?project={p}")),
        ("job stock.daily_check", rows, rolled_back(lambda: daily_check.func(now, bench.project))),
    ]


# ---------------------------------------------------------------- occupancy
OCCUPANCY_TABLES = ["occupancy_renovationinspection", "occupancy_renovationworker", "occupancy_renovation",
                    "occupancy_moveoutstep", "occupancy_moveout", "occupancy_moveinstep", "occupancy_movein"]


def occupancy_rows(bench):
    return scalar("SELECT count(*) FROM occupancy_movein WHERE project_id = %s", [bench.project.pk])


def occupancy_fill(bench, rows):
    project, now, today = bench.project.pk, clock.now(), clock.today()
    days = 3650  # ten years of a group's move-ins in one project
    clerk = bench.supervisor.pk
    units = """(SELECT array_agg(u.id ORDER BY u.id) AS ids, array_agg(r.id ORDER BY u.id) AS residents
                FROM archive_unit u JOIN archive_resident r ON r.unit_id = u.id WHERE u.project_id = %(project)s)"""
    params = {"project": project, "rows": rows, "days": days, "today": today, "now": now, "clerk": clerk,
              "units": UNITS}
    with transaction.atomic():
        for table, count, open_rows in (("occupancy_movein", rows, 30), ("occupancy_moveout", rows // 2, 20)):
            extra = ", goods_release_id" if table == "occupancy_moveout" else ""
            extra_value = ", NULL" if table == "occupancy_moveout" else ""
            sql(f"""WITH u AS {units}
                    INSERT INTO {table} (project_id, unit_id, resident_id, date, status, started_at, created_at,
                                         completed_at, keys_count, created_by_id, completed_by_id{extra})
                    SELECT %(project)s, u.ids[1 + (g - 1) %% %(units)s], u.residents[1 + (g - 1) %% %(units)s], d.day,
                           CASE WHEN g <= {open_rows} THEN 'open' ELSE 'completed' END,
                           d.day + time '10:00', d.day + time '10:00',
                           CASE WHEN g > {open_rows} THEN d.day + time '10:25' END, 2, %(clerk)s,
                           CASE WHEN g > {open_rows} THEN %(clerk)s END{extra_value}
                    FROM u, generate_series(1, %(count)s) g,
                         LATERAL (SELECT %(today)s::date - ((g - 1)::bigint * %(days)s / %(count)s)::int AS day) d""",
                {**params, "count": count})
        for table, parent, codes in (("occupancy_moveinstep", "move_in", ["documents", "fees", "keys", "meters",
                                                                           "welcome_pack", "archive"]),
                                     ("occupancy_moveoutstep", "move_out", ["fees", "meters", "keys", "goods"])):
            source = table.replace("step", "")
            sql(f"""INSERT INTO {table} ({parent}_id, code, position, done_at, note, data, done_by_id)
                    SELECT m.id, c.code, c.n, CASE WHEN m.status = 'completed' THEN m.started_at + c.n * interval
                           '4 minutes' END, '', '{{}}'::jsonb, CASE WHEN m.status = 'completed' THEN m.created_by_id END
                    FROM {source} m, unnest(%(codes)s::text[]) WITH ORDINALITY AS c(code, n)
                    WHERE m.project_id = %(project)s""", {"codes": codes, "project": project})
        sql(f"""WITH u AS {units}
                INSERT INTO occupancy_renovation (project_id, unit_id, resident_id, contractor, contractor_phone,
                    description, starts_on, ends_on, deposit, status, started_at, created_at, created_by_id,
                    decided_at, decided_by_id, decision_note, extensions, closed_at, closed_by_id, refund_amount,
                    refund_method, refund_note, refunded_at, refunded_by_id)
                SELECT %(project)s, u.ids[1 + (g - 1) %% %(units)s], u.residents[1 + (g - 1) %% %(units)s],
                       '装修公司' || (g %% 300), '13800000000', '厨卫改造',
                       d.day - CASE WHEN g <= 100 THEN 30 ELSE 0 END, d.day + CASE WHEN g <= 100 THEN -1 ELSE 45 END,
                       2000.00,
                       CASE WHEN g <= 200 THEN 'approved' WHEN g <= 260 THEN 'applied' ELSE 'closed' END,
                       d.day - 3 + time '10:00', d.day - 3 + time '10:00', %(clerk)s,
                       CASE WHEN g <= 200 OR g > 260 THEN d.day - 2 + time '10:00' END,
                       CASE WHEN g <= 200 OR g > 260 THEN %(clerk)s END, '', 0,
                       CASE WHEN g > 260 THEN d.day + 50 + time '10:00' END, CASE WHEN g > 260 THEN %(clerk)s END,
                       CASE WHEN g > 260 THEN 2000.00 END, CASE WHEN g > 260 THEN 'cash' ELSE '' END, '',
                       CASE WHEN g > 260 THEN d.day + 50 + time '10:00' END, CASE WHEN g > 260 THEN %(clerk)s END
                FROM u, generate_series(1, %(count)s) g,
                     LATERAL (SELECT %(today)s::date - ((g - 1)::bigint * %(days)s / %(count)s)::int AS day) d""",
            {**params, "count": rows // 2})
        sql("""INSERT INTO occupancy_renovationworker (renovation_id, name, phone, id_number, added_at)
               SELECT r.id, '工人' || n, '1370000000' || n, '', r.created_at
               FROM occupancy_renovation r, generate_series(1, 2) n WHERE r.project_id = %s""", [project])
        # closed: a failed inspection, then the passed final one; under way: one failed (half of them past their end)
        sql("""INSERT INTO occupancy_renovationinspection (renovation_id, final, result, note, inspected_at,
                                                           inspected_by_id)
               SELECT r.id, n = 2, CASE WHEN n = 1 THEN 'fail' ELSE 'pass' END, '墙面开槽未报备',
                      r.starts_on + n * 10 + time '11:00', %s
               FROM occupancy_renovation r, generate_series(1, 2) n
               WHERE r.project_id = %s AND (r.status = 'closed' OR (r.status = 'approved' AND n = 1))""",
            [clerk, project])
    analyze(*OCCUPANCY_TABLES)


def occupancy_cases(bench, rows):
    from dutydesk.occupancy.jobs import renovation_followups
    from dutydesk.occupancy.models import MoveIn, Renovation

    boss, api = bench.browser(bench.supervisor), bench.api(bench.supervisor)
    move_in = MoveIn.objects.filter(project=bench.project).order_by("-date", "-id")[40]
    renovation = Renovation.objects.filter(project=bench.project, status="closed").order_by("-created_at")[10]
    now = clock.now()
    return [
        ("page /occupancy/move-ins/", rows, get(boss, "/occupancy/move-ins/")),
        ("page /occupancy/move-ins/?status=open", rows, get(boss, "/occupancy/move-ins/?status=open")),
        ("page /occupancy/move-ins/?q=A-1201", rows, get(boss, "/occupancy/move-ins/?q=A-1201")),
        ("page /occupancy/move-ins/?page=20", rows, get(boss, "/occupancy/move-ins/?page=20")),
        ("page /occupancy/move-ins/<pk>/", rows, get(boss, f"/occupancy/move-ins/{move_in.pk}/")),
        ("page /occupancy/move-outs/", rows // 2, get(boss, "/occupancy/move-outs/")),
        ("page /occupancy/renovations/", rows // 2, get(boss, "/occupancy/renovations/")),
        ("page /occupancy/renovations/?overdue=1", rows // 2, get(boss, "/occupancy/renovations/?overdue=1")),
        ("page /occupancy/renovations/<pk>/", rows // 2, get(boss, f"/occupancy/renovations/{renovation.pk}/")),
        ("API /api/v1/move-ins/", rows, get(api, "/api/v1/move-ins/")),
        ("API /api/v1/move-ins/?status=open", rows, get(api, "/api/v1/move-ins/?status=open")),
        ("API /api/v1/move-outs/", rows // 2, get(api, "/api/v1/move-outs/")),
        ("API /api/v1/renovations/", rows // 2, get(api, "/api/v1/renovations/")),
        ("API /api/v1/renovations/?overdue=true", rows // 2, get(api, "/api/v1/renovations/?overdue=true")),
        ("job occupancy.renovation_followups", rows // 2,
         rolled_back(lambda: renovation_followups.func(now, bench.project))),
    ]


# ---------------------------------------------------------------- patrols
PATROL_TABLES = ["patrols_roundcheckpoint", "patrols_round", "patrols_checkpoint", "patrols_route"]


def patrols_rows(bench):
    return scalar("SELECT count(*) FROM patrols_round WHERE project_id = %s", [bench.project.pk])


def patrols_fill(bench, rows):
    project, today = bench.project.pk, clock.today()
    post = bench.post("patrol-officer").pk
    first = clock.at(today, "02:00")  # today's first round; the filled ones run every 4 hours before it
    with transaction.atomic():
        sql("""INSERT INTO patrols_route (project_id, post_id, name, schedule, active, created_at)
               SELECT %s, %s, '巡查路线' || lpad(g::text, 3, '0'),
                      '{"times": ["02:00", "06:00", "10:00", "14:00", "18:00", "22:00"], "window_minutes": 60}',
                      true, now() FROM generate_series(1, %s) g""", [project, post, ROUTES])
        sql("""INSERT INTO patrols_checkpoint (route_id, code, name, position, location, active)
               SELECT r.id, 'P' || n, '巡查点' || n, n, '地下车库', true
               FROM patrols_route r, generate_series(1, %s) n WHERE r.project_id = %s""", [CHECKPOINTS, project])
        sql("""WITH r AS (SELECT array_agg(id ORDER BY id) AS ids FROM patrols_route WHERE project_id = %(project)s)
               INSERT INTO patrols_round (route_id, project_id, post_id, starts_at, due_at, status, completed_at,
                                          walker_id)
               SELECT r.ids[1 + (g - 1) %% %(routes)s], %(project)s, %(post)s, s.at, s.at + interval '60 minutes',
                      CASE WHEN g <= 10 THEN 'open' WHEN g %% 20 = 0 THEN 'missed' ELSE 'done' END,
                      CASE WHEN g > 10 AND g %% 20 <> 0 THEN s.at + interval '40 minutes' END,
                      CASE WHEN g > 10 AND g %% 20 <> 0 THEN (%(walkers)s::int[])[1 + g %% %(count)s] END
               FROM r, generate_series(1, %(rows)s) g,
                    LATERAL (SELECT %(first)s - (1 + (g - 1) / %(routes)s) * interval '4 hours' AS at) s""",
            {"project": project, "routes": ROUTES, "post": post, "walkers": ids(bench.walkers),
             "count": len(bench.walkers), "rows": rows, "first": first})
        sql("""INSERT INTO patrols_roundcheckpoint (round_id, checkpoint_id, code, name, position, result, note,
                                                    recorded_at, recorded_by_id)
               SELECT o.id, c.id, c.code, c.name, c.position, CASE WHEN o.status = 'done' THEN 'ok' ELSE '' END, '',
                      CASE WHEN o.status = 'done' THEN o.starts_at + c.position * interval '5 minutes' END,
                      CASE WHEN o.status = 'done' THEN o.walker_id END
               FROM patrols_round o JOIN patrols_checkpoint c ON c.route_id = o.route_id
               WHERE o.project_id = %s""", [project])
    analyze(*PATROL_TABLES)


def patrols_cases(bench, rows):
    from dutydesk.patrols.jobs import release_rounds
    from dutydesk.patrols.models import Round, Route

    p = bench.project.pk
    boss, walker, api = bench.browser(bench.env), bench.browser(bench.walkers[0]), bench.api(bench.env)
    route = Route.objects.filter(project=p).order_by("id")[7]
    round_ = Round.objects.filter(project=p, status="done").order_by("-starts_at")[50]
    month = Period.current().previous().label
    now = clock.now()
    return [
        ("page /patrols/rounds/", rows, get(boss, f"/patrols/rounds/?project={p}")),
        ("page /patrols/rounds/?status=overdue", rows, get(boss, f"/patrols/rounds/?project={p}&status=overdue")),
        ("page /patrols/rounds/?status=missed", rows, get(boss, f"/patrols/rounds/?project={p}&status=missed")),
        ("page /patrols/rounds/?route=…&month=…", rows,
         get(boss, f"/patrols/rounds/?project={p}&route={route.pk}&month={month}")),
        ("page /patrols/rounds/?walker=…", rows,
         get(boss, f"/patrols/rounds/?project={p}&walker={bench.walkers[3].pk}")),
        ("page /patrols/rounds/<pk>/", rows, get(walker, f"/patrols/rounds/{round_.pk}/")),
        ("page /patrols/routes/ (100 routes)", rows, get(boss, f"/patrols/routes/?project={p}")),
        ("page /patrols/routes/<pk>/", rows, get(boss, f"/patrols/routes/{route.pk}/")),
        ("API /api/v1/patrols/rounds", rows, get(api, f"/api/v1/patrols/rounds?project={p}")),
        ("API /api/v1/patrols/rounds?status=open", rows, get(api, f"/api/v1/patrols/rounds?project={p}&status=open")),
        ("API /api/v1/patrols/routes", ROUTES, get(api, f"/api/v1/patrols/routes?project={p}")),
        ("job patrols.rounds (close missed, release the day)", rows,
         rolled_back(lambda: release_rounds.func(now, bench.project))),
    ]


# ---------------------------------------------------------------- shifts
SHIFT_TABLES = ["shifts_swaprequest", "shifts_handover", "shifts_rosterentry", "shifts_roster"]


def shifts_rows(bench):
    return scalar("SELECT count(*) FROM shifts_rosterentry WHERE project_id = %s", [bench.project.pk])


def shifts_fill(bench, rows):
    from dutydesk.shifts import services

    services.shifts_ensure(project=bench.project)
    project, today, now = bench.project.pk, clock.today(), clock.now()
    posts = [bench.post(code).pk for code in SHIFT_POSTS]
    per_post = SHIFT_STAFF // len(SHIFT_POSTS)
    staff = ids(bench.shift_staff)
    first = today + timedelta(days=30)  # next month is rostered already
    params = {"project": project, "posts": posts, "per_post": per_post, "staff": staff, "count": SHIFT_STAFF,
              "first": first, "rows": rows, "today": today, "now": now}
    with transaction.atomic():
        sql("""INSERT INTO shifts_roster (project_id, post_id, month, created_at)
               SELECT DISTINCT %(project)s, p, to_char(%(first)s::date - d, 'YYYY-MM'), now()
               FROM unnest(%(posts)s::bigint[]) p,
                    generate_series(0, (%(rows)s / %(count)s) + 1) d""", params)
        sql("""INSERT INTO shifts_rosterentry (roster_id, project_id, post_id, user_id, day, shift, status,
                                               leave_reason)
               SELECT ro.id, %(project)s, e.post, e.person, e.day,
                      (ARRAY['a','b','c'])[1 + ((g - 1) / %(count)s + (g - 1) %% %(count)s) %% 3],
                      CASE WHEN g %% 40 = 0 THEN 'leave' ELSE 'scheduled' END,
                      CASE WHEN g %% 40 = 0 THEN '事假' ELSE '' END
               FROM generate_series(1, %(rows)s) g,
                    LATERAL (SELECT (%(staff)s::int[])[1 + (g - 1) %% %(count)s] AS person,
                                    (%(posts)s::bigint[])[1 + ((g - 1) %% %(count)s) / %(per_post)s] AS post,
                                    %(first)s::date - ((g - 1) / %(count)s)::int AS day) e
               JOIN shifts_roster ro ON ro.project_id = %(project)s AND ro.post_id = e.post
                                    AND ro.month = to_char(e.day, 'YYYY-MM')""", params)
        # a handover per post, day and shift (a → b, b → c), the newest 8 waiting past their time
        sql("""INSERT INTO shifts_handover (project_id, post_id, day, shift, notes, open_items, handed_at, next_day,
                   next_shift, ack_due_at, acknowledged_at, ack_note, escalated_at, handed_by_id, acknowledged_by_id)
               SELECT %(project)s, h.post, h.day, h.shift, '交接事项 ' || g, '["跟进A座漏水"]'::jsonb, h.at, h.day,
                      CASE WHEN h.shift = 'a' THEN 'b' ELSE 'c' END,
                      CASE WHEN g <= 8 THEN %(now)s - interval '5 minutes' ELSE h.at + interval '30 minutes' END,
                      CASE WHEN g > 40 THEN h.at + interval '10 minutes' END, '',
                      CASE WHEN g > 8 AND g <= 40 THEN h.at + interval '31 minutes' END,
                      (%(staff)s::int[])[1 + h.p * %(per_post)s + g %% %(per_post)s],
                      CASE WHEN g > 40 THEN (%(staff)s::int[])[1 + h.p * %(per_post)s + (g + 1) %% %(per_post)s] END
               FROM generate_series(1, %(handovers)s) g,
                    LATERAL (SELECT (g - 1) %% 4 AS p, (%(posts)s::bigint[])[1 + (g - 1) %% 4] AS post,
                                    CASE WHEN ((g - 1) / 4) %% 2 = 0 THEN 'b' ELSE 'a' END AS shift,
                                    %(today)s::date - ((g - 1) / 8)::int AS day) h0,
                    LATERAL (SELECT h0.*, h0.day + CASE WHEN h0.shift = 'a' THEN time '16:50' ELSE time '19:50' END
                                    AS at) h""", {**params, "handovers": rows // 2})
        sql("""INSERT INTO shifts_swaprequest (project_id, post_id, entry_id, other_entry_id, entry_user_id,
                   other_user_id, reason, status, requested_at, decided_at, decision_note, requested_by_id,
                   decided_by_id)
               SELECT e.project_id, e.post_id, e.id, o.id, e.user_id, o.user_id, '家中有事',
                      CASE WHEN s <= 30 THEN 'pending' WHEN s %% 3 = 0 THEN 'rejected' ELSE 'approved' END,
                      %(now)s - s * interval '3 hours', CASE WHEN s > 30 THEN %(now)s - s * interval '2 hours' END,
                      '', e.user_id, CASE WHEN s > 30 THEN %(manager)s END
               FROM generate_series(1, %(swaps)s) s
               JOIN shifts_rosterentry e ON e.project_id = %(project)s AND e.id = (SELECT min(id) FROM
                    shifts_rosterentry WHERE project_id = %(project)s) + 2 * s
               JOIN shifts_rosterentry o ON o.id = e.id + 1""",
            {**params, "swaps": rows // 100, "manager": bench.manager.pk})
    analyze(*SHIFT_TABLES)


def shifts_cases(bench, rows):
    from dutydesk.shifts.jobs import handover_escalation

    p = bench.project.pk
    boss, desk, api = bench.browser(bench.manager), bench.browser(bench.shift_staff[1]), bench.api(bench.manager)
    post = bench.post(SHIFT_POSTS[0]).pk
    month = Period.current().label
    now = clock.now()
    return [
        ("page /shifts/ (a post's month: 75 staff)", rows,
         get(boss, f"/shifts/?project={p}&post={post}&month={month}")),
        ("page /shifts/ (the same month, a clerk of the post)", rows,
         get(desk, f"/shifts/?project={p}&post={post}&month={month}")),
        ("page /shifts/handovers/?show=all", rows // 2, get(boss, f"/shifts/handovers/?project={p}&show=all")),
        ("page /shifts/handovers/?show=waiting", rows // 2,
         get(boss, f"/shifts/handovers/?project={p}&show=waiting")),
        ("page /shifts/handovers/ (mine, desk)", rows // 2, get(desk, f"/shifts/handovers/?project={p}")),
        ("page /shifts/swaps/", rows // 100, get(boss, f"/shifts/swaps/?project={p}")),
        ("API /api/v1/rosters/?month=", rows, get(api, f"/api/v1/rosters/?project={p}&month={month}&page_size=1")),
        ("API /api/v1/roster-entries/", rows, get(api, f"/api/v1/roster-entries/?project={p}")),
        ("API /api/v1/roster-entries/?month=", rows, get(api, f"/api/v1/roster-entries/?project={p}&month={month}")),
        ("API /api/v1/handovers/", rows // 2, get(api, f"/api/v1/handovers/?project={p}")),
        ("API /api/v1/swaps/", rows // 100, get(api, f"/api/v1/swaps/?project={p}")),
        ("API /api/v1/on-duty", rows, get(api, f"/api/v1/on-duty?project={p}")),
        ("job shifts.handover_escalation", rows // 2, rolled_back(lambda: handover_escalation.func(now))),
    ]


# ---------------------------------------------------------------- vendors
VENDOR_TABLES = ["vendors_score", "vendors_evaluation", "vendors_supervision", "vendors_vendor"]


def vendors_count(rows):
    return max(500, rows // 200)


def vendors_rows(bench):
    return scalar("SELECT count(*) FROM vendors_evaluation WHERE project_id = %s", [bench.project.pk])


def vendors_fill(bench, rows):
    project = bench.project.pk
    vendors = vendors_count(rows)
    posts = [bench.post(code).pk for code in VENDOR_POSTS]
    this_month = clock.today().replace(day=1)
    with transaction.atomic():
        sql("""INSERT INTO vendors_vendor (project_id, name, kind, contact_name, phone, contract_starts_on,
                                           contract_ends_on, active)
               SELECT %s, '外包方' || lpad(g::text, 5, '0'),
                      (ARRAY['cleaning','greening','pest_control','security','lifts','other'])[1 + g %% 6],
                      '联系人' || g, '13900000000', NULL, NULL, g %% 25 <> 0
               FROM generate_series(1, %s) g""", [project, vendors])
        sql("""INSERT INTO vendors_supervision (vendor_id, post_id)
               SELECT v.id, p FROM vendors_vendor v, unnest(%s::bigint[]) p WHERE v.project_id = %s""",
            [posts, project])
        # evaluations back from the month before last (the month that ended is left to evaluate: the reminder's work)
        sql("""WITH v AS (SELECT array_agg(id ORDER BY id) AS ids FROM vendors_vendor WHERE project_id = %(project)s)
               INSERT INTO vendors_evaluation (vendor_id, project_id, post_id, month, evaluated_by_id, evaluated_at,
                                               total, comments)
               SELECT v.ids[1 + (g - 1) %% %(vendors)s], %(project)s, (%(posts)s::bigint[])[1 + e.rest %% 4],
                      to_char(%(month)s::date - ((2 + e.rest / 4) * interval '1 month'), 'YYYY-MM'),
                      (%(evaluators)s::int[])[1 + e.rest %% 4], %(month)s::date - ((1 + e.rest / 4) * interval
                      '1 month') + interval '3 days', 60 + g %% 40, ''
               FROM v, generate_series(1, %(rows)s) g, LATERAL (SELECT (g - 1) / %(vendors)s AS rest) e""",
            {"project": project, "vendors": vendors, "posts": posts, "month": this_month,
             "evaluators": ids(bench.evaluators), "rows": rows})
        sql("""INSERT INTO vendors_score (evaluation_id, criterion, name, weight, score)
               SELECT e.id, c.code, c.code, c.weight, e.total
               FROM vendors_evaluation e, (VALUES ('quality', 40), ('conduct', 20), ('attendance', 20),
                                                  ('rectification', 20)) c(code, weight)
               WHERE e.project_id = %s""", [project])
    analyze(*VENDOR_TABLES)


def vendors_cases(bench, rows):
    from dutydesk.vendors.jobs import evaluation_reminder
    from dutydesk.vendors.models import Vendor

    p = bench.project.pk
    boss, api = bench.browser(bench.env), bench.api(bench.env)
    vendor = Vendor.objects.filter(project=p).order_by("id")[11]
    year = clock.today().year - 1
    month_start = clock.at(clock.today().replace(day=1), "00:10")
    vendors = vendors_count(rows)
    return [
        (f"page /vendors/ ({vendors:,} vendors)", rows, get(boss, f"/vendors/?project={p}")),
        ("page /vendors/<pk>/", rows, get(boss, f"/vendors/{vendor.pk}/")),
        ("page /vendors/report/ (last year)", rows, get(boss, f"/vendors/report/?project={p}&year={year}")),
        ("export /vendors/report.xlsx", rows, get(boss, f"/vendors/report.xlsx?project={p}&year={year}")),
        ("API /api/v1/vendors/", vendors, get(api, f"/api/v1/vendors/?project={p}")),
        ("API /api/v1/vendor-evaluations/", rows, get(api, f"/api/v1/vendor-evaluations/?project={p}")),
        ("API /api/v1/vendor-evaluations/?vendor=", rows,
         get(api, f"/api/v1/vendor-evaluations/?project={p}&vendor={vendor.pk}")),
        ("API /api/v1/reports/vendors", rows, get(api, f"/api/v1/reports/vendors?project={p}&year={year}")),
        ("job vendors.evaluation_reminder", vendors, rolled_back(lambda: evaluation_reminder.func(month_start,
                                                                                             bench.project))),
    ]


# ---------------------------------------------------------------- drafts
def drafts_count(rows):
    return min(rows // 10, 10_000)


def drafts_rows(bench):
    return scalar("SELECT count(*) FROM drafts_catalogdraft WHERE catalog_code LIKE 'bench-%%'")


def drafts_fill(bench, rows):
    with transaction.atomic():
        sql("""INSERT INTO drafts_catalogdraft (catalog_code, catalog_name, department, source_name, source_text,
                   posts, warnings, yaml, status, created_at, published_at, result, created_by_id)
               SELECT 'bench-' || g, '岗位职责 ' || g, '客服部', 'job-' || g || '.docx',
                      repeat('前台客户助理岗位职责：负责接待来访业主。', 200),
                      '[{"key": "p1", "name": "前台客户助理", "duties": []}]'::jsonb, '[]'::jsonb,
                      repeat('posts: []\n', 100), CASE WHEN g %% 3 = 0 THEN 'published' ELSE 'draft' END,
                      now() - g * interval '1 hour', CASE WHEN g %% 3 = 0 THEN now() - g * interval '1 hour' END,
                      '{}'::jsonb, %s
               FROM generate_series(1, %s) g""", [bench.manager.pk, drafts_count(rows)])
    analyze("drafts_catalogdraft")


def drafts_cases(bench, rows):
    boss = bench.browser(bench.manager)
    drafts = drafts_count(rows)
    return [
        (f"page /org/drafts/ ({drafts:,} drafts)", drafts, get(boss, "/org/drafts/")),
        ("page /org/drafts/?page=40", drafts, get(boss, "/org/drafts/?page=40")),
    ]


MODULES = {
    "stock": (stock_rows, stock_fill, stock_cases, STOCK_TABLES, lambda rows: rows),
    "occupancy": (occupancy_rows, occupancy_fill, occupancy_cases, OCCUPANCY_TABLES, lambda rows: rows),
    "patrols": (patrols_rows, patrols_fill, patrols_cases, PATROL_TABLES, lambda rows: rows),
    "shifts": (shifts_rows, shifts_fill, shifts_cases, SHIFT_TABLES, lambda rows: rows),
    "vendors": (vendors_rows, vendors_fill, vendors_cases, VENDOR_TABLES, lambda rows: rows),
    "drafts": (drafts_rows, drafts_fill, drafts_cases, ["drafts_catalogdraft"], drafts_count),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="the scale: receipts, move-ins, rounds … (above)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", choices=sorted(MODULES), action="append", help="one module (may be repeated)")
    parser.add_argument("--refill", action="store_true", help="truncate the modules' tables and fill them again")
    parser.add_argument("--fill-only", action="store_true", help="fill, do not time")
    parser.add_argument("--unprepared", action="store_true",
                        help="time without core.serving.prepare_process() (what a served process does first)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: set DATABASE_URL to a database of the benchmark's own")
    call_command("migrate", verbosity=0)
    bench = Bench()
    chosen = args.only or list(MODULES)
    for name in chosen:
        count, fill, _cases, tables, expected = MODULES[name]
        if args.refill or count(bench) != expected(args.rows):
            sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            started = time.perf_counter()
            fill(bench, args.rows)
            print(f"{name}: filled for --rows {args.rows:,} in {time.perf_counter() - started:.1f} s", flush=True)
    if args.fill_only:
        return
    if not args.unprepared:
        prepare_process()
    print(f"{'module':9} | {'page / API / export / job':52} | {'rows':>9} | {'p50 ms':>11} | {'p95 ms':>11} | "
          f"queries | raw SQL p50 | page ÷ raw", flush=True)
    for name in chosen:
        for label, rows, func in MODULES[name][2](bench, args.rows):
            measure(name, label, rows, func, args.runs)


if __name__ == "__main__":
    main()
