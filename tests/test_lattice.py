"""extract.lattice restates pdfplumber's lattice step: it must give pdfplumber's cells exactly.

Compared with `pdfplumber.table.TableFinder` itself, on random rulings built to exercise every
branch (snapping, joining, near misses at the intersection tolerance, short edges filtered out
before and after merging, explicit frame lines, several tables on a page) and on every page of
the shipped PDF.
"""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from documents import SHIPPED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfplumber.table import TableFinder, merge_edges

from extract.engines.pdfium import LATTICE, lattice_tables
from extract.lattice import Settings, cluster, edge, find_tables, merge
from extract.pdfium_reader import page_edges
from extract.rulings import SETTINGS, frame_lines

PDF = SHIPPED.pdf
WIDTH, HEIGHT = 600.0, 400.0


class EdgePage:
    """What TableFinder asks of a page: its edges and its box."""

    def __init__(self, edges: list[dict], width: float, height: float):
        self.edges = edges
        self.bbox = (0.0, 0.0, width, height)


def plumber_cells(edges, width, height, table_settings) -> list[list[tuple]]:
    finder = TableFinder(EdgePage(edges, width, height), table_settings)
    return [list(t.cells) for t in finder.tables]


def h_edge(x0: float, x1: float, y: float, width: float | None = None) -> dict:
    """A horizontal edge record; `width` may differ from x1 - x0 (records are taken as given)."""
    width = x1 - x0 if width is None else width
    return {"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": width,
            "height": 0.0, "object_type": "line"}  # fmt: skip


def v_edge(x: float, top: float, bottom: float, height: float | None = None) -> dict:
    height = bottom - top if height is None else height
    return {"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0,
            "height": height, "object_type": "line"}  # fmt: skip


# Positions near a coarse grid: offsets around the tolerances (0, 1, 2.5, 3, 5) make rules snap
# or not, join or not, meet or miss; fractions (0.1, 1/3, 0.97) make float sums round.
JITTER = st.sampled_from(
    [0.0, 0.0, 0.0, 0.1, 1 / 3, 0.4, 0.97, 0.99, 1.0, 2.5, 2.9, 2.99, 3.0, 3.01, 4.9, 5.0, 5.2, 7.0]
)
RECORDED = st.sampled_from([None, None, None, 0.5, 2.99, 3.0, 12.0])  # a record's own width/height


@st.composite
def position(draw, limit: float) -> float:
    step = limit / 8
    return min(limit, draw(st.integers(0, 8)) * step + draw(JITTER) * draw(st.sampled_from([1, -1])))


@st.composite
def rulings(draw) -> list[dict]:
    edges = []
    for _ in range(draw(st.integers(0, 14))):
        y, a, b = draw(position(HEIGHT)), draw(position(WIDTH)), draw(position(WIDTH))
        if a != b or draw(st.booleans()):
            extra = draw(st.sampled_from([0.0, 0.5, 2.0]))
            edges.append(h_edge(min(a, b), max(a, b) + extra, y, draw(RECORDED)))
    for _ in range(draw(st.integers(0, 14))):
        x, a, b = draw(position(WIDTH)), draw(position(HEIGHT)), draw(position(HEIGHT))
        if a != b or draw(st.booleans()):
            extra = draw(st.sampled_from([0.0, 0.5, 2.0]))
            edges.append(v_edge(x, min(a, b), max(a, b) + extra, draw(RECORDED)))
    return draw(st.permutations(edges))


@st.composite
def pieces(draw, a: float, b: float) -> list[tuple[float, float]]:
    """A rule from a to b, drawn whole or in pieces with gaps around the join tolerances."""
    if draw(st.integers(0, 2)) or b - a < 40:
        return [(a, b)]
    cut = (a + b) / 2
    gap = draw(JITTER)
    return [(a, cut), (cut + gap, b)]


@st.composite
def ruled_grids(draw) -> list[dict]:
    """A table's grid, some rules left out (merged cells), drawn in pieces, positions jittered."""
    xs = sorted(draw(st.sets(st.integers(1, 11), min_size=2, max_size=6)))
    ys = sorted(draw(st.sets(st.integers(1, 7), min_size=2, max_size=6)))
    xs = [x * 50 + draw(JITTER) for x in xs]
    ys = [y * 50 + draw(JITTER) for y in ys]
    edges = []
    for i, y in enumerate(ys):
        for a, b in zip(xs, xs[1:], strict=False):
            if i in (0, len(ys) - 1) or draw(st.integers(0, 3)):  # inner rules may be missing
                edges += [h_edge(p, q + draw(JITTER), y + draw(JITTER)) for p, q in draw(pieces(a, b))]
    for i, x in enumerate(xs):
        for a, b in zip(ys, ys[1:], strict=False):
            if i in (0, len(xs) - 1) or draw(st.integers(0, 3)):
                edges += [v_edge(x + draw(JITTER), p, q + draw(JITTER)) for p, q in draw(pieces(a, b))]
    return draw(st.permutations(edges + draw(rulings())[:3]))


TOLERANCE = st.sampled_from([0, 1, 2.5, 3, 5])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edges=st.one_of(rulings(), ruled_grids()),
    snap=TOLERANCE,
    join=TOLERANCE,
    intersection=TOLERANCE,
    min_length=st.sampled_from([0, 3, 10]),
    prefilter=st.sampled_from([0, 1, 4]),
    frame_h=st.lists(st.sampled_from([10.0, 12.5, 390.0, 395.5]), max_size=2),
    frame_v=st.lists(st.sampled_from([20.0, 21.0, 580.0]), max_size=2),
)
def test_random_rulings_give_pdfplumbers_cells(edges, snap, join, intersection, min_length, prefilter,
                                               frame_h, frame_v):  # fmt: skip
    table_settings = {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "snap_tolerance": snap,
        "join_tolerance": join,
        "intersection_tolerance": intersection,
        "edge_min_length": min_length,
        "edge_min_length_prefilter": prefilter,
        "explicit_horizontal_lines": frame_h,
        "explicit_vertical_lines": frame_v,
    }
    lattice = Settings.from_pdfplumber({k: v for k, v in table_settings.items() if "explicit" not in k})
    ours = find_tables(
        edges, (0.0, 0.0, WIDTH, HEIGHT), lattice, explicit_horizontal=frame_h, explicit_vertical=frame_v
    )
    assert ours == plumber_cells(edges, WIDTH, HEIGHT, table_settings)


def records(edges) -> list[tuple]:
    """Merged edges as comparable tuples: orientation, box and pdfplumber's width or height."""
    if edges and isinstance(edges[0], dict):
        return [(e["orientation"] == "h", e["x0"], e["top"], e["x1"], e["bottom"],
                 e["width"] if e["orientation"] == "h" else e["height"]) for e in edges]  # fmt: skip
    return [(e.h, e.x0, e.top, e.x1, e.bottom, e.length) for e in edges]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edges=st.one_of(rulings(), ruled_grids()), snap=TOLERANCE, join=TOLERANCE)
def test_merged_edges_and_their_lengths_are_pdfplumbers(edges, snap, join):
    """Snapping and joining alone, lengths included (a joined edge's length decides whether the
    length filter keeps it): the same records, in the same order, as pdfplumber's merge_edges."""
    ours = merge([edge(e) for e in edges], Settings(snap=snap, join=join))
    assert records(ours) == records(merge_edges(edges, snap, snap, join, join))


def test_a_joined_edge_keeps_pdfplumbers_length_float_for_float():
    """0.9-0.97 and 0.97-3.9 join to a length of 2.9999999999999996 in pdfplumber (its height grows
    by the change of bottom), not 3.0 (bottom - top): the length filter must drop it as pdfplumber does."""
    edges = [v_edge(10.0, 0.9, 0.97), v_edge(10.0, 0.97, 3.9)]
    [joined] = merge([edge(e) for e in edges], Settings(snap=0, join=0))
    assert records([joined]) == records(merge_edges(edges, 0, 0, 0, 0))
    assert joined.length < 3.0 <= joined.bottom - joined.top


def test_settings_this_step_does_not_restate_are_refused():
    with pytest.raises(ValueError, match="snap_x_tolerance"):
        Settings.from_pdfplumber({"snap_tolerance": 3, "snap_x_tolerance": 1})
    with pytest.raises(ValueError, match="vertical_strategy"):
        Settings.from_pdfplumber({"vertical_strategy": "text"})
    assert Settings.from_pdfplumber(SETTINGS) == LATTICE


def test_a_ruled_grid_gives_its_cells():
    """A 2 x 3 grid with one merged cell: five cells, one table (not only agreement with pdfplumber)."""
    xs, ys = [10.0, 110.0, 210.0, 310.0], [20.0, 60.0, 100.0]
    edges = [h_edge(xs[0], xs[-1], y) for y in ys]
    edges += [v_edge(x, ys[0], ys[-1]) for x in (xs[0], xs[-1])]
    edges += [v_edge(xs[1], ys[0], ys[-1]), v_edge(xs[2], ys[0], ys[1])]  # no rule below: merged
    [cells] = find_tables(edges, (0.0, 0.0, WIDTH, HEIGHT), Settings())
    assert sorted(cells) == sorted(
        [
            (10.0, 20.0, 110.0, 60.0),
            (110.0, 20.0, 210.0, 60.0),
            (210.0, 20.0, 310.0, 60.0),
            (10.0, 60.0, 110.0, 100.0),
            (110.0, 60.0, 310.0, 100.0),
        ]  # fmt: skip
    )


def test_cluster_chains_values_within_tolerance():
    assert cluster([0.0, 2.0, 4.0, 9.0, 2.0], 2) == {0.0: 0, 2.0: 0, 4.0: 0, 9.0: 1}
    assert cluster([1.0, 1.5], 0) == {1.0: 0, 1.5: 1}


@pytest.mark.parametrize("index", range(13))
def test_every_page_of_the_shipped_plan_gives_pdfplumbers_cells(index):
    doc = pdfium.PdfDocument(str(PDF))
    try:
        page = doc[index]
        width, height = page.get_size()
        edges = page_edges(page)
        ours = lattice_tables(edges, width, height)
        theirs = plumber_cells(edges, width, height, {**SETTINGS, **frame_lines(edges)})
        assert ours == theirs
        assert max(len(cells) for cells in ours) > 10  # each page holds the plan's table
    finally:
        doc.close()
