from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "dutydesk.portal"
    label = "portal"
    verbose_name = _("Resident portal")
    resident_nav_items = [(_("My home"), "portal:home", None)]
