import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dutydesk.core import clock
from dutydesk.core.scheduler import load_jobs


class Command(BaseCommand):
    help = ("The scheduler of the scaled-out deployment: each tick it only enqueues every registered job for the "
            "workers (one beat process; any number of `dutydesk worker`). Without a broker use `dutydesk scheduler`.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="enqueue one tick and exit")
        parser.add_argument("--tick", type=int, default=settings.DUTYDESK_SCHEDULER_TICK_SECONDS)

    def handle(self, *args, once, tick, **options):
        if not settings.DUTYDESK_BROKER_URL:
            raise CommandError("DUTYDESK_BROKER_URL is not set: run `dutydesk scheduler` instead.")
        from dutydesk.core.tasks import run_scheduled_job

        names = sorted(load_jobs())
        self.stdout.write(f"beat started, tick {tick} s, jobs: {', '.join(names)}")
        while True:
            now = clock.now().replace(second=0, microsecond=0)  # one tick per minute: the lock key of each job
            for name in names:
                run_scheduled_job.delay(name, now.isoformat())
            self.stdout.write(f"{clock.local_now():%Y-%m-%d %H:%M:%S} enqueued {len(names)} jobs for {now.isoformat()}")
            self.stdout.flush()
            if once:
                return
            time.sleep(tick)
