"""Assemble logical rows from per-page grids: stitch page breaks, fill merged cells.

A PDF table is a sequence of page grids. A goal or objective is a merged cell spanning the
rows of its activities; an activity row may break across pages. This module walks the grids
in reading order and gathers, for every goal, objective and activity, the cell fragments
(page, box, lines) that make it up, logging each repair it makes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from normalize.config import Layout
from normalize.header import header_fields
from normalize.numbering import level, parent, split_number
from schema.models import BBox, Cell, PageTable, Provenance, ReviewItem, TextLine

SPAN_FIELDS = ("goal", "objective")


class LayoutError(ValueError):
    """The document's table cannot be read with the layout knowledge given."""


@dataclass
class Fragment:
    """The part of a value printed in one cell on one page."""

    page: int
    bbox: BBox
    lines: list[TextLine]

    @classmethod
    def of(cls, cell: Cell) -> Fragment:
        return cls(cell.page, cell.bbox, cell.lines)

    @property
    def provenance(self) -> Provenance:
        return Provenance(page=self.page, bbox=self.bbox)


@dataclass
class Block:
    """A goal, objective or activity with the fragments of each of its fields."""

    number: str | None
    fragments: dict[str, list[Fragment]] = field(default_factory=dict)
    goal: Block | None = None
    objective: Block | None = None

    def add(self, name: str, cell: Cell) -> None:
        self.fragments.setdefault(name, []).append(Fragment.of(cell))

    @property
    def pages(self) -> list[int]:
        return sorted({f.page for frags in self.fragments.values() for f in frags})


@dataclass
class Assembly:
    header: list[str]
    fields: list[str]
    goals: list[Block] = field(default_factory=list)
    objectives: list[Block] = field(default_factory=list)
    activities: list[Block] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)


def column_bounds(table: PageTable) -> dict[int, tuple[float, float]]:
    bounds: dict[int, tuple[float, float]] = {}
    for c in table.cells:
        if c.col_span == 1:
            lo, hi = bounds.get(c.col, (c.bbox.x0, c.bbox.x1))
            bounds[c.col] = (min(lo, c.bbox.x0), max(hi, c.bbox.x1))
    return bounds


def inherit_fields(table: PageTable, previous: dict[tuple[float, float], str]) -> dict[int, str]:
    """Map a header-less page's columns to fields by overlap with the last header's columns."""
    out = {}
    for col, (x0, x1) in column_bounds(table).items():
        overlaps = {f: min(x1, b) - max(x0, a) for (a, b), f in previous.items()}
        best = max(overlaps, key=overlaps.get, default=None)
        if best is not None and overlaps[best] > 0.5 * (x1 - x0):
            out[col] = best
    return out


def rows_of(table: PageTable) -> dict[int, list[Cell]]:
    rows: dict[int, list[Cell]] = {}
    for c in table.cells:
        rows.setdefault(c.row, []).append(c)
    return dict(sorted(rows.items()))


class Assembler:
    """Walks page grids in order; holds the goal, objective and activity being built."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.out: Assembly | None = None
        self.columns: dict[tuple[float, float], str] = {}
        self.goal: Block | None = None
        self.objective: Block | None = None
        self.activity: Block | None = None

    def review(self, fld: str, kind: str, detail: str, page: int | None) -> None:
        aid = self.activity.number if self.activity and self.activity.number else ""
        self.out.review.append(ReviewItem(activity_id=aid, field=fld, kind=kind, detail=detail, page=page))

    def run(self, tables: list[PageTable]) -> Assembly:
        for table in tables:
            self.page(table)
        if self.out is None:
            raise LayoutError("no header row naming an activity column was found in any table")
        return self.out

    def page(self, table: PageTable) -> None:
        rows = rows_of(table)
        first = next(iter(rows), None)
        fields = header_fields(rows[first], self.layout) if first is not None else None
        if fields:
            self.start_header(table, rows[first], fields)
            rows.pop(first)
        elif self.out is None:
            return  # a table before the plan's table (a cover box, say): not the plan
        else:
            fields = inherit_fields(table, self.columns)
        for i, cells in enumerate(rows.values()):
            named = {fields[c.col]: c for c in cells if c.col in fields and c.lines}
            if named:
                self.row(named, at_page_top=i == 0, page=table.page)

    def start_header(self, table: PageTable, cells: list[Cell], fields: dict[int, str]) -> None:
        bounds = column_bounds(table)
        self.columns = {bounds[col]: f for col, f in fields.items() if col in bounds}
        if self.out is None:
            by_col = {c.col: c.text for c in cells}
            self.out = Assembly(
                header=[by_col[c] for c in sorted(fields)], fields=[fields[c] for c in sorted(fields)]
            )

    def row(self, cells: dict[str, Cell], at_page_top: bool, page: int) -> None:
        for depth, name in enumerate(SPAN_FIELDS, start=1):
            if name in cells:
                self.span_cell(name, depth, cells.pop(name), at_page_top)
        act = cells.get("activity")
        number, _ = split_number(act.text) if act else (None, "")
        if number and level(number) >= len(SPAN_FIELDS) + 1:
            self.new_activity(number, cells)
        elif cells:
            self.continue_activity(cells, at_page_top, page)

    def span_cell(self, name: str, depth: int, cell: Cell, at_page_top: bool) -> None:
        number, _ = split_number(cell.text)
        current = self.goal if name == "goal" else self.objective
        if number and level(number) == depth:
            block = Block(number, goal=self.goal)
            block.add("text", cell)
            if name == "goal":
                self.goal, self.objective = block, None
                self.out.goals.append(block)
            else:
                if self.goal and self.goal.number and parent(number) != self.goal.number:
                    self.review(
                        name,
                        "numbering_mismatch",
                        f"objective {number} printed under goal {self.goal.number}",
                        cell.page,
                    )
                self.objective = block
                self.out.objectives.append(block)
            return
        if current is None:
            self.review(name, "unnumbered_cell", f"no {name} is open for: {cell.text!r}", cell.page)
            return
        current.add("text", cell)
        how = "continues at the top of the page" if at_page_top else "holds text without a number"
        self.review(
            name,
            "page_break_stitched" if at_page_top else "unnumbered_cell",
            f"{name} {current.number} {how}: {cell.text!r}",
            cell.page,
        )

    def new_activity(self, number: str, cells: dict[str, Cell]) -> None:
        block = Block(number, goal=self.goal, objective=self.objective)
        self.activity = block
        self.out.activities.append(block)
        for name, cell in cells.items():
            block.add(name, cell)
        if self.objective and self.objective.number and parent(number) != self.objective.number:
            self.review(
                "activity",
                "numbering_mismatch",
                f"activity {number} printed under objective {self.objective.number}",
                cells["activity"].page,
            )

    def continue_activity(self, cells: dict[str, Cell], at_page_top: bool, page: int) -> None:
        texts = "; ".join(f"{n}: {c.text!r}" for n, c in cells.items())
        if self.activity is None:
            self.review("row", "orphan_row", f"row before any numbered activity: {texts}", page)
            return
        last_page = self.activity.pages[-1]
        for name, cell in cells.items():
            self.activity.add(name, cell)
        if at_page_top:
            self.review(
                ",".join(cells),
                "page_break_stitched",
                f"row continues from page {last_page} onto page {page}: {texts}",
                page,
            )
        else:
            self.review(
                ",".join(cells),
                "unnumbered_row_merged",
                f"row without an activity number joined to {self.activity.number}: {texts}",
                page,
            )


def assemble(tables: list[PageTable], layout: Layout) -> Assembly:
    """Goals, objectives and activities as fragment lists, plus the repairs made."""
    return Assembler(layout).run(tables)
