from typing import Any

from django.core.management.base import BaseCommand

from dutydesk.core.permissions import all_permissions


class Command(BaseCommand):
    help = "List the permission codes that posts can grant."

    def handle(self, *args: Any, **options: Any) -> None:
        for code, label in sorted(all_permissions().items()):
            self.stdout.write(f"{code}\t{label}")
