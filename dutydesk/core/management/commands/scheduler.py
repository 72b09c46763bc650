import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime
from django.utils import timezone

from dutydesk.core import clock
from dutydesk.core.scheduler import load_jobs, run_tick


class Command(BaseCommand):
    help = "Run the periodic jobs (routines, sweeps, escalations, overdue checks) every tick."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run one tick and exit")
        parser.add_argument("--now", help="pretend it is this time (ISO 8601), implies --once")
        parser.add_argument("--job", action="append", help="run only this job (repeatable)")
        parser.add_argument("--list", action="store_true", help="list the registered jobs")
        parser.add_argument("--tick", type=int, default=settings.DUTYDESK_SCHEDULER_TICK_SECONDS)

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["list"]:
            for name, registered in sorted(load_jobs().items()):
                self.stdout.write(f"{name}\t{registered.description}")
            return
        if opts["now"]:
            now = parse_datetime(opts["now"])
            if now is None:
                raise CommandError(f"--now: not an ISO 8601 time: {opts['now']}")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
            self.report(run_tick(now, opts["job"]), now)
            return
        self.stdout.write(f"scheduler started, tick {opts['tick']} s, jobs: {', '.join(sorted(load_jobs()))}")
        while True:
            now = clock.now()
            self.report(run_tick(now, opts["job"]), now)
            if opts["once"]:
                return
            time.sleep(opts["tick"])

    def report(self, results: dict[str, Any], now: datetime) -> None:
        """One line per job, stamped with the tick's time (the simulated one with --now)."""
        for name, result in sorted(results.items()):
            self.stdout.write(f"{timezone.localtime(now):%Y-%m-%d %H:%M:%S} {name}: {result}")
        self.stdout.flush()
