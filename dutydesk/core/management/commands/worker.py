import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = ("Run a Celery worker (background jobs and scheduled jobs) on the broker DUTYDESK_BROKER_URL. "
            "Start one per machine; they share the queue.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--concurrency", type=int, default=None, help="worker processes (default: CPU count)")
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args: Any, concurrency: int | None, loglevel: str, **options: Any) -> None:
        if not settings.DUTYDESK_BROKER_URL:
            raise CommandError("DUTYDESK_BROKER_URL is not set: without a broker every job runs in-process "
                               "(no worker needed). Example: DUTYDESK_BROKER_URL=redis://127.0.0.1:6379/0")
        argv = [sys.executable, "-m", "celery", "-A", "dutydesk.celery", "worker", "--loglevel", loglevel,
                "--without-gossip", "--without-mingle", "--hostname", f"dutydesk@{os.uname().nodename}-{os.getpid()}"]
        if concurrency:
            argv += ["--concurrency", str(concurrency)]
        os.execv(sys.executable, argv)
