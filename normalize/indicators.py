"""Split an indicator cell into indicators, using separators and the cell's line geometry.

Indicators are separated by ";" — or by nothing at all, when the author started each one on
its own line and forgot the separator ("Number and type of informative meetings" / "Number
of participating children"). A line break is taken as a boundary between indicators when
the next line starts as a sentence does (a capital; any letter in a script without capitals,
such as Georgian) and either (a) its first word would have fitted on the line before, so the
break was typed, not wrapped; or (b) that word is capitalised and opens other indicators of the
same document (learned from its ";"-separated cells, not from a phrase list). Rule (b) rests on
the capital: a word of a caseless script reads the same inside an indicator as at its start.
A full stop inside a reflowed cell is a boundary before a word that opens other indicators, or
after one that closes them (Georgian puts the head noun last: "... რაოდენობა. შრომის ...").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from normalize.parens import split_top
from normalize.text import bullets_to_separators, join_lines
from schema.models import BBox, TextLine
from schema.names import quoted

SPACE_EM = 0.35  # a generous space width, as a fraction of the line height: a wrap must never read as typed
OPENER_MIN = 2  # a word must open this many indicators to count as an opener
JOINERS = (";", ",", "-", "–", "/", ":", "(")  # a line ending so runs on into the next


@dataclass(frozen=True)
class Piece:
    """The lines of an indicator cell printed in one box (one page)."""

    bbox: BBox
    lines: list[TextLine]


def first_word(text: str) -> str:
    m = re.match(r"\W*(\w+)", text)
    return m.group(1) if m else ""


def last_word(text: str) -> str:
    m = re.search(r"(\w+)\W*$", text)
    return m.group(1) if m else ""


def opens_sentence(word: str) -> bool:
    """Does `word` begin as a sentence begins in its script? With a capital in a cased script;
    with any letter in one whose letters are their own titlecase (Georgian Mkhedruli)."""
    return bool(word) and word[0].isalpha() and word[0] == word[0].title()


def clean(text: str) -> str:
    return text.strip().rstrip(";.").strip()


def _parts(cell_texts: list[str]) -> list[str]:
    """The ';'-separated indicators of the cells, as printed."""
    return [part for text in cell_texts for part in split_top(text, ";") if part.strip()]


def openers(cell_texts: list[str]) -> set[str]:
    """Words that open at least OPENER_MIN ';'-separated indicators of a document, each opening
    as a sentence does (capitalised, or of a caseless script)."""
    counts = Counter(w for part in _parts(cell_texts) if opens_sentence(w := first_word(part)))
    return {w for w, n in counts.items() if n >= OPENER_MIN}


def closers(cell_texts: list[str]) -> set[str]:
    """Words that close at least OPENER_MIN ';'-separated indicators of a document ("რაოდენობა",
    Georgian's "number", ends them as "Number" opens them in English)."""
    counts = Counter(w for part in _parts(cell_texts) if (w := last_word(clean(part)))[:1].isalpha())
    return {w for w, n in counts.items() if n >= OPENER_MIN}


def typed_break(prev: TextLine, nxt: TextLine, right: float) -> bool:
    """Would the next line's first word have fitted after `prev`? Then the break was typed."""
    space = SPACE_EM * (nxt.bottom - nxt.top)
    return prev.x1 + space + nxt.first_word_width < right - 0.5


def boundary(prev: TextLine, nxt: TextLine, right: float | None, opening: set[str]) -> str | None:
    """Why a new indicator starts at `nxt`, or None when the line only continues `prev`.

    `right` is the right edge text can reach in `prev`'s box; None across a page break, where
    the two lines share no box and only the opening word can tell.
    """
    word = first_word(nxt.text)
    if not opens_sentence(word) or prev.text.rstrip().endswith(JOINERS):
        return None
    if right is not None and typed_break(prev, nxt, right):
        return "typed line break"
    if word in opening and word[0].isupper():
        return f"the line opens with {quoted(word)}, as other indicators do"
    return None


def right_edge(piece: Piece) -> float:
    """How far right text can reach in the box: its edge less the padding seen on the left."""
    left_pad = min(ln.x0 for ln in piece.lines) - piece.bbox.x0
    return max(piece.bbox.x1 - left_pad, max(ln.x1 for ln in piece.lines))


def segments(pieces: list[Piece], opening: set[str]) -> tuple[list[list[str]], list[str]]:
    """Group the lines into runs that hold one or more ';'-separated indicators."""
    runs: list[list[str]] = [[]]
    reasons = []
    prev: TextLine | None = None
    for piece in (p for p in pieces if p.lines):
        right = right_edge(piece)
        for i, line in enumerate(piece.lines):
            why = boundary(prev, line, right if i else None, opening) if prev else None
            if why and not runs[-1][-1].rstrip().endswith(";"):
                reasons.append(f"split before {quoted(line.text)}: {why}")
                runs.append([])
            runs[-1].append(line.text)
            prev = line
    return runs, reasons


FULL_STOP = re.compile(r"(\w+)\.\s+(?=(\w+))")  # a word, its full stop, and the word after


def full_stop_reason(
    before: str, after: str, opening: Collection[str], closing: Collection[str]
) -> str | None:
    """Why the full stop between `before` and `after` ends an indicator, or None."""
    if len(before) < 3:  # "e.g. Number": an abbreviation
        return None
    if after in opening:
        return f"split after a full stop before {quoted(after)}, which opens other indicators"
    if before in closing and opens_sentence(after):
        return f"split after a full stop after {quoted(before)}, which closes other indicators"
    return None


def sentences(
    text: str, opening: Collection[str], closing: Collection[str] = ()
) -> tuple[list[str], list[str]]:
    """Split where a full stop ends an indicator and the next begins, mid-line: "... cases of
    labor exploitations. Number of investigations ..." (a reflowed cell), before a word opening
    other indicators or after one closing them."""
    pieces, reasons, start = [], [], 0
    for m in FULL_STOP.finditer(text):
        why = full_stop_reason(m.group(1), m.group(2), opening, closing)
        if why:
            pieces.append(text[start : m.end(1)])
            reasons.append(why)
            start = m.end()
    return [*pieces, text[start:]], reasons


def split_indicators(
    pieces: list[Piece], opening: Collection[str], closing: Collection[str] = ()
) -> tuple[list[str], list[str]]:
    """The indicators of one cell, and a reason for each split not marked by a separator;
    `opening` and `closing` are the document's openers() and closers()."""
    runs, reasons = segments(pieces, opening)
    out = []
    for run in runs:
        for part in split_top(bullets_to_separators(join_lines(run)), ";"):
            found, why = sentences(part, opening, closing)
            out += [clean(p) for p in found]
            reasons += why
    return [p for p in out if p], reasons
