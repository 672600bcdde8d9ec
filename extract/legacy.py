"""Georgian typeset in legacy fonts that draw Georgian letters on Latin code points.

Before Unicode Georgian was usable, Georgian documents were typeset in the "Acad" and "Lit" font
families (AcadNusx, LitNusx, AcadMtavr ...): their glyph for "a" is ა, for "T" თ, so the PDF's
text layer reads "saqarTvelos" where "საქართველოს" is printed. Text drawn in such a font (known by
its name) is converted with the AcadNusx keyboard mapping below, the one these fonts share; digits,
punctuation and Latin letters the mapping does not name keep their code points, and text in any
other font is untouched (extract/pdfium_reader.py).

AcadMtavr draws capital (Mtavruli-shaped) letters on the same keys: its text is converted to the
same Mkhedruli letters, the issue's one mapping (nap folds Mtavruli to Mkhedruli when it compares
text anyway).
"""

from __future__ import annotations

import re

from schema.models import LegacyFont

# Font families whose glyphs are Georgian on Latin code points: a base font name matches when,
# without its subset prefix ("AAAAAA+"), case, spaces, hyphens and underscores, it starts with one.
LEGACY_FAMILIES: tuple[str, ...] = ("acadnusx", "litnusx", "acadmtavr", "litmtavr")

# The AcadNusx keyboard mapping (the de facto standard of the pre-Unicode Georgian "Acad"/"Lit"
# fonts): the Latin key each of the 33 Mkhedruli letters is typed and encoded on.
LATIN_TO_GEORGIAN: dict[str, str] = {
    "a": "ა", "b": "ბ", "g": "გ", "d": "დ", "e": "ე", "v": "ვ", "z": "ზ", "T": "თ", "i": "ი",
    "k": "კ", "l": "ლ", "m": "მ", "n": "ნ", "o": "ო", "p": "პ", "J": "ჟ", "r": "რ", "s": "ს",
    "t": "ტ", "u": "უ", "f": "ფ", "q": "ქ", "R": "ღ", "y": "ყ", "S": "შ", "C": "ჩ", "c": "ც",
    "Z": "ძ", "w": "წ", "W": "ჭ", "x": "ხ", "j": "ჯ", "h": "ჰ",
}  # fmt: skip

_TABLE = str.maketrans(LATIN_TO_GEORGIAN)
_SUBSET = re.compile(r"^[A-Z]{6}\+")
_NOT_NAME = re.compile(r"[\s_\-]+")


def font_name(base_font: str) -> str:
    """The base font name as a reader would give it: without the subset prefix ("AAAAAA+")."""
    return _SUBSET.sub("", base_font)


def is_legacy(base_font: str) -> bool:
    """Does the font draw Georgian letters on Latin code points (AcadNusx and its kin)?"""
    key = _NOT_NAME.sub("", font_name(base_font)).lower()
    return key.startswith(LEGACY_FAMILIES)


def to_georgian(text: str) -> str:
    """Text drawn in a legacy font, in Unicode Georgian (Mkhedruli)."""
    return text.translate(_TABLE)


def summarise(by_page: dict[int, dict[str, int]]) -> list[LegacyFont]:
    """Per font (by name), the pages its text was converted on and how many characters."""
    pages: dict[str, list[int]] = {}
    counts: dict[str, int] = {}
    for page, fonts in sorted(by_page.items()):
        for name, n in fonts.items():
            pages.setdefault(name, []).append(page)
            counts[name] = counts.get(name, 0) + n
    return [LegacyFont(name=name, pages=pages[name], characters=counts[name]) for name in sorted(pages)]
