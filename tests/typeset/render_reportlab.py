"""Draw a layout with reportlab's canvas, in the standard PDF fonts (Times or Helvetica)."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .layout import Layout, Measure
from .model import Style

FONTS = {"serif": ("Times-Roman", "Times-Bold"), "sans": ("Helvetica", "Helvetica-Bold")}


def measure_for(style: Style) -> Measure:
    regular, bold = FONTS[style.font]
    size = style.font_size

    def measure(text: str, is_bold: bool) -> float:
        return stringWidth(text, bold if is_bold else regular, size)

    return measure


def render(lay: Layout, style: Style, path: Path) -> Path:
    regular, bold = FONTS[style.font]
    height = lay.height
    canvas = Canvas(str(path), pagesize=(lay.width, height), invariant=1)
    canvas.setTitle(style.preamble[-1] if style.preamble else "Action plan")
    for page in lay.pages:
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setStrokeColorRGB(0, 0, 0)
        for seg in page.segments:
            if style.borders == "lines":
                canvas.setLineWidth(seg.thickness)
                x0, y0, x1, y1 = seg.stroke()
                canvas.line(x0, height - y0, x1, height - y1)
            else:
                left, top, width, rule_height = seg.box()
                canvas.rect(left, height - top - rule_height, width, rule_height, stroke=0, fill=1)
        current = None
        for run in page.runs:
            font = bold if run.bold else regular
            if font != current:
                canvas.setFont(font, lay.font_size)
                current = font
            canvas.drawString(run.x, height - run.y, run.text)
        canvas.showPage()
    canvas.save()
    return path
