"""How a page's characters fall into cells and form lines, shared by every table engine.

Engines only decide where the cells are; this module decides which printed characters fall in
a cell and how they form lines, so all engines produce the same text from the same boxes.
"""

from __future__ import annotations

from extract.char import Char
from extract.superscripts import split_markers
from schema.models import TextLine


def line_indices(chars: list[Char]) -> list[list[int]]:
    """Indices of chars grouped into printed lines by vertical centre, top to bottom, left to right.

    A char joins the line being built when its centre is within 0.4 x the larger of its size and
    the line's first size from the mean centre of the line's chars so far.
    """
    lines: list[list[int]] = []
    line: list[int] = []
    total = first_size = 0.0  # sum of the centres of the line being built (for its mean), its first size
    for i in sorted(range(len(chars)), key=[(c.cy, c.x0) for c in chars].__getitem__):
        ch = chars[i]
        cy, size = ch.cy, ch.size
        if line and abs(cy - total / len(line)) <= 0.4 * (size if size > first_size else first_size):
            line.append(i)
            total += cy
            continue
        line = [i]
        lines.append(line)
        total, first_size = cy, size
    x0 = [c.x0 for c in chars]
    return [sorted(line, key=x0.__getitem__) for line in lines]


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Chars grouped into printed lines, top to bottom, left to right."""
    return [[chars[i] for i in line] for line in line_indices(chars)]


def splits_word(first: Char, prev: Char, ch: Char, edges: list[float]) -> bool:
    """Does a new word start at `ch`? At a visible gap, or at any whitespace once the word has
    crossed a cell edge (an overflowing word followed closely by the next cell's text)."""
    gap = ch.x0 - prev.x1
    return gap > 0.2 * ch.size or (gap > 0.3 and any(first.cx < e < ch.cx for e in edges))


def word_anchors(chars: list[Char], edges: list[float]) -> list[int]:
    """For each char, the index of the first char of its word.

    A word belongs to the cell it starts in: a long word that overflows its narrow column
    ("Developmen|t") must not lose its tail to the neighbouring cell.
    """
    anchor = list(range(len(chars)))
    for line in line_indices(chars):
        start: int | None = None  # first char of the word being read, None after a space
        for prev, i in zip([None, *line], line, strict=False):
            if chars[i].text.isspace():
                start = None
            elif start is not None and not splits_word(chars[start], chars[prev], chars[i], edges):
                anchor[i] = start
            else:
                start = i
    return anchor


def line_text(chars: list[Char]) -> str:
    """Spell a line, inserting a space where a gap is wider than a fifth of the font size."""
    out: list[str] = []
    prev: Char | None = None
    for ch in chars:
        gap = prev is not None and not ch.text.isspace() and ch.x0 - prev.x1 > 0.2 * ch.size
        if gap and out and not out[-1].isspace():
            out.append(" ")
        out.append(ch.text)
        prev = ch
    return " ".join("".join(out).split())


def make_line(chars: list[Char]) -> TextLine | None:
    """The line's text and geometry; footnote markers printed after a word are kept apart."""
    chars, markers = split_markers(chars)
    ink = [c for c in chars if not c.text.isspace()]
    text = line_text(chars)
    if not ink or not text:
        return None
    first_word = []
    for ch in chars:
        if ch.text.isspace() and first_word:
            break
        if not ch.text.isspace():
            if first_word and ch.x0 - first_word[-1].x1 > 0.2 * ch.size:
                break
            first_word.append(ch)
    return TextLine(
        text=text,
        x0=round(min(c.x0 for c in ink), 2),
        x1=round(max(c.x1 for c in ink), 2),
        top=round(min(c.top for c in ink), 2),
        bottom=round(max(c.bottom for c in ink), 2),
        first_word_width=round(first_word[-1].x1 - first_word[0].x0, 2),
        markers=markers,
    )


def lines_in(chars: list[Char]) -> list[TextLine]:
    return [line for group in group_lines(chars) if (line := make_line(group)) is not None]


def printed_lines(chars: list[Char]) -> list[str]:
    """The text of each line as printed, footnote markers left in place: text outside a table is
    kept or reviewed verbatim, so nothing printed there is dropped."""
    return [text for group in group_lines(chars) if (text := line_text(group))]
