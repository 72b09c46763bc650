from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand

from dutydesk.core.demo_base import load_base


class Command(BaseCommand):
    help = "Load demo data (idempotent): catalogue, project Sunshine Garden, 600 units, ~1,000 residents, demo users."

    def handle(self, *args, **options):
        project = load_base(self.stdout)
        # Each domain app may add its own demo records in demo.py: load(project, stdout).
        for app in settings.DOMAIN_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            module.load(project, self.stdout)
        self.stdout.write(self.style.SUCCESS("demo data ready"))
