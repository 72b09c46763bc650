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


ORGANISATIONS = ("property", "supermarket")


class Command(BaseCommand):
    help = ("Load demo data (idempotent). --org property (default): catalogue, project Sunshine Garden, 600 units, "
            "~1,000 residents, demo users. --org supermarket: a store run from the supermarket catalogue, users "
            "sm-supervisor, sm-clerk, sm-keeper, stock and register entries.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", choices=ORGANISATIONS, default="property",
                            help="which demo organisation to load (each app's demo.py: base/load for property, "
                                 "base_<org>/load_<org> for the others)")

    def handle(self, *args: Any, **options: Any) -> None:
        suffix = "" if options["org"] == "property" else f"_{options['org']}"
        modules = list(demo_modules())
        (project,) = [getattr(module, f"base{suffix}")(self.stdout) for module in modules
                      if hasattr(module, f"base{suffix}")]
        for module in modules:
            if hasattr(module, f"load{suffix}"):
                getattr(module, f"load{suffix}")(project, self.stdout)
        self.stdout.write(self.style.SUCCESS("demo data ready"))
