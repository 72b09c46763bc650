#!/usr/bin/env python
"""Benchmark the bill run and the collection-rate report on PostgreSQL with 200,000 units.

    createdb -h 127.0.0.1 -U postgres dutydesk_bench_billing
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dutydesk_bench_billing \
        .venv/bin/python scripts/bench_billing.py [--units 200000] [--period 2026-10]

Migrates the database, creates the units set-based (INSERT ... SELECT generate_series) with
three charge items (management fee per m², a fixed fee, tiered water with one reading per unit),
then times one bill run and the collection-rate report (goals: < 60 s and < 1 s).
Re-running truncates the bills first (the database is dedicated to the benchmark), so the run is
timed from scratch each time.

The run is compared with the raw ``INSERT ... SELECT`` of the same rows (issue 11: the run ≤ 2× it):
the run's bills and lines are copied aside, the tables emptied, and the same rows inserted back
into the same tables (same indexes and constraints), timed with the COMMIT, twice: with no per-row
foreign-key work (the way the run writes) and with the foreign-key checks as declared (deferred,
one lookup and lock per row and key at COMMIT). ``--compare-row-checks`` also times the run with the
per-row foreign-key checks kept (the path of a database role that may not switch them off).
Each timed step starts after a CHECKPOINT, from empty bill tables.
"""
import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutydesk.settings")
os.environ.setdefault("DUTYDESK_DEBUG", "1")
os.environ.setdefault("DUTYDESK_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

PROJECT_CODE = "bench-billing"
UNITS_PER_BUILDING = 2000  # 40 floors × 50 units


def timed(label, func):
    started = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.3f} s")
    return result, elapsed


def create_data(units):
    from dutydesk.archive.models import Building, Project, Unit
    from dutydesk.billing import services
    from dutydesk.org.models import Organisation

    organisation, _ = Organisation.objects.get_or_create(code="bench-org", defaults={"name": "基准测试物业"})
    project, _ = Project.objects.get_or_create(code=PROJECT_CODE, defaults={"organisation": organisation, "name": "基准花园"})
    if Unit.objects.filter(project=project).count() >= units:
        return project
    buildings = -(-units // UNITS_PER_BUILDING)
    Building.objects.bulk_create([Building(project=project, name=f"{i + 1:03d}", floors=40) for i in range(buildings)],
                                 ignore_conflicts=True)
    mgmt = services.charge_item_save(project=project, code="mgmt", name="物业管理费", basis="per_m2", unit_price="3.50",
                                     kind="management")
    garbage = services.charge_item_save(project=project, code="garbage", name="垃圾清运费", basis="fixed",
                                        unit_price="15.00")
    water = services.charge_item_save(project=project, code="water", name="水费", basis="metered", unit_price="3.45",
                                      kind="water", tiers=[{"up_to": "20", "price": "3.45"}, {"up_to": None, "price": "4.83"}])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO archive_unit (project_id, building_id, floor, number, area_m2, status)
            SELECT b.project_id, b.id, g / 50 + 1, ((g / 50 + 1) * 100 + g %% 50 + 1)::text,
                   60 + (g * 7919 %% 9000) / 100.0, CASE WHEN g %% 10 = 0 THEN 'vacant' ELSE 'occupied' END
            FROM (SELECT id, project_id, row_number() OVER (ORDER BY name) - 1 AS idx
                  FROM archive_building WHERE project_id = %s) b
            CROSS JOIN generate_series(0, %s - 1) g
            WHERE b.idx * %s + g < %s
            ON CONFLICT DO NOTHING""", [project.pk, UNITS_PER_BUILDING, UNITS_PER_BUILDING, units])
        for item, discount in ((mgmt, 30), (garbage, 0)):
            cursor.execute("""
                INSERT INTO billing_unitcharge (unit_id, item_id, start, quantity, vacant_discount_percent)
                SELECT u.id, %s, DATE '2020-01-01', 1, %s FROM archive_unit u WHERE u.project_id = %s""",
                           [item.pk, discount, project.pk])
        cursor.execute("""
            INSERT INTO billing_meterreading (unit_id, item_id, period, reading, usage, flagged, entered_at)
            SELECT u.id, %s, '2026-09', 1000, 0, false, now() FROM archive_unit u WHERE u.project_id = %s""",
                       [water.pk, project.pk])
        cursor.execute("ANALYZE")
    return project


def add_readings(project, period):
    from dutydesk.billing.models import ChargeItem
    water = ChargeItem.objects.get(project=project, code="water")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_meterreading WHERE item_id = %s AND period = %s", [water.pk, period])
        cursor.execute("""
            INSERT INTO billing_meterreading (unit_id, item_id, period, reading, usage, flagged, entered_at)
            SELECT u.id, %s, %s, 1000 + 5 + u.id %% 30, 5 + u.id %% 30, false, now()
            FROM archive_unit u WHERE u.project_id = %s""", [water.pk, period, project.pk])


def drop_bills(runs=True):
    """The bench database is dedicated: start every measure from no bills at all."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {'billing_billrun, ' if runs else ''}billing_bill, billing_billline CASCADE")
        cursor.execute("CHECKPOINT")


def time_run(project, period, row_checks=False):
    """One bill run from no bills; ``row_checks`` keeps the per-row foreign-key triggers."""
    from dutydesk.billing import billrun, services
    drop_bills()
    skip = billrun._references_held
    if row_checks:
        billrun._references_held = lambda cursor: False
    try:
        label = "per-row FK checks kept" if row_checks else "references checked up front"
        return timed(f"bill run {period} ({label})", lambda: services.bill_run_create(project=project, period=period))
    finally:
        billrun._references_held = skip


def time_raw_insert_select(roles=("replica", "origin")):
    """The same bills and lines written by the plainest INSERT ... SELECT (see the module doc), with the session
    replication ``roles`` given. Leaves the tables as the run left them."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS raw_bills, raw_lines")
        cursor.execute("CREATE TEMPORARY TABLE raw_bills AS SELECT * FROM billing_bill ORDER BY id")
        cursor.execute("CREATE TEMPORARY TABLE raw_lines AS SELECT * FROM billing_billline ORDER BY id")
    results = {}
    for name, role in (("no per-row FK work", "replica"), ("FK checks as declared, at COMMIT", "origin")):
        if role not in roles:
            continue
        drop_bills(runs=False)

        def insert(role=role):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL session_replication_role = {role}")
                cursor.execute("INSERT INTO billing_bill SELECT * FROM raw_bills")
                cursor.execute("INSERT INTO billing_billline SELECT * FROM raw_lines")
        results[role] = timed(f"raw INSERT ... SELECT of the same rows ({name})", insert)[1]
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=200_000)
    parser.add_argument("--period", default="2026-10")
    parser.add_argument("--compare-row-checks", action="store_true",
                        help="also time the run with the per-row foreign-key checks kept")
    parser.add_argument("--repeat", type=int, default=1,
                        help="time the run and its raw insert (no per-row FK work) this many times in all, side by "
                             "side, and print the median ratio (the machine's noise is ±15%% between runs)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    from django.contrib.auth import get_user_model

    from dutydesk.archive.models import Unit
    from dutydesk.billing import selectors, services
    from dutydesk.billing.models import BillLine

    logging.getLogger("dutydesk.billing.run").setLevel(logging.DEBUG)  # per-statement timings
    call_command("migrate", verbosity=0)
    project, _ = timed(f"create {args.units:,} units (set-based)", lambda: create_data(args.units))
    print(f"units in project: {Unit.objects.filter(project=project).count():,}")
    drop_bills()
    add_readings(project, args.period)
    with connection.cursor() as cursor:  # the readings were replaced: as autovacuum would leave the table
        cursor.execute("VACUUM ANALYZE billing_meterreading")
        cursor.execute("ANALYZE")
    if args.compare_row_checks:
        (run, _), row_checks_seconds = time_run(project, args.period, row_checks=True)
        print(f"  bills: {run.bills_created:,}  total: ¥{run.total:,}")
    (run, created), run_seconds = time_run(project, args.period)
    print(f"  bills: {run.bills_created:,}  total: ¥{run.total:,}  lines: "
          f"{BillLine.objects.filter(bill__run=run).count():,}")
    raw = time_raw_insert_select()
    ratios = [run_seconds / raw["replica"]]
    for _again in range(args.repeat - 1):
        (run, _), seconds = time_run(project, args.period)
        ratios.append(seconds / time_raw_insert_select(roles=("replica",))["replica"])
        print(f"  run / raw = {ratios[-1]:.2f}x")
    if args.repeat > 1:
        print(f"RESULT median of {args.repeat} runs / raw INSERT...SELECT = {statistics.median(ratios):.2f}x "
              f"({', '.join(f'{ratio:.2f}' for ratio in ratios)}; goal <= 2)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE billing_bill")
        cursor.execute("ANALYZE billing_billline")
    # collect ~92 % of the bills, set-based, so the rate is not trivial
    with connection.cursor() as cursor:
        cursor.execute("UPDATE billing_bill SET paid = amount, status = 'paid' WHERE run_id = %s AND unit_id %% 25 <> 0"
                       " AND unit_id %% 13 <> 0", [run.pk])
        cursor.execute("ANALYZE billing_bill")
    _again, again_seconds = timed("same run again (idempotent)",
                                  lambda: services.bill_run_create(project=project, period=args.period))
    report, report_seconds = timed("collection-rate report (selector)",
                                   lambda: selectors.collection_rate(project=project, period=args.period))
    print(f"  {report}")
    timed("collection rate by building (selector)",
          lambda: selectors.collection_rate_by_building(project=project, period=args.period))
    admin, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    client = Client()
    client.force_login(admin)
    timed("GET /api/v1/reports/collection-rate (HTTP, first request: loads URLs and views)", lambda: client.get(
        "/api/v1/reports/collection-rate", {"project": project.pk, "period": args.period}))
    response, http_seconds = timed("GET /api/v1/reports/collection-rate (HTTP, warm)", lambda: client.get(
        "/api/v1/reports/collection-rate", {"project": project.pk, "period": args.period}))
    print(f"  {response.status_code} {response.json()}")
    timed("GET /api/v1/reports/arrears page 1 (HTTP, in-process)", lambda: client.get(
        "/api/v1/reports/arrears", {"project": project.pk, "as_of": "2026-12-31", "page_size": 50}))
    print(f"RESULT bill_run={run_seconds:.2f}s (goal < 60) collection_rate={report_seconds:.3f}s "
          f"http={http_seconds:.3f}s (goal < 1)")
    print(f"RESULT bill_run / raw INSERT...SELECT = {run_seconds:.1f} / {raw['replica']:.1f} s = "
          f"{run_seconds / raw['replica']:.2f}x (goal <= 2); raw with the FK checks at COMMIT {raw['origin']:.1f} s"
          + (f"; run with per-row FK checks kept {row_checks_seconds:.1f} s = "
             f"{row_checks_seconds / raw['replica']:.2f}x" if args.compare_row_checks else ""))


if __name__ == "__main__":
    main()
