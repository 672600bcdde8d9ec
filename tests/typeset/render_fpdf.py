"""Draw a layout with fpdf2, in an embedded TrueType font (so any Unicode text prints)."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from fpdf import FPDF

from .layout import Layout, Measure
from .model import Style

CREATION_DATE = datetime(2020, 1, 1, tzinfo=UTC)

# Serif TrueType fonts that installed Python packages may ship: (package, regular, bold) relative to
# the package folder. The first one present is used; without any, serif falls back to Vera (sans).
SERIF_CANDIDATES = [
    ("matplotlib", "mpl-data/fonts/ttf/DejaVuSerif.ttf", "mpl-data/fonts/ttf/DejaVuSerif-Bold.ttf"),
]


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def font_files(font: str) -> tuple[Path, Path]:
    """(regular, bold) TTF files for the style's font."""
    if font == "serif":
        for package, regular, bold in SERIF_CANDIDATES:
            base = _package_dir(package)
            if base and (base / regular).is_file() and (base / bold).is_file():
                return base / regular, base / bold
    fonts = _package_dir("reportlab")
    assert fonts is not None
    return fonts / "fonts" / "Vera.ttf", fonts / "fonts" / "VeraBd.ttf"


def _new_pdf(style: Style, width: float, height: float) -> FPDF:
    pdf = FPDF(orientation="P", unit="pt", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creation_date(CREATION_DATE)
    regular, bold = font_files(style.font)
    pdf.add_font("Body", "", str(regular))
    pdf.add_font("Body", "B", str(bold))
    pdf.set_font("Body", "", style.font_size)
    return pdf


def measure_for(style: Style) -> Measure:
    pdf = _new_pdf(style, 100, 100)
    state = {"bold": False}

    def measure(text: str, is_bold: bool) -> float:
        if is_bold != state["bold"]:
            pdf.set_font("Body", "B" if is_bold else "", style.font_size)
            state["bold"] = is_bold
        return pdf.get_string_width(text)

    return measure


def render(lay: Layout, style: Style, path: Path) -> Path:
    pdf = _new_pdf(style, lay.width, lay.height)
    pdf.set_title(style.preamble[-1] if style.preamble else "Action plan")
    for page in lay.pages:
        pdf.add_page()
        pdf.set_draw_color(0, 0, 0)
        pdf.set_fill_color(0, 0, 0)
        pdf.set_text_color(0, 0, 0)
        for seg in page.segments:
            if style.borders == "lines":
                pdf.set_line_width(seg.thickness)
                pdf.line(*seg.stroke())
            else:
                pdf.rect(*seg.box(), style="F")
        current = None
        for run in page.runs:
            if run.bold != current:
                pdf.set_font("Body", "B" if run.bold else "", lay.font_size)
                current = run.bold
            pdf.text(run.x, run.y, run.text)
    pdf.output(str(path))
    return path
