"""Assemble logical rows from per-page grids: stitch page breaks, fill merged cells.

A PDF table is a sequence of page grids. A goal or objective is a merged cell spanning the
rows of its activities; an activity row may break across pages. This module walks the grids
in reading order and gathers, for every goal, objective and activity, the cell fragments
(page, box, lines) that make it up, logging each repair it makes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from normalize.amounts import is_amount_header
from normalize.bands import group_bands, joined
from normalize.config import Layout
from normalize.header import header_fields, map_header, present_fields
from normalize.numbering import (
    Printed,
    ordinal,
    parent,
    parse_activity,
    parse_heading,
    parse_number,
    resolve,
    same_sequence,
)
from schema.models import BBox, Cell, PageTable, Provenance, ReviewItem, TextLine
from schema.names import quoted
from schema.review_kinds import ReviewKind

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

    number: str | None  # the full id: a relative printed number is resolved under its parent
    fragments: dict[str, list[Fragment]] = field(default_factory=dict)
    goal: Block | None = None
    objective: Block | None = None
    printed: Printed | None = None  # the number as printed ("(a)", "A.1.", "3.")
    ordinal: int | None = None  # the place of a lone printed part in its sequence ("c" -> 3)

    def add(self, name: str, cell: Cell) -> None:
        self.fragments.setdefault(name, []).append(Fragment.of(cell))

    @property
    def pages(self) -> list[int]:
        return sorted({f.page for frags in self.fragments.values() for f in frags})


@dataclass
class Assembly:
    header: list[str]
    fields: list[str]
    header_page: int  # the page the header was first found on
    preamble: list[str] = field(default_factory=list)
    preamble_pages: set[int] = field(default_factory=set)  # tables whose text above is preamble
    # Conservation (schema.models.CharacterCount), in non-whitespace characters of table text: that
    # consumed as the header (its repeats too) or the preamble, and that left out of every value.
    # The goals', objectives' and activities' text is counted from the plan built of the blocks.
    placed: int = 0
    in_review: int = 0
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


def ink(texts: Iterable[str]) -> int:
    """Non-whitespace characters of `texts` (as extract counts them: `PageTable.printed`)."""
    return sum(1 for t in texts for c in t if not c.isspace())


def cell_ink(cells: Iterable[Cell]) -> int:
    """The non-whitespace characters printed in `cells`: their lines and footnote markers."""
    return ink(t for c in cells for ln in c.lines for t in (ln.text, *(m.marker for m in ln.markers)))


def lines_up(table: PageTable, columns: dict[tuple[float, float], str], layout: Layout) -> bool:
    """Do the table's columns line up with the header's: the activity column and as many fields
    as a header must name found under the header's columns?"""
    fields = set(inherit_fields(table, columns).values())
    return "activity" in fields and len(fields) >= layout.header_min_fields


def rows_of(table: PageTable) -> dict[int, list[Cell]]:
    rows: dict[int, list[Cell]] = {}
    for c in table.cells:
        rows.setdefault(c.row, []).append(c)
    return dict(sorted(rows.items()))


class Assembler:
    """Walks page grids in order; holds the goal, objective and activity being built."""

    def __init__(self, layout: Layout, lost: frozenset[int] = frozenset()):
        self.layout = layout
        self.lost = lost  # pages that could not be read: no row continues across one
        self.last_page: int | None = None  # the plan's table page read last
        self.after_lost = False  # this page follows a page that could not be read
        self.out: Assembly | None = None
        self.columns: dict[tuple[float, float], str] = {}
        self.goal: Block | None = None
        self.objective: Block | None = None
        self.activity: Block | None = None
        self.heading: Block | None = None  # the goal or objective opened last
        self.held: tuple[dict[str, Cell], int] | None = None  # a page-foot fragment and its page
        self.plan_pages = 0  # pages of the plan's table read so far

    def review(
        self, fld: str, kind: ReviewKind, detail: str, page: int | None, text: str | None = None
    ) -> None:
        aid = self.activity.number if self.activity and self.activity.number else ""
        item = ReviewItem(activity_id=aid, field=fld, kind=kind, detail=detail, page=page, text=text)
        self.out.review.append(item)

    def left_out(self, fld: str, kind: ReviewKind, detail: str, cells: list[Cell]) -> None:
        """A review item for cells whose text goes into no value: the text, counted as in review."""
        self.review(fld, kind, detail, cells[0].page, " ".join(c.text for c in cells))
        self.out.in_review += cell_ink(cells)

    def unplaced(self, cells: list[Cell], why: str) -> None:
        for cell in (c for c in cells if c.lines):
            self.left_out("page", "unplaced_text", f"{why}: {quoted(cell.text)}", [cell])

    def unplaced_lines(self, table: PageTable) -> None:
        """Lines printed inside the table's outline but in none of its cells (extract)."""
        for line in table.unplaced:
            detail = f"inside the table, in no cell: {quoted(line)}"
            self.review("page", "unplaced_text", detail, table.page, line)
            self.out.in_review += ink([line])

    def consumed(self, cells: list[Cell], what: str) -> None:
        """Cells read as the header or the preamble: their text is placed, their footnote markers
        (kept out of that text) reviewed."""
        self.out.placed += ink(ln.text for c in cells for ln in c.lines)
        for c in cells:
            for m in (m for ln in c.lines for m in ln.markers):
                detail = f"footnote marker {quoted(m.marker)} after {quoted(m.word)} left out of the {what}"
                item = ReviewItem(activity_id="", field=what, kind="footnote_marker", detail=detail,
                                  page=c.page, text=m.word)  # fmt: skip
                self.out.review.append(item)
                self.out.in_review += ink([m.marker])

    def run(self, tables: list[PageTable]) -> Assembly:
        """Every table read against the document's header, wherever its page: a page before the
        header's (pages out of order) belongs to the table when its columns line up with it."""
        self.begin(tables)
        for table in tables:
            self.page(table)
        self.join_held_upwards()
        if not self.out.activities:
            raise LayoutError("no numbered activity rows were found under the header")
        return self.out

    def begin(self, tables: list[PageTable]) -> None:
        """The document's header, from the first table that prints one: its fields and columns."""
        for table in tables:
            rows = rows_of(table)
            found = self.find_header(rows)
            if found:
                index, fields = found
                header = rows.pop(index)
                fields = self.number_column_by_content(header, fields, rows)
                self.check_required(header, fields)
                by_col = {c.col: c.text for c in header}
                self.out = Assembly(
                    header=[by_col[c] for c in sorted(fields)],
                    fields=[fields[c] for c in sorted(fields)],
                    header_page=table.page,
                )
                bounds = column_bounds(table)
                self.columns = {bounds[col]: f for col, f in fields.items() if col in bounds}
                return
        raise LayoutError(
            "no header row naming an activity column was found in any table; "
            "`nap layout suggest PLAN.pdf` shows what was found"
        )

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
        elif table.page < self.out.header_page and not lines_up(table, self.columns, self.layout):
            self.not_the_plan(table, rows)
            return
        else:
            fields = inherit_fields(table, self.columns)
        self.unplaced_lines(table)
        self.plan_pages += 1
        self.cut_at_lost_pages(table.page)
        body = list(rows.values())
        if table.structure == "stream":  # grid rows may be bands of text lines: group them into rows
            body = group_bands(body, fields, table.n_cols, self.layout, grouped=not table.bands)
        last = max((i for i, cells in enumerate(body) if any(c.lines for c in cells)), default=-1)
        numbered = "number" in fields.values()
        for i, cells in enumerate(body):
            inked = [c for c in cells if c.lines]
            if len(inked) == 1 and 2 * inked[0].col_span > table.n_cols:
                self.section_row(inked[0], at_page_top=i == 0)
                continue
            named = self.named_cells(inked, fields)
            if named:
                foot = i == last and i > 0 and (numbered or "activity" not in named)
                self.body_row(named, at_page_top=i == 0, at_page_foot=foot, page=table.page)

    def cut_at_lost_pages(self, page: int) -> None:
        """Across a page that could not be read nothing continues: a fragment held at the previous
        page's foot, and the row at the top of this one, belong to rows of the lost page."""
        last, self.last_page = self.last_page, page
        self.after_lost = last is not None and any(last < p < page for p in self.lost)
        if self.after_lost and self.held is not None:
            (cells, foot_page), self.held = self.held, None
            why = f"row at the foot of page {foot_page}, before a page that could not be read"
            self.unplaced(list(cells.values()), why)

    def body_row(self, cells: dict[str, Cell], at_page_top: bool, at_page_foot: bool, page: int) -> None:
        """A body row, with the page-foot fragments browsers print: when a row does not fit, its short
        cells move whole to the next page (the number among them) while long ones start at the foot.
        So an unnumbered row ending a page (not also starting it) is held; if the next page's first
        body row opens an activity, under a heading opened there or not, the fragment starts that
        activity; if it continues a row, or nothing follows, the fragment joins upwards as before."""
        headings = {n: c for n, c in cells.items() if n in SPAN_FIELDS}
        rest = {n: c for n, c in cells.items() if n not in SPAN_FIELDS}
        if headings:  # first, as row() would: an activity number is read under the heading it opens
            self.row(headings, at_page_top, page)
        if not rest:
            return
        if self.activity_number(rest, at_page_top) is None:
            self.join_held_upwards()
            if at_page_foot:
                self.held = (rest, page)
                return
        before = len(self.out.activities)
        self.row(rest, at_page_top, page)
        if self.held is not None and len(self.out.activities) > before:
            self.join_held_downwards(page)

    def join_held_upwards(self) -> None:
        """The held page-foot row continues the activity above (an unnumbered row, as before)."""
        if self.held is not None:
            (cells, page), self.held = self.held, None
            self.continue_activity(cells, at_page_top=False, page=page)

    def join_held_downwards(self, page: int) -> None:
        """The held page-foot row is the first fragment of the activity just opened on `page`."""
        (cells, foot_page), self.held = self.held, None
        for name, cell in cells.items():
            self.activity.fragments.setdefault(name, []).insert(0, Fragment.of(cell))
        texts = "; ".join(f"{n}: {quoted(c.text)}" for n, c in cells.items())
        detail = (
            f"row starts at the foot of page {foot_page} in {', '.join(cells)} only and continues with "
            f"its number on page {page}: joined downwards to {self.activity.number}: {texts}"
        )
        self.review(",".join(cells), "page_break_stitched", detail, page)

    def named_cells(self, inked: list[Cell], fields: dict[int, str]) -> dict[str, Cell]:
        """The row's cells by field; two cells under one field are joined (a column the header
        does not split), and a cell under no header's column is reviewed."""
        named: dict[str, Cell] = {}
        for c in inked:
            if c.col not in fields:
                self.unplaced([c], "printed in a column under no header")
            elif fields[c.col] in named:
                named[fields[c.col]] = joined(named[fields[c.col]], c)
            else:
                named[fields[c.col]] = c
        return named

    def not_the_plan(self, table: PageTable, rows: dict[int, list[Cell]]) -> None:
        """A table before the header's page whose columns do not line up with it: printed before
        every page of the plan's table (a cover box, say) it is preamble; else it is reviewed."""
        cells = [c for row in rows.values() for c in row if c.lines]
        if self.plan_pages:
            self.unplaced(cells, "in a table whose columns do not line up with the header")
            self.unplaced_lines(table)
            return
        self.out.preamble_pages.add(table.page)
        self.out.preamble += [c.text for c in cells] + table.unplaced
        self.consumed(cells, "preamble")
        self.out.placed += ink(table.unplaced)

    def start_header(self, table: PageTable, cells: list[Cell], fields: dict[int, str], above) -> None:
        """A header row (the document's, or its repeat): rows above the first are the preamble,
        rows above a repeat are reviewed."""
        bounds = column_bounds(table)
        self.columns = {bounds[col]: f for col, f in fields.items() if col in bounds}
        self.consumed(cells, "header")
        above_cells = [c for row in above for c in row if c.lines]
        if table.page != self.out.header_page:
            self.unplaced(above_cells, "a row above a repeated header")
            return
        self.out.preamble_pages.add(table.page)
        self.out.preamble += [c.text for c in above_cells]
        self.consumed(above_cells, "preamble")

    def number_column_by_content(
        self, header: list[Cell], fields: dict[int, str], rows: dict[int, list[Cell]]
    ) -> dict[int, str]:
        """A column whose header names nothing but whose cells are all outline numbers ("1.1.2",
        "A.1.1", "(ii)", "3)") is the activity-number column: its header glyph ("№", "#") may simply
        be unreadable. Not a column whose header names an amount: "68.10" there is money."""
        if "number" in fields.values():
            return fields
        for cell in header:
            named = map_header(cell.text, self.layout) is not None or is_amount_header(cell.text, self.layout)
            if cell.col in fields and not named:
                texts = [c.text for cells in rows.values() for c in cells
                         if c.col == cell.col and c.col_span == 1 and c.lines]  # fmt: skip
                if texts and all(is_outline_number(t) for t in texts):
                    return {**fields, cell.col: "number"}
        return fields

    def check_required(self, cells: list[Cell], fields: dict[int, str]) -> None:
        """A required field with no column, beside headers nothing names: refuse to guess."""
        present = present_fields(list(fields.values()))
        missing = [f for f in self.layout.required_fields if f not in present]
        unknown = [c.text for c in cells if c.col in fields and map_header(c.text, self.layout) is None]
        if missing and unknown:
            names = ", ".join(quoted(u) for u in unknown)
            raise LayoutError(
                f"header {names} cannot be mapped to a field (no column found for {', '.join(missing)}); "
                "name it in a layout profile (--layout): `nap layout suggest PLAN.pdf --write profile.yaml` "
                "writes one to fill in"
            )

    def row(self, cells: dict[str, Cell], at_page_top: bool, page: int) -> None:
        for name in SPAN_FIELDS:
            if name in cells:
                self.heading_cell(cells.pop(name), name, at_page_top)
        printed = self.activity_printed(cells, at_page_top)
        if printed:
            self.new_activity(printed, cells)
        elif cells:
            self.continue_activity(cells, at_page_top, page)

    @property
    def parent_id(self) -> str | None:
        """The id a relative activity number is read under: the open objective's, else the goal's."""
        block = self.objective or self.goal
        return block.number if block else None

    def activity_number(self, cells: dict[str, Cell], at_page_top: bool = False) -> str | None:
        """The id of the activity a row opens (a relative number resolved); None when it opens none."""
        printed = self.activity_printed(cells, at_page_top)
        return resolve(printed.number, self.parent_id) if printed else None

    def activity_printed(self, cells: dict[str, Cell], at_page_top: bool) -> Printed | None:
        """The number opening a new activity: from a number column if there is one, else the
        activity cell, where a lone part ("3.", "(ii)") counts only as the next of its sequence
        (`follows`), so that a line of text starting "2." does not open an activity."""
        labels = self.layout.heading_labels
        if "number" in cells:
            parsed = parse_activity(cells["number"].text.rstrip(". "), labels)
            return parsed[0] if parsed else None
        act = cells.get("activity")
        parsed = parse_activity(act.text, labels) if act else None
        if parsed is None:
            return None
        printed = parsed[0]
        return printed if len(printed.parts) > 1 or follows(printed, self.activity, at_page_top) else None

    def section_row(self, cell: Cell, at_page_top: bool) -> None:
        """A full-width row: a goal or objective heading, or the continuation of one."""
        name, printed, _ = parse_heading(cell.text, self.layout.heading_labels)
        if printed and not name:
            name = self.section_level(printed, at_page_top)
        if name in SPAN_FIELDS and printed:
            self.open_heading(name, printed, cell)
        elif self.heading is not None and at_page_top:
            self.extend_heading(self.heading, "section", cell, at_page_top)
        else:
            detail = f"full-width row that is no heading: {quoted(cell.text)}"
            self.left_out("row", "unrecognised_row", detail, [cell])

    def section_level(self, printed: Printed, at_page_top: bool) -> str | None:
        """The level an unlabelled section number opens. Outline numbers say it by their depth
        ("A." goal, "A.1" objective); a lone part is a goal when none is open yet or when it
        continues the goals' sequence ("B." after "A.", "II." after "I."), else an objective ("(a)"
        after "2.") when it continues the objectives' sequence or starts one."""
        if len(printed.parts) > 1:
            return {2: "objective"}.get(len(printed.parts))
        if self.goal is None:
            return "goal"
        if self.goal.printed and same_sequence(printed, self.goal.printed):
            return "goal" if follows(printed, self.goal, at_page_top) else None
        return "objective" if follows(printed, self.last_objective, at_page_top) else None

    @property
    def last_objective(self) -> Block | None:
        """The objective printed last, under any goal: lettered objectives may run on across goals."""
        return self.out.objectives[-1] if self.out and self.out.objectives else None

    def heading_cell(self, cell: Cell, name: str, at_page_top: bool) -> None:
        """A cell of a merged goal or objective column: a new heading, or more of the open one.
        The column names the level, so a lone part ("(a)" in the objective column) is relative."""
        label, printed, _ = parse_heading(cell.text, self.layout.heading_labels)
        depth = SPAN_FIELDS.index(name) + 1
        last = self.goal if name == "goal" else self.last_objective
        lone = printed is not None and len(printed.parts) == 1 and follows(printed, last, at_page_top)
        if printed and (label == name or (label is None and (len(printed.parts) == depth or lone))):
            self.open_heading(name, printed, cell)
            return
        current = self.goal if name == "goal" else self.objective
        if current is None:
            self.left_out(name, "unnumbered_cell", f"no {name} is open for: {quoted(cell.text)}", [cell])
            return
        self.extend_heading(current, name, cell, at_page_top)

    def open_heading(self, name: str, printed: Printed, cell: Cell) -> None:
        up = self.goal.number if name == "objective" and self.goal else None
        number = resolve(printed.number, up)
        previous = self.goal if name == "goal" else self.last_objective
        block = Block(number, goal=self.goal, printed=printed, ordinal=sequence_ordinal(printed, previous))
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
        self.review(what, kind, f"{what} {current.number} {how}: {quoted(cell.text)}", cell.page)

    def new_activity(self, printed: Printed, cells: dict[str, Cell]) -> None:
        number = resolve(printed.number, self.parent_id)
        block = Block(number, goal=self.goal, objective=self.objective, printed=printed,
                      ordinal=sequence_ordinal(printed, self.activity))  # fmt: skip
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
        texts = "; ".join(f"{n}: {quoted(c.text)}" for n, c in cells.items())
        if self.activity is None:
            detail = f"row before any numbered activity: {texts}"
            self.left_out("row", "orphan_row", detail, list(cells.values()))
            return
        if at_page_top and self.after_lost:
            why = f"row at the top of page {page}, after a page that could not be read: not joined to "
            self.unplaced(list(cells.values()), why + str(self.activity.number))
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


def is_outline_number(text: str) -> bool:
    """A cell holding nothing but a number that cannot be a count: "1.1.2", "A.1", "(ii)", "3)", "B."."""
    parsed = parse_number(text)
    if parsed is None or parsed[1]:
        return False
    printed = parsed[0]
    return len(printed.parts) > 1 or bool(printed.opener or printed.closer)


def sequence_ordinal(printed: Printed, previous: Block | None) -> int | None:
    """The place of a lone printed part in its sequence, read after the one printed before it."""
    if len(printed.parts) > 1:
        return None
    before = previous.printed.parts[0] if previous and previous.printed and previous.ordinal else None
    return ordinal(printed.parts[0], before)


def follows(printed: Printed, last: Block | None, at_page_top: bool) -> bool:
    """Whether a lone printed part ("3.", "(ii)", "B.") opens the next item of its level: the first
    of a sequence ("1", "a", "i": numbering may restart under each parent), or one after the last
    lone part printed at that level in the same style; the same one again is a repeat ("N#k"), but
    not at a page's top, where a line starting with it continues the cell above."""
    n = sequence_ordinal(printed, last)
    if n == 1:
        return True
    if n is None or last is None or last.ordinal is None or not same_sequence(printed, last.printed):
        return False
    return n > last.ordinal or (n == last.ordinal and not at_page_top)


def assemble(tables: list[PageTable], layout: Layout, lost: frozenset[int] = frozenset()) -> Assembly:
    """Goals, objectives and activities as fragment lists, plus the repairs made; `lost`: pages
    that could not be read (--keep-going), across which no row continues."""
    return Assembler(layout, lost).run(tables)
