from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "billing.view": _("See bills, payments and arrears"),
    "billing.configure": _("Set up charge items and late-fee rules"),
    "billing.run": _("Run bills and enter meter readings"),
    "billing.collect": _("Record payments and print receipts"),
    "billing.reverse": _("Reverse payments and waive late fees"),
}
