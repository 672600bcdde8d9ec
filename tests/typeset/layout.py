"""Producer-independent layout: wrap cell texts, paginate rows, and compute text runs and borders.

Coordinates are PDF points with the origin at the top-left corner of the page and y growing
downwards (a renderer flips them if its library wants the origin at the bottom). The backend passes
in the font metrics as ``measure(text, bold) -> width`` at the style's font size.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .model import MERGED_FIELDS, Row, Style

Measure = Callable[[str, bool], float]

PAGE_SIZES = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0)}
PAD_X = 4.0  # cell padding left and right
PAD_Y = 2.0  # cell padding top and bottom
LEADING = 1.2  # line height as a multiple of the font size
BASELINE = 0.92  # baseline below the top of its line, as a multiple of the font size
RULE = 0.5  # border thickness
THICK_RULE = 1.0  # booktabs' top and bottom rules
SHADE = 0.85  # grey level of shaded header and section rows (0 black, 1 white)
EPS = 1e-6
# "improved^{e}" in a cell's text prints "e" as a footnote marker: small and raised after "improved"
SUPERSCRIPT = re.compile(r"\^\{([^}]*)\}")
SUP_SIZE = 0.6  # a marker's font size, as a multiple of the font size
SUP_RISE = 0.35  # its baseline above the line's, as a multiple of the font size


@dataclass
class TextRun:
    x: float
    y: float  # baseline, from the top of the page
    text: str
    bold: bool = False
    role: str = ""  # the cell's field, or "header", "section", "preamble"
    size: float = 0.0  # font size in points; 0: the layout's font size


@dataclass
class Segment:
    """A border's centre line, horizontal (y0 == y1) or vertical (x0 == x1), drawn `thickness` wide."""

    x0: float
    y0: float
    x1: float
    y1: float
    thickness: float = RULE

    @property
    def horizontal(self) -> bool:
        return self.y0 == self.y1

    def stroke(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the line to stroke: its ends reach half a rule further, so corners close."""
        h = self.thickness / 2
        if self.horizontal:
            return self.x0 - h, self.y0, self.x1 + h, self.y1
        return self.x0, self.y0 - h, self.x1, self.y1 + h

    def box(self) -> tuple[float, float, float, float]:
        """(left, top, width, height) of the same rule drawn as a filled rectangle."""
        h = self.thickness / 2
        return (
            self.x0 - h,
            self.y0 - h,
            self.x1 - self.x0 + self.thickness,
            self.y1 - self.y0 + self.thickness,
        )


@dataclass
class PageLayout:
    runs: list[TextRun] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    fills: list[tuple[float, float, float, float]] = field(default_factory=list)  # grey (left, top, w, h)


@dataclass
class Layout:
    width: float
    height: float
    font_size: float
    pages: list[PageLayout]
    row_pages: list[list[int]]  # for each input Row, the (0-based) pages holding a part of it
    column_edges: list[float]  # x of every column line, left to right (one more than columns)
    fragment_rows: list[int] = field(default_factory=list)  # rows begun at a page's foot without number


# ---------------------------------------------------------------- text wrapping


def break_pieces(text: str) -> list[str]:
    """Cut a paragraph after each break opportunity: after a run of spaces, after a "-" between
    two letters, after a "/" before a letter. Joining the pieces gives the text back."""
    pieces: list[str] = []
    start = i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == " ":
            j = i
            while j < n and text[j] == " ":
                j += 1
            pieces.append(text[start:j])
            start = i = j
            continue
        nxt_letter = i + 1 < n and text[i + 1].isalpha()
        if nxt_letter and (c == "/" or (c == "-" and i > 0 and text[i - 1].isalpha())):
            pieces.append(text[start : i + 1])
            start = i + 1
        i += 1
    if start < n:
        pieces.append(text[start:])
    return pieces


def wrap(paragraphs: list[str], width: float, measure: Measure, bold: bool = False) -> list[str]:
    """Greedy line breaking; each paragraph starts a new line; an over-wide word overflows."""
    lines: list[str] = []
    for para in paragraphs:
        para = para.strip()
        if not para:
            continue
        line: list[str] = []
        line_w = 0.0  # width of the line so far, trailing spaces included
        for piece in break_pieces(para):
            core = piece.rstrip(" ")
            core_w = measure(core, bold)
            if line and line_w + core_w > width + EPS:
                lines.append("".join(line).rstrip(" "))
                line, line_w = [], 0.0
            line.append(piece)
            line_w += core_w + (measure(piece[len(core) :], bold) if len(core) < len(piece) else 0.0)
        lines.append("".join(line).rstrip(" "))
    return lines


def with_superscripts(measure: Measure) -> Measure:
    """Measure text with "^{mark}" markup as printed: each mark at SUP_SIZE, the markup itself unseen."""

    def m(text: str, bold: bool) -> float:
        if "^{" not in text:
            return measure(text, bold)
        marks = SUPERSCRIPT.findall(text)
        return measure(SUPERSCRIPT.sub("", text), bold) + sum(SUP_SIZE * measure(k, bold) for k in marks)

    return m


def cached(measure: Measure) -> Measure:
    cache: dict[tuple[str, bool], float] = {}

    def m(text: str, bold: bool) -> float:
        key = (text, bold)
        if key not in cache:
            cache[key] = measure(text, bold)
        return cache[key]

    return m


# ---------------------------------------------------------------- cell texts


def cell_text(row: Row, name: str, style: Style) -> str:
    """The printed text of a row's cell in column `name`."""
    override = row.cells.get(name)
    if name == "number":
        return style.number_label.format(id=row.activity_id, title=row.activity)
    if name == "activity":
        if "number" in style.fields():
            return row.activity
        return (
            override
            if override is not None
            else style.activity_label.format(id=row.activity_id, title=row.activity)
        )
    if name == "goal":
        return override if override is not None else style.goal_label.format(id=row.goal_id, title=row.goal)
    if name == "objective":
        if override is not None:
            return override
        return style.objective_label.format(id=row.objective_id, title=row.objective)
    return row.cells.get(name, "")


def cell_paragraphs(row: Row, name: str, text: str) -> list[str]:
    paras = row.paragraphs.get(name)
    if paras is None or name == "number":
        return text.split("\n")
    if " ".join(paras) != text:
        raise ValueError(
            f"row {row.activity_id}: paragraphs of {name!r} do not join to the printed text:\n"
            f"  {' '.join(paras)!r}\n  {text!r}"
        )
    return paras


# ---------------------------------------------------------------- pagination


@dataclass
class _Box:
    """A cell's rectangle on a page; an open side gets no border."""

    x0: float
    x1: float
    top: float
    bottom: float
    open_top: bool = False
    open_bottom: bool = False
    kind: str = "cell"  # "header", "section" or "cell"


@dataclass
class _Portion:
    page: int
    top: float
    bottom: float
    cont_prev: bool
    empty: bool = False  # a cell whose text all moved to the next page: drawn, but no line in it


@dataclass
class _Span:
    """A merged goal or objective cell over consecutive rows."""

    col: int
    lines: list[str]
    last: int  # index of the span's last row
    placed: int = 0  # lines placed on earlier pages
    started: bool = False
    portion: _Portion | None = None


@dataclass
class _Unit:
    kind: str  # "section" or "row"
    lines: dict[int, list[str]]  # by column index; a section's text is under key 0
    row: int = -1
    spans: list[_Span] = field(default_factory=list)
    ends: list[_Span] = field(default_factory=list)


class _Engine:
    def __init__(self, rows: list[Row], style: Style, measure: Measure):
        style.validate()
        self.rows, self.style, self.measure = rows, style, cached(with_superscripts(measure))
        w, h = PAGE_SIZES[style.page_size]
        self.width, self.height = (max(w, h), min(w, h)) if style.landscape else (min(w, h), max(w, h))
        self.lh = LEADING * style.font_size
        self.left = style.margins
        self.right = self.width - style.margins
        self.page_top = style.margins
        self.page_bottom = self.height - style.margins
        min_height = 3 * (2 * PAD_Y + self.lh)
        if self.right - self.left < 2 * PAD_X + 1 or self.page_bottom - self.page_top < min_height:
            raise ValueError("margins leave no room for the table")
        rel = [style.width_of(f) for f in style.fields()]
        scale = (self.right - self.left) / sum(rel)
        self.xs = [self.left]
        for r in rel:
            self.xs.append(self.xs[-1] + r * scale)
        self.xs[-1] = self.right
        self.pages: list[PageLayout] = []
        self.boxes: list[list[_Box]] = []
        self.open_spans: list[_Span] = []
        self.row_pages: list[list[int]] = [[] for _ in rows]
        self.fragment_rows: list[int] = []
        self.y = 0.0
        self.body_top = 0.0

    # -- helpers

    def col_width(self, ci: int) -> float:
        return self.xs[ci + 1] - self.xs[ci] - 2 * PAD_X

    def wrap(self, paragraphs: list[str], width: float, bold: bool = False) -> list[str]:
        return wrap(paragraphs, width, self.measure, bold)

    def put_lines(
        self, page: int, x: float, top: float, lines: list[str], role: str, bold: bool = False
    ) -> None:
        runs = self.pages[page].runs
        for i, text in enumerate(lines):
            y = top + PAD_Y + i * self.lh + BASELINE * self.style.font_size
            if "^{" in text:
                runs.extend(self.superscript_runs(x, y, text, bold, role))
            else:
                runs.append(TextRun(x, y, text, bold, role))

    def superscript_runs(self, x: float, y: float, text: str, bold: bool, role: str) -> list[TextRun]:
        """A line with "word^{mark}" markup: each mark a small raised run right after its word."""
        size = self.style.font_size
        out, pos = [], 0
        for m in SUPERSCRIPT.finditer(text):
            if m.start() > pos:
                out.append(TextRun(x, y, text[pos : m.start()], bold, role))
                x += self.measure(text[pos : m.start()], bold)
            out.append(TextRun(x, y - SUP_RISE * size, m.group(1), bold, role, SUP_SIZE * size))
            x += SUP_SIZE * self.measure(m.group(1), bold)
            pos = m.end()
        if pos < len(text):
            out.append(TextRun(x, y, text[pos:], bold, role))
        return out

    @property
    def page(self) -> int:
        return len(self.pages) - 1

    # -- units

    def build_units(self) -> list[_Unit]:
        style, fields = self.style, self.style.fields()
        own = [ci for ci, f in enumerate(fields) if not (style.structure == "merged" and f in MERGED_FIELDS)]
        units: list[_Unit] = []
        open_by_col: dict[int, tuple[tuple, _Span]] = {}
        prev_goal: tuple | None = None
        prev_obj: tuple | None = None
        for ri, row in enumerate(self.rows):
            goal_key = (row.goal_id, row.goal)
            obj_key = (*goal_key, row.objective_id, row.objective)
            if style.structure == "sections":
                full = self.right - self.left - 2 * PAD_X
                if goal_key != prev_goal and (row.goal_id or row.goal):
                    text = style.goal_label.format(id=row.goal_id, title=row.goal)
                    units.append(_Unit("section", {0: self.wrap([text], full)}))
                if obj_key != prev_obj and (row.objective_id or row.objective):
                    text = style.objective_label.format(id=row.objective_id, title=row.objective)
                    units.append(_Unit("section", {0: self.wrap([text], full)}))
            unit = _Unit("row", {}, row=ri)
            for ci in own:
                text = cell_text(row, fields[ci], style)
                unit.lines[ci] = self.wrap(cell_paragraphs(row, fields[ci], text), self.col_width(ci))
            if style.structure == "merged":
                for ci, f in enumerate(fields):
                    if f not in MERGED_FIELDS:
                        continue
                    key = goal_key if f == "goal" else obj_key
                    current = open_by_col.get(ci)
                    if current is None or current[0] != key:
                        text = cell_text(row, f, style)
                        lines = self.wrap(cell_paragraphs(row, f, text), self.col_width(ci))
                        current = (key, _Span(ci, lines, last=ri))
                        open_by_col[ci] = current
                    current[1].last = ri
                    unit.spans.append(current[1])
            units.append(unit)
            prev_goal, prev_obj = goal_key, obj_key
        for unit in units:
            unit.ends = [s for s in unit.spans if s.last == unit.row]
        return units

    # -- pages

    def new_page(self) -> None:
        for span in self.open_spans:
            self.close_portion(span, final=False)
        self.open_spans = []
        self.pages.append(PageLayout())
        self.boxes.append([])
        self.y = self.page_top
        if len(self.pages) == 1 and self.style.preamble:
            width = self.right - self.left
            for text in self.wrap(self.style.preamble, width):
                x = self.left + max(0.0, (width - self.measure(text, False)) / 2)
                self.put_lines(self.page, x, self.y - PAD_Y, [text], "preamble")
                self.y += self.lh
            self.y += self.lh
        if len(self.pages) == 1 or self.style.header_repeat:
            self.place_header()
        self.body_top = self.y

    def place_header(self) -> None:
        cols = [self.wrap([h], self.col_width(ci), bold=True) for ci, (_, h) in enumerate(self.style.columns)]
        h = max(1, *(len(c) for c in cols)) * self.lh + 2 * PAD_Y
        for ci, lines in enumerate(cols):
            self.put_lines(self.page, self.xs[ci] + PAD_X, self.y, lines, "header", bold=True)
            box = _Box(self.xs[ci], self.xs[ci + 1], self.y, self.y + h, kind="header")
            self.boxes[self.page].append(box)
        self.y += h

    def close_portion(self, span: _Span, final: bool) -> None:
        p = span.portion
        assert p is not None
        remaining = len(span.lines) - span.placed
        cap = max(0, math.floor((p.bottom - p.top - 2 * PAD_Y) / self.lh + EPS))
        n = remaining if final else 0 if p.empty else min(remaining, cap)
        lines = span.lines[span.placed : span.placed + n]
        self.put_lines(p.page, self.xs[span.col] + PAD_X, p.top, lines, self.style.fields()[span.col])
        span.placed += n
        ob = self.style.open_breaks
        self.boxes[p.page].append(
            _Box(
                self.xs[span.col],
                self.xs[span.col + 1],
                p.top,
                p.bottom,
                ob and p.cont_prev,
                ob and not final,
            )
        )
        span.portion = None

    def place_section(self, unit: _Unit) -> None:
        lines = unit.lines[0]
        h = max(1, len(lines)) * self.lh + 2 * PAD_Y
        if self.y + h > self.page_bottom + EPS and self.y > self.body_top + EPS:
            self.new_page()
        self.put_lines(self.page, self.left + PAD_X, self.y, lines, "section")
        self.boxes[self.page].append(_Box(self.left, self.right, self.y, self.y + h, kind="section"))
        self.y += h

    def place_row_part(
        self,
        unit: _Unit,
        lines: dict[int, list[str]],
        top: float,
        bottom: float,
        cont_prev: bool,
        cont_next: bool,
        hold_spans: bool = False,
    ) -> None:
        """One page's part of a row; with `hold_spans`, merged cells that start here print no line."""
        ob = self.style.open_breaks
        for ci, col_lines in lines.items():
            self.put_lines(self.page, self.xs[ci] + PAD_X, top, col_lines, self.style.fields()[ci])
            self.boxes[self.page].append(
                _Box(self.xs[ci], self.xs[ci + 1], top, bottom, ob and cont_prev, ob and cont_next)
            )
        for span in unit.spans:
            if span.portion is None:
                span.portion = _Portion(self.page, top, bottom, span.started, hold_spans and not span.started)
                span.started = True
                self.open_spans.append(span)
            span.portion.bottom = bottom
        if self.page not in self.row_pages[unit.row]:
            self.row_pages[unit.row].append(self.page)

    def place_row(self, unit: _Unit) -> None:
        rem = dict(unit.lines)
        first, cont_prev = True, False
        while True:
            top = self.y
            n_own = max((len(v) for v in rem.values()), default=0)
            h = max(n_own, 1 if first else 0) * self.lh + 2 * PAD_Y
            for span in unit.ends:
                span_top = span.portion.top if span.portion else top
                h = max(h, span_top + 2 * PAD_Y + (len(span.lines) - span.placed) * self.lh - top)
            if top + h <= self.page_bottom + EPS:
                self.place_row_part(unit, rem, top, top + h, cont_prev, False)
                self.y = top + h
                for span in unit.ends:
                    self.open_spans.remove(span)
                    self.close_portion(span, final=True)
                return
            avail = self.page_bottom - top
            k = math.floor((avail - 2 * PAD_Y) / self.lh + EPS)
            if k < 1 and top > self.body_top + EPS:
                self.new_page()
                continue
            k = max(k, 1)
            held, hold_spans = set(), False
            if first and self.style.split_rows == "fragment" and top > self.body_top + EPS:
                held, hold_spans = self.fragment_held(unit)
                if not any(v[:k] for ci, v in rem.items() if ci not in held):
                    self.new_page()  # nothing of the row would print at the foot: move it whole
                    continue
            part = {ci: [] if ci in held else v[:k] for ci, v in rem.items()}
            if held:
                self.fragment_rows.append(unit.row)
            self.place_row_part(unit, part, top, self.page_bottom, cont_prev, True, hold_spans)
            rem = {ci: v if ci in held else v[k:] for ci, v in rem.items()}
            self.y = self.page_bottom
            self.new_page()
            first, cont_prev = False, True

    def fragment_held(self, unit: _Unit) -> tuple[set[int], bool]:
        """Split "fragment": the columns that print nothing at the page's foot, and whether merged
        cells starting with the row do so too. Always the number and activity columns, as a browser
        moves a short cell whole; which others, varied by row: none, all but the agencies, all but
        the timeline, the responsible agency."""
        fields = self.style.fields()
        variant = unit.row % 4
        also = [set(), {"indicator", "timeline"}, set(fields) - {"timeline"}, {"responsible"}][variant]
        held = {ci for ci, f in enumerate(fields) if f in {"number", "activity", *also}}
        return held, variant % 2 == 0

    def run(self) -> Layout:
        units = self.build_units()
        self.new_page()
        for unit in units:
            if unit.kind == "section":
                self.place_section(unit)
            else:
                self.place_row(unit)
        for span in self.open_spans:  # defensive: every span closes with its last row
            self.close_portion(span, final=True)
        for page, boxes in zip(self.pages, self.boxes, strict=True):
            page.segments = rules(boxes, self.style.rules)
            if self.style.rules == "shaded":
                page.fills = shades(boxes)
        return Layout(self.width, self.height, self.style.font_size, self.pages, self.row_pages, self.xs)


# ---------------------------------------------------------------- borders


def _merge(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + EPS:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def borders(boxes: list[_Box]) -> list[Segment]:
    """Every cell's sides, less the open ones, merged into maximal collinear segments."""
    hs: dict[float, list[tuple[float, float]]] = {}
    vs: dict[float, list[tuple[float, float]]] = {}
    for b in boxes:
        for x in (b.x0, b.x1):
            vs.setdefault(round(x, 4), []).append((b.top, b.bottom))
        if not b.open_top:
            hs.setdefault(round(b.top, 4), []).append((b.x0, b.x1))
        if not b.open_bottom:
            hs.setdefault(round(b.bottom, 4), []).append((b.x0, b.x1))
    segs = [Segment(a, y, b, y) for y, iv in sorted(hs.items()) for a, b in _merge(iv)]
    segs += [Segment(x, a, x, b) for x, iv in sorted(vs.items()) for a, b in _merge(iv)]
    return segs


def rules(boxes: list[_Box], kind: str) -> list[Segment]:
    """The rules a style prints around the page's cell boxes (see Style.rules)."""
    if kind == "grid":
        return borders(boxes)
    if kind == "horizontal":
        return [s for s in borders(boxes) if s.horizontal]
    if kind == "shaded" or not boxes:
        return []
    left, right = min(b.x0 for b in boxes), max(b.x1 for b in boxes)
    top, bottom = min(b.top for b in boxes), max(b.bottom for b in boxes)
    segs = [Segment(left, top, right, top, THICK_RULE), Segment(left, bottom, right, bottom, THICK_RULE)]
    header = [b.bottom for b in boxes if b.kind == "header"]
    if header:
        segs.insert(1, Segment(left, max(header), right, max(header)))
    return segs


def shades(boxes: list[_Box]) -> list[tuple[float, float, float, float]]:
    """One grey rectangle per header row and per section row: (left, top, width, height)."""
    rows: dict[tuple[float, float], list[_Box]] = {}
    for b in boxes:
        if b.kind != "cell":
            rows.setdefault((b.top, b.bottom), []).append(b)
    out = []
    for (top, bottom), bs in sorted(rows.items()):
        left, right = min(b.x0 for b in bs), max(b.x1 for b in bs)
        out.append((left, top, right - left, bottom - top))
    return out


def layout(rows: list[Row], style: Style, measure: Measure) -> Layout:
    """Lay the rows out as a ruled table on as many pages as they need."""
    engine = _Engine(rows, style, measure)
    out = engine.run()
    out.fragment_rows = engine.fragment_rows
    return out
