from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dutydesk.archive.models import Project
from dutydesk.core import clock
from dutydesk.tickets import figures


class Command(BaseCommand):
    help = ("Recompute the kept work-order figures (tickets/figures.py) of every project, or of one, from a day on: "
            "after a correction of data in settled months. The hourly job keeps the recent days by itself.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--project", help="the project's code (default: every project)")
        parser.add_argument("--since", help="the first day to recompute, YYYY-MM-DD (default: as the hourly job)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            since = date.fromisoformat(opts["since"]) if opts["since"] else None
        except ValueError as exc:
            raise CommandError(f"--since: not a day YYYY-MM-DD: {opts['since']}") from exc
        now = clock.now()
        projects = Project.objects.all()
        if opts["project"]:
            projects = Project.objects.filter(code=opts["project"])
            if not projects.exists():
                raise CommandError(f"--project: no project with the code {opts['project']}")
        for project in projects.order_by("pk"):
            self.stdout.write(f"{project.code}: {figures.keep(project, now=now, since=since)}")
