from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "dutydesk.tickets"
    label = "tickets"
    verbose_name = _("Work orders")
    nav_items = [
        (_("Work orders"), "tickets:queue", "tickets.view"),
        (_("Take a call"), "tickets:intake", "tickets.create"),
        (_("Return visits"), "tickets:return-visits", "tickets.return_visit"),
    ]
    resident_nav_items = [(_("My requests"), "tickets:portal-list", None)]
    portal_items = [(_("Report a repair or complaint"), "tickets:portal-new"),
                    (_("My requests"), "tickets:portal-list")]
