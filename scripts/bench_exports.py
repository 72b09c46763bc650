#!/usr/bin/env python
"""Benchmark: the archive export (units + residents workbook) at a group's scale, time and peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dutydesk_bench_exports \\
        .venv/bin/python scripts/bench_exports.py [--units 200000]

Fills one project with ``--units`` units and one resident each (PostgreSQL: INSERT … SELECT over
generate_series), then in a fresh child process per measurement (so peak RSS is the export's own) runs:
- ``export_workbook`` (what ``GET /api/v1/archive/export`` and the export button call), and
- the raw SQL reading the same rows (``COPY (SELECT …) TO STDOUT``), for the ratio.
Prints seconds, the child's peak RSS (ru_maxrss) and the file size. Goal (issue 11): memory flat (< 200 MB).
"""
import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutydesk.settings")
os.environ.setdefault("DUTYDESK_DEBUG", "1")


def setup():
    import django

    django.setup()


def fill(count):
    setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from dutydesk.archive.models import Building, Project, Resident, Unit
    from dutydesk.org.models import Organisation

    call_command("migrate", verbosity=0)
    organisation, _ = Organisation.objects.get_or_create(code="bench-org", defaults={"name": "基准测试物业"})
    project, _ = Project.objects.get_or_create(code="bench-export", defaults={"organisation": organisation,
                                                                             "name": "导出基准"})
    if Unit.objects.filter(project=project).count() >= count:
        return project.pk
    assert connection.vendor == "postgresql", "the fill is PostgreSQL-only (INSERT … SELECT)"
    Resident.objects.filter(unit__project=project).delete()
    Unit.objects.filter(project=project).delete()
    Building.objects.filter(project=project).delete()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        buildings = [Building.objects.create(project=project, name=f"B{n:03d}", floors=33).pk
                     for n in range(max(1, count // 1000))]
        cursor.execute("""
            INSERT INTO archive_unit (project_id, building_id, floor, number, area_m2, status)
            SELECT %(project)s, (%(buildings)s::bigint[])[1 + (g - 1) / 1000], 1 + ((g - 1) %% 1000) / 30,
                   (1 + ((g - 1) %% 1000) / 30)::text || lpad((1 + (g - 1) %% 30)::text, 2, '0'),
                   60 + (g %% 90), 'occupied'
              FROM generate_series(1, %(count)s) AS g""",
                       {"project": project.pk, "buildings": buildings, "count": len(buildings) * 1000})
        cursor.execute("""
            INSERT INTO archive_resident (unit_id, name, phone, id_number, role, email, emergency_contact,
                                          emergency_phone, notes)
            SELECT u.id, '业主' || u.id, '139' || lpad((u.id %% 100000000)::text, 8, '0'), '', 'owner', '', '', '', ''
              FROM archive_unit u WHERE u.project_id = %(project)s""", {"project": project.pk})
        cursor.execute("ANALYZE archive_unit; ANALYZE archive_resident")
    print(f"filled {Unit.objects.filter(project=project).count()} units and residents in "
          f"{time.perf_counter() - started:.1f} s")
    return project.pk


def measure(what, project_id):
    """Runs in a child process: prints seconds, peak RSS in MB and bytes written."""
    setup()
    from django.db import connection

    from dutydesk.archive.excel import export_workbook
    from dutydesk.archive.models import Resident, Unit

    started = time.perf_counter()
    if what == "export":
        size = len(export_workbook(Unit.objects.filter(project_id=project_id),
                                   Resident.objects.filter(unit__project_id=project_id)))
    else:
        size = 0
        with connection.cursor() as cursor:
            for sql in ("""COPY (SELECT b.name, u.floor, u.number, u.area_m2, u.status FROM archive_unit u
                                JOIN archive_building b ON b.id = u.building_id WHERE u.project_id = %s
                               ORDER BY b.name, u.floor, u.number) TO STDOUT""",
                        """COPY (SELECT b.name, u.number, r.name, r.role, r.phone, r.id_number, r.move_in_date,
                                       r.emergency_contact, r.emergency_phone, r.email
                                  FROM archive_resident r JOIN archive_unit u ON u.id = r.unit_id
                                  JOIN archive_building b ON b.id = u.building_id WHERE u.project_id = %s
                                 ORDER BY b.name, u.number, r.id) TO STDOUT"""):
                with cursor.copy(sql.replace("%s", str(int(project_id)))) as copy:
                    for block in copy:
                        size += len(block)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{seconds:.2f} {peak:.0f} {size}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=200_000)
    parser.add_argument("--measure", choices=["export", "sql"], help=argparse.SUPPRESS)
    parser.add_argument("--project", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args.measure, args.project)
    project_id = fill(args.units)
    for what, label in (("sql", "raw SQL (COPY of the same rows)"), ("export", "export_workbook (xlsx)")):
        out = subprocess.run([sys.executable, __file__, "--measure", what, "--project", str(project_id)],
                             capture_output=True, text=True, check=True).stdout.split()
        seconds, peak, size = float(out[-3]), float(out[-2]), int(out[-1])
        print(f"{label}: {seconds:.2f} s, peak RSS {peak:.0f} MB, {size / 1e6:.1f} MB written")


if __name__ == "__main__":
    main()
