#!/usr/bin/env python
"""Benchmark: the registers at a group's scale (issues 11/12/15).

    createdb -h 127.0.0.1 -U postgres dd_bench_registers
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dd_bench_registers \\
        .venv/bin/python scripts/bench_registers.py [--entries 1000000] [--runs 10] [--refill]

PostgreSQL only; the database is dedicated to the benchmark. Migrates it, loads the property-cs catalogue, makes one
project with 20 front-desk assistants (writers of the incident register) and a supervisor (its reader), then fills
``--entries`` incident-report entries over the 12 months before today set-based (INSERT … SELECT generate_series;
one in 2,000 still open, nine in ten on time) and 1,000 notices. Re-running reuses the data (``--refill`` truncates).

Then times (p50 of ``--runs`` after a warm-up) and counts the queries of: the entries API (first page of 50), the
entries page, the entries page filtered to one day, the register KPI source for a month's scorecards (every card of
the writers' post), the overdue job and the residents' notices — and replays the SQL each ran, alone, for the ratio
"call ÷ its SQL".
"""
import argparse
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
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dutydesk.archive.models import Project  # noqa: E402
from dutydesk.core import clock  # noqa: E402
from dutydesk.core.periods import Period  # noqa: E402
from dutydesk.org import kpis  # noqa: E402
from dutydesk.org.catalog import import_catalog  # noqa: E402
from dutydesk.org.catalog_yaml import load_shipped  # noqa: E402
from dutydesk.org.models import KPI, Organisation, Post, PostHolding, Register  # noqa: E402
from dutydesk.registers import selectors  # noqa: E402
from dutydesk.registers.jobs import registers_overdue  # noqa: E402
from dutydesk.registers.models import Entry  # noqa: E402

WRITERS = 20


def sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def setup():
    organisation, _ = Organisation.objects.get_or_create(code="bench-registers", defaults={"name": "基准", "name_en": "Bench"})
    import_catalog(load_shipped("property-cs"), organisation=organisation)
    project, _ = Project.objects.get_or_create(code="bench-registers", defaults={
        "organisation": organisation, "name": "基准项目", "name_en": "Bench project"})
    User = get_user_model()
    writer_post, reader_post = Post.objects.get(code="frontdesk-assistant"), Post.objects.get(code="cs-supervisor")
    writers = []
    for n in range(WRITERS):
        user, _ = User.objects.get_or_create(username=f"bench-desk-{n:02d}")
        PostHolding.objects.get_or_create(user=user, post=writer_post, project=project)
        writers.append(user)
    reader, _ = User.objects.get_or_create(username="bench-supervisor")
    PostHolding.objects.get_or_create(user=reader, post=reader_post, project=project)
    # a KPI over the register, as a catalogue would declare it (on_time_rate of the incident register)
    KPI.objects.get_or_create(post=writer_post, code="bench_incidents_on_time", defaults={
        "name": "特发事件按时上报率", "target": 100, "unit": "%", "source": "register",
        "register": Register.objects.get(code="incident-report"), "measure": "on_time_rate"})
    return project, writers, reader


def fill(project, writers, entries):
    register = Register.objects.get(code="incident-report")
    notices = Register.objects.get(code="notice-board")
    ids = "ARRAY[" + ",".join(str(w.pk) for w in writers) + "]::bigint[]"
    now = clock.now()
    started = time.perf_counter()
    with transaction.atomic():
        sql(f"""
            INSERT INTO registers_entry (register_id, project_id, number, values, unit_id, recorded_by_id, post_id,
                                         started_at, finished_at, finished_by_id, status, on_time)
            SELECT %s, %s, 'TF' || lpad(g::text, 9, '0'),
                   jsonb_build_object('kind', (ARRAY['facility','leak','fire','security','injury','other'])[1 + g %% 6],
                                      'severity', CASE WHEN g %% 50 = 0 THEN 'major' ELSE 'minor' END,
                                      'place', 'A座' || (g %% 30 + 1) || '楼', 'description', '基准事件 ' || g),
                   NULL, ({ids})[1 + g %% {len(writers)}], NULL,
                   %s - (g * interval '31 seconds'),
                   CASE WHEN g %% 2000 = 0 THEN NULL ELSE %s - (g * interval '31 seconds') + ((g %% 12) * interval '1 minute') END,
                   CASE WHEN g %% 2000 = 0 THEN NULL ELSE ({ids})[1 + g %% {len(writers)}] END,
                   CASE WHEN g %% 2000 = 0 THEN 'open' ELSE 'finished' END,
                   CASE WHEN g %% 2000 = 0 THEN NULL ELSE (g %% 12) <= 10 END
            FROM generate_series(1, %s) g""", [register.pk, project.pk, now, now, entries])
        sql("""
            INSERT INTO registers_entry (register_id, project_id, number, values, recorded_by_id, started_at,
                                         finished_at, status)
            SELECT %s, %s, 'GG' || lpad(g::text, 9, '0'),
                   jsonb_build_object('kind', CASE WHEN g %% 3 = 0 THEN 'sign' ELSE 'notice' END, 'title', '通知 ' || g,
                                      'content', '内容 ' || g, 'places', '大堂',
                                      'valid_from', to_char((%s::date - (g %% 60)), 'YYYY-MM-DD'),
                                      'valid_to', to_char((%s::date - (g %% 60) + 7), 'YYYY-MM-DD')),
                   %s, %s - (g * interval '1 hour'), %s - (g * interval '1 hour'), 'finished'
            FROM generate_series(1, 1000) g""", [notices.pk, project.pk, clock.today(), clock.today(), writers[0].pk,
                                                 now, now])
    sql("VACUUM ANALYZE registers_entry")
    print(f"filled {entries:,} incident entries + 1,000 notices in {time.perf_counter() - started:.1f} s", flush=True)


def replay(captured):
    total = 0.0
    with transaction.atomic(), connection.cursor() as cursor:
        for query in captured:
            statement = query["sql"]
            if statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
                continue
            started = time.perf_counter()
            cursor.execute(statement)
            if cursor.description:
                cursor.fetchall()
            total += time.perf_counter() - started
        transaction.set_rollback(True)
    return total


def measure(label, call, runs):
    call()
    samples = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
    seconds = statistics.median(samples)
    raw = replay(captured.captured_queries)
    print(f"{label}: {seconds * 1000:.1f} ms p50 of {runs} (max {max(samples) * 1000:.1f}), {len(captured)} queries; "
          f"their SQL alone {raw * 1000:.1f} ms (call ÷ SQL = {seconds / raw:.1f}×)", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--refill", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: set DATABASE_URL to a database of the benchmark's own")
    call_command("migrate", verbosity=0)
    project, writers, reader = setup()
    register = Register.objects.get(code="incident-report")
    if args.refill:
        sql("TRUNCATE registers_entry, registers_historicalentry, registers_entrycounter")
    if Entry.objects.filter(register=register, project=project).count() < args.entries:
        sql("TRUNCATE registers_entry, registers_historicalentry, registers_entrycounter")
        fill(project, writers, args.entries)
    desk, boss = Client(), Client()
    desk.force_login(writers[0])
    boss.force_login(reader)
    today = clock.today().isoformat()

    def ok(response):
        assert response.status_code == 200, response.status_code
        return response

    measure("API entries, first page of 50", lambda: ok(boss.get(
        f"/api/v1/registers/incident-report/entries?project={project.pk}", HTTP_ACCEPT="application/json")), args.runs)
    measure("entries page", lambda: ok(boss.get(f"/registers/incident-report/?project={project.pk}")), args.runs)
    measure("entries page, one day", lambda: ok(boss.get(
        f"/registers/incident-report/?project={project.pk}&from={today}&to={today}")), args.runs)
    post = Post.objects.get(code="frontdesk-assistant")
    period = Period.current().previous()

    def scorecards():
        cards = kpis.Cards.load(project, period, {post: [None, *[w.pk for w in writers]]})
        return kpis.measure_cards(list(KPI.objects.filter(post=post, source="register")), cards)

    measure(f"register KPI source, {period.label}, {WRITERS + 1} cards", scorecards, args.runs)
    now = clock.now()
    measure("overdue job (a tick after the first)", lambda: registers_overdue(now), args.runs)
    measure("residents' notices", lambda: selectors.portal_notices([project.pk], clock.today()), args.runs)


if __name__ == "__main__":
    main()
