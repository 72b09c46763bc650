from collections.abc import Iterator
from importlib import import_module
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


def demo_modules() -> Iterator[ModuleType]:
    """Each domain app may have a ``demo.py``: ``base(stdout)`` lays the ground and returns the demo project (one
    app does: the archive), ``load(project, stdout)`` adds that app's records. Core imports none of them by name."""
    for app in settings.DOMAIN_APPS:
        try:
            yield import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise


class Command(BaseCommand):
    help = "Load demo data (idempotent): catalogue, project Sunshine Garden, 600 units, ~1,000 residents, demo users."

    def handle(self, *args: Any, **options: Any) -> None:
        modules = list(demo_modules())
        (project,) = [module.base(self.stdout) for module in modules if hasattr(module, "base")]
        for module in modules:
            if hasattr(module, "load"):
                module.load(project, self.stdout)
        self.stdout.write(self.style.SUCCESS("demo data ready"))
