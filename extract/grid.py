"""Turn the cell boxes an engine found into a grid: row/column indices and spans.

Engines report cells as boxes; a merged cell (no ruling between the rows it spans) is one
box. Clustering the box edges gives the grid lines, and a box's edges give its span.
"""

from __future__ import annotations

from schema.models import BBox

SNAP = 2.0  # points: edges closer than this are the same grid line


def cluster(values: list[float], tol: float = SNAP) -> list[float]:
    """Collapse nearly equal coordinates into one representative (their mean)."""
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


def nearest(lines: list[float], v: float) -> int:
    return min(range(len(lines)), key=lambda i: abs(lines[i] - v))


def grid_positions(boxes: list[BBox]) -> tuple[list[float], list[float], list[tuple[int, int, int, int]]]:
    """Return the grid's x lines, y lines and each box's (row, col, row_span, col_span)."""
    xs = cluster([b.x0 for b in boxes] + [b.x1 for b in boxes])
    ys = cluster([b.top for b in boxes] + [b.bottom for b in boxes])
    spans = []
    for b in boxes:
        c0, c1 = nearest(xs, b.x0), nearest(xs, b.x1)
        r0, r1 = nearest(ys, b.top), nearest(ys, b.bottom)
        spans.append((r0, c0, max(1, r1 - r0), max(1, c1 - c0)))
    return xs, ys, spans
