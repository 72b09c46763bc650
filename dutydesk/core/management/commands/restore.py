import tarfile
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dutydesk.core.backup import BackupError, backup_restore, read_manifest, row_counts


class Command(BaseCommand):
    help = ("Restore a backup made by `dutydesk backup`: replaces the database and the media files. "
            "Stop the web server, workers and the scheduler first.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, archive: str, yes: bool, **options: Any) -> None:
        try:
            manifest = read_manifest(archive)
        except (OSError, KeyError, ValueError, tarfile.TarError) as exc:
            raise CommandError(f"not a DutyDesk backup: {exc}") from exc
        if not yes:
            answer = input(f"Replace this database and its media files with the backup of {manifest['created_at']}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("cancelled")
        try:
            backup_restore(path=archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        different = {table: (count, manifest["rows"][table]) for table, count in row_counts().items()
                     if table in manifest["rows"] and manifest["rows"][table] != count}
        if different:
            raise CommandError(f"restored, but row counts differ from the backup's: {different}")
        self.stdout.write(f"restored {sum(manifest['rows'].values())} rows in {len(manifest['rows'])} tables")
