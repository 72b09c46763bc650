"""Permission codes of the move-in, renovation and move-out procedures; posts grant them in
dutydesk/org/catalogs/property-cs.yaml (each grant cites the seed line it comes from)."""
from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "occupancy.view": _("See move-ins, renovations and move-outs"),
    "occupancy.move_in": _("Hand over units to residents moving in (move-in checklist)"),
    "occupancy.move_out": _("Handle move-outs (arrears check, meters, keys, goods release)"),
    "occupancy.renovation": _("File renovation applications, add workers, extend and close renovations"),
    "occupancy.inspect": _("Inspect renovations (during the works and the final inspection)"),
    "occupancy.approve": _("Approve or reject renovation applications"),
    "occupancy.refund": _("Refund renovation deposits"),
}
