"""Footnote markers: raised, smaller digits or letters printed right after a word.

Read with the word they follow, "improved" + a raised "e" spells "improvede" and "victims" + a
raised "1" spells "victims1". They are told from the text by their geometry alone (smaller than
the line's body text and a baseline raised above the body's), taken out of the line's text and
kept on the line as `FootnoteMarker`s, so normalisation can list each one for review.
"""

from __future__ import annotations

from collections import Counter

from extract.char import Char
from schema.models import FootnoteMarker

SMALLER = 0.9  # a marker's font size is at most this fraction of the line's body size (HTML's <sup>: 5/6)
RAISED = 0.2  # and its baseline at least this fraction of the body size above the body's baseline
TOUCH = 0.2  # and it starts within this fraction of the body size after the word's last glyph
# Raised ordinal suffixes after a digit ("18th") are part of the number, not footnote markers.
ORDINALS = frozenset({"st", "nd", "rd", "th"})


def body_of(ink: list[Char]) -> tuple[float, float]:
    """(size, baseline) of the line's body text: the most used size (the larger on a tie), and the
    median baseline of the glyphs of that size."""
    sizes = Counter(round(c.size, 1) for c in ink)
    size = max(sizes, key=lambda s: (sizes[s], s))
    bases = sorted(c.base for c in ink if round(c.size, 1) == size)
    return size, bases[len(bases) // 2]


def _word_before(kept: list[Char], size: float) -> list[Char]:
    """The glyphs of the word that ends the kept glyphs (back to a space glyph or a gap)."""
    word: list[Char] = []
    for ch in reversed(kept):
        if ch.text.isspace() or (word and word[0].x0 - ch.x1 > TOUCH * size):
            break
        word.insert(0, ch)
    return word


def split_markers(chars: list[Char]) -> tuple[list[Char], list[FootnoteMarker]]:
    """The line's glyphs without its footnote markers, and the markers (with the word they follow).

    `chars` is one printed line, left to right. A raised small run not touching a word (at the
    start of a line, after a space) is no marker: it stays in the text. The word's last glyph is
    widened over the marker's place, so "victims" + "1" + "," still reads "victims,".
    """
    ink = [c for c in chars if not c.text.isspace()]
    if len({c.size for c in ink}) < 2:
        return chars, []  # one size on the line: nothing is smaller (every line of most plans)
    size, base = body_of(ink)

    def raised(c: Char) -> bool:
        return not c.text.isspace() and c.size <= SMALLER * size and c.base < base - RAISED * size

    kept: list[Char] = []
    markers: list[FootnoteMarker] = []
    i = 0
    while i < len(chars):
        if not raised(chars[i]):
            kept.append(chars[i])
            i += 1
            continue
        j = i
        while j < len(chars) and raised(chars[j]):
            j += 1
        run, text = chars[i:j], "".join(c.text for c in chars[i:j])
        word = _word_before(kept, size)
        touching = bool(word) and run[0].x0 - word[-1].x1 <= TOUCH * size
        ordinal = bool(word) and word[-1].text.isdigit() and text.lower() in ORDINALS
        if touching and not ordinal:
            markers.append(FootnoteMarker(word="".join(c.text for c in word), marker=text))
            last = kept[-1]  # the word reaches over the marker's place: what follows it is no new word
            kept[-1] = type(last)(last.text, last.x0, run[-1].x1, last.top, last.bottom, last.size, last.base)
        else:
            kept.extend(run)
        i = j
    return kept, markers
