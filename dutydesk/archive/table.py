"""The units' and residents' lists: their rows read as values and written in Python (as the work-order queues',
tickets/table.py; core/rows.py says why). What a row says comes from the functions the models use (``unit_label``,
the status and role choices), so the lists say what they said; the header, the empty row and the pages stay in
``archive/_unit_rows.html`` and ``archive/_resident_rows.html``."""
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from dutydesk.archive.models import Resident, Unit, unit_label
from dutydesk.core.rows import url_for_pk

UNIT_FIELDS = ("pk", "number", "building__name", "floor", "area_m2", "status")
RESIDENT_FIELDS = ("pk", "name", "unit_id", "unit__number", "unit__building__name", "role", "phone", "move_in_date")


def unit_values(units: QuerySet[Unit]) -> QuerySet[Any]:
    return units.select_related(None).values_list(*UNIT_FIELDS)


def resident_values(residents: QuerySet[Resident]) -> QuerySet[Any]:
    return residents.select_related(None).values_list(*RESIDENT_FIELDS)


def unit_rows(values: Iterable[Sequence[Any]]) -> SafeString:
    """The ``<tr>`` of each unit (``unit_values``): the unit as staff write it (a link), its building, floor, area and
    status; every value escaped."""
    unit_url = url_for_pk("archive:unit")
    statuses = dict(Unit.Status.choices)
    return mark_safe("\n".join(
        f'<tr><td><a href="{unit_url(pk)}">{escape(unit_label(building, number))}</a></td><td>{escape(building)}</td>'
        f'<td class="num">{localize(floor)}</td><td class="num">{localize(area)}</td>'
        f'<td><span class="pill">{escape(str(statuses.get(status, status)))}</span></td></tr>'
        for pk, number, building, floor, area, status in values))


def resident_rows(values: Iterable[Sequence[Any]]) -> SafeString:
    """The ``<tr>`` of each resident (``resident_values``): name (a link), unit (a link), role, phone, move-in date;
    every value escaped."""
    resident_url, unit_url = url_for_pk("archive:resident"), url_for_pk("archive:unit")
    roles = dict(Resident.Role.choices)
    return mark_safe("\n".join(
        f'<tr><td><a href="{resident_url(pk)}">{escape(name)}</a></td>'
        f'<td><a href="{unit_url(unit_id)}">{escape(unit_label(building, number))}</a></td>'
        f'<td>{escape(str(roles.get(role, role)))}</td><td>{escape(phone)}</td>'
        f'<td>{moved_in.strftime("%Y-%m-%d") if moved_in else "—"}</td></tr>'
        for pk, name, unit_id, number, building, role, phone, moved_in in values))
