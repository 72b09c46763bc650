from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StockConfig(AppConfig):
    name = "dutydesk.stock"
    label = "stock"
    verbose_name = _("Stores")
    nav_items = [
        (_("Stock levels"), "stock:levels", "stock.view"),
        (_("Receive"), "stock:receive", "stock.receive"),
        (_("Inspect"), "stock:pending", "stock.inspect"),
        (pgettext_lazy("stock", "Issue"), "stock:issue", "stock.issue"),
        (_("Stocktake"), "stock:count", "stock.count"),
        (_("Slips to approve"), "stock:slips", "stock.approve"),
        (_("Three-level quantity ledger"), "stock:ledger", "stock.view"),
    ]
