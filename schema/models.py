"""The one data model the stages pass along.

`extract/` turns a PDF into an `ExtractedDocument` (positioned cells); `normalize/` turns that
into a `Plan`; the writers serialise the `Plan`. Everything a stage needs from the one before
it is in these models, so each stage can be tested on its own.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Column = Literal["responsible", "partner"]
Role = Literal["leading", "supporting", "partner"]
Match = Literal["exact", "alias", "fuzzy", "unmatched"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BBox(_Model):
    """A box in PDF points, origin at the top-left of the page (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float


class Provenance(_Model):
    """Where a value was printed: 1-based page number and the box of the cell."""

    page: int
    bbox: BBox


class TextLine(_Model):
    """One printed line of a cell, with the geometry the repair rules need."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    first_word_width: float = Field(
        description="width of the first word, to tell wrapped lines from hard breaks"
    )


class Cell(_Model):
    """A table cell as ruled on the page; a merged cell is one cell with a span."""

    page: int
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    bbox: BBox
    lines: list[TextLine] = Field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


class PageTable(_Model):
    """The ruled table found on one page, with the text printed outside it."""

    page: int
    bbox: BBox
    n_rows: int
    n_cols: int
    cells: list[Cell]
    text_above: list[str] = Field(default_factory=list)
    text_below: list[str] = Field(default_factory=list)


class SourceInfo(_Model):
    name: str
    sha256: str
    pages: int


class PageText(_Model):
    """Lines printed on a page that holds no ruled table."""

    page: int
    lines: list[str]


class ExtractedDocument(_Model):
    """The output of `extract/`: every page's table as positioned cells."""

    source: SourceInfo
    engine: str
    tables: list[PageTable]
    untabled: list[PageText] = Field(default_factory=list)


class Timeline(_Model):
    text: str
    start: date | None = None
    end: date | None = None


class AgencyLink(_Model):
    """One registry entity a mention resolves to (or none, when unmatched)."""

    agency_id: str | None
    agency_name: str | None
    match: Match
    score: float | None = None


class AgencyMention(_Model):
    seq: int
    column: Column
    role: Role
    mention: str
    note: str | None = None
    links: list[AgencyLink]


class Activity(_Model):
    activity_id: str
    goal_id: str
    objective_id: str
    title: str
    cells: dict[str, str] = Field(description="the cleaned text of each cell as printed, by field")
    mentions: list[AgencyMention]
    indicators: list[str]
    timeline: Timeline
    extra: dict[str, str] = Field(default_factory=dict, description="columns beyond the standard seven")
    provenance: dict[str, list[Provenance]]

    @property
    def pages(self) -> list[int]:
        return sorted({p.page for prov in self.provenance.values() for p in prov})


class Objective(_Model):
    objective_id: str
    title: str
    text: str
    provenance: list[Provenance]
    activities: list[Activity]


class Goal(_Model):
    goal_id: str
    title: str
    text: str
    provenance: list[Provenance]
    objectives: list[Objective]


class Agency(_Model):
    """A registry entry: one organisation, unit or group of the plan's domain."""

    id: str
    name: str
    short_name: str | None = None
    kind: str
    parent: str | None = None
    host: str | None = Field(default=None, description="body hosting its secretariat, not its parent")
    aliases: list[str] = Field(default_factory=list)


class ReviewItem(_Model):
    """A repair the pipeline made, or something it could not resolve."""

    activity_id: str
    field: str
    kind: str
    detail: str
    page: int | None = None


class Plan(_Model):
    source: SourceInfo
    engine: str
    preamble: list[str]
    columns: list[str] = Field(description="the header as printed, in order")
    goals: list[Goal]
    agencies: list[Agency] = Field(description="the registry entries the plan uses")
    review: list[ReviewItem]

    def activities(self) -> list[Activity]:
        return [a for g in self.goals for o in g.objectives for a in o.activities]
