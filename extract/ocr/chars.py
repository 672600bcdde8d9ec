"""OCR'd words as the characters every table engine places (`extract.char.Char`).

A word's glyphs are made to touch (each reaches to the next one's start) so the gap rule of
`extract.chars` never splits a word the engine read as one, and an explicit space stands
between the words of a line, so a word gap never depends on how wide the engine measured it.
Glyphs share the page's typical height around the word's baseline: text lines are grouped by
centre, and words told apart by gaps relative to that size.
"""

from __future__ import annotations

import statistics

from extract.char import Char
from extract.glyphs import FOLDS, share_boxes
from extract.ocr import Word


def word_chars(word: Word, dpi: float, metrics: tuple[float, float]) -> list[Char]:
    """The word's characters in page points, boxes touching from the word's left to its right,
    standing `metrics` (ascent, descent: pixels) above and below the word's baseline."""
    k = 72.0 / dpi
    ascent, descent = metrics
    top, bottom, base = (word.baseline - ascent) * k, (word.baseline + descent) * k, word.baseline * k
    size = (ascent + descent) * k
    texts = _glyph_texts(word)
    starts = _starts(word, len(texts))
    ends = [*starts[1:], word.box[2]]
    chars: list[Char] = []
    for text, start, end in zip(texts, starts, ends, strict=True):
        # a glyph read as several letters (a ligature) shares its box out among them
        chars.extend(share_boxes([Char(t, start * k, end * k, top, bottom, size, base) for t in text]))
    return chars


def page_metrics(words: list[Word]) -> tuple[float, float]:
    """The page's typical ascent and descent (pixels): the medians over its text lines. One size for
    the whole page: a line box the engine drew across two columns, or around a line of digits only,
    would otherwise make its words' size (and so the gap that separates words) wrong."""
    lines = {w.line: (w.line_box, w.baseline) for w in words}
    if not lines:
        return (1.0, 0.0)
    ascents = [max(base - box[1], 1.0) for box, base in lines.values()]
    descents = [max(box[3] - base, 0.0) for box, base in lines.values()]
    return statistics.median(ascents), statistics.median(descents)


def _glyph_texts(word: Word) -> list[str]:
    """One text per glyph, ligatures read as their letters (they then share the glyph's box)."""
    return [FOLDS.get(g.text, g.text) for g in word.glyphs] if word.glyphs else list(word.text)


def _starts(word: Word, n: int) -> list[float]:
    """Where each glyph starts: the engine's own glyph boxes where it gave them (kept in order and
    inside the word), else the word's width shared out evenly."""
    x0, _, x1, _ = word.box
    if word.glyphs:  # one text per glyph (_glyph_texts), so n is their count
        starts, at = [], float(x0)
        for g in word.glyphs:
            at = min(max(at, float(g.box[0])), float(x1))
            starts.append(at)
        starts[0] = float(x0)
        return starts
    return [x0 + (x1 - x0) * i / max(n, 1) for i in range(n)]


def page_chars(words: list[Word], dpi: float) -> list[Char]:
    """Every word's characters, a space between neighbouring words of a line."""
    chars: list[Char] = []
    previous: Word | None = None
    metrics = page_metrics(words)
    for word in sorted(words, key=lambda w: (w.line, w.box[0])):
        made = word_chars(word, dpi, metrics)
        if previous is not None and previous.line == word.line and chars and made:
            last = chars[-1]
            chars.append(Char(" ", last.x1, made[0].x0, last.top, last.bottom, last.size, last.base))
        chars.extend(made)
        previous = word
    return chars
