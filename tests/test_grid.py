"""extract.grid: clustering box edges into grid lines, and each box's row, column and spans."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.grid import SNAP, cluster, grid_positions
from schema.models import BBox


def box(x0: float, top: float, x1: float, bottom: float) -> BBox:
    return BBox(x0=x0, top=top, x1=x1, bottom=bottom)


# --- cluster -------------------------------------------------------------------------------


def test_cluster_snaps_edges_within_two_points_to_their_mean() -> None:
    assert cluster([10.0, 11.5, 50.0, 51.9, 50.4]) == pytest.approx([10.75, (50.0 + 50.4 + 51.9) / 3])


def test_cluster_keeps_edges_further_apart_than_snap() -> None:
    assert cluster([10.0, 10.0 + SNAP + 0.1, 30.0]) == pytest.approx([10.0, 12.1, 30.0])


def test_cluster_is_sorted_and_order_independent() -> None:
    assert cluster([80.0, 10.0, 45.0, 10.5]) == pytest.approx([10.25, 45.0, 80.0])


def test_cluster_of_nothing_is_empty() -> None:
    assert cluster([]) == []


# --- grid_positions ------------------------------------------------------------------------


def test_two_by_three_grid_with_a_cell_merged_down_two_rows() -> None:
    boxes = [
        box(0, 0, 50, 60),  # merged: rows 0-1 of column 0
        box(50, 0, 120, 30),
        box(120, 0, 200, 30),
        box(50, 30, 120, 60),
        box(120, 30, 200, 60),
    ]
    xs, ys, spans = grid_positions(boxes)
    assert xs == pytest.approx([0, 50, 120, 200])
    assert ys == pytest.approx([0, 30, 60])
    assert spans == [(0, 0, 2, 1), (0, 1, 1, 1), (0, 2, 1, 1), (1, 1, 1, 1), (1, 2, 1, 1)]


def test_near_equal_edges_snap_to_one_grid_line() -> None:
    # the same grid, each box drawn with edges up to 1.5 pt off
    boxes = [
        box(0.4, 0, 50.0, 59.2),
        box(51.5, 1.0, 120.3, 30.0),
        box(119.0, 0.2, 200.0, 31.2),
        box(50.2, 29.6, 121.0, 60.0),
        box(120.0, 31.5, 201.4, 60.6),
    ]
    xs, ys, spans = grid_positions(boxes)
    assert len(xs) == 4
    assert len(ys) == 3
    assert spans == [(0, 0, 2, 1), (0, 1, 1, 1), (0, 2, 1, 1), (1, 1, 1, 1), (1, 2, 1, 1)]


def test_a_cell_merged_across_columns_gets_a_col_span() -> None:
    boxes = [box(0, 0, 200, 20), box(0, 20, 50, 40), box(50, 20, 120, 40), box(120, 20, 200, 40)]
    _, _, spans = grid_positions(boxes)
    assert spans == [(0, 0, 1, 3), (1, 0, 1, 1), (1, 1, 1, 1), (1, 2, 1, 1)]


# --- property: random grids with vertical merges in the first column ------------------------


@st.composite
def grids(draw):
    widths = draw(st.lists(st.floats(10, 200), min_size=2, max_size=7))
    heights = draw(st.lists(st.floats(10, 150), min_size=1, max_size=8))
    # merge[i]: row i joins the first-column cell of row i - 1
    merge = [False] + draw(st.lists(st.booleans(), min_size=len(heights) - 1, max_size=len(heights) - 1))
    origin = (draw(st.floats(0, 300)), draw(st.floats(0, 300)))
    jitter = st.floats(-0.9, 0.9)  # two edges of one line differ by < SNAP

    xs = [origin[0]]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [origin[1]]
    for h in heights:
        ys.append(ys[-1] + h)

    expected = []  # (row, col, row_span, col_span)
    r = 0
    while r < len(heights):
        span = 1
        while r + span < len(heights) and merge[r + span]:
            span += 1
        expected.append((r, 0, span, 1))
        r += span
    expected += [(r, c, 1, 1) for r in range(len(heights)) for c in range(1, len(widths))]

    boxes = [
        box(
            xs[c] + draw(jitter),
            ys[r] + draw(jitter),
            xs[c + cs] + draw(jitter),
            ys[r + rs] + draw(jitter),
        )
        for r, c, rs, cs in expected
    ]
    order = draw(st.permutations(range(len(boxes))))
    return [boxes[i] for i in order], [expected[i] for i in order], len(widths), len(heights)


@settings(max_examples=200, deadline=None)
@given(grids())
def test_grid_positions_recovers_rows_columns_and_spans(grid) -> None:
    boxes, expected, n_cols, n_rows = grid
    xs, ys, spans = grid_positions(boxes)
    assert len(xs) == n_cols + 1
    assert len(ys) == n_rows + 1
    assert spans == expected
