from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "tickets.view": _("See work orders"),
    "tickets.create": _("Take complaints, repairs and enquiries"),
    "tickets.dispatch": _("Dispatch and escalate work orders"),
    "tickets.work": _("Start and resolve work orders assigned to me or my post"),
    "tickets.return_visit": _("Record return visits"),
}
