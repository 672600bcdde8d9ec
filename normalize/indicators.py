"""Split an indicator cell into indicators, using separators and the cell's line geometry.

Indicators are separated by ";" — or by nothing at all, when the author started each one on
its own line and forgot the separator ("Number and type of informative meetings" / "Number
of participating children"). A line break is taken as a boundary between indicators when
the next line starts with a capital and either (a) its first word would have fitted on the
line before, so the break was typed, not wrapped; or (b) that word opens other indicators of
the same document (learned from its ";"-separated cells, not from a phrase list).
"""

from __future__ import annotations

import re
from collections import Counter
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


def clean(text: str) -> str:
    return text.strip().rstrip(";.").strip()


def openers(cell_texts: list[str]) -> set[str]:
    """Capitalised words that open at least OPENER_MIN ';'-separated indicators of a document."""
    counts = Counter(
        w
        for text in cell_texts
        for part in split_top(text, ";")
        if (w := first_word(part)) and w[0].isupper()
    )
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
    if not word or not word[0].isupper() or prev.text.rstrip().endswith(JOINERS):
        return None
    if right is not None and typed_break(prev, nxt, right):
        return "typed line break"
    if word in opening:
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


def sentences(text: str, opening: set[str]) -> tuple[list[str], list[str]]:
    """Split where a full stop ends an indicator and an opener word starts the next, mid-line:
    "... cases of labor exploitations. Number of investigations ..." (a reflowed cell)."""
    if not opening:
        return [text], []
    pattern = re.compile(r"(?<=\w\w\w)\.\s+(?=(" + "|".join(map(re.escape, sorted(opening))) + r")\b)")
    parts = pattern.split(text)
    pieces, reasons = [parts[0]], []
    for word, rest in zip(parts[1::2], parts[2::2], strict=True):
        reasons.append(f"split after a full stop before {quoted(word)}, which opens other indicators")
        pieces.append(rest)
    return pieces, reasons


def split_indicators(pieces: list[Piece], opening: set[str]) -> tuple[list[str], list[str]]:
    """The indicators of one cell, and a reason for each split not marked by a separator."""
    runs, reasons = segments(pieces, opening)
    out = []
    for run in runs:
        for part in split_top(bullets_to_separators(join_lines(run)), ";"):
            found, why = sentences(part, opening)
            out += [clean(p) for p in found]
            reasons += why
    return [p for p in out if p], reasons
