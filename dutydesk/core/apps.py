from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dutydesk.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from dutydesk.core import lookups, throttle  # noqa: F401  (registers field__any_of; connects the login signals)
