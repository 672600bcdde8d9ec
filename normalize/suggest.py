"""What layout detection finds in a document, and a profile skeleton for what it cannot map.

`nap layout suggest` prints this so a maintainer facing a new plan sees, before reading any
code, which structure each page was read with, how each header cell maps to a field, how the
plan numbers its rows and where agency roles come from, and, for every header the vocabulary
does not know, the profile lines to fill in.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import yaml
from rapidfuzz import fuzz, process

from normalize.agencies import label_pattern
from normalize.config import Layout
from normalize.header import header_fields, header_key, map_header, snake_case
from normalize.plan import block_text
from normalize.rows import Assembly, LayoutError, assemble, rows_of
from schema.models import Cell, ExtractedDocument, PageTable
from schema.names import quoted

AGENCY_FIELDS = ("responsible", "lead", "supporting", "partner")
GUESS_SCORE = 70  # an unmapped header this like a free field's known header is guessed to name it
SEARCH_ROWS = 5  # rows looked at for a header when the vocabulary recognises none
_ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$", re.I)


@dataclass(frozen=True)
class HeaderCell:
    col: int
    text: str
    field: str | None  # the field it maps to; None when the vocabulary does not know it
    guess: str | None = None  # for an unmapped header: the field of the closest known header
    guess_from: str | None = None  # that known header
    score: float = 0.0


@dataclass
class Suggestion:
    pages: list[tuple[int, str]]  # (page, structure) of every page holding a table
    header_page: int | None = None
    header: list[HeaderCell] = field(default_factory=list)
    headings: str = ""  # "merged columns", "section rows" or ""
    numbering: dict[str, list[str]] = field(default_factory=dict)  # level -> first ids
    roles: list[str] = field(default_factory=list)
    activities: int = 0
    problem: str | None = None  # why the document does not extract with this layout

    @property
    def unmapped(self) -> list[HeaderCell]:
        return [h for h in self.header if h.field is None]


def closest_field(text: str, layout: Layout, fields: list[str]) -> tuple[str | None, str | None, float]:
    """(field, known header, score) of the known header of `fields` most like `text` (token_set_ratio)."""
    names = {header_key(n): (f, n) for f in fields for n in layout.fields.get(f, [])}
    best = process.extractOne(header_key(text), list(names), scorer=fuzz.token_set_ratio)
    if not best:
        return None, None, 0.0
    fld, name = names[best[0]]
    return fld, name, round(best[1])


def header_row(tables: list[PageTable], layout: Layout) -> tuple[int, list[Cell]] | None:
    """(page, cells) of the header: the row the pipeline takes, else the likeliest candidate."""
    best: tuple[int, int, list[Cell]] | None = None
    for table in tables:
        rows = list(rows_of(table).values())
        for cells in rows[: max(layout.header_search_rows, SEARCH_ROWS)]:
            inked = [c for c in cells if c.lines]
            if header_fields(inked, layout):
                return table.page, inked
            known = sum(map_header(c.text, layout) is not None for c in inked)
            if len(inked) >= 3 and (best is None or known > best[0]):
                best = (known, table.page, inked)
        if best:
            break
    return (best[1], best[2]) if best else None


def describe_header(cells: list[Cell], layout: Layout) -> list[HeaderCell]:
    """Each header cell with its field; an unmapped one with a guess among the fields no cell names.

    Guesses go to the required fields still missing first, best match first, one header each
    (a field has one column), then to any other free field when the match is close.
    """
    mapped = {c.col: map_header(c.text, layout) for c in cells}
    free = [f for f in layout.fields if f not in mapped.values()]
    missing = [f for f in layout.required_fields if f in free]
    guesses: dict[int, tuple[str | None, str | None, float]] = {}
    pending = [c for c in cells if mapped[c.col] is None]
    while pending and missing:
        scored = [(closest_field(c.text, layout, missing), c) for c in pending]
        (fld, name, score), cell = max(scored, key=lambda sc: sc[0][2])
        guesses[cell.col] = (fld, name, score)
        pending.remove(cell)
        missing.remove(fld)
    for c in pending:
        fld, name, score = closest_field(c.text, layout, free)
        guesses[c.col] = (fld, name, score) if score >= GUESS_SCORE else (None, name, score)
    return [
        HeaderCell(c.col, c.text, mapped[c.col], *guesses.get(c.col, (None, None, 0.0)))
        for c in sorted(cells, key=lambda c: c.col)
    ]


def part_style(part: str) -> str:
    if part.isdigit():
        return "digits"
    if _ROMAN.match(part):
        return "roman or letters" if len(part) == 1 else "roman"
    return "letters" if part.isalpha() else "other"


def numbering_style(ids: list[str]) -> str:
    """The style of each printed part of the first id: "digits.digits", "letters.digits", ..."""
    return ".".join(part_style(p) for p in ids[0].split(".")) if ids else ""


def role_sources(asm: Assembly, layout: Layout) -> list[str]:
    """Which agency columns the plan has and which role labels its cells print."""
    pattern, out = label_pattern(layout), []
    for name in (f for f in AGENCY_FIELDS if f in asm.fields):
        labels = Counter(
            m.group(1).strip().capitalize()
            for b in asm.activities
            for m in pattern.finditer(block_text(b, name))
        )
        default = layout.default_roles.get(name, "?")
        found = ", ".join(f"{k} x{n}" for k, n in labels.most_common()) or "none"
        out.append(f"{name} column: unlabelled items are {default}; labels printed: {found}")
    return out


def suggest(doc: ExtractedDocument, layout: Layout) -> Suggestion:
    """Everything detection finds in `doc` under `layout`, and why extraction fails if it does."""
    found = Suggestion(pages=[(t.page, getattr(t, "structure", "lattice")) for t in doc.tables])
    head = header_row(doc.tables, layout)
    if head:
        found.header_page, cells = head
        found.header = describe_header(cells, layout)
    try:
        asm = assemble(doc.tables, layout)
    except LayoutError as exc:
        found.problem = str(exc)
        return found
    found.headings = "merged columns" if {"goal", "objective"} & set(asm.fields) else "section rows"
    for level, blocks in (("goal", asm.goals), ("objective", asm.objectives), ("activity", asm.activities)):
        found.numbering[level] = [b.number for b in blocks if b.number][:3]
    found.roles = role_sources(asm, layout)
    found.activities = len(asm.activities)
    return found


def profile_skeleton(found: Suggestion, layout: Layout, source: str) -> str:
    """A layout profile listing every unmapped header under the field it most resembles."""
    fields: dict[str, list[str]] = {}
    for h in found.unmapped:
        if h.guess:
            fields.setdefault(h.guess, []).append(h.text)
    lines = [
        f"# Layout profile for {source}, written by `nap layout suggest`.",
        "# Each header below is one the packaged vocabulary does not know, listed under the field it most",
        "# likely names. Check each: move it under the field it names, or delete it to carry the column",
        "# through as an extra column. Then: nap extract PLAN.pdf --layout THIS.yaml",
        f"# Fields: {', '.join(layout.fields)}",
    ]
    body = yaml.safe_dump({"fields": fields}, allow_unicode=True, sort_keys=False, width=1000)
    notes = {
        h.text: f"  # closest known header: {quoted(h.guess_from)} ({h.score:g})" for h in found.unmapped
    }
    for line in body.splitlines():
        item = line.strip()[2:] if line.strip().startswith("- ") else None
        text = yaml.safe_load(item) if item else None
        lines.append(line + notes.get(text, "") if isinstance(text, str) else line)
    for h in found.unmapped:
        if not h.guess:
            column = quoted(snake_case(h.text))
            lines.append(f"# {quoted(h.text)}: no field guessed; carried as the extra column {column}"
                         " unless listed under a field above")  # fmt: skip
    return "\n".join(lines) + "\n"
