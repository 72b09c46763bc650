from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OccupancyConfig(AppConfig):
    name = "dutydesk.occupancy"
    label = "occupancy"
    verbose_name = _("Move-in, renovation and move-out")
    nav_items = [
        (_("Move-ins"), "occupancy:move-ins", "occupancy.view"),
        (_("Renovations"), "occupancy:renovations", "occupancy.view"),
        (_("Move-outs"), "occupancy:move-outs", "occupancy.view"),
    ]
