"""The front-desk registers on other apps' pages: what is open right now (home), and a unit's or a resident's
visitors, keys and parcels (see core/panels.py). Bounded queries: counts and the last few rows."""
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from dutydesk.archive.models import Resident, Unit
from dutydesk.core import clock, panels
from dutydesk.core.paging import badge_counts
from dutydesk.frontdesk import selectors
from dutydesk.frontdesk.models import Key, MailItem
from dutydesk.org import access

RECENT = 5


@panels.register("home", template="frontdesk/panels/home.html", order=30)
def registers_open_now(request: HttpRequest, **kwargs: Any) -> dict[str, Any] | None:
    """Keys out (and overdue), visitors inside, parcels waiting, passes ending today: one statement for every count
    (``badge_counts``, bounded like the tabs' badges)."""
    user = request.user
    now = clock.now()
    counted: dict[str, QuerySet[Any]] = {}
    if access.has_perm(user, "frontdesk.keys"):
        counted["keys"] = selectors.keys_for(user).filter(status=Key.Status.LENT)
        counted["keys_late"] = selectors.overdue_keys(counted["keys"], now)
    if access.has_perm(user, "frontdesk.visitors"):
        counted["visitors"] = selectors.visits_for(user).filter(left_at__isnull=True, arrived_at__date=clock.today())
    if access.has_perm(user, "frontdesk.mail"):
        counted["mail"] = selectors.mail_for(user).filter(status=MailItem.Status.PENDING)
    if access.has_perm(user, "frontdesk.passes"):
        counted["passes"] = selectors.passes_for(user).filter(status="active", valid_until=clock.today())
    if not counted:
        return None
    counts = badge_counts(counted)
    figures = [(name, counts[name], counts.get(f"{name}_late", 0)) for name in counted if not name.endswith("_late")]
    return {"desk_figures": figures}


def _unit_registers(request: HttpRequest, unit: Unit) -> dict[str, list[Any]]:
    user = request.user
    boxes: dict[str, list[Any]] = {}
    if access.allows_unit(user, "frontdesk.visitors", unit):
        boxes["visits"] = list(selectors.visits_for(user).filter(unit=unit).order_by("-arrived_at")[:RECENT])
    if access.has_perm(user, "frontdesk.keys", unit.project_id):
        boxes["keys"] = list(selectors.keys_for(user).filter(unit=unit).order_by("label")[:RECENT])
    if access.allows_unit(user, "frontdesk.mail", unit):
        boxes["mail"] = list(selectors.mail_for(user).filter(unit=unit).order_by("-id")[:RECENT])
    return boxes


@panels.register("unit", template="frontdesk/panels/unit.html", order=50)
def unit_registers(request: HttpRequest, *, unit: Unit, **kwargs: Any) -> dict[str, Any] | None:
    boxes = _unit_registers(request, unit)
    return {"desk": boxes} if boxes else None


@panels.register("resident", template="frontdesk/panels/unit.html", order=50)
def resident_registers(request: HttpRequest, *, resident: Resident | None, **kwargs: Any) -> dict[str, Any] | None:
    if resident is None:
        return None
    boxes = _unit_registers(request, resident.unit)
    return {"desk": boxes} if boxes else None
