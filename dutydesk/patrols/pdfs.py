"""The route's QR sheet as an A4 PDF (dutydesk/core/pdf.py, always in Chinese like the other printed forms): one
card per checkpoint with its code, name, location and the QR code that opens its page. The QR modules come from
segno (the house's QR library) and are drawn as vector squares, so no image library is needed and it prints sharp."""
from collections.abc import Sequence

import segno
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from dutydesk.core import pdf
from dutydesk.patrols import schedules
from dutydesk.patrols.models import Checkpoint, Route

COLUMNS = 3
QR_SIZE = 42 * mm


class QRCode(Flowable):
    """A QR code of ``text``, ``size`` wide, drawn module by module."""

    def __init__(self, text: str, size: float = QR_SIZE) -> None:
        super().__init__()
        self.matrix = [list(row) for row in segno.make(text, error="m").matrix_iter(scale=1, border=2)]
        self.size = size
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        modules = len(self.matrix)
        step = self.size / modules
        canvas = self.canv
        canvas.setFillColorRGB(0, 0, 0)
        for row_index, row in enumerate(self.matrix):
            y = self.size - (row_index + 1) * step
            for column_index, dark in enumerate(row):
                if dark:
                    canvas.rect(column_index * step, y, step, step, stroke=0, fill=1)


def qr_sheet_pdf(route: Route, cards: Sequence[tuple[Checkpoint, str]]) -> bytes:
    """``cards``: (checkpoint, the address its QR code opens) in the route's order."""
    with translation.override("zh-hans"):
        story = [pdf.paragraph(_("Patrol route %(name)s: checkpoint QR codes") % {"name": route.name}, "title"),
                 pdf.paragraph(_("Walked by: %(post)s · %(schedule)s") % {
                     "post": route.post, "schedule": schedules.describe(route.schedule)}, "small"),
                 pdf.paragraph(_("Scan the code at the checkpoint: it opens the checkpoint in the open round."),
                               "small"),
                 pdf.spacer()]
        cells = []
        for checkpoint, url in cards:
            card = Table([[QRCode(url)], [pdf.paragraph(f"{checkpoint.code} {checkpoint.name}", "heading")],
                          [pdf.paragraph(checkpoint.location or " ", "small")]], colWidths=[56 * mm])
            card.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER")]))
            cells.append(card)
        rows = [cells[index:index + COLUMNS] for index in range(0, len(cells), COLUMNS)]
        if rows:
            rows[-1] += [""] * (COLUMNS - len(rows[-1]))
            story.append(pdf.table(rows, col_widths=[60 * mm] * COLUMNS, header=False))
        return pdf.render(story, title=_("Patrol route %(name)s: checkpoint QR codes") % {"name": route.name})
