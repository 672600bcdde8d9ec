"""Group the text bands of a lightly ruled page into table rows.

Where no rule parts a table's rows, `extract/stream.py` returns one grid row per band of text
lines: it cannot tell where a row starts, since that is a matter of numbering. Here a band starts
a row when it opens an activity (a number in the number column, or at the start of the activity
cell) or is a section heading; every other band is more of the row above, its cells joined to
that row's cells column by column. A merged goal or objective column runs on over the rows of its
heading: its text joins the cell that opened the heading, on that page. This is how the rows were
printed, not a repair: nothing goes to the review file (a row continued from the page before is
still reported, as on a ruled page).
"""

from __future__ import annotations

from normalize.config import Layout
from normalize.numbering import parse_activity, parse_heading
from schema.models import BBox, Cell

SPAN_FIELDS = ("goal", "objective")


def joined(first: Cell, more: Cell) -> Cell:
    """One cell holding both cells' lines, over both boxes."""
    box = BBox.around([first.bbox, more.bbox])
    return first.model_copy(update={"bbox": box, "lines": [*first.lines, *more.lines]})


def full_width(cells: list[Cell], n_cols: int) -> bool:
    return len(cells) == 1 and 2 * cells[0].col_span > n_cols


def opens_activity(cells: list[Cell], fields: dict[int, str], layout: Layout) -> bool:
    by_field = {fields[c.col]: c for c in cells if c.col in fields}
    if "number" in fields.values():
        return "number" in by_field
    act = by_field.get("activity")
    return act is not None and parse_activity(act.text, layout.heading_labels) is not None


def is_heading(cell: Cell, layout: Layout) -> bool:
    return parse_heading(cell.text, layout.heading_labels)[1] is not None


class Grouper:
    """Walks a page's bands top to bottom, building its rows."""

    def __init__(self, fields: dict[int, str], n_cols: int, layout: Layout, bands: bool = True):
        self.fields, self.n_cols, self.layout = fields, n_cols, layout
        self.bands = bands  # grid rows are bands of lines to group; else rows parted by rules
        self.rows: list[list[Cell]] = []
        self.spans: dict[int, tuple[int, int]] = {}  # column -> (row, index) of its open merged cell

    def band(self, cells: list[Cell]) -> None:
        inked = [c for c in cells if c.lines]
        if not inked:
            return
        if full_width(inked, self.n_cols) or self.short_heading(inked):
            self.section(inked[0].model_copy(update={"col": 0, "col_span": self.n_cols}))
            return
        spans = [c for c in inked if self.fields.get(c.col) in SPAN_FIELDS]
        rest = [c for c in inked if c not in spans]
        starts = opens_activity(rest, self.fields, self.layout) or any(
            is_heading(c, self.layout) for c in spans
        )
        if starts or not self.bands or not self.rows or full_width(self.rows[-1], self.n_cols):
            self.rows.append([])
        for cell in spans:
            self.span_cell(cell)
        for cell in rest:
            self.add(len(self.rows) - 1, cell)

    def short_heading(self, inked: list[Cell]) -> bool:
        """A heading short enough to fit in one column ("3. Protection of victims"): a band of one
        cell reading as a labelled heading or a goal or objective number, on a page whose goals and
        objectives are section rows (no merged column for them)."""
        if len(inked) != 1 or any(f in SPAN_FIELDS for f in self.fields.values()):
            return False
        label, printed, _ = parse_heading(inked[0].text, self.layout.heading_labels)
        if label is not None or printed is None:
            return label in SPAN_FIELDS
        return len(printed.parts) == 2 or (len(printed.parts) == 1 and printed.closer == ".")

    def section(self, cell: Cell) -> None:
        """A full-width band: a heading, or the next line of the heading above."""
        last = self.rows[-1] if self.rows else None
        if self.bands and last and full_width(last, self.n_cols) and not is_heading(cell, self.layout):
            last[0] = joined(last[0], cell)
        else:
            self.rows.append([cell])
            self.spans.clear()

    def span_cell(self, cell: Cell) -> None:
        """A merged column's band: a heading opens a cell, other text joins the open one."""
        open_at = self.spans.get(cell.col)
        if open_at is None or not self.bands or is_heading(cell, self.layout):
            self.rows[-1].append(cell)
            self.spans[cell.col] = (len(self.rows) - 1, len(self.rows[-1]) - 1)
            return
        row, index = open_at
        self.rows[row][index] = joined(self.rows[row][index], cell)

    def add(self, row: int, cell: Cell) -> None:
        cells = self.rows[row]
        for i, have in enumerate(cells):
            if have.col == cell.col:
                cells[i] = joined(have, cell)
                return
        cells.append(cell)


def group_bands(
    bands: list[list[Cell]], fields: dict[int, str], n_cols: int, layout: Layout, grouped: bool = False
) -> list[list[Cell]]:
    """The page's rows, each a list of cells, from its bands (each a list of cells), in order. With
    `grouped` (rules part the rows) each band is a row already: only short headings are read."""
    grouper = Grouper(fields, n_cols, layout, bands=not grouped)
    for cells in bands:
        grouper.band(cells)
    return grouper.rows
