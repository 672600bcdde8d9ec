"""Cells of ruled tables from their rulings: pdfplumber's lattice step, restated.

The pdfium engine needs only the last step of pdfplumber's table finder (rulings -> snapped and
joined edges -> intersections -> cells -> tables), but importing pdfplumber loads pdfminer's
whole parser, about a tenth of a `nap extract` run on a short plan. This module restates that
step, with the "lines" strategy and explicit lines given as coordinates, for `Settings` below.
It must give exactly the cells pdfplumber gives, in the same order, float for float:
`tests/test_lattice.py` compares it with `pdfplumber.table.TableFinder` on random rulings, and
the pdfplumber engine (which runs pdfplumber itself) must agree with the pdfium engine on every
output. Each step names the pdfplumber function it restates (pdfplumber 0.11, MIT licence).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass(frozen=True)
class Settings:
    """pdfplumber's TableSettings that this step reads (pdfplumber's defaults where not set)."""

    snap: float = 3  # snap_tolerance (x and y)
    join: float = 3  # join_tolerance (x and y)
    intersection: float = 3  # intersection_tolerance (x and y)
    min_length: float = 3  # edge_min_length, after merging
    min_length_prefilter: float = 1  # edge_min_length_prefilter, before merging

    @classmethod
    def from_pdfplumber(cls, table_settings: dict) -> Settings:
        """The same settings as pdfplumber's dict form; a key this step does not restate is an
        error, so the two engines cannot silently drift apart when the dict gains a setting."""
        names = {
            "snap_tolerance": "snap",
            "join_tolerance": "join",
            "intersection_tolerance": "intersection",
            "edge_min_length": "min_length",
            "edge_min_length_prefilter": "min_length_prefilter",
        }
        lines = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
        unsupported = [k for k, v in table_settings.items() if k not in names and lines.get(k) != v]
        if unsupported:
            raise ValueError(f"extract.lattice does not restate pdfplumber's {', '.join(unsupported)}")
        return cls(**{names[k]: v for k, v in table_settings.items() if k in names})


class Edge:
    """A horizontal or vertical ruling; `length` is pdfplumber's width (h) or height (v), kept
    the way pdfplumber updates it, so filters see the same floats."""

    __slots__ = ("h", "x0", "top", "x1", "bottom", "length")

    def __init__(self, h: bool, x0: float, top: float, x1: float, bottom: float, length: float):
        self.h, self.x0, self.top, self.x1, self.bottom, self.length = h, x0, top, x1, bottom, length

    @property
    def box(self) -> Box:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def position(self) -> float:
        """The coordinate across the ruling: its top if horizontal, its x0 if vertical."""
        return self.top if self.h else self.x0


def edge(record: dict) -> Edge:
    """An Edge from a pdfplumber edge record, its length the record's own width or height."""
    h = record["orientation"] == "h"
    return Edge(h, record["x0"], record["top"], record["x1"], record["bottom"],
                record["width"] if h else record["height"])  # fmt: skip


def find_tables(
    edges: Iterable[dict],
    page_box: Box,
    settings: Settings,
    explicit_horizontal: Iterable[float] = (),
    explicit_vertical: Iterable[float] = (),
) -> list[list[Box]]:
    """Each table's cell boxes, as pdfplumber's `TableFinder(page, settings).tables[i].cells`.

    `edges` are pdfplumber edge records (orientation, x0, top, x1, bottom, width, height).
    """
    x0, top, x1, bottom = page_box
    ruled = [edge(e) for e in edges]
    v = [e for e in ruled if not e.h and e.length >= settings.min_length_prefilter]
    v += [Edge(False, x, top, x, bottom, bottom - top) for x in explicit_vertical]
    h = [e for e in ruled if e.h and e.length >= settings.min_length_prefilter]
    h += [Edge(True, x0, y, x1, y, x1 - x0) for y in explicit_horizontal]
    merged = [e for e in merge(v + h, settings) if e.length >= settings.min_length]
    return cells_to_tables(intersections_to_cells(intersections(merged, settings.intersection)))


def cluster(values: Iterable[float], tolerance: float) -> dict[float, int]:
    """Each distinct value's cluster index; a value within `tolerance` of the previous (sorted)
    one joins its cluster (pdfplumber's `make_cluster_dict`)."""
    index: dict[float, int] = {}
    last = None
    k = -1
    for x in sorted(set(values)):
        if last is None or tolerance == 0 or x > last + tolerance:
            k += 1
        index[x] = k
        last = x
    return index


def snap(edges: list[Edge], tolerance: float) -> list[Edge]:
    """Move edges of one orientation whose positions cluster onto the cluster's mean position
    (pdfplumber's `snap_objects`): cluster by cluster, each in its input order."""
    which = cluster((e.position for e in edges), tolerance)
    ordered = sorted(edges, key=lambda e: which[e.position])
    out: list[Edge] = []
    for _, group in groupby(ordered, key=lambda e: which[e.position]):
        members = list(group)
        mean = sum(e.position for e in members) / len(members)
        for e in members:
            d = mean - e.position
            if e.h:
                out.append(Edge(True, e.x0, e.top + d, e.x1, e.bottom + d, e.length))
            else:
                out.append(Edge(False, e.x0 + d, e.top, e.x1 + d, e.bottom, e.length))
    return out


def join(edges: list[Edge], tolerance: float) -> list[Edge]:
    """Join edges on one line that overlap or lie within `tolerance` (pdfplumber's `join_edge_group`)."""
    ordered = sorted(edges, key=(lambda e: e.x0) if edges[0].h else (lambda e: e.top))
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if e.h and e.x0 <= last.x1 + tolerance:
            if e.x1 > last.x1:  # pdfplumber's resize_object: width = new x1 - x0
                joined[-1] = Edge(True, last.x0, last.top, e.x1, last.bottom, e.x1 - last.x0)
        elif not e.h and e.top <= last.bottom + tolerance:
            if e.bottom > last.bottom:  # pdfplumber's resize_object: height += change of bottom
                grown = last.length + (e.bottom - last.bottom)
                joined[-1] = Edge(False, last.x0, last.top, last.x1, e.bottom, grown)
        else:
            joined.append(e)
    return joined


def merge(edges: list[Edge], settings: Settings) -> list[Edge]:
    """Snap, then join each line's edges: horizontal lines top to bottom, then vertical ones left
    to right (pdfplumber's `merge_edges`)."""
    if settings.snap > 0:
        vertical, horizontal = [e for e in edges if not e.h], [e for e in edges if e.h]
        edges = snap(vertical, settings.snap) + snap(horizontal, settings.snap)
    line = lambda e: (not e.h, e.position)  # noqa: E731  ("h" sorts before "v")
    return [joined for _, group in groupby(sorted(edges, key=line), key=line)
            for joined in join(list(group), settings.join)]  # fmt: skip


Point = tuple[float, float]


def intersections(edges: list[Edge], tolerance: float) -> dict[Point, tuple[set[Box], set[Box]]]:
    """Where a vertical and a horizontal edge cross or nearly meet: the point, with the boxes of
    the vertical and the horizontal edges through it (pdfplumber's `edges_to_intersections`)."""
    found: dict[Point, tuple[set[Box], set[Box]]] = {}
    vs = sorted((e for e in edges if not e.h), key=lambda e: (e.x0, e.top))
    hs = sorted((e for e in edges if e.h), key=lambda e: (e.top, e.x0))
    for v in vs:
        for h in hs:
            if (
                v.top <= h.top + tolerance
                and v.bottom >= h.top - tolerance
                and v.x0 >= h.x0 - tolerance
                and v.x0 <= h.x1 + tolerance
            ):
                through_v, through_h = found.setdefault((v.x0, h.top), (set(), set()))
                through_v.add(v.box)
                through_h.add(h.box)
    return found


def intersections_to_cells(points: dict[Point, tuple[set[Box], set[Box]]]) -> list[Box]:
    """For each intersection, the smallest rectangle it tops-left whose four sides are ruled
    (pdfplumber's `intersections_to_cells`)."""

    def connects(p1: Point, p2: Point) -> bool:
        if p1[0] == p2[0] and points[p1][0] & points[p2][0]:
            return True
        return p1[1] == p2[1] and bool(points[p1][1] & points[p2][1])

    ordered = sorted(points)
    below: dict[float, list[Point]] = {}  # points of each x, by y
    right: dict[float, list[Point]] = {}  # points of each y, by x
    for p in ordered:
        below.setdefault(p[0], []).append(p)
    for p in sorted(ordered, key=lambda p: (p[1], p[0])):
        right.setdefault(p[1], []).append(p)
    cells = []
    for pt in ordered[:-1]:
        cell = smallest_cell(pt, [b for b in below[pt[0]] if b[1] > pt[1]],
                             [r for r in right[pt[1]] if r[0] > pt[0]], points, connects)  # fmt: skip
        if cell:
            cells.append(cell)
    return cells


def smallest_cell(pt: Point, below: list[Point], right: list[Point], points, connects) -> Box | None:
    for b in below:
        if not connects(pt, b):
            continue
        for r in right:
            if not connects(pt, r):
                continue
            corner = (r[0], b[1])
            if corner in points and connects(corner, r) and connects(corner, b):
                return (pt[0], pt[1], corner[0], corner[1])
    return None


def cells_to_tables(cells: list[Box]) -> list[list[Box]]:
    """Group cells that share corners into tables, top-left first; single cells are not tables
    (pdfplumber's `cells_to_tables`, whose pass-by-pass order the cell lists keep)."""
    remaining = list(cells)
    tables: list[list[Box]] = []
    current: list[Box] = []
    corners: set[Point] = set()
    while remaining:
        before = len(current)
        kept = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            mine = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in mine):
                corners.update(mine)
                current.append(cell)
            else:
                kept.append(cell)
        remaining = kept
        if len(current) == before:
            tables.append(current)
            current, corners = [], set()
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]
