import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dutydesk.core import clock
from dutydesk.core.scheduler import load_jobs


class Command(BaseCommand):
    help = ("The scheduler of the scaled-out deployment: each tick it only enqueues one task per due (job, project) "
            "for the workers (one beat process; any number of `dutydesk worker`). Without a broker use "
            "`dutydesk scheduler`.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="enqueue one tick and exit")
        parser.add_argument("--now", help="pretend it is this time (ISO 8601), implies --once")
        parser.add_argument("--tick", type=int, default=settings.DUTYDESK_SCHEDULER_TICK_SECONDS)

    def handle(self, *args: Any, once: bool, now: str | None, tick: int, **options: Any) -> None:
        if not settings.DUTYDESK_BROKER_URL:
            raise CommandError("DUTYDESK_BROKER_URL is not set: run `dutydesk scheduler` instead.")
        from dutydesk.core.tasks import tick_enqueue

        if now:
            pretend = parse_datetime(now)
            if pretend is None:
                raise CommandError(f"--now: not an ISO 8601 time: {now}")
            self.enqueue(tick_enqueue, pretend if timezone.is_aware(pretend) else timezone.make_aware(pretend))
            return
        self.stdout.write(f"beat started, tick {tick} s, jobs: {', '.join(sorted(load_jobs()))}")
        while True:
            self.enqueue(tick_enqueue, clock.now().replace(second=0, microsecond=0))  # the tick names the period
            if once:
                return
            time.sleep(tick)

    def enqueue(self, tick_enqueue: Callable[[datetime], int], now: datetime) -> None:
        sent = tick_enqueue(now)
        self.stdout.write(f"{timezone.localtime(now):%Y-%m-%d %H:%M:%S} enqueued {sent} (job, project) tasks")
        self.stdout.flush()
