from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    """The task inbox every module puts work into (sweeps, overdue keys, dunning lists, routines). It sits below
    the domain apps and imports only core, org and archive; the duty engine shows the inbox pages."""

    name = "dutydesk.inbox"
    label = "inbox"
    verbose_name = _("Task inbox")
