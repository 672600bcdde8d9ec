"""Code points PDFs print for letters and bullets that do not read as what they show.

A typesetter may draw "fi" as one ligature glyph (U+FB01) whose text is that one code point, and
Word draws list bullets from its Symbol and Wingdings fonts, whose text is a private-use code
point (U+F0B7). Read as is, "ﬁnancial" does not match "financial" and a bulleted list is not a
list. These are encodings of glyphs, not words of a language, so they live here, in one place,
and every engine reads them through the shared character reader.
"""

from __future__ import annotations

from extract.char import Char

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",  # long s + t
    "\ufb06": "st",
}
BULLET = "•"
# Bullets of Word's Symbol and Wingdings fonts as their private-use code points: Symbol's bullet
# (F0B7), Wingdings' filled circle (F06C), squares (F06E, F0A7, F0A8, F071), diamond (F076),
# arrowheads (F0D8, F0E8) and check mark (F0FC).
PRIVATE_USE_BULLETS = "\uf0b7\uf06c\uf06e\uf0a7\uf0a8\uf071\uf076\uf0d8\uf0e8\uf0fc"

FOLDS: dict[str, str] = {**LIGATURES, **dict.fromkeys(PRIVATE_USE_BULLETS, BULLET)}


def fold_glyph(ch: Char) -> list[Char]:
    """The char as the letters (or bullet) it shows; a ligature's box is shared out evenly.

    "ﬃ" drawn 15 pt wide becomes "f", "f", "i", 5 pt each, touching: one word still.
    """
    text = FOLDS.get(ch.text)
    if text is None:
        return [ch]
    return share_boxes([Char(t, ch.x0, ch.x1, ch.top, ch.bottom, ch.size, ch.base) for t in text])


def share_boxes(chars: list[Char]) -> list[Char]:
    """Consecutive chars reported with one and the same box share it out evenly, left to right.

    PDFium itself reads a ligature glyph as its letters ("ﬃ" as "f", "f", "i"), each with the
    whole glyph's box; shared out, each letter gets its own place (as `fold_glyph` gives them).
    """
    out: list[Char] = []
    i = 0
    while i < len(chars):
        first, j = chars[i], i + 1
        box = (first.x0, first.x1, first.top, first.bottom)
        while j < len(chars) and (chars[j].x0, chars[j].x1, chars[j].top, chars[j].bottom) == box:
            j += 1
        if j - i == 1 or first.x1 <= first.x0:
            out.extend(chars[i:j])
        else:
            step = (first.x1 - first.x0) / (j - i)
            out.extend(
                Char(c.text, first.x0 + k * step, first.x0 + (k + 1) * step, c.top, c.bottom, c.size, c.base)
                for k, c in enumerate(chars[i:j])
            )
        i = j
    return out
