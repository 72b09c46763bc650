"""What the benchmarks that time pages as production serves them share (bench_tickets, bench_modules, bench_crawl):
Django set up with production settings (no query log, no debug pages), a percentile, and the statements a call sends
replayed raw for the ratio call ÷ SQL. Import it first: ``from benchkit import percentile, replayed_sql`` (the
scripts folder is on the path of a script run from it)."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutydesk.settings")
os.environ.setdefault("DUTYDESK_DEBUG", "0")  # as in production: no query log, no debug pages
os.environ.setdefault("DUTYDESK_SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("DUTYDESK_ALLOWED_HOSTS", "localhost,testserver")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# transaction control, and a server-side cursor's DECLARE / FETCH / CLOSE: not replayable as plain statements
NOT_REPLAYED = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT", "DECLARE", "FETCH",
                "CLOSE")


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[max(0, int(round(fraction * len(ordered))) - 1)]


def replayed_sql(func):
    """The statements one call of ``func`` sends, and a function sending exactly those again, raw (in a transaction
    rolled back: a job's writes are replayed too): the same rows at the database's own cost."""
    with CaptureQueriesContext(connection) as captured:
        func()
    statements = [q["sql"] for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith(NOT_REPLAYED)]

    def replay():
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                if cursor.description:
                    cursor.fetchall()
            transaction.set_rollback(True)
    return len(statements), replay
