"""The one data model the stages pass along.

`extract/` turns a PDF into an `ExtractedDocument` (positioned cells); `normalize/` turns that
into a `Plan`; the writers serialise the `Plan`. Everything a stage needs from the one before
it is in these models, so each stage can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_serializer, model_validator

from schema.names import quoted
from schema.review_kinds import ReviewKind

Column = Literal["responsible", "lead", "supporting", "partner"]  # the agency cell a mention is printed in
Role = Literal["leading", "supporting", "partner"]
Match = Literal["exact", "alias", "fuzzy", "unmatched"]
Structure = Literal["lattice", "stream"]
STRUCTURE = (
    "lattice: cells ruled on all sides (the engine's ruling lines); stream: a lightly ruled table, "
    "columns from the header and the text's alignment, rows from the horizontal rules or the text lines"
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class BBox(_Model):
    """A box in PDF points, origin at the top-left of the page (pdfplumber's convention)."""

    x0: float
    top: float
    x1: float
    bottom: float

    @classmethod
    def around(cls, boxes: Iterable[BBox]) -> BBox:
        """The smallest box holding every one of `boxes` (at least one)."""
        boxes = list(boxes)
        return cls(
            x0=min(b.x0 for b in boxes),
            top=min(b.top for b in boxes),
            x1=max(b.x1 for b in boxes),
            bottom=max(b.bottom for b in boxes),
        )


class Provenance(_Model):
    """Where a value was printed: 1-based page number and the box of the cell."""

    page: int
    bbox: BBox


class FootnoteMarker(_Model):
    """A raised, smaller mark printed right after a word (a footnote reference), kept out of the text."""

    word: str = Field(description="the word it is printed after, as printed")
    marker: str


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
    markers: list[FootnoteMarker] = Field(
        default_factory=list, description="footnote markers printed after a word, left out of `text`"
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


class OcrWord(_Model):
    """A word OCR read with a confidence below the threshold, and what the machine saw."""

    text: str = Field(description="the word as read")
    bbox: BBox = Field(description="its box on the page, in the levelled (deskewed) page's points")
    confidence: float = Field(description="the engine's confidence in the word, 0-100")
    crop: str | None = Field(
        default=None, description="the scan around the word, a PNG as a data: URI (shown in review.html)"
    )


class PageTable(_Model):
    """The ruled table found on one page, with the text printed outside it."""

    page: int
    bbox: BBox
    n_rows: int
    n_cols: int
    cells: list[Cell]
    text_above: list[str] = Field(default_factory=list)
    text_below: list[str] = Field(default_factory=list)
    structure: Structure = Field(default="lattice", description=STRUCTURE)
    bands: bool = Field(
        default=False,
        description="stream only: each grid row is one band of text lines (no rule parts the rows), "
        "grouped into rows by normalize/ where an activity number or a heading starts",
    )
    printed: int = Field(
        default=0,
        description="non-whitespace characters printed inside the table's area: in its cells (footnote "
        "markers included) or inside its outline in no cell (`unplaced`), counted from the glyphs",
    )
    unplaced: list[str] = Field(
        default_factory=list, description="lines printed inside the table's outline but in none of its cells"
    )
    uncertain: list[OcrWord] = Field(
        default_factory=list,
        description="an OCR'd page only: the words read with a confidence below the threshold, each with "
        "the scan around it (normalize/ turns those inside a value into `low_confidence_ocr` items)",
    )


class PageStructure(_Model):
    """How the table's cells were found on one page."""

    page: int
    structure: Structure = Field(description=STRUCTURE)


class Limits(_Model):
    """What extraction agrees to spend on one PDF; past any of these it stops with `LimitExceeded`.

    The defaults are far above any real plan and keep a hostile file's peak memory under 1 GB
    (measured: tests/test_limits.py; README "Resource limits"). Each has a CLI option to raise it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_page_content_mb: float = Field(
        default=1, gt=0, description="decompressed content of one page (its content streams and forms)"
    )
    max_content_mb: float = Field(default=16, gt=0, description="decompressed content of all pages")
    max_paths: int = Field(default=100_000, gt=0, description="path segments drawn on one page")
    max_page_size: float = Field(
        default=14_400, gt=0, description="width or height of a page"
    )  # 14,400 points (200 inches): the largest page PDF itself allows
    max_ocr_megapixels: float = Field(
        default=40, gt=0, description="image of one page rendered for OCR (A2 at 300 dpi is 35)"
    )  # Tesseract holds several copies of the image: 40 Mpx keeps a page's OCR near 1 GB


class Licence(_Model):
    """The terms the data is under, in words, and when it has them an identifier and an address."""

    title: str = Field(description="the terms in words")
    name: str | None = Field(default=None, description='an Open Definition or SPDX id ("CC-BY-4.0")')
    path: str | None = Field(default=None, description="the address of the terms' full text")


class Publication(_Model):
    """What a PDF cannot say of itself: where it was published, under what terms, and what this copy
    is. Read from the sidecar `<pdf stem>.source.yaml` beside the PDF (every field optional)."""

    title: str | None = Field(default=None, description="the title under which it was published")
    publisher: str | None = None
    source_url: str | None = Field(default=None, description="where the publisher published it")
    retrieved: date | None = Field(default=None, description="when this copy was fetched from there")
    licence: Licence | None = Field(
        default=None, description="the terms of the data; a plain text is the terms in words"
    )
    notice: str | None = Field(default=None, description="what a reader of this copy must know of it")

    @field_validator("licence", mode="before")
    @classmethod
    def _licence_in_words(cls, value: object) -> object:
        return {"title": value} if isinstance(value, str) else value


class SourceInfo(_Model):
    name: str
    sha256: str
    bytes: int
    pages: int
    producer: str | None = Field(default=None, description="the PDF's Producer, as its metadata says")
    creator: str | None = Field(default=None, description="the PDF's Creator, as its metadata says")
    title_meta: str | None = Field(default=None, description="the PDF's Title metadata, not as printed")
    created: str | None = Field(default=None, description="the PDF's CreationDate, ISO 8601")
    modified: str | None = Field(default=None, description="the PDF's ModDate, ISO 8601")
    publication: Publication | None = Field(
        default=None, description="from the PDF's sidecar `<stem>.source.yaml`, when it has one"
    )


class PageText(_Model):
    """Lines printed on a page that holds no ruled table."""

    page: int
    lines: list[str]


class LostPage(_Model):
    """A page that could not be read (extracted with --keep-going: the other pages were)."""

    page: int
    reason: str = Field(description='why, as the reader said ("PDFium: Failed to load page")')
    read_in_part: bool = Field(
        default=False, description="the page was read as far as its damaged content allows, not left out"
    )


class LegacyFont(_Model):
    """A font that draws Georgian letters on Latin code points (AcadNusx, LitNusx, AcadMtavr ...),
    whose text was converted to Unicode Georgian (extract/legacy.py)."""

    name: str = Field(description='the base font name, without a subset prefix ("AcadNusx")')
    pages: list[int] = Field(description="the pages its text was converted on")
    characters: int = Field(description="the characters converted")


LEGACY_FONTS = "fonts that draw Georgian on Latin code points whose text was converted to Unicode Georgian"


class OcrPage(_Model):
    """A page read by OCR."""

    page: int
    dpi: int = Field(description="the resolution it was read at: the setting, or its scan's own when lower")
    skew: float = Field(description="degrees the page image was turned to level its rulings")
    words: int = Field(description="the words read")
    uncertain: int = Field(description="the words read with a confidence below the threshold")
    mean_confidence: float = Field(description="the mean word confidence, 0-100")
    blank: int = Field(
        default=0,
        description="words the engine read where the cleaned scan has no ink (a gap between columns): "
        "nothing printed there, so left out",
    )


class OcrInfo(_Model):
    """Which pages were read by OCR, and with what (the pages without a usable text layer)."""

    mode: Literal["auto", "always", "never"] = Field(
        description="auto: pages without a usable text layer; always: every page; never: none"
    )
    engine: str = Field(description='the OCR engine ("tesseract")')
    version: str = Field(description="the engine's version")
    languages: list[str] = Field(description='the language data used ("eng"), as the engine names it')
    language_data: str = Field(description="the package (and version) the language data came from")
    dpi: int = Field(description="the resolution pages are rendered at for OCR (a coarser scan at its own)")
    min_confidence: float = Field(description="a word below this confidence is shown for review")
    pages: list[OcrPage] = Field(default_factory=list, description="the pages read by OCR")


class ExtractedDocument(_Model):
    """The output of `extract/`: every page's table as positioned cells."""

    source: SourceInfo
    engine: str
    tables: list[PageTable]
    untabled: list[PageText] = Field(default_factory=list)
    lost_pages: list[LostPage] = Field(default_factory=list)
    legacy_fonts: list[LegacyFont] = Field(default_factory=list, description=LEGACY_FONTS)
    ocr: OcrInfo | None = Field(default=None, description="the pages read by OCR; none when no page was")


class Timeline(_Model):
    text: str
    start: date | None = None
    end: date | None = None


class Amount(_Model):
    """The money an amount column's cell states: empty when it names none ("State budget")."""

    value: float | None = None
    currency: str | None = Field(default=None, description="ISO 4217 code, from the cell or its header")


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
    amounts: dict[str, Amount] = Field(
        default_factory=dict, description="the amount read from each extra column that holds money, by column"
    )
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


class Alias(_Model):
    """Another name of a registry entry, valid for a span of time (Popolo's `other_names`).

    Dates are inclusive and optional: no `start_date` means "since before any plan", no
    `end_date` means "still in use". Matching ignores them (a renamed body keeps one id across
    editions); a plan whose period lies wholly outside them gets a review item.
    """

    name: str
    start_date: date | None = Field(default=None, description="first day the name was in use")
    end_date: date | None = Field(default=None, description="last day the name was in use")
    note: str | None = Field(default=None, description="where the name or its dates come from")

    @model_validator(mode="after")
    def _ordered(self) -> Alias:
        if self.start_date and self.end_date and self.start_date > self.end_date:
            raise ValueError(
                f"alias {quoted(self.name)}: start_date {self.start_date} is after end_date {self.end_date}"
            )
        return self

    def overlaps(self, start: date, end: date) -> bool:
        """Was the name in use on any day of [start, end]?"""
        return (self.start_date is None or self.start_date <= end) and (
            self.end_date is None or self.end_date >= start
        )

    def validity(self) -> str:
        """The span in words: "until 2018-12-15", "from 2021-03-16", "2008-11-11 to 2018-12-15"."""
        if self.start_date and self.end_date:
            return f"{self.start_date} to {self.end_date}"
        if self.end_date:
            return f"until {self.end_date}"
        return f"from {self.start_date}" if self.start_date else "at any date"


class Agency(_Model):
    """A registry entry: one organisation, unit or group of the plan's domain."""

    id: str
    name: str
    short_name: str | None = None
    kind: str
    parent: str | None = None
    host: str | None = Field(default=None, description="body hosting its secretariat, not its parent")
    aliases: list[Alias] = Field(
        default_factory=list, description="other names; a plain string in the registry is an undated alias"
    )

    @field_validator("aliases", mode="before")
    @classmethod
    def _plain_names(cls, value: object) -> object:
        if isinstance(value, list):
            return [{"name": v} if isinstance(v, str) else v for v in value]
        return value


class Candidate(_Model):
    """A registry entry a mention resembles, and how closely."""

    agency_id: str
    name: str | None = Field(default=None, description="the entry's canonical name")
    score: float = Field(description="similarity to the mention, 0-100 (100: a name the registry has)")


class ReviewItem(_Model):
    """A repair the pipeline made, or something it could not resolve."""

    activity_id: str
    field: str
    kind: ReviewKind = Field(description="what was done or is unresolved: a kind of schema.review_kinds")
    detail: str
    page: int | None = None
    text: str | None = Field(
        default=None,
        description="the printed text the item is about, where it is one piece: the agency mention, "
        "the word a footnote marker follows, the line printed outside the table",
    )
    candidates: list[Candidate] = Field(
        default_factory=list,
        description="an agency mention's closest registry entries, best first (the kinds about its match)",
    )
    crop: str | None = Field(
        default=None,
        description="OCR'd text only: the scan of what the item is about, a PNG as a data: URI; "
        "left out of plan.json when there is none",
    )

    @model_serializer(mode="wrap")
    def _without_empty_crop(self, handler):
        """An item about printed text serialises as it did before OCR'd text had crops."""
        data = handler(self)
        if isinstance(data, dict) and data.get("crop") is None:
            data.pop("crop", None)
        return data


class CharacterCount(_Model):
    """Conservation of the table's text: non-whitespace characters printed inside the tables' areas,
    and where they went. `printed == placed + in_review` when nothing was dropped."""

    printed: int = Field(description="counted by extract from the glyphs inside each table's area")
    placed: int = Field(
        description="in an output value: the header, the preamble, a goal's, objective's or activity's "
        "cells (counted on the cell text consumed, before repairs and splitting)"
    )
    in_review: int = Field(
        description="in a review item instead: text that could not be placed, footnote markers"
    )


class Plan(_Model):
    source: SourceInfo
    engine: str
    preamble: list[str]
    columns: list[str] = Field(description="the header as printed, in order")
    decimal_mark: Literal[".", ","] | None = Field(
        default=None,
        description="the decimal mark of the plan's amounts, decided from all of them; null when none "
        "shows one (a lone mark before three digits is then read as grouping thousands)",
    )
    goals: list[Goal]
    agencies: list[Agency] = Field(description="the registry entries the plan uses")
    review: list[ReviewItem]
    structures: list[PageStructure] = Field(
        default_factory=list, description="how the table was found on each page holding a part of it"
    )
    characters: CharacterCount | None = Field(
        default=None, description="where the characters printed inside the table went (see CharacterCount)"
    )
    legacy_fonts: list[LegacyFont] = Field(
        default_factory=list, description=LEGACY_FONTS + "; left out of plan.json when there is none"
    )
    ocr: OcrInfo | None = Field(
        default=None, description="the pages read by OCR; left out of plan.json when no page was"
    )

    @model_serializer(mode="wrap")
    def _without_empty_additions(self, handler):
        """A plan with no legacy-font text and no OCR'd page serialises as it did before those fields."""
        data = handler(self)
        if isinstance(data, dict):
            for key in ("legacy_fonts", "ocr"):
                if not data.get(key):
                    data.pop(key, None)
        return data

    def activities(self) -> list[Activity]:
        return [a for g in self.goals for o in g.objectives for a in o.activities]
