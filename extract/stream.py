"""Cell boxes of a lightly ruled table: columns from the header and the text's alignment.

Where the ruled engine finds no table of three columns or more (only horizontal rules, the
"booktabs" look, shaded header and section rows), this engine builds the cell boxes itself,
as camelot's stream and pdfplumber's "text" strategies do, with two differences:

- Columns come from the header's cells (their words clustered by position), each separator put
  where the body's text leaves the widest gap between two header cells. A page without a header
  (printed once) keeps the separators of the last header seen, so this engine keeps state.
- Rows come from the horizontal rules when rules part the rows; otherwise each band of text
  lines is a grid row of its own, and `normalize/` groups bands into rows where an activity
  number or a heading starts (the numbering knowledge is there, not here). A band whose text
  crosses a column gap (a goal or objective heading) is one full-width cell.

Filled rectangles count as rules: their top and bottom sides bound a shaded row.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from extract.char import Char
from extract.chars import line_indices, word_anchors
from schema.models import BBox

MIN_RULE = 30.0  # points: a shorter horizontal edge is no table rule (underlines, glyph strokes)
RULE_SNAP = 2.0  # points: edges this close are one rule (a thin filled rectangle's two sides)
WORD_GAP = 0.45  # x font size: words closer than this on a line belong to one cell
CROSS = 0.5  # x font size: a phrase reaching this far past a separator on both sides crosses it
CONTIGUOUS = 1.5  # x font size: text further than this above or below the rules is not the table's
MIN_COLUMNS = 3


@dataclass
class Line:
    """A printed line across the page: its vertical extent and its phrases (x0, x1)."""

    top: float
    bottom: float
    size: float
    phrases: list[tuple[float, float]]
    text: str
    words: list[tuple[float, float]] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return self.phrases[0][0]

    @property
    def x1(self) -> float:
        return max(p[1] for p in self.phrases)

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Rule:
    y: float
    spans: list[tuple[float, float]]  # x intervals the rule covers

    def covers(self, x0: float, x1: float) -> bool:
        """Does the rule run across most of [x0, x1]?"""
        inside = sum(max(0.0, min(b, x1) - max(a, x0)) for a, b in self.spans)
        return inside >= 0.5 * (x1 - x0)


@dataclass
class StreamState:
    """What a page without a header takes from the last page with one."""

    separators: list[float] = field(default_factory=list)  # left edge, inner separators, right edge
    header: list[str] = field(default_factory=list)  # the header's line texts


def words_of(chars: list[Char], line: list[int], anchors: list[int]) -> list[tuple[float, float]]:
    """The x extent of each word of a line (a word runs from its first char to its last)."""
    extent: dict[int, list[float]] = {}
    for i in line:
        if chars[i].text.isspace():
            continue
        a = anchors[i]
        lo, hi = extent.get(a, (chars[i].x0, chars[i].x1))
        extent[a] = [min(lo, chars[i].x0), max(hi, chars[i].x1)]
    return sorted((lo, hi) for lo, hi in extent.values())


def phrases_of(words: list[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Words chained by gaps no wider than `gap` (a word space), as x intervals."""
    out: list[tuple[float, float]] = []
    for x0, x1 in words:
        if out and x0 - out[-1][1] <= gap:
            out[-1] = (out[-1][0], max(out[-1][1], x1))
        else:
            out.append((x0, x1))
    return out


def page_lines(chars: list[Char]) -> list[Line]:
    anchors = word_anchors(chars, [])
    lines = []
    for idx in line_indices(chars):
        ink = [chars[i] for i in idx if not chars[i].text.isspace()]
        if not ink:
            continue
        size = max(c.size for c in ink)
        words = words_of(chars, idx, anchors)
        text = "".join(chars[i].text for i in idx)
        top, bottom = min(c.top for c in ink), max(c.bottom for c in ink)
        lines.append(Line(top, bottom, size, phrases_of(words, WORD_GAP * size), text, words))
    return lines


def horizontal_rules(edges: list[dict]) -> list[Rule]:
    """Long horizontal edges, those within RULE_SNAP of each other taken as one rule."""
    hs = sorted(
        (e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] >= MIN_RULE),
        key=lambda e: e["top"],
    )
    groups: list[list[dict]] = []
    for e in hs:
        if groups and e["top"] - groups[-1][-1]["top"] <= RULE_SNAP:
            groups[-1].append(e)
        else:
            groups.append([e])
    rules = []
    for g in groups:
        spans = phrases_of(sorted((e["x0"], e["x1"]) for e in g), RULE_SNAP)
        rules.append(Rule(sum(e["top"] for e in g) / len(g), spans))
    return rules


def header_cells(lines: list[Line]) -> list[tuple[float, float]]:
    """The header's cells: its phrases merged where they overlap across its lines."""
    return phrases_of(sorted(p for ln in lines for p in ln.phrases), 0.0)


def separator(lo: float, hi: float, body: list[Line], margin: float) -> float:
    """Where between two header cells the body's text leaves the least, widest room: `margin`
    before the right end of that room, where the next column's (left-aligned) text starts, since
    the text of the column on the left reaches further right on other pages."""
    spans = [(max(a, lo), min(b, hi)) for ln in body for a, b in ln.phrases if a < hi and b > lo]
    points = sorted({lo, hi, *(x for s in spans for x in s)})
    best: tuple[int, float, float] | None = None
    for a, b in zip(points, points[1:], strict=False):
        mid = (a + b) / 2
        covered = sum(1 for s0, s1 in spans if s0 < mid < s1)
        key = (covered, -(b - a), max(mid, b - margin))
        if best is None or key < best:
            best = key
    return best[2] if best else (lo + hi) / 2


def separators(header: list[Line], body: list[Line], left: float, right: float) -> list[float]:
    """The column edges. Only the columns' own text places them: a phrase reaching over two header
    cells (a full-width heading) would fill the gap between them and leave no room to see."""
    cells = header_cells(header)
    margin = CROSS * max(ln.size for ln in header)
    own = [
        dataclasses.replace(ln, phrases=kept)
        for ln in body
        if (kept := [(a, b) for a, b in ln.phrases if sum(a < x1 and b > x0 for x0, x1 in cells) < 2])
    ]
    inner = [separator(a[1], b[0], own, margin) for a, b in zip(cells, cells[1:], strict=False)]
    return [min(left, cells[0][0]), *inner, max(right, cells[-1][1])] if cells else []


def crosses(line: Line, seps: list[float]) -> bool:
    """Does a phrase of the line run across an inner column separator (a full-width row)?"""
    reach = CROSS * line.size
    return any(a < s - reach and b > s + reach for a, b in line.phrases for s in seps[1:-1])


def columns_used(line: Line, seps: list[float]) -> set[int]:
    return {max(0, min(len(seps) - 2, sum(1 for s in seps[1:-1] if s <= a))) for a, _ in line.phrases}


def table_lines(
    lines: list[Line], rules: list[Rule], left: float, right: float, continued: bool
) -> list[Line]:
    """The lines of the table: inside its width, between its first and last rule, and the text
    running on without a gap above (on a continuation page) or below them."""
    inside = [ln for ln in lines if ln.x0 >= left - 2 and ln.x1 <= right + 2]
    if not inside:
        return []
    if rules:
        top, bottom = rules[0].y, rules[-1].y
    elif continued:
        top = bottom = inside[0].top
    else:
        return []
    core = [ln for ln in inside if top <= ln.mid <= bottom]
    above = [ln for ln in inside if ln.mid < top]
    below = [ln for ln in inside if ln.mid > bottom]
    keep_above: list[Line] = []
    edge = top
    for ln in reversed(above) if continued or not rules else []:
        if edge - ln.bottom > CONTIGUOUS * ln.size:
            break
        keep_above.insert(0, ln)
        edge = ln.top
    keep_below: list[Line] = []
    edge = bottom
    for ln in below:
        if ln.top - edge > CONTIGUOUS * ln.size and (keep_below or core or keep_above):
            break
        keep_below.append(ln)
        edge = ln.bottom
    return keep_above + core + keep_below


def bands(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped where they overlap vertically (cells whose lines are not quite level), by more
    than a quarter of a line: a merged column's text runs on at its own pitch, and its line may
    graze the next row's first line by a point."""
    out: list[list[Line]] = []
    for ln in lines:
        if out and ln.top < max(p.bottom for p in out[-1]) - max(0.5, 0.25 * (ln.bottom - ln.top)):
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


class StreamTables:
    """Cell boxes of each page's lightly ruled table, pages visited in order."""

    def __init__(self, state: StreamState | None = None) -> None:
        self.state = state
        self.first = state  # the first header's: pages printed before it are read again with it

    def page_boxes(self, chars: list[Char], edges: list[dict]) -> tuple[list[BBox], bool]:
        """The page's cell boxes (none when it holds no such table), and whether its grid rows are
        bands of text lines rather than rows parted by rules."""
        lines = page_lines(chars)
        rules = horizontal_rules(edges)
        if rules:
            width = max(b - a for r in rules for a, b in r.spans)
            rules = [r for r in rules if max(b - a for a, b in r.spans) >= 0.3 * width]
        if rules:  # rules across some columns only (merged cells running on) need the last header's width
            known = self.state.separators if self.state else []
            left = min(a for r in rules for a, _ in r.spans)
            right = max(b for r in rules for _, b in r.spans)
            left, right = min([left, *known[:1]]), max([right, *known[-1:]])
        elif self.state:
            left, right = self.state.separators[0], self.state.separators[-1]
        else:
            return [], False
        body = table_lines(lines, rules, left, right, continued=self.state is not None)
        above = header_above([ln for ln in lines if ln.x0 >= left - 2 and ln.x1 <= right + 2], rules)
        if above and (self.state is None or [ln.text for ln in above] == self.state.header):
            body = above + [ln for ln in body if ln.top >= above[-1].bottom - 0.5]
            head, seps = above, separators(above, body[len(above) :], left, right)
        elif body:
            head, seps = self.header(body, rules, left, right)
        else:
            return [], False
        if len(seps) < MIN_COLUMNS + 1:
            return [], False
        if head:
            self.state = StreamState(seps, [ln.text for ln in head])
            self.first = self.first or self.state
        top = min(rules[0].y, body[0].top - 1) if rules else body[0].top - 1
        return boxes_for(head, body[len(head) :], rules, seps, top)

    def header(
        self, lines: list[Line], rules: list[Rule], left: float, right: float
    ) -> tuple[list[Line], list[float]]:
        """The header's lines (those above the first rule under the table's top rule) and the
        separators; a page whose top is no header keeps the last separators."""
        below_top = [r for r in rules if r.y > lines[0].top]
        if rules and rules[0].y <= lines[0].top and below_top:
            head = [ln for ln in lines if ln.mid < below_top[0].y]
            texts = [ln.text for ln in head]
            if head and (self.state is None or texts == self.state.header):
                body = lines[len(head) :]
                return head, separators(head, body, left, right)
        return [], list(self.state.separators) if self.state else []


def header_above(lines: list[Line], rules: list[Rule]) -> list[Line]:
    """The lines printed right above the first rule, when they read as a header (the rule under
    a header with no rule over it): contiguous, in three cells or more, up to a line that would
    merge its cells (a centred title above it)."""
    if not rules:
        return []
    head: list[Line] = []
    edge = rules[0].y
    for ln in reversed([ln for ln in lines if ln.bottom <= rules[0].y + 0.5]):
        if edge - ln.bottom > CONTIGUOUS * ln.size:
            break
        if head and len(header_cells([ln, *head])) < len(header_cells(head)):
            break
        head.insert(0, ln)
        edge = ln.top
    return head if len(header_cells(head)) >= MIN_COLUMNS else []


def boxes_for(
    head: list[Line], body: list[Line], rules: list[Rule], seps: list[float], top: float
) -> tuple[list[BBox], bool]:
    """One row of boxes for the header, then a row per ruled region or per text band (and which)."""
    ys = [r.y for r in rules]
    out: list[BBox] = []
    cols = list(zip(seps, seps[1:], strict=False))
    if head:
        bottom = next((y for y in ys if y > head[-1].bottom - 0.5), head[-1].bottom + 1)
        out += [BBox(x0=a, top=top, x1=b, bottom=bottom) for a, b in cols]
        top = bottom
    if not body:
        return out, False
    end = max(max(ln.bottom for ln in body) + 1, max((y for y in ys if y >= top), default=top))
    row_rules = [r for r in rules if top + 0.5 < r.y < end - 0.5 and r.covers(*cols[-1])]
    ruled = regions(body, row_rules)
    banded = not ruled_rows(ruled, seps)
    groups = merge_heading_bands(bands(body), seps, ys) if banded else ruled
    cuts = [top]
    for prev, nxt in zip(groups, groups[1:], strict=False):
        lo, hi = max(ln.bottom for ln in prev), min(ln.top for ln in nxt)
        if not banded:  # a merged column's line may straddle the rule: the line centres are apart
            lo, hi = max(ln.mid for ln in prev), min(ln.mid for ln in nxt)
        between = [r.y for r in row_rules if lo - 0.5 <= r.y <= hi + 0.5]
        cuts.append(between[-1] if between else (lo + hi) / 2)
    cuts.append(end)
    for group, (y0, y1) in zip(groups, zip(cuts, cuts[1:], strict=False), strict=True):
        if any(crosses(ln, seps) for ln in group):
            out.append(BBox(x0=seps[0], top=y0, x1=seps[-1], bottom=y1))
        else:
            out += [BBox(x0=a, top=y0, x1=b, bottom=y1) for a, b in cols]
    return merge_spans(out, rules, cols), banded


def merge_heading_bands(
    groups: list[list[Line]], seps: list[float], rule_ys: list[float]
) -> list[list[Line]]:
    """A band in one column that starts where a full-width band above it starts, a line below
    it, is the rest of that heading (a wrapped heading's short last line): not when a rule runs
    between them, nor when its first word would have fitted on the line above (a heading that
    ends short, and a one-line heading of its own below it, such as an objective under its goal)."""
    out: list[list[Line]] = []
    for group in groups:
        if out and any(crosses(ln, seps) for ln in out[-1]) and len(group) == 1:
            prev, ln = out[-1][-1], group[0]
            one_column = len(columns_used(ln, seps)) == 1 and not crosses(ln, seps)
            close = ln.top - prev.bottom <= 0.6 * ln.size
            ruled = any(prev.bottom - 0.5 < y < ln.top + 0.5 for y in rule_ys)
            aligned = abs(ln.x0 - out[-1][0].x0) <= 1.0
            if one_column and aligned and close and not ruled and wrapped(prev, ln, seps):
                out[-1].append(ln)
                continue
        out.append(group)
    return out


def wrapped(prev: Line, ln: Line, seps: list[float]) -> bool:
    """Could `ln` be the run-on of a full-width `prev`: does its first word not fit in the room
    left at the end of `prev` (the cell's right edge less the padding seen on its left)?"""
    if not ln.words:
        return True
    pad = max(0.0, prev.x0 - seps[0])
    room = seps[-1] - pad - prev.x1
    return room < ln.words[0][1] - ln.words[0][0] + ln.size


def ruled_rows(regions: list[list[Line]], seps: list[float]) -> bool:
    """Do rules part the rows? Yes when two neighbouring regions between rules both hold row text,
    not a heading: a heading crosses the column gaps, or is one line in the first column, where it
    starts. (A row may print in one column only: its first lines at a page's foot, or its last ones
    at the next page's top.)"""

    def columnar(lines: list[Line]) -> bool:
        used = set().union(*(columns_used(ln, seps) for ln in lines))
        return (bool(used - {0}) or len(lines) > 1) and not any(crosses(ln, seps) for ln in lines)

    return any(columnar(a) and columnar(b) for a, b in zip(regions, regions[1:], strict=False))


def regions(body: list[Line], row_rules: list[Rule]) -> list[list[Line]]:
    """The body's lines grouped between consecutive rules."""
    out: dict[int, list[Line]] = {}
    for ln in body:
        key = sum(1 for r in row_rules if r.y < ln.mid)
        out.setdefault(key, []).append(ln)
    return list(out.values())


def merge_spans(boxes: list[BBox], rules: list[Rule], cols: list[tuple[float, float]]) -> list[BBox]:
    """Join a column's boxes down where no rule crosses that column between them (merged goal and
    objective cells of a table ruled between rows): the ruled engine's merged cells."""
    by_col: dict[tuple[float, float], list[BBox]] = {}
    out: list[BBox] = []
    for b in boxes:
        if (b.x0, b.x1) in cols:
            by_col.setdefault((b.x0, b.x1), []).append(b)
        else:
            out.append(b)
    for (x0, x1), col in by_col.items():
        col.sort(key=lambda b: b.top)
        merged = [col[0]]
        for b in col[1:]:
            last = merged[-1]
            ruled = any(abs(r.y - b.top) <= RULE_SNAP and r.covers(x0, x1) for r in rules)
            at_rule = any(abs(r.y - b.top) <= RULE_SNAP for r in rules)  # a row rule, not a band's edge
            if abs(last.bottom - b.top) <= 0.01 and at_rule and not ruled:
                merged[-1] = BBox(x0=x0, top=last.top, x1=x1, bottom=b.bottom)
            else:
                merged.append(b)
        out += merged
    return sorted(out, key=lambda b: (b.top, b.x0))
