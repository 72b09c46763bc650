from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "dutydesk.billing"
    label = "billing"
    verbose_name = _("Billing and collection")
    nav_items = [(_("Billing"), "billing:home", "billing.view")]
    portal_items = [(_("My bills"), "billing:portal")]
    resident_nav_items = [(_("My bills"), "billing:portal", None)]
