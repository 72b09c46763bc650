from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    """Catalogue drafts from job-description text (issue 14): above org, whose public catalogue functions it uses."""

    name = "dutydesk.drafts"
    label = "drafts"
    verbose_name = _("Catalogue drafts")
    nav_items = [(_("Catalogue drafts"), "drafts:index", "org.manage")]
