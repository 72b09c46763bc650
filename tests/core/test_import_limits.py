"""Imports (Excel, YAML) have limits: ≤ 5 MB, ≤ 20,000 rows, cells ≤ 1,000 characters → else 400 naming the limit,
fast and before the file is parsed (shared/API.md "Auth and limits")."""
import io
import time
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dutydesk.archive.models import Unit
from tests.archive.excel_helpers import workbook_bytes


def _upload(api_client, project, data):
    return api_client.post("/api/v1/archive/import", {"project": project.pk,
                           "file": SimpleUploadedFile("units.xlsx", data)}, format="multipart")


def _streamed_workbook(rows, cell=""):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("单元")
    sheet.append(["楼栋", "楼层", "房号", "建筑面积", "状态"])
    for n in range(rows):
        sheet.append(["A", 1, f"{n}{cell}", 88, "空置"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_file_over_5_mb_is_refused_before_parsing(staff, project, api):
    response = _upload(api(staff["manager"]), project, b"PK" + b"\0" * (5 * 1024 * 1024 + 10))
    assert response.status_code == 400
    assert "5 MB" in str(response.json()["errors"])


def test_more_than_20000_rows_is_refused_and_imports_nothing(staff, project, api):
    started = time.monotonic()
    response = _upload(api(staff["manager"]), project, _streamed_workbook(20_001))
    assert response.status_code == 400
    assert "20,000" in str(response.json()["errors"])
    assert not Unit.objects.exists()
    assert time.monotonic() - started < 20


def test_a_cell_over_1000_characters_is_refused(staff, project, api):
    data = workbook_bytes([("A", 1, "1" * 1001, 88, "空置")], [])
    response = _upload(api(staff["manager"]), project, data)
    assert response.status_code == 400
    assert "1,000" in str(response.json()["errors"])


def test_a_zip_bomb_is_refused_before_parsing(staff, project, api):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (70 * 1024 * 1024))
    assert len(buffer.getvalue()) < 5 * 1024 * 1024
    response = _upload(api(staff["manager"]), project, buffer.getvalue())
    assert response.status_code == 400
    assert "60 MB" in str(response.json()["errors"])


def test_meter_readings_import_has_the_same_limits(staff, project, api):
    book = Workbook()
    book.active.append(["楼栋", "房号", "收费项目", "期间", "读数"])
    book.active.append(["A", "1" * 1001, "water", "2026-10", 12])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    response = api(staff["manager"]).post("/api/v1/meter-readings/import", {
        "project": project.pk, "file": SimpleUploadedFile("r.xlsx", data)}, format="multipart")
    assert response.status_code == 400
    assert "1,000" in str(response.json()["errors"])


def test_a_catalogue_over_5_mb_is_refused(staff, api):
    text = "catalog: x\nname: y\n# " + "x" * (5 * 1024 * 1024) + "\n"
    response = api(staff["manager"]).post("/api/v1/catalogs/import", data=text, content_type="application/yaml")
    assert response.status_code == 400
    assert "5 MB" in str(response.json()["errors"])
