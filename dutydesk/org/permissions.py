from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "org.view": _("See the organisation chart and posts"),
    "org.manage": _("Manage posts, holders and catalogues"),
}
