"""Billing's boxes on other apps' pages: a unit's and a resident's bills and arrears, the caller's
arrears at intake, and the collection rate on the fee collectors' home page (see core/panels.py)."""
from decimal import Decimal

from django.utils.translation import gettext as _

from dutydesk.archive.models import Building, Project, Resident, Unit
from dutydesk.archive.selectors import floor_unit_ids
from dutydesk.billing import selectors
from dutydesk.core import panels
from dutydesk.org import access

MAX_UNITS = 5  # a resident rarely has more homes; keeps the panel's queries bounded


def _visible_units(request, units):
    return [unit for unit in units if unit is not None and access.allows_unit(request.user, "billing.view", unit)]


@panels.register("unit", template="billing/panels/units.html", order=40)
def unit_bills(request, *, unit, **kwargs):
    units = _visible_units(request, [unit])
    if not units:
        return None
    return {"billing": selectors.units_billing_summary(units=units), "billing_units": units,
            "billing_q": f"{unit.building.name}-{unit.number}", "billing_project": unit.project_id}


@panels.register("resident", template="billing/panels/units.html", order=40)
def resident_bills(request, *, resident, **kwargs):
    """The resident's homes: the unit of this record and of their other records (same phone)."""
    if resident is None or not access.has_perm(request.user, "billing.view"):
        return None
    homes = {resident.unit_id} if resident.unit_id else set()
    if resident.phone:
        homes |= set(Resident.objects.filter(phone=resident.phone).values_list("unit_id", flat=True)[:MAX_UNITS])
    units = _visible_units(request, Unit.objects.filter(pk__in=homes).select_related("building")[:MAX_UNITS])
    if not units:
        return None
    return {"billing": selectors.units_billing_summary(units=units), "billing_units": units,
            "billing_q": resident.phone or resident.name, "billing_project": units[0].project_id}


@panels.register("intake", template="billing/panels/intake.html", order=40)
def intake_arrears(request, *, unit=None, **kwargs):
    units = _visible_units(request, [unit])
    if not units:
        return None
    summary = selectors.units_billing_summary(units=units, periods=0)
    return {"billing": summary, "billing_unit": unit}


@panels.register("home", template="billing/panels/home.html", order=40)
def collection_at_home(request, **kwargs):
    """Floor butlers see their floors; whole-project posts that see bills see the project's rate
    against the target (seeds/004_418914185ea837fa.txt: 95 %)."""
    rows = []
    collecting = [h for h in access.holdings(request.user) if "billing.collect" in h.post.permissions]
    shown, more = panels.first_projects(h.project_id for h in collecting)
    collecting = [h for h in collecting if h.project_id in shown]
    periods = selectors.latest_periods_with_bills(shown)
    floors: dict[int, dict] = {}  # a butler's holdings, each project's in one computation
    for project, period in periods.items():
        own = [h for h in collecting if h.on_floors and h.project_id == project]
        floors.update(selectors.floors_collections(
            holdings=own, period=period, unit_ids=floor_unit_ids(request.user, own) if own else None))
    whole = selectors.collection_rates({h.project_id: periods[h.project_id] for h in collecting if not h.on_floors})
    seen_projects = set()
    for holding in collecting:
        if holding.on_floors:
            rows.append({"kind": "floors", "holding": holding, "project_id": holding.project_id,
                         **floors[holding.pk]})
        elif holding.project_id not in seen_projects:
            seen_projects.add(holding.project_id)
            rows.append({"kind": "project", "project_id": holding.project_id, "period": periods[holding.project_id],
                         **whole[holding.project_id]})
    if not rows:
        return None
    names = dict(Project.objects.filter(pk__in={row["project_id"] for row in rows}).values_list("pk", "name"))
    buildings = dict(Building.objects.filter(pk__in={row["holding"].building_id for row in rows if "holding" in row})
                     .values_list("pk", "name"))
    target = selectors.collection_rate_target()
    for row in rows:
        row["meets_target"] = row["rate"] is not None and Decimal(row["rate"]) >= target
        row["scope"] = names.get(row["project_id"], "")
        holding = row.get("holding")
        if holding is not None:
            building = buildings.get(holding.building_id, "")
            if holding.floor_from is not None and holding.floor_to is not None:
                row["scope"] = _("Building %(building)s, floors %(low)s–%(high)s") % {
                    "building": building, "low": holding.floor_from, "high": holding.floor_to}
            else:
                row["scope"] = _("Building %(building)s") % {"building": building}
    return {"billing_rows": rows, "billing_target": target, "billing_more_projects": more}
