from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dutydesk.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format or the SQLite file) and the media files into one .tar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default=str(settings.VAR_DIR / "backups"), help="folder for the archive")

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        try:
            path = backup_create(output_dir=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(path))
