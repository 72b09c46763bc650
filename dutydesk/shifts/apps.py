from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShiftsConfig(AppConfig):
    name = "dutydesk.shifts"
    label = "shifts"
    verbose_name = _("Shifts and handover")
    nav_items = [
        (_("Roster"), "shifts:roster", "shifts.view"),
        (_("Handover log"), "shifts:handovers", "shifts.view"),
        (_("Shift swaps"), "shifts:swaps", "shifts.view"),
    ]
