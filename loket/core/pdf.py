"""PDFs the project draws (receipts, booking slips, posters, blank forms) with reportlab.

Text stays text (copyable, read by screen readers, a few KB), QR codes are vector drawings.
Fonts are the PDF standard Helvetica family: nothing to embed, every reader has them.
A page is drawn top-down: ``Sheet`` keeps the cursor, wraps long lines and adds a page when full.
"""

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

REGULAR, BOLD, MONO = "Helvetica", "Helvetica-Bold", "Courier-Bold"
MARGIN = 18 * mm


class Sheet:
    """One PDF document, drawn line by line from the top of an A4 page."""

    def __init__(self, title: str, *, subject: str = "", author: str = "Loket") -> None:
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=A4, pageCompression=1, lang="id-ID")
        self.canvas.setTitle(title)
        self.canvas.setSubject(subject or title)
        self.canvas.setAuthor(author)
        self.canvas.setCreator("Loket")
        self.width, self.height = A4
        self.y = self.height - MARGIN

    @property
    def text_width(self) -> float:
        return self.width - 2 * MARGIN

    def ensure(self, needed: float) -> None:
        """A new page when fewer than `needed` points are left."""
        if self.y - needed < MARGIN:
            self.canvas.showPage()
            self.y = self.height - MARGIN

    def gap(self, points: float = 6) -> None:
        self.y -= points

    def text(
        self,
        value: str,
        size: float = 10.5,
        font: str = REGULAR,
        *,
        x: float = MARGIN,
        width: float | None = None,
        center: bool = False,
        leading: float | None = None,
    ) -> None:
        """Writes `value`, wrapped to `width`, and moves the cursor below it."""
        leading = leading or size * 1.3
        width = width or (self.width - MARGIN - x)
        for paragraph in str(value).split("\n"):
            for line in simpleSplit(paragraph, font, size, width) or [""]:
                self.ensure(leading)
                self.y -= leading
                self.canvas.setFont(font, size)
                if center:
                    self.canvas.drawCentredString(self.width / 2, self.y + size * 0.25, line)
                else:
                    self.canvas.drawString(x, self.y + size * 0.25, line)

    def heading(self, value: str, size: float = 15, center: bool = False) -> None:
        self.text(value, size, BOLD, center=center)
        self.gap(4)

    def letterhead(self, office, title: str, code_label: str, code: str) -> None:
        """The office's name, address and WhatsApp number, the document's title, and its code
        large and copyable (a ticket, a booking code)."""
        self.heading(office.name, 16)
        if office.address:
            self.text(office.address, 10)
        if office.whatsapp_display_number:
            self.text(f"WhatsApp: {office.whatsapp_display_number}", 10)
        self.rule(1)
        self.gap(6)
        self.heading(title, 14)
        self.text(code_label, 10, BOLD)
        self.text(code, 26, MONO, leading=32)
        self.gap(8)

    def pair(self, label: str, value: str, size: float = 10.5, label_width: float = 45 * mm):
        """`label` in a column on the left, `value` (wrapped) on the right."""
        top = self.y
        self.text(label, size, BOLD, width=label_width - 3 * mm)
        after_label = self.y
        self.y = top
        self.text(value, size, x=MARGIN + label_width)
        self.y = min(self.y, after_label)

    def rule(self, weight: float = 0.6) -> None:
        self.ensure(8)
        self.y -= 4
        self.canvas.setLineWidth(weight)
        self.canvas.line(MARGIN, self.y, self.width - MARGIN, self.y)
        self.y -= 4

    def blank(self, label: str, hint: str = "", lines: int = 1, size: float = 9.5) -> None:
        """A form field to fill in by hand: its label and dotted writing lines."""
        self.ensure(size * 1.4 + lines * 7 * mm)
        self.text(label + (f"  ({hint})" if hint else ""), size, BOLD)
        self.canvas.setDash(1, 2)
        self.canvas.setLineWidth(0.5)
        for _ in range(lines):
            self.y -= 7 * mm
            self.canvas.line(MARGIN, self.y, self.width - MARGIN, self.y)
        self.canvas.setDash()
        self.y -= 2 * mm

    def boxes(self, label: str, count: int, size: float = 9.5) -> None:
        """A label and `count` character boxes (NIK: 16, KK: 16) to fill in by hand."""
        box = 6 * mm
        self.ensure(size * 1.4 + box + 3 * mm)
        self.text(label, size, BOLD)
        self.y -= box + 1 * mm
        self.canvas.setLineWidth(0.5)
        for index in range(count):
            self.canvas.rect(MARGIN + index * box, self.y, box, box)
        self.y -= 2 * mm

    def choices(self, label: str, options: list[str], size: float = 9.5) -> None:
        """A label and tick boxes, one per option, on one wrapped line."""
        self.text(label, size, BOLD)
        self.ensure(size * 1.6)
        self.y -= size * 1.5
        x = MARGIN
        self.canvas.setFont(REGULAR, size)
        for option in options:
            width = self.canvas.stringWidth(option, REGULAR, size) + 10 * mm
            if x + width > self.width - MARGIN:
                x = MARGIN
                self.ensure(size * 1.6)
                self.y -= size * 1.5
            self.canvas.rect(x, self.y, size * 0.9, size * 0.9)
            self.canvas.drawString(x + size * 1.4, self.y + 1, option)
            x += width
        self.y -= 2 * mm

    def qr(self, data: str, size: float = 40 * mm, x: float | None = None) -> None:
        """A vector QR code of `data`, its top at the cursor (left margin unless `x`)."""
        self.ensure(size)
        draw_qr(self.canvas, data, MARGIN if x is None else x, self.y - size, size)
        self.y -= size

    def footer(self, value: str, size: float = 8.5) -> None:
        self.canvas.setFont(REGULAR, size)
        self.canvas.drawString(MARGIN, MARGIN / 2, value)

    def bytes(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code as vector squares, `size` points wide, lower-left corner at (x, y)."""
    widget = QrCodeWidget(data, barLevel="M", barBorder=2)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)
