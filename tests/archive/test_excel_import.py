import io

from openpyxl import load_workbook

from dutydesk.archive.excel import export_workbook, import_workbook
from dutydesk.archive.models import Building, Resident, Unit
from tests.archive.excel_helpers import big_workbook, workbook_bytes
from tests.factories import valid_id_number


def test_it_imports_units_and_residents_and_creates_missing_buildings(project):
    data = workbook_bytes(
        [("A", 1, "101", 88.5, "已入住"), ("C", 2, "201", "120.25", "空置")],
        [("A", "101", "张三", "业主", "13912345678", valid_id_number(1), "2025-01-02", "李四", "13800000000", "")],
    )
    report = import_workbook(data, project=project)
    assert report.ok, report.errors
    assert (report.units_created, report.residents_created, report.buildings_created) == (2, 1, 2)
    unit = Unit.objects.get(building__name="C", number="201")
    assert str(unit.area_m2) == "120.25" and unit.status == "vacant"
    resident = Resident.objects.get(name="张三")
    assert resident.unit.number == "101" and str(resident.move_in_date) == "2025-01-02"


def test_one_bad_row_imports_nothing_and_names_the_row(project):
    bad_id = valid_id_number(2)[:17] + ("0" if valid_id_number(2)[17] != "0" else "1")
    data = workbook_bytes(
        [("A", 1, "101", 88.5, "已入住"), ("A", 1, "102", -3, "已入住"), ("A", 1, "103", 90, "已入住")],
        [("A", "101", "张三", "业主", "13912345678", "", "", "", "", ""),
         ("A", "101", "李四", "业主", "1234", bad_id, "", "", "", ""),
         ("A", "999", "王五", "业主", "13912345679", "", "", "", "", "")],
    )
    report = import_workbook(data, project=project)
    assert not report.ok
    problems = {(e["sheet"], e["row"], e["column"]) for e in report.errors}
    assert ("单元", 3, "建筑面积") in problems
    assert ("业户", 3, "电话") in problems and ("业户", 3, "身份证号") in problems
    assert ("业户", 4, "房号") in problems
    assert not Unit.objects.exists() and not Resident.objects.exists() and not Building.objects.exists()


def test_export_then_import_changes_nothing(project):
    assert import_workbook(big_workbook(40), project=project).ok
    exported = export_workbook(Unit.objects.filter(project=project), Resident.objects.filter(unit__project=project))
    sheet = load_workbook(io.BytesIO(exported))["单元"]
    assert sheet.max_row == 41
    again = import_workbook(exported, project=project)
    assert again.ok and again.as_dict() == {"units_created": 0, "units_updated": 0, "residents_created": 0,
                                            "residents_updated": 0, "buildings_created": 0}


def test_a_masked_export_keeps_the_stored_id_numbers_and_a_changed_mask_is_refused(project):
    data = workbook_bytes([("A", 1, "101", 88.5, "已入住")],
                          [("A", "101", "张三", "业主", "13912345678", valid_id_number(1), "", "", "", "")])
    assert import_workbook(data, project=project).ok
    exported = load_workbook(io.BytesIO(export_workbook(Unit.objects.all(), Resident.objects.all())))
    masked = exported["业户"].cell(row=2, column=6).value
    assert "*" in masked and masked != valid_id_number(1)
    exported["业户"].cell(row=2, column=5).value = "13900000000"  # the clerk changed the phone only
    output = io.BytesIO()
    exported.save(output)
    report = import_workbook(output.getvalue(), project=project)
    assert report.ok and report.residents_updated == 1
    assert Resident.objects.get().id_number == valid_id_number(1)  # not replaced by the stars
    exported["业户"].cell(row=2, column=6).value = masked[:-1] + ("0" if masked[-1] != "0" else "1")
    output = io.BytesIO()
    exported.save(output)
    report = import_workbook(output.getvalue(), project=project)
    assert not report.ok and report.errors[0]["column"] == "身份证号"
    assert Resident.objects.get().phone == "13900000000"


def test_it_imports_1000_units_and_residents(project):
    report = import_workbook(big_workbook(1000), project=project)
    assert report.ok, report.errors[:3]
    assert Unit.objects.filter(project=project).count() == 1000
    assert Resident.objects.filter(unit__project=project).count() == 1000
    assert Unit.history.count() == 1000  # bulk import keeps the audit trail


def test_it_refuses_a_file_that_is_not_excel(project):
    report = import_workbook(b"not a workbook", project=project)
    assert not report.ok and "Excel" in report.errors[0]["message"] or "xlsx" in report.errors[0]["message"]


def test_import_api_needs_the_import_permission_and_reports_rows(staff, project, api):
    data = workbook_bytes([("A", 1, "101", 0, "已入住")], [])
    upload = lambda: io.BytesIO(data)  # noqa: E731
    denied = api(staff["frontdesk"]).post("/api/v1/archive/import", {"project": project.pk, "file": upload()}, format="multipart")
    assert denied.status_code == 403
    response = api(staff["archivist"]).post("/api/v1/archive/import", {"project": project.pk, "file": upload()}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"]["rows"][0]["row"] == 2
    good = workbook_bytes([("A", 1, "101", 80, "已入住")], [])
    created = api(staff["archivist"]).post("/api/v1/archive/import", {"project": project.pk, "file": io.BytesIO(good)}, format="multipart")
    assert created.status_code == 201 and created.json()["units_created"] == 1
    exported = api(staff["archivist"]).get("/api/v1/archive/export", {"project": project.pk})
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/vnd.openxml")


def test_both_sheets_of_the_export_read_building_floor_then_number(project):
    """The residents follow their units in the order of the units' sheet: 301 (3F) before 1601 (16F), though "1601"
    sorts before "301" as text."""
    data = workbook_bytes([("A", 16, "1601", 88.5, "已入住"), ("A", 3, "301", 90, "已入住")],
                          [("A", "1601", "张三", "业主", "13912345678", "", "", "", "", ""),
                           ("A", "301", "李四", "业主", "13912345679", "", "", "", "", "")])
    assert import_workbook(data, project=project).ok
    exported = load_workbook(io.BytesIO(export_workbook(Unit.objects.all(), Resident.objects.all())))
    assert [row[2] for row in exported["单元"].iter_rows(min_row=2, values_only=True)] == ["301", "1601"]
    assert [row[1] for row in exported["业户"].iter_rows(min_row=2, values_only=True)] == ["301", "1601"]
