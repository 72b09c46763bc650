from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatrolsConfig(AppConfig):
    name = "dutydesk.patrols"
    label = "patrols"
    verbose_name = _("Patrols")
    nav_items = [
        (_("Patrol rounds"), "patrols:rounds", "patrols.view"),
        (_("Patrol routes"), "patrols:routes", "patrols.view"),
    ]
