"""A second font for the glyphs the body fonts cannot print: ligatures and Word's private-use bullets.

Real plans print "ﬁ" (U+FB01) from a ligature glyph and list bullets from Symbol or Wingdings, whose
text is a private-use code point (U+F0B7). Neither the standard PDF fonts (reportlab) nor Vera
(fpdf2) map all of them, so the renderers draw these characters, and only these, in a TrueType font
built here from Vera with fontTools: each extra code point gets its own glyph (a copy of "fi" or of
"bullet"), so the PDF's text layer names that code point and nothing else. Text without them is
drawn exactly as before.
"""

from __future__ import annotations

import copy
import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

# The code points drawn in the extra font, and the Vera glyph each one's shape is copied from.
LIGATURES = {0xFB00: "fi", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "fi", 0xFB04: "fl"}
PRIVATE_USE_BULLETS = dict.fromkeys((0xF0B7, 0xF0A7, 0xF076, 0xF0D8, 0xF0FC), "bullet")
EXTRA_CHARS = frozenset(chr(cp) for cp in (*LIGATURES, *PRIVATE_USE_BULLETS))
EXTRA_NAME = "NapExtra"


def _vera() -> Path:
    import reportlab

    return Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"


@cache
def extra_font() -> Path:
    """Vera with a glyph of its own for every code point of EXTRA_CHARS (built once per process)."""
    font = TTFont(str(_vera()))
    glyf, hmtx = font["glyf"], font["hmtx"]
    names = {}
    for cp, source in {**LIGATURES, **PRIVATE_USE_BULLETS}.items():
        name = f"uni{cp:04X}"
        glyf[name] = copy.deepcopy(glyf[source])  # (appended to the glyph order)
        hmtx[name] = hmtx[source]
        names[cp] = name
    font.setGlyphOrder(list(glyf.glyphOrder))
    for table in ("hdmx", "kern"):  # per-glyph tables that would not cover the new glyphs
        if table in font:
            del font[table]
    for sub in font["cmap"].tables:
        if sub.isUnicode():
            sub.cmap.update(names)
    folder = Path(tempfile.gettempdir())
    with tempfile.NamedTemporaryFile(dir=folder, prefix=f"{EXTRA_NAME}-", suffix=".ttf", delete=False) as f:
        font.save(f)
    out = folder / f"{EXTRA_NAME}-{hashlib.sha256(Path(f.name).read_bytes()).hexdigest()[:16]}.ttf"
    os.replace(f.name, out)  # one file per content, shared by test processes; replaced atomically
    return out


def font_runs(text: str) -> list[tuple[str, bool]]:
    """The text cut into runs of (text, drawn in the extra font?); one run when it has no extra char."""
    runs: list[tuple[str, bool]] = []
    for ch in text:
        extra = ch in EXTRA_CHARS
        if runs and runs[-1][1] == extra:
            runs[-1] = (runs[-1][0] + ch, extra)
        else:
            runs.append((ch, extra))
    return runs or [("", False)]
