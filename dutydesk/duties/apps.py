from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "dutydesk.duties"
    label = "duties"
    verbose_name = _("Duty engine")
    nav_items = [(_("My tasks"), "duties:inbox", None)]
