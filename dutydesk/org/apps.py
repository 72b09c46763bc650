from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "dutydesk.org"
    label = "org"
    verbose_name = _("Organisation and posts")
    nav_items = [(_("Org chart"), "org:chart", "org.view")]
