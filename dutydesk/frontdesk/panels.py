"""The front-desk registers on other apps' pages: what is open right now (home), and a unit's or a resident's
visitors, keys and parcels (see core/panels.py). Bounded queries: counts and the last few rows."""
from typing import Any

from django.http import HttpRequest

from dutydesk.archive.models import Resident, Unit
from dutydesk.core import clock, panels
from dutydesk.frontdesk import selectors
from dutydesk.frontdesk.models import Key, MailItem
from dutydesk.org import access

RECENT = 5


@panels.register("home", template="frontdesk/panels/home.html", order=30)
def registers_open_now(request: HttpRequest, **kwargs: Any) -> dict[str, Any] | None:
    user = request.user
    figures: list[tuple[str, int, int]] = []
    now = clock.now()
    if access.has_perm(user, "frontdesk.keys"):
        keys = selectors.keys_for(user).filter(status=Key.Status.LENT)
        figures.append(("keys", keys.count(), selectors.overdue_keys(keys, now).count()))
    if access.has_perm(user, "frontdesk.visitors"):
        figures.append(("visitors", selectors.visits_for(user).filter(left_at__isnull=True,
                                                                      arrived_at__date=clock.today()).count(), 0))
    if access.has_perm(user, "frontdesk.mail"):
        figures.append(("mail", selectors.mail_for(user).filter(status=MailItem.Status.PENDING).count(), 0))
    if access.has_perm(user, "frontdesk.passes"):
        figures.append(("passes", selectors.passes_for(user).filter(status="active", valid_until=clock.today()).count(), 0))
    if not figures:
        return None
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
