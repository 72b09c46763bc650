from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "stock.view": _("Stores: see items, stock levels and the quantity ledger"),
    "stock.manage": _("Stores: keep the item list (bins, safety stock, shelf life); gets the safety-stock alerts"),
    "stock.receive": _("Stores: receive goods into the pending-inspection zone"),
    "stock.inspect": _("Stores: inspect received goods into the passed or rejected zone"),
    "stock.issue": _("Stores: issue goods (first in, first out)"),
    "stock.count": _("Stores: record stocktakes"),
    "stock.approve": _("Stores: approve receiving and issue slips"),
}
