"""Assemble logical rows from per-page grids: stitch page breaks, fill merged cells.

A PDF table is a sequence of page grids. A goal or objective is a merged cell spanning the
rows of its activities; an activity row may break across pages. This module walks the grids
in reading order and gathers, for every goal, objective and activity, the cell fragments
(page, box, lines) that make it up, logging each repair it makes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from normalize.config import Layout
from normalize.header import header_fields, map_header
from normalize.numbering import level, parent, split_heading, split_number
from schema.models import BBox, Cell, PageTable, Provenance, ReviewItem, TextLine

SPAN_FIELDS = ("goal", "objective")
OUTLINE_NUMBER = re.compile(r"^\d+(?:\.\d+)+\.?$")


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
    preamble: list[str] = field(default_factory=list)
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
        self.heading: Block | None = None  # the goal or objective opened last

    def review(self, fld: str, kind: str, detail: str, page: int | None) -> None:
        aid = self.activity.number if self.activity and self.activity.number else ""
        self.out.review.append(ReviewItem(activity_id=aid, field=fld, kind=kind, detail=detail, page=page))

    def run(self, tables: list[PageTable]) -> Assembly:
        for table in tables:
            self.page(table)
        if self.out is None:
            raise LayoutError(
                "no header row naming an activity column was found in any table; "
                "`nap layout suggest PLAN.pdf` shows what was found"
            )
        if not self.out.activities:
            raise LayoutError("no numbered activity rows were found under the header")
        return self.out

    def find_header(self, rows: dict[int, list[Cell]]) -> tuple[int, dict[int, str]] | None:
        for index in list(rows)[: self.layout.header_search_rows]:
            fields = header_fields(rows[index], self.layout)
            if fields:
                return index, fields
        return None

    def page(self, table: PageTable) -> None:
        rows = rows_of(table)
        found = self.find_header(rows)
        if found:
            index, fields = found
            above = [rows.pop(i) for i in list(rows) if i < index]
            header = rows.pop(index)
            fields = self.number_column_by_content(header, fields, rows)
            self.start_header(table, header, fields, above)
        elif self.out is None:
            return  # a table before the plan's table (a cover box, say): not the plan
        else:
            fields = inherit_fields(table, self.columns)
        for i, cells in enumerate(rows.values()):
            inked = [c for c in cells if c.lines]
            if len(inked) == 1 and 2 * inked[0].col_span > table.n_cols:
                self.section_row(inked[0], at_page_top=i == 0)
                continue
            named = {fields[c.col]: c for c in inked if c.col in fields}
            if named:
                self.row(named, at_page_top=i == 0, page=table.page)

    def start_header(self, table: PageTable, cells: list[Cell], fields: dict[int, str], above) -> None:
        bounds = column_bounds(table)
        self.columns = {bounds[col]: f for col, f in fields.items() if col in bounds}
        if self.out is None:
            self.check_required(cells, fields)
            by_col = {c.col: c.text for c in cells}
            self.out = Assembly(
                header=[by_col[c] for c in sorted(fields)], fields=[fields[c] for c in sorted(fields)]
            )
            self.out.preamble = [c.text for row in above for c in row if c.lines]

    def number_column_by_content(
        self, header: list[Cell], fields: dict[int, str], rows: dict[int, list[Cell]]
    ) -> dict[int, str]:
        """A column whose header names nothing but whose cells are all outline numbers ("1.1.2")
        is the activity-number column: its header glyph ("№", "#") may simply be unreadable."""
        if "number" in fields.values():
            return fields
        for cell in header:
            if cell.col in fields and map_header(cell.text, self.layout) is None:
                texts = [c.text for cells in rows.values() for c in cells
                         if c.col == cell.col and c.col_span == 1 and c.lines]  # fmt: skip
                if texts and all(OUTLINE_NUMBER.match(t) for t in texts):
                    return {**fields, cell.col: "number"}
        return fields

    def check_required(self, cells: list[Cell], fields: dict[int, str]) -> None:
        """A required field with no column, beside headers nothing names: refuse to guess."""
        missing = [f for f in self.layout.required_fields if f not in fields.values()]
        unknown = [c.text for c in cells if c.col in fields and map_header(c.text, self.layout) is None]
        if missing and unknown:
            names = ", ".join(repr(u) for u in unknown)
            raise LayoutError(
                f"header {names} cannot be mapped to a field (no column found for {', '.join(missing)}); "
                "name it in a layout profile (--layout): `nap layout suggest PLAN.pdf --write profile.yaml` "
                "writes one to fill in"
            )

    def row(self, cells: dict[str, Cell], at_page_top: bool, page: int) -> None:
        for name in SPAN_FIELDS:
            if name in cells:
                self.heading_cell(cells.pop(name), name, at_page_top)
        number = self.activity_number(cells)
        if number:
            self.new_activity(number, cells)
        elif cells:
            self.continue_activity(cells, at_page_top, page)

    def activity_number(self, cells: dict[str, Cell]) -> str | None:
        """The number opening a new activity: from a number column if there is one, else the activity cell."""
        if "number" in cells:
            return split_number(cells["number"].text.rstrip(". "))[0]
        act = cells.get("activity")
        number = split_number(act.text)[0] if act else None
        return number if number and level(number) >= 2 else None

    def section_row(self, cell: Cell, at_page_top: bool) -> None:
        """A full-width row: a goal or objective heading, or the continuation of one."""
        name, number, _ = split_heading(cell.text, self.layout.heading_labels)
        if number and not name:
            name = {1: "goal", 2: "objective"}.get(level(number))
        if name in SPAN_FIELDS and number:
            self.open_heading(name, number, cell)
        elif self.heading is not None and at_page_top:
            self.extend_heading(self.heading, "section", cell, at_page_top)
        else:
            self.review(
                "row", "unrecognised_row", f"full-width row that is no heading: {cell.text!r}", cell.page
            )

    def heading_cell(self, cell: Cell, name: str, at_page_top: bool) -> None:
        """A cell of a merged goal or objective column: a new heading, or more of the open one."""
        label, number, _ = split_heading(cell.text, self.layout.heading_labels)
        depth = SPAN_FIELDS.index(name) + 1
        if number and (label == name or (label is None and level(number) == depth)):
            self.open_heading(name, number, cell)
            return
        current = self.goal if name == "goal" else self.objective
        if current is None:
            self.review(name, "unnumbered_cell", f"no {name} is open for: {cell.text!r}", cell.page)
            return
        self.extend_heading(current, name, cell, at_page_top)

    def open_heading(self, name: str, number: str, cell: Cell) -> None:
        block = Block(number, goal=self.goal)
        block.add("text", cell)
        self.heading = block
        if name == "goal":
            block.goal = None
            self.goal, self.objective = block, None
            self.out.goals.append(block)
            return
        if self.goal and self.goal.number and parent(number) != self.goal.number:
            detail = f"objective {number} printed under goal {self.goal.number}"
            self.review(name, "numbering_mismatch", detail, cell.page)
        self.objective = block
        self.out.objectives.append(block)

    def extend_heading(self, current: Block, name: str, cell: Cell, at_page_top: bool) -> None:
        current.add("text", cell)
        what = "goal" if current is self.goal else "objective"
        how = "continues at the top of the page" if at_page_top else "holds text without a number"
        kind = "page_break_stitched" if at_page_top else "unnumbered_cell"
        self.review(what, kind, f"{what} {current.number} {how}: {cell.text!r}", cell.page)

    def new_activity(self, number: str, cells: dict[str, Cell]) -> None:
        block = Block(number, goal=self.goal, objective=self.objective)
        self.activity = block
        self.out.activities.append(block)
        for name, cell in cells.items():
            block.add(name, cell)
        expected = self.objective or self.goal
        if expected and expected.number and not number.startswith(expected.number + "."):
            page = next(iter(cells.values())).page
            self.review(
                "activity", "numbering_mismatch", f"activity {number} printed under {expected.number}", page
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
            kind, detail = "page_break_stitched", f"row continues from page {last_page} onto page {page}"
        else:
            kind, detail = (
                "unnumbered_row_merged",
                f"row without an activity number joined to {self.activity.number}",
            )
        self.review(",".join(cells), kind, f"{detail}: {texts}", page)


def assemble(tables: list[PageTable], layout: Layout) -> Assembly:
    """Goals, objectives and activities as fragment lists, plus the repairs made."""
    return Assembler(layout).run(tables)
