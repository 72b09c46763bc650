"""Small helpers shared by the Excel imports (archive, meter readings)."""
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.core.files import File


def cell_text(value: object) -> str:
    """A cell as clean text: None -> "", 12.0 -> "12" (Excel stores whole numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Text that a spreadsheet would run as a formula (OWASP "CSV injection"): written as text, never as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_row(sheet: Any, values: Iterable[object]) -> list[object]:
    """``sheet.append(safe_row(sheet, [...]))``: a cell whose text starts like a formula is stored as a string
    with Excel's quote prefix, so ``=HYPERLINK(...)`` in a resident's name stays text in every export."""
    from openpyxl.cell import WriteOnlyCell

    row: list[object] = []
    for value in values:
        if isinstance(value, str) and value.startswith(FORMULA_START):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cell.quotePrefix = True
            value = cell
        row.append(value)
    return row


# ---- import limits (shared/API.md "Auth and limits": ≤ 5 MB, ≤ 20,000 rows, cells ≤ 1,000 characters) -------------
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
MAX_CELL_CHARS = 1_000
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # an .xlsx is a zip: refuse a small file that unpacks into a huge one


class ImportLimitExceeded(Exception):
    """The file breaks one of the import limits; ``str(exc)`` names the limit (translated)."""


# an import's input: the bytes, or the uploaded file (anything with size or seek/tell)
ImportData = bytes | bytearray | IO[bytes] | File


def _size_of(data: ImportData) -> int:
    if isinstance(data, bytes | bytearray):
        return len(data)
    size = getattr(data, "size", None)
    if size is None:
        position = data.tell()
        data.seek(0, 2)
        size = data.tell()
        data.seek(position)
    return size


def check_import_size(data: ImportData) -> None:
    from django.utils.translation import gettext as _

    if _size_of(data) > MAX_IMPORT_BYTES:
        raise ImportLimitExceeded(_("The file is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})


def open_workbook(data: ImportData) -> Any:
    """A read-only (streaming) workbook from bytes or an uploaded file, after the size checks and before any
    parsing: a file over 5 MB, or one that unpacks to more than 60 MB, is refused at once."""
    import io
    import zipfile

    from django.utils.translation import gettext as _
    from openpyxl import load_workbook

    check_import_size(data)
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    try:
        with zipfile.ZipFile(stream) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ValueError("not an xlsx") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportLimitExceeded(_("The workbook unpacks to more than %(mb)s MB.") % {
            "mb": MAX_UNPACKED_BYTES // (1024 * 1024)})
    stream.seek(0)
    return load_workbook(stream, read_only=True, data_only=True)


def limited_rows(sheet: Any) -> Iterator[tuple[object, ...]]:
    """The sheet's rows (values only), streamed; stops with ImportLimitExceeded past 20,000 rows or at a cell
    longer than 1,000 characters (before any of them is validated or stored)."""
    from django.utils.translation import gettext as _

    declared = getattr(sheet, "max_row", None)
    if isinstance(declared, int) and declared > MAX_IMPORT_ROWS + 1:
        raise ImportLimitExceeded(_("The sheet has more than %(rows)s rows.") % {"rows": f"{MAX_IMPORT_ROWS:,}"})
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_IMPORT_ROWS + 1:  # + the header row
            raise ImportLimitExceeded(_("The sheet has more than %(rows)s rows.") % {"rows": f"{MAX_IMPORT_ROWS:,}"})
        for cell in row:
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                raise ImportLimitExceeded(_("Row %(row)s has a cell longer than %(chars)s characters.") % {
                    "row": number, "chars": f"{MAX_CELL_CHARS:,}"})
        yield row
