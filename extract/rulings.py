"""How the ruling-line engines read a table's rulings: shared settings and the table's frame.

The pdfplumber engine hands these to pdfplumber's TableFinder, the pdfium engine to
`extract.lattice` (the same algorithm), so both find the same cells from the same rulings.

The table's outer frame is made explicit from the extent of its rulings: a producer may leave
the bottom border off cells that continue on the next page (and the top border off their
continuation), and without a frame those cells would never close.
"""

from __future__ import annotations

from schema.models import BBox

SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    # HTML tables keep each cell's own border, `border-spacing` apart (2 px by default): rules this
    # close (double borders, thin rectangles) are one rule, and a rule stopping this short of
    # another still meets it. No row of text is this thin.
    "snap_tolerance": 5,
    "join_tolerance": 5,
    "intersection_tolerance": 5,
}
MIN_RULE = 10.0  # points: shorter edges (glyph strokes, underlines) do not frame a table


def frame_lines(edges: list[dict]) -> dict[str, list[float]]:
    """Explicit lines along the outer extent of the page's long rulings.

    A page that a tall cell fills from top to bottom (a row continued over three pages and more)
    may print only the column rules: its frame then comes from the vertical rules alone.
    """
    vs = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] >= MIN_RULE]
    hs = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] >= MIN_RULE]
    if not vs:
        return {}
    frame = {"explicit_horizontal_lines": [min(e["top"] for e in vs), max(e["bottom"] for e in vs)]}
    if hs:
        frame["explicit_vertical_lines"] = [min(e["x0"] for e in hs), max(e["x1"] for e in hs)]
    return frame


def boxes(tables: list[list[tuple[float, float, float, float]]]) -> list[list[BBox]]:
    """Each table's cells, (x0, top, x1, bottom) tuples as both lattice finders give them, as boxes."""
    return [[BBox(x0=c[0], top=c[1], x1=c[2], bottom=c[3]) for c in cells] for cells in tables]
