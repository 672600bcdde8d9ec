"""What to typeset: a plan as activity rows, and the look of the printed table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# The shipped plan's header, in printed order.
DEFAULT_COLUMNS: list[tuple[str, str]] = [
    ("goal", "Strategic Goal"),
    ("objective", "Objective"),
    ("activity", "Activity"),
    ("responsible", "Responsible Governmental Agency"),
    ("partner", "Partner Organization"),
    ("indicator", "Indicator"),
    ("timeline", "Timeline"),
]

# Relative column widths by field (the shipped plan's proportions); other fields get EXTRA_WIDTH.
DEFAULT_WIDTHS: dict[str, float] = {
    "goal": 74,
    "objective": 91,
    "number": 40,
    "activity": 158,
    "responsible": 159,
    "partner": 85,
    "indicator": 119,
    "timeline": 59.5,
}
EXTRA_WIDTH = 85.0

MERGED_FIELDS = ("goal", "objective")


@dataclass
class Row:
    """One activity of the plan.

    cells: printed text by field (responsible, partner, indicator, timeline, any extra field); "goal",
    "objective" and "activity" here override the printed text of those cells (merged goal/objective
    cells take it from the first row of their span; the activity override is used only when there is
    no number column). paragraphs: a cell's text split into paragraphs, each starting a new line;
    " ".join(paragraphs[f]) must equal the printed text of the cell.
    """

    goal_id: str
    goal: str
    objective_id: str
    objective: str
    activity_id: str
    activity: str
    cells: dict[str, str] = field(default_factory=dict)
    paragraphs: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Style:
    """The look of the printed plan.

    producer: the PDF library that draws the layout ("reportlab" or "fpdf2").
    page_size, landscape: the paper ("A4" or "Letter") and its orientation.
    font: reportlab uses the standard Times-Roman / Helvetica (bold for the header); fpdf2 embeds a
        TrueType font: sans = Vera from the reportlab package, serif = a serif TTF shipped by an
        installed Python package (matplotlib's DejaVu Serif) if there is one, else Vera as well.
    font_path, bold_font_path: a TrueType file to print all text in instead (bold_font_path for the
        header, default font_path), with both producers: for scripts the standard fonts lack, e.g.
        Georgian in DejaVu Sans. Both embed it; `font` is then not used.
    font_size: in points; lines are 1.2 x font_size apart.
    structure: "merged" prints goal and objective as leading columns whose cells span their
        activities' rows; "sections" prints them as full-width rows above their activities (then
        columns must not include goal or objective).
    columns: (field, header text) in printed order. Fields: goal, objective (merged only), number
        (the activity number in its own column), activity, responsible, partner, indicator,
        timeline, or any extra field found in Row.cells.
    widths: relative column widths by field; missing ones come from DEFAULT_WIDTHS (EXTRA_WIDTH for
        extra fields). They are scaled to fill the width between the margins.
    header_repeat: the header row on every page, or only on page 1.
    borders: "lines" strokes every rule 0.5 pt wide; "rects" fills 0.5 pt thin rectangles instead.
    rules: which rules are printed. "grid": every cell's sides; "horizontal": only the horizontal ones
        (under the header, between rows, across a merged column only where its cell starts or ends);
        "booktabs": a thick rule on top and bottom of the table on each page and a thin one under the
        header, none between rows; "shaded": no rules, the header and section rows on grey filled
        rectangles drawn before the text.
    open_breaks: at a page break, no rule under the cells that continue on the next page (split
        rows and row-spanning cells) and none above their continuation.
    split_rows: how a row that does not fit at a page's foot breaks. "together": every column
        breaks after the same line. "fragment", as browsers print tables: the number and activity
        columns (and, varied by row, some others) move whole to the next page, the other columns
        print their first lines, or all of a short text, at the foot; merged cells starting with
        the row sometimes move too (so a goal or objective starts at the next page's top).
    goal_label, objective_label: text of a merged goal/objective cell (unless Row.cells overrides it)
        or of a section row ({id}, {title}).
    activity_label: the activity cell text when there is no number column (unless Row.cells
        overrides it); with a number column the activity cell prints the bare title.
    number_label: the number column's text.
    preamble: lines centred above the table on page 1.
    margins: page margins on all four sides, in points.
    """

    producer: Literal["reportlab", "fpdf2"] = "reportlab"
    page_size: Literal["A4", "Letter"] = "A4"
    landscape: bool = True
    font: Literal["serif", "sans"] = "serif"
    font_path: str | None = None
    bold_font_path: str | None = None
    font_size: float = 10
    structure: Literal["merged", "sections"] = "merged"
    columns: list[tuple[str, str]] = field(default_factory=lambda: list(DEFAULT_COLUMNS))
    widths: dict[str, float] = field(default_factory=dict)
    header_repeat: bool = False
    borders: Literal["lines", "rects"] = "lines"
    rules: Literal["grid", "horizontal", "booktabs", "shaded"] = "grid"
    open_breaks: bool = False
    split_rows: Literal["together", "fragment"] = "together"
    goal_label: str = "{id}. {title}"
    objective_label: str = "{id} {title}"
    activity_label: str = "{id} {title}"
    number_label: str = "{id}"
    preamble: list[str] = field(default_factory=list)
    margins: float = 42

    def fields(self) -> list[str]:
        return [f for f, _ in self.columns]

    def width_of(self, name: str) -> float:
        return self.widths.get(name, DEFAULT_WIDTHS.get(name, EXTRA_WIDTH))

    def validate(self) -> None:
        fields = self.fields()
        if not fields:
            raise ValueError("Style.columns is empty")
        if len(set(fields)) != len(fields):
            raise ValueError(f"a field appears twice in Style.columns: {fields}")
        if self.structure == "sections" and any(f in MERGED_FIELDS for f in fields):
            raise ValueError("structure 'sections' prints goal and objective as section rows, not columns")
        if self.rules not in ("grid", "horizontal", "booktabs", "shaded"):
            raise ValueError(f"unknown rules {self.rules!r}")
        if self.split_rows not in ("together", "fragment"):
            raise ValueError(f"unknown split_rows {self.split_rows!r}")
        if self.producer not in ("reportlab", "fpdf2"):
            raise ValueError(f"unknown producer {self.producer!r}")
        if self.bold_font_path and not self.font_path:
            raise ValueError("bold_font_path needs font_path")
        if self.font_size <= 0 or self.margins < 0:
            raise ValueError("font_size must be positive and margins non-negative")
