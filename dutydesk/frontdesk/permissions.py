from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "frontdesk.keys": _("Key custody, lending and counts"),
    "frontdesk.visitors": _("Visitor registration and passes"),
    "frontdesk.goods": _("Goods release"),
    "frontdesk.passes": _("Access passes"),
    "frontdesk.cards": _("IC cards"),
    "frontdesk.mail": _("Mail and parcels"),
    "frontdesk.reports": _("Front-desk reports and service times"),
}
