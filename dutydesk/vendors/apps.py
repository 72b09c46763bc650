from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "dutydesk.vendors"
    label = "vendors"
    verbose_name = _("Outsourced vendors")
    nav_items = [
        (_("Vendors"), "vendors:list", "vendors.view"),
        (_("Vendor report"), "vendors:report", "vendors.view"),
    ]
