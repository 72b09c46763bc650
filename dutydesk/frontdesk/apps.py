from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontdeskConfig(AppConfig):
    name = "dutydesk.frontdesk"
    label = "frontdesk"
    verbose_name = _("Front-desk registers")
    # One screen with a tab per register; these entries open it on the register a post keeps.
    nav_items = [
        (_("Front desk"), "frontdesk:desk", "frontdesk.visitors"),
        (_("Keys"), "frontdesk:keys", "frontdesk.keys"),
        (_("IC cards"), "frontdesk:cards", "frontdesk.cards"),
        (_("Parcels"), "frontdesk:mail", "frontdesk.mail"),
        (_("Service times"), "frontdesk:times", "frontdesk.reports"),
    ]
    portal_items = [(_("Expected visitors"), "frontdesk:portal-visitors")]
