"""The stores' files: the 三级数量帐 (daily quantity ledger) as an Excel sheet. One builder serves the page's direct
download and the background job (``stock.export_ledger``), so both give the same file."""
from collections.abc import Callable
from datetime import date

from dutydesk.archive.models import Project
from dutydesk.core.excel import ExportWorkbook
from dutydesk.stock import selectors
from dutydesk.stock.models import Item

LEDGER_HEADER = ["日期", "货号", "品名", "单位", "货位", "期初库存", "进货量", "销售/出库量", "期末库存"]


def ledger_file(*, project: Project | int, start: date, end: date, item: Item | None = None,
                progress: Callable[[int], Callable[[], None]] | None = None) -> tuple[bytes, str]:
    """(content, file name) of the ledger from ``start`` to ``end``, rows streamed into the file (constant
    memory). ``progress(total)`` gives a callable called once per row written."""
    rows = selectors.ledger(project=project, start=start, end=end, item=item)
    tick = progress(len(rows)) if progress is not None else None
    workbook = ExportWorkbook()
    sheet = workbook.sheet("三级数量帐", LEDGER_HEADER)
    for row in rows:
        sheet.append([row.day, row.item.code, row.item.name, row.item.unit, row.item.bin, row.opening, row.received,
                      row.issued, row.closing])
        if tick is not None:
            tick()
    return workbook.content(), f"stock-ledger-{start}-{end}.xlsx"
