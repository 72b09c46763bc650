"""Permission codes of the shifts (granted by posts in the catalogue YAML).

- ``shifts.view``: see the shifts, the rosters and the handover log — every post that works shifts
  (seeds/000_d44081c6db2527f0.txt:549 篇18 13.2.2 按照规定班次、当值时间到指定岗位当值).
- ``shifts.handover``: write and acknowledge handovers (seeds/002_59da8478c28f7f86.txt:206 认真做好交接班记录;
  seeds/004_418914185ea837fa.txt:139 篇2 輪休時作好交接班手續; seeds/000_d44081c6db2527f0.txt:578 上、下班时应严格履行
  交接班手续).
- ``shifts.roster``: make the monthly roster and record leave (seeds/000_d44081c6db2527f0.txt:441 篇18 3.2 安排属下人员
  当值班次; :508 9.2 负责本部门员工每月排班).
- ``shifts.approve``: decide swaps as the supervisor post (seeds/002_59da8478c28f7f86.txt:1356 篇6 并提前上报); the
  service also checks the reporting line.
- ``shifts.configure``: change a shift's times."""
from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "shifts.view": _("Shifts: see the shifts, rosters and handover log"),
    "shifts.handover": _("Shifts: write and acknowledge handovers"),
    "shifts.roster": _("Shifts: make the monthly roster and record leave"),
    "shifts.approve": _("Shifts: approve shift swaps"),
    "shifts.configure": _("Shifts: change the shift times"),
}
