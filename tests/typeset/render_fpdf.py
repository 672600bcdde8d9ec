"""Draw a layout with fpdf2, in an embedded TrueType font (so any Unicode text prints)."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from fpdf import FPDF

from . import fonts
from .fonts import font_runs
from .layout import SHADE, Layout, Measure
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


def body_files(style: Style) -> tuple[Path, Path]:
    """(regular, bold) TTF files: the style's own (Style.font_path), or those of its font."""
    if style.font_path:
        return Path(style.font_path), Path(style.bold_font_path or style.font_path)
    return font_files(style.font)


def _new_pdf(style: Style, width: float, height: float) -> FPDF:
    pdf = FPDF(orientation="P", unit="pt", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creation_date(CREATION_DATE)
    regular, bold = body_files(style)
    pdf.add_font("Body", "", str(regular))
    pdf.add_font("Body", "B", str(bold))
    pdf.set_font("Body", "", style.font_size)
    return pdf


def _set_font(pdf: FPDF, family: str, emphasis: str, size: float) -> None:
    """Set a font; the one for ligatures and private-use bullets (fonts.py) is added when first needed."""
    if family == fonts.EXTRA_NAME and family.lower() not in pdf.fonts:
        pdf.add_font(family, "", str(fonts.extra_font()))
    pdf.set_font(family, emphasis, size)


def _font_of(extra: bool, bold: bool, size: float) -> tuple[str, str, float]:
    return (fonts.EXTRA_NAME, "", size) if extra else ("Body", "B" if bold else "", size)


def measure_for(style: Style) -> Measure:
    pdf = _new_pdf(style, 100, 100)
    state = {"font": _font_of(False, False, style.font_size)}

    def measure(text: str, is_bold: bool) -> float:
        width = 0.0
        for part, extra in font_runs(text):
            font = _font_of(extra, is_bold, style.font_size)
            if font != state["font"]:
                _set_font(pdf, *font)
                state["font"] = font
            width += pdf.get_string_width(part)
        return width

    return measure


def render(lay: Layout, style: Style, path: Path) -> Path:
    pdf = _new_pdf(style, lay.width, lay.height)
    pdf.set_title(style.preamble[-1] if style.preamble else "Action plan")
    for page in lay.pages:
        pdf.add_page()
        if page.fills:  # shading goes under the text and rules
            pdf.set_fill_color(round(255 * SHADE))
            for box in page.fills:
                pdf.rect(*box, style="F")
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
            x = run.x
            for text, extra in font_runs(run.text):  # one run unless it holds a ligature or PUA bullet
                font = _font_of(extra, run.bold, run.size or lay.font_size)
                if font != current:
                    _set_font(pdf, *font)
                    current = font
                pdf.text(x, run.y, text)
                x += pdf.get_string_width(text)
    pdf.output(str(path))
    return path
