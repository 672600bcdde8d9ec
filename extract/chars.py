"""One reader of a page's characters, shared by every table engine.

Engines only decide where the cells are; this module decides which printed characters fall in
a cell and how they form lines, so both engines produce the same text from the same boxes.
"""

from __future__ import annotations

from dataclasses import dataclass

from schema.models import BBox, TextLine


@dataclass(frozen=True, slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def page_chars(raw_chars: list[dict]) -> list[Char]:
    """Convert pdfplumber char dicts into light records, dropping non-printing ones."""
    return [
        Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], float(c.get("size") or 0) or 10.0)
        for c in raw_chars
        if c["text"] and c["x1"] > c["x0"] - 0.01
    ]


def inside(char: Char, box: BBox, pad: float = 0.5) -> bool:
    """A char belongs to the box holding its centre: robust to glyphs touching a rule."""
    return box.x0 - pad <= char.cx <= box.x1 + pad and box.top - pad <= char.cy <= box.bottom + pad


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Group chars into printed lines by vertical centre, top to bottom, left to right."""
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines:
            last = lines[-1]
            ref = sum(c.cy for c in last) / len(last)
            if abs(ch.cy - ref) <= 0.4 * max(ch.size, last[0].size):
                last.append(ch)
                continue
        lines.append([ch])
    return [sorted(line, key=lambda c: c.x0) for line in lines]


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
    )


def lines_in(chars: list[Char]) -> list[TextLine]:
    return [line for group in group_lines(chars) if (line := make_line(group)) is not None]
