"""Permission codes of patrols (巡查/巡检); posts grant them in dutydesk/org/catalogs/property-cs.yaml: the patrol and
inspection posts of seeds/000_d44081c6db2527f0.txt:382 篇18 (物业管理员（巡楼）, 清洁监管员, 绿化监管员) walk the rounds,
their supervisors (环境管理主管/副主管) also lay out the routes."""
from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "patrols.view": _("See patrol routes, rounds and their records"),
    "patrols.walk": _("Walk patrol rounds: record each checkpoint (ok, or an issue that opens a work order)"),
    "patrols.manage": _("Lay out patrol routes: checkpoints, QR codes and schedules"),
}
