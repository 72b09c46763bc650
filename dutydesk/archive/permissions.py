from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "archive.view": _("See units, residents, parking and vehicles"),
    "archive.edit": _("Create and change units, residents, parking and vehicles"),
    "archive.import": _("Import and export the archive as Excel"),
    "archive.view_identity": _("See full identity numbers (each reveal is recorded)"),
    "archive.view_contacts": _("See residents' emergency contacts and e-mail addresses"),
}
