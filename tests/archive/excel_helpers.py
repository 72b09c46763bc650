import io

from openpyxl import Workbook

from dutydesk.archive.excel import RESIDENT_COLUMNS, UNIT_COLUMNS
from tests.factories import valid_id_number


def workbook_bytes(units, residents):
    """An .xlsx with the 单元 and 业户 sheets filled from lists of row tuples."""
    book = Workbook()
    sheet = book.active
    sheet.title = "单元"
    sheet.append([chinese for _key, chinese in UNIT_COLUMNS])
    for row in units:
        sheet.append(list(row))
    people = book.create_sheet("业户")
    people.append([chinese for _key, chinese in RESIDENT_COLUMNS])
    for row in residents:
        people.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def big_workbook(count=1000):
    """``count`` units over 2 buildings and one resident each (valid IDs and phones)."""
    units, residents = [], []
    for i in range(count):
        building = "A" if i % 2 == 0 else "B"
        floor = i // 20 + 1
        number = f"{floor}{i % 20:02d}"
        units.append((building, floor, number, 88.5 + i % 7, "已入住"))
        residents.append((building, number, f"业主{i}", "业主", f"139{i:08d}", valid_id_number(i), "2024-05-01",
                          "联系人", "13800000000", ""))
    return workbook_bytes(units, residents)
