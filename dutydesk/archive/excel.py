"""Excel (.xlsx) import and export of units and residents.

One workbook, two sheets: 单元 (units) and 业户 (residents); headers in Chinese or English.
Import validates every row first and writes nothing if any row is bad, returning one error per
problem with its sheet, row and column. Rows are matched to existing records (unit: building +
number; resident: unit + name), so importing the export of a project changes nothing.
"""
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from dutydesk.archive.models import Building, Project, Resident, Unit
from dutydesk.archive.selectors import ledger_order, mask_id_number
from dutydesk.core.excel import cell_text as _text
from dutydesk.core.excel import ExportWorkbook, ImportData, ImportLimitExceeded, limited_rows, open_workbook
from dutydesk.core.money import to_cents
from dutydesk.archive.validators import validate_phone, validate_prc_id

UNIT_SHEET, RESIDENT_SHEET = "单元", "业户"
UNIT_COLUMNS = [("building", "楼栋"), ("floor", "楼层"), ("number", "房号"), ("area_m2", "建筑面积"), ("status", "状态")]
RESIDENT_COLUMNS = [
    ("building", "楼栋"), ("number", "房号"), ("name", "姓名"), ("role", "身份"), ("phone", "电话"),
    ("id_number", "身份证号"), ("move_in_date", "入住日期"), ("emergency_contact", "紧急联系人"),
    ("emergency_phone", "紧急联系电话"), ("email", "邮箱"),
]
STATUS_WORDS = {"空置": "vacant", "已入住": "occupied", "入住": "occupied", "装修中": "renovating", "装修": "renovating"}
ROLE_WORDS = {"业主": "owner", "租户": "tenant", "家属": "family", "家庭成员": "family"}
SHEET_ALIASES = {UNIT_SHEET: {"单元", "units", "unit"}, RESIDENT_SHEET: {"业户", "residents", "resident"}}
UnitKey = tuple[str, str]  # (building name, unit number) as the workbook names a unit


@dataclass
class ImportReport:
    errors: list[dict[str, Any]] = field(default_factory=list)
    units_created: int = 0
    units_updated: int = 0
    residents_created: int = 0
    residents_updated: int = 0
    buildings_created: int = 0

    def add(self, sheet: str, row: int, column: str, message: object) -> None:
        self.errors.append({"sheet": sheet, "row": row, "column": column, "message": str(message)})

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in
                ("units_created", "units_updated", "residents_created", "residents_updated", "buildings_created")}


def _find_sheet(workbook: Any, name: str) -> Any:
    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() in SHEET_ALIASES[name]:
            return sheet
    return None


def _rows(sheet: Any, columns: list[tuple[str, str]], report: ImportReport,
          sheet_name: str) -> Iterator[tuple[int, dict[str, object]]]:
    """Yield (row_number, {field: value}) with headers matched in Chinese or English."""
    rows = limited_rows(sheet)
    header = next(rows, None) or ()
    position: dict[str, int] = {}
    for index, cell in enumerate(header):
        title = _text(cell).lower()
        for key, chinese in columns:
            if title in (key, chinese.lower()):
                position[key] = index
    missing = [chinese for key, chinese in columns[:3] if key not in position]
    if missing:
        report.add(sheet_name, 1, ", ".join(missing), _("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})
        return
    for number, row in enumerate(rows, start=2):
        if not any(_text(cell) for cell in row):
            continue
        yield number, {key: (row[index] if index < len(row) else None) for key, index in position.items()}


def _date(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(_text(value).replace("/", "-"))


def import_workbook(data: ImportData, *, project: Project, user: User | None = None) -> ImportReport:
    """Validate and import a workbook (bytes or an uploaded file). Returns an ImportReport; when it has
    errors, nothing was written. Files over the import limits are refused before they are parsed."""
    try:
        return _import_workbook(data, project=project, user=user)
    except ImportLimitExceeded as exc:
        report = ImportReport()
        report.add("", 0, "", str(exc))
        return report


def _import_workbook(data: ImportData, *, project: Project, user: User | None) -> ImportReport:
    report = ImportReport()
    try:
        workbook = open_workbook(data)
    except ImportLimitExceeded:
        raise
    except Exception:
        report.add("", 0, "", _("This file is not an Excel workbook (.xlsx)."))
        return report
    unit_sheet, resident_sheet = _find_sheet(workbook, UNIT_SHEET), _find_sheet(workbook, RESIDENT_SHEET)
    if unit_sheet is None and resident_sheet is None:
        report.add("", 0, "", _("The workbook needs a sheet named 单元 (units) and/or 业户 (residents)."))
        return report

    buildings = {b.name: b for b in Building.objects.filter(project=project)}
    units = {(u.building.name, u.number): u for u in Unit.objects.filter(project=project).select_related("building")}
    new_buildings: dict[str, int] = {}  # name -> highest floor seen
    unit_rows: dict[UnitKey, dict[str, Any]] = {}
    seen_units: set[UnitKey] = set()

    if unit_sheet is not None:
        for row, values in _rows(unit_sheet, UNIT_COLUMNS, report, UNIT_SHEET):
            building, number = _text(values.get("building")), _text(values.get("number"))
            if not building:
                report.add(UNIT_SHEET, row, "楼栋", _("building is required"))
            if not number:
                report.add(UNIT_SHEET, row, "房号", _("unit number is required"))
            floor: int | None
            try:
                floor = int(_text(values.get("floor")))
            except ValueError:
                report.add(UNIT_SHEET, row, "楼层", _("floor must be a whole number"))
                floor = None
            area = to_cents(_text(values.get("area_m2")))
            if area is None or area <= 0:
                report.add(UNIT_SHEET, row, "建筑面积", _("area must be a number of m² above 0"))
                area = None
            status_text = _text(values.get("status")) or "vacant"
            status = STATUS_WORDS.get(status_text, status_text.lower())
            if status not in Unit.Status.values:
                report.add(UNIT_SHEET, row, "状态", _("unknown status '%(value)s' (空置/已入住/装修中)") % {"value": status_text})
            if (building, number) in seen_units:
                report.add(UNIT_SHEET, row, "房号", _("unit %(building)s-%(number)s appears twice") % {"building": building, "number": number})
            seen_units.add((building, number))
            if building and building not in buildings:
                new_buildings.setdefault(building, 0)
                new_buildings[building] = max(new_buildings[building], floor or 0)
            unit_rows[(building, number)] = {"floor": floor, "area_m2": area, "status": status}

    resident_rows: list[tuple[UnitKey, dict[str, Any]]] = []
    masked: list[tuple[int, UnitKey, str, str]] = []  # (row, unit, name, masked ID number)
    if resident_sheet is not None:
        seen_people: set[tuple[UnitKey, str]] = set()
        for row, values in _rows(resident_sheet, RESIDENT_COLUMNS, report, RESIDENT_SHEET):
            key = (_text(values.get("building")), _text(values.get("number")))
            if key not in units and key not in unit_rows:
                report.add(RESIDENT_SHEET, row, "房号", _("unknown unit %(building)s-%(number)s") % {"building": key[0], "number": key[1]})
            name = _text(values.get("name"))
            if not name:
                report.add(RESIDENT_SHEET, row, "姓名", _("name is required"))
            role_text = _text(values.get("role")) or "owner"
            role = ROLE_WORDS.get(role_text, role_text.lower())
            if role not in Resident.Role.values:
                report.add(RESIDENT_SHEET, row, "身份", _("unknown role '%(value)s' (业主/租户/家属)") % {"value": role_text})
            clean: dict[str, Any] = {"name": name, "role": role, "email": _text(values.get("email")),
                                     "emergency_contact": _text(values.get("emergency_contact"))}
            for column, chinese, validator in (("phone", "电话", validate_phone), ("emergency_phone", "紧急联系电话", validate_phone),
                                               ("id_number", "身份证号", validate_prc_id)):
                value = _text(values.get(column)).upper() if column == "id_number" else _text(values.get(column))
                if column == "phone" and not value:
                    report.add(RESIDENT_SHEET, row, chinese, _("phone is required"))
                elif column == "id_number" and "*" in value:
                    masked.append((row, key, name, value))  # a masked export sent back: checked below
                elif value:
                    try:
                        validator(value)
                    except ValidationError as exc:
                        report.add(RESIDENT_SHEET, row, chinese, exc.messages[0])
                clean[column] = value
            try:
                clean["move_in_date"] = _date(values.get("move_in_date"))
            except ValueError:
                report.add(RESIDENT_SHEET, row, "入住日期", _("date must be YYYY-MM-DD"))
            if (key, name) in seen_people:
                report.add(RESIDENT_SHEET, row, "姓名", _("%(name)s appears twice for this unit") % {"name": name})
            seen_people.add((key, name))
            resident_rows.append((key, clean))

    _keep_masked_id_numbers(project, masked, resident_rows, report)
    if report.errors:
        return report
    with transaction.atomic():
        _write(project, report, buildings, new_buildings, units, unit_rows, resident_rows, user)
    return report


def _keep_masked_id_numbers(project: Project, masked: list[tuple[int, UnitKey, str, str]],
                            resident_rows: list[tuple[UnitKey, dict[str, Any]]], report: ImportReport) -> None:
    """A workbook exported without the identity right carries ``440304********1234``. Sent back unchanged it
    keeps the stored number; a masked number that is not the stored one's mask cannot be imported."""
    if not masked:
        return
    stored = {(r.unit.building.name, r.unit.number, r.name): r.id_number
              for r in Resident.objects.filter(unit__project=project).select_related("unit__building")}
    keep: set[tuple[UnitKey, str]] = set()
    for row, key, name, value in masked:
        current = stored.get((*key, name))
        if current and mask_id_number(current) == value:
            keep.add((key, name))
        else:
            report.add(RESIDENT_SHEET, row, "身份证号",
                       _("a masked ID number can only be sent back unchanged; type the full number"))
    for key, clean in resident_rows:
        if (key, clean["name"]) in keep:
            del clean["id_number"]


def _write(project: Project, report: ImportReport, buildings: dict[str, Building], new_buildings: dict[str, int],
           units: dict[UnitKey, Unit], unit_rows: dict[UnitKey, dict[str, Any]],
           resident_rows: list[tuple[UnitKey, dict[str, Any]]], user: User | None) -> None:
    created = [Building(project=project, name=name, floors=max(floors, 1)) for name, floors in new_buildings.items()]
    for building in bulk_create_with_history(created, Building, default_user=user):
        buildings[building.name] = building
    report.buildings_created = len(created)
    if not all(b.pk for b in created):  # backends that do not return ids from bulk inserts
        buildings.update({b.name: b for b in Building.objects.filter(project=project)})
    to_create: list[Unit] = []
    to_update: list[Unit] = []
    for (building_name, number), values in unit_rows.items():
        unit = units.get((building_name, number))
        if unit is None:
            to_create.append(Unit(project=project, building=buildings[building_name], number=number, **values))
        elif any(getattr(unit, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(unit, name, value)
            to_update.append(unit)
    bulk_create_with_history(to_create, Unit, batch_size=500, default_user=user)
    if to_update:
        bulk_update_with_history(to_update, Unit, ["floor", "area_m2", "status"], batch_size=500, default_user=user)
    report.units_created, report.units_updated = len(to_create), len(to_update)
    if to_create:
        units = {(u.building.name, u.number): u for u in Unit.objects.filter(project=project).select_related("building")}
    existing = {(r.unit_id, r.name): r for r in Resident.objects.filter(unit__project=project)}
    new_residents: list[Resident] = []
    changed_residents: list[Resident] = []
    fields = ["role", "phone", "id_number", "email", "move_in_date", "emergency_contact", "emergency_phone"]
    for key, clean in resident_rows:
        unit = units[key]
        resident = existing.get((unit.pk, clean["name"]))
        if resident is None:
            new_residents.append(Resident(unit=unit, **clean))
        elif any(getattr(resident, f) != clean.get(f) for f in fields if f in clean):
            for f in fields:
                if f in clean:
                    setattr(resident, f, clean[f])
            changed_residents.append(resident)
    bulk_create_with_history(new_residents, Resident, batch_size=500, default_user=user)
    if changed_residents:
        bulk_update_with_history(changed_residents, Resident, fields, batch_size=500, default_user=user)
    report.residents_created, report.residents_updated = len(new_residents), len(changed_residents)


def project_export(*, user: Any, project: Project,
                   progress: Callable[[int], Callable[[], None]] | None = None) -> tuple[bytes, str, bool]:
    """The archive export of ``project`` as ``user`` sees it: ``(xlsx bytes, filename, masked)``; identity numbers
    are masked without ``archive.view_identity``. The page, the API and the background job all call this;
    ``progress(total)``, when given, makes the per-row callback once the rows are counted."""
    from dutydesk.archive import selectors

    units = selectors.units_visible_to(user).filter(project=project)
    residents = selectors.residents_visible_to(user).filter(unit__project=project)
    masked = not selectors.may_see_identity(user, project.pk)
    row_done = progress(units.count() + residents.count()) if progress is not None else None
    return (export_workbook(units, residents, mask_identity=masked, progress=row_done),
            f"archive-{project.code}.xlsx", masked)


def export_workbook(units: QuerySet[Unit], residents: QuerySet[Resident], mask_identity: bool = True,
                    progress: Callable[[], None] | None = None) -> bytes:
    """An .xlsx (bytes) with the two sheets, in the format ``import_workbook`` reads. Streamed: rows iterated from the
    database into the file, so memory stays flat whatever the number of units (issue 11). ``progress()`` is called
    once per row written (a background job's progress bar)."""
    workbook = ExportWorkbook()
    sheet = workbook.sheet(UNIT_SHEET, [chinese for _key, chinese in UNIT_COLUMNS], bold_header=True)
    people = workbook.sheet(RESIDENT_SHEET, [chinese for _key, chinese in RESIDENT_COLUMNS], bold_header=True)
    status_words = {code: word for word, code in STATUS_WORDS.items() if word in ("空置", "已入住", "装修中")}
    unit_rows = (units.order_by(*ledger_order(""))
                 .values_list("building__name", "floor", "number", "area_m2", "status"))
    for building, floor, number, area, status in unit_rows.iterator(chunk_size=2000):
        sheet.append([building, floor, number, area, status_words[status]])
        if progress is not None:
            progress()
    role_words = {"owner": "业主", "tenant": "租户", "family": "家属"}
    resident_rows = (residents.order_by(*ledger_order(), "id")
                     .values_list("unit__building__name", "unit__number", "name", "role", "phone", "id_number",
                                  "move_in_date", "emergency_contact", "emergency_phone", "email"))
    for building, number, name, role, phone, id_number, move_in, contact, contact_phone, email in \
            resident_rows.iterator(chunk_size=2000):
        people.append([building, number, name, role_words[role], phone,
                       mask_id_number(id_number) if mask_identity else id_number, move_in, contact, contact_phone,
                       email])
        if progress is not None:
            progress()
    return workbook.content()
