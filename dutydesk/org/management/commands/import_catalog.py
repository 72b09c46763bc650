from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dutydesk.org.catalog import CatalogInvalid
from dutydesk.org.catalog_yaml import CATALOG_DIR, import_catalog_yaml


class Command(BaseCommand):
    help = "Import a post catalogue from a YAML file (or the name of a shipped one: property-cs, supermarket, ...)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path to a .yaml file, or a shipped catalogue code")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        path = Path(file)
        if not path.exists() and (CATALOG_DIR / f"{file}.yaml").exists():
            path = CATALOG_DIR / f"{file}.yaml"
        if not path.exists():
            raise CommandError(f"no such file: {file}")
        try:
            result = import_catalog_yaml(path.read_text(encoding="utf-8"))
        except CatalogInvalid as exc:
            raise CommandError("catalogue not imported:\n" + "\n".join(exc.errors))
        self.stdout.write(f"{result.catalog.code}: {result.posts_created} posts created, {result.posts_updated} updated")
