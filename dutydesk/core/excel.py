"""Excel for the exports (one streaming writer) and the imports (limits, then a read-only workbook)."""
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.utils import timezone


def cell_text(value: object) -> str:
    """A cell as clean text: None -> "", 12.0 -> "12" (Excel stores whole numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Text that a spreadsheet would run as a formula (OWASP "CSV injection"): written as text, never as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
INVALID_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


class ExportWorkbook:
    """An Excel file written row by row, for the exports: XlsxWriter in constant-memory mode (each finished row goes
    to a temporary file under ``settings.EXPORT_TMP_DIR``, so memory stays flat whatever the number of rows;
    docs/decisions.md, "XlsxWriter").

    Every cell keeps its type, and no text is ever a formula:
    - text is text; text that starts like a formula (``=HYPERLINK(...)`` in a resident's name) also carries Excel's
      quote prefix, so editing the cell keeps it text;
    - numbers are numbers; a ``Decimal`` shows the decimals it was stored with (money 0.00, stock 0.000);
    - dates and times are dates (a time-zone-aware time in Asia/Shanghai);
    - ``None`` and empty text are empty cells.

        book = ExportWorkbook()
        sheet = book.sheet("账单", ["楼栋", "房号", "应收"])
        for bill in bills:
            sheet.append([bill.unit.building.name, bill.unit.number, bill.amount])
        content = book.content()
    """

    def __init__(self) -> None:
        import xlsxwriter

        self._output = io.BytesIO()
        self._book = xlsxwriter.Workbook(self._output, {
            "constant_memory": True, "tmpdir": str(settings.EXPORT_TMP_DIR), "strings_to_numbers": False,
            "strings_to_formulas": False, "strings_to_urls": False})
        self.formats = {
            "formula-like": self._book.add_format({"quote_prefix": True}),
            "bold": self._book.add_format({"bold": True}),
            "date": self._book.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": self._book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        self._decimals: dict[int, Any] = {}

    def decimal_format(self, places: int) -> Any:
        """The number format showing ``places`` decimals (one format per count, as Excel wants them few)."""
        if places not in self._decimals:
            self._decimals[places] = self._book.add_format({"num_format": "0." + "0" * places if places else "0"})
        return self._decimals[places]

    def sheet(self, title: str, header: Sequence[object] = (), *, bold_header: bool = False) -> "ExportSheet":
        """A new sheet named ``title`` (cut to Excel's 31 characters, without the characters Excel refuses), its
        columns as wide as the ``header`` written in its first row, which stays in view while scrolling."""
        name = INVALID_SHEET_CHARACTERS.sub(" ", str(title))[:31].strip() or f"Sheet{len(self._book.worksheets()) + 1}"
        sheet = ExportSheet(self._book.add_worksheet(name), self)
        for column, heading in enumerate(header):  # a Chinese character is about two Latin ones wide
            text = str(heading)
            sheet.worksheet.set_column(column, column, max(10, sum(2 if ord(c) > 0x2E80 else 1 for c in text) + 2))
        if header:
            sheet.append(header, bold=bold_header)
            sheet.worksheet.freeze_panes(1, 0)  # the header stays in view while scrolling
        return sheet

    def content(self) -> bytes:
        """The finished file (after this, no more rows)."""
        self._book.close()
        return self._output.getvalue()


class ExportSheet:
    def __init__(self, worksheet: Any, book: ExportWorkbook) -> None:
        self.worksheet, self._book, self._row = worksheet, book, 0

    def append(self, values: Iterable[object], *, bold: bool = False) -> None:
        """The next row. ``bold``: a heading row (all text)."""
        cells, row, formats = self.worksheet, self._row, self._book.formats
        for column, value in enumerate(values):
            if value is None or value == "":  # an empty cell (an empty text costs as much as a full one)
                continue
            if bold:
                cells.write_string(row, column, str(value), formats["bold"])
            elif type(value) is str:  # the most common cell first
                self._text(row, column, value)
            elif isinstance(value, bool):
                cells.write_boolean(row, column, value)
            elif isinstance(value, Decimal):
                exponent = value.as_tuple().exponent
                places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
                cells.write_number(row, column, float(value), self._book.decimal_format(places))
            elif isinstance(value, int | float):
                cells.write_number(row, column, value)
            elif isinstance(value, datetime):
                if timezone.is_aware(value):
                    value = timezone.localtime(value).replace(tzinfo=None)
                cells.write_datetime(row, column, value, formats["datetime"])
            elif isinstance(value, date):
                cells.write_datetime(row, column, value, formats["date"])
            else:  # a translated label, a choice's display
                self._text(row, column, str(value))
        self._row += 1

    def _text(self, row: int, column: int, text: str) -> None:
        """Text as text; text that starts like a formula with the quote prefix, so that editing keeps it text."""
        self.worksheet.write_string(row, column, text,
                                    self._book.formats["formula-like"] if text.startswith(FORMULA_START) else None)


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
