"""Draw a layout with reportlab's canvas, in the standard PDF fonts (Times or Helvetica) or, when the
style names one (Style.font_path), an embedded TrueType font."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import registerFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from . import fonts
from .fonts import font_runs
from .layout import SHADE, Layout, Measure
from .model import Style

FONTS = {"serif": ("Times-Roman", "Times-Bold"), "sans": ("Helvetica", "Helvetica-Bold")}


@cache
def extra_font() -> str:
    """The font for ligatures and private-use bullets (fonts.py), registered when first needed."""
    registerFont(TTFont(fonts.EXTRA_NAME, str(fonts.extra_font())))
    return fonts.EXTRA_NAME


@cache
def file_font(path: str) -> str:
    """A TrueType file registered under a name of its own (one per file), when first needed."""
    name = f"File-{Path(path).stem}-{hashlib.sha256(path.encode()).hexdigest()[:8]}"
    registerFont(TTFont(name, path))
    return name


def body_fonts(style: Style) -> tuple[str, str]:
    """(regular, bold) font names: the style's TrueType files, or the standard fonts."""
    if style.font_path:
        return file_font(style.font_path), file_font(style.bold_font_path or style.font_path)
    return FONTS[style.font]


def measure_for(style: Style) -> Measure:
    regular, bold = body_fonts(style)
    size = style.font_size

    def measure(text: str, is_bold: bool) -> float:
        body = bold if is_bold else regular
        return sum(stringWidth(t, extra_font() if x else body, size) for t, x in font_runs(text))

    return measure


def render(lay: Layout, style: Style, path: Path) -> Path:
    regular, bold = body_fonts(style)
    height = lay.height
    canvas = Canvas(str(path), pagesize=(lay.width, height), invariant=1)
    canvas.setTitle(style.preamble[-1] if style.preamble else "Action plan")
    for page in lay.pages:
        if page.fills:  # shading goes under the text and rules
            canvas.setFillColorRGB(SHADE, SHADE, SHADE)
            for left, top, width, fill_height in page.fills:
                canvas.rect(left, height - top - fill_height, width, fill_height, stroke=0, fill=1)
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
            x, size = run.x, run.size or lay.font_size
            for text, extra in font_runs(run.text):  # one run unless it holds a ligature or PUA bullet
                font = extra_font() if extra else bold if run.bold else regular
                if (font, size) != current:
                    canvas.setFont(font, size)
                    current = (font, size)
                canvas.drawString(x, height - run.y, text)
                x += stringWidth(text, font, size)
        canvas.showPage()
    canvas.save()
    return path
