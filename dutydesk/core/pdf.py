"""Chinese PDFs (fee notices, receipts, passes, reports) with ReportLab.

The font is ReportLab's built-in Adobe CID font STSong-Light (华文宋体 metrics shipped inside the
reportlab package: no font download, no file to vendor); text stays extractable (tests read it
back with pypdf) and prints on A4."""
import io
from collections.abc import Iterable, Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

STYLES = {
    "title": ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22, alignment=1, spaceAfter=6 * mm),
    "heading": ParagraphStyle("heading", fontName=FONT, fontSize=12, leading=17, spaceBefore=4 * mm, spaceAfter=2 * mm),
    "body": ParagraphStyle("body", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK"),
    "small": ParagraphStyle("small", fontName=FONT, fontSize=8, leading=11, wordWrap="CJK", textColor=colors.grey),
}
STYLES["number"] = ParagraphStyle("number", parent=STYLES["body"], alignment=TA_RIGHT)  # a figure in a table's cell


def paragraph(text: object, style: str = "body") -> Paragraph:
    return Paragraph(str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>"),
                     STYLES[style])


# a single-line cell's row: the table style's default leading (12 pt) and paddings (3 pt above and below)
LINE_ROW_HEIGHT = 18
A4_WIDTH_INSIDE_MARGINS = A4[0] - 2 * 15 * mm  # ``render``'s default margins


def table(rows: Iterable[Iterable[object]], col_widths: Sequence[float | None] | None = None, header: bool = True,
          align_right_from: int | None = None, wrap: bool = True) -> Table:
    """A grid table; cells are wrapped as CJK paragraphs. ``align_right_from``: first numeric column.
    ``wrap=False``: cells are drawn as single lines (no paragraph per cell) — for long tables of short figures,
    such as a row per building (several times faster at thousands of rows). Such a table's rows are one line high
    and its columns share the page's width equally unless ``col_widths`` says otherwise: ReportLab then measures no
    cell (1,500 buildings: 9,000 cells measured twice, 0.2 s of the monthly report)."""
    row_heights = None
    cells: list[list[object]] = [list(row) for row in rows]
    if wrap:  # a paragraph aligns itself: the figures' columns get the right-aligned style
        right = align_right_from if align_right_from is not None else max(map(len, cells), default=0)
        data = [[cell if hasattr(cell, "wrap") else
                 paragraph("" if cell is None else cell, "number" if column >= right else "body")
                 for column, cell in enumerate(row)] for row in cells]
    else:
        data = [[cell if hasattr(cell, "wrap") else ("" if cell is None else str(cell)) for cell in row] for row in cells]
        if data and not any(hasattr(cell, "wrap") or "\n" in str(cell) for row in data for cell in row):
            row_heights = [LINE_ROW_HEIGHT] * len(data)
            columns = max(len(row) for row in data)
            col_widths = col_widths or [A4_WIDTH_INSIDE_MARGINS / columns] * columns
    result = Table(data, colWidths=col_widths, rowHeights=row_heights, repeatRows=1 if header else 0)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("FONTNAME", (0, 0), (-1, -1), FONT)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")))
    if align_right_from is not None:
        style.append(("ALIGN", (align_right_from, 0), (-1, -1), "RIGHT"))
    result.setStyle(TableStyle(style))
    return result


def spacer(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def page_break() -> PageBreak:
    return PageBreak()


def render(story: Iterable[Flowable], *, title: str = "DutyDesk", margins_mm: float = 15) -> bytes:
    """Build an A4 PDF from a list of flowables; returns bytes."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="DutyDesk 岗责通",
                                 leftMargin=margins_mm * mm, rightMargin=margins_mm * mm,
                                 topMargin=margins_mm * mm, bottomMargin=margins_mm * mm)
    document.build(list(story))
    return buffer.getvalue()
