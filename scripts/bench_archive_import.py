"""Benchmark: Excel import of 1,000 units and 1,000 residents (goal: under 10 s on SQLite).

    .venv/bin/python scripts/bench_archive_import.py            # SQLite file in a temp dir
    DATABASE_URL=postgres://... .venv/bin/python scripts/bench_archive_import.py

Builds the workbook, migrates a fresh database, then times import_workbook() (validation + writes,
with the audit history rows) over --runs fresh projects and prints min / median / max."""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DUTYDESK_SECRET_KEY", "bench")
    os.environ["DUTYDESK_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "dutydesk.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from dutydesk.archive.excel import import_workbook
    from dutydesk.archive.models import Resident, Unit
    from dutydesk.org.models import Organisation
    from dutydesk.archive.models import Project
    from tests.archive.excel_helpers import big_workbook

    data = big_workbook(args.rows)
    organisation, _ = Organisation.objects.get_or_create(code="bench", defaults={"name": "bench"})
    timings = []
    for run in range(args.runs):
        project = Project.objects.create(organisation=organisation, code=f"bench-{time.time_ns()}", name=f"压测{run}")
        started = time.perf_counter()
        report = import_workbook(data, project=project)
        timings.append(time.perf_counter() - started)
        assert report.ok, report.errors[:3]
        assert Unit.objects.filter(project=project).count() == args.rows
        assert Resident.objects.filter(unit__project=project).count() == args.rows
    engine = django.db.connection.vendor
    print(f"import of {args.rows} units + {args.rows} residents on {engine}, {args.runs} runs: "
          f"min {min(timings):.2f} s, median {statistics.median(timings):.2f} s, max {max(timings):.2f} s")


if __name__ == "__main__":
    main()
