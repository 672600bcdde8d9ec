"""Stage 2 as one pure function: `ExtractedDocument` + configuration -> `Plan`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from normalize.agencies import split_agencies
from normalize.amounts import AmountColumns
from normalize.config import Layout
from normalize.header import DATE_COLUMNS, ROLE_COLUMNS, is_lead_first
from normalize.indicators import Piece, closers, openers, split_indicators
from normalize.numbering import gaps, parent, split_activity, split_heading
from normalize.ocr_repair import repair_document
from normalize.ocr_review import ocr_review
from normalize.registry import Decisions, Registry
from normalize.rows import Assembly, Block, assemble, ink
from normalize.text import is_glued, join_lines
from normalize.timeline import parse_start_end, parse_timeline
from schema.models import (
    Activity,
    Agency,
    AgencyMention,
    Amount,
    Candidate,
    CharacterCount,
    ExtractedDocument,
    Goal,
    Objective,
    PageStructure,
    Plan,
    ReviewItem,
    Timeline,
)
from schema.names import quoted
from schema.review_kinds import ReviewKind

STANDARD = ("goal", "objective", "activity", "responsible", "partner", "indicator", "timeline")
# fields that are not carried through as extra columns
STRUCTURAL = (*STANDARD, *ROLE_COLUMNS, *DATE_COLUMNS, "number")
AGENCY_COLUMNS = ("responsible", "lead", "supporting", "partner")  # the order mentions are numbered in


@dataclass(frozen=True)
class Config:
    """Everything a run knows besides the document: layout vocabulary, the registry, and the
    reviewers' decisions on mentions (applied by the registry before any other matching)."""

    layout: Layout
    registry: Registry

    @classmethod
    def load(
        cls, layout: Path | None = None, registry: Path | None = None, decisions: Path | None = None
    ) -> Config:
        """Each file from its path, or the packaged default. Raises ValueError naming the file
        when one does not load, or when a decision names an id the registry does not have."""
        reg = Registry.load(registry)
        return cls(Layout.load(layout), reg.with_decisions(Decisions.load(decisions, reg)))

    @property
    def decisions(self) -> Decisions:
        return self.registry.decisions


def block_text(block: Block, name: str) -> str:
    return join_lines([ln.text for frag in block.fragments.get(name, []) for ln in frag.lines])


def heading(block: Block, labels: dict[str, list[str]]) -> dict:
    """Title, full text and provenance of a goal or objective cell or section row."""
    text = block_text(block, "text")
    return {
        "title": split_heading(text, labels)[2],
        "text": text,
        "provenance": [f.provenance for f in block.fragments["text"]],
    }


def fragment_ink(block: Block | None, names: set[str]) -> int:
    """The non-whitespace characters of the block's fragments of fields `names`, as printed in
    their cells (footnote markers aside: they are reviewed)."""
    if block is None:
        return 0
    return ink(ln.text for name in names for f in block.fragments.get(name, []) for ln in f.lines)


def marker_ink(block: Block) -> int:
    """The characters of the footnote markers of the block's cells (`footnote_markers` lists them)."""
    lines = [ln for frags in block.fragments.values() for f in frags for ln in f.lines]
    return ink(m.marker for ln in lines for m in ln.markers)


def glue_repairs(block: Block, aid: str) -> list[ReviewItem]:
    """Line breaks joined without a space ("Anti-" + "Trafficking"): listed so they can be checked."""
    out = []
    for name, frags in block.fragments.items():
        lines = [(f.page, ln.text) for f in frags for ln in f.lines]
        for (page, left), (_, right) in zip(lines, lines[1:], strict=False):
            if is_glued(left):
                out.append(
                    ReviewItem(
                        activity_id=aid,
                        field=name,
                        kind="joined_without_space",
                        detail=f"{quoted(left.split()[-1])} + {quoted(right.split()[0])}",
                        page=page,
                    )
                )
    return out


def footnote_markers(block: Block, aid: str, heading_field: str = "") -> list[ReviewItem]:
    """Footnote markers printed after a word and kept out of its text: one review item each.

    A goal's or objective's own text is held under "text"; `heading_field` names it there.
    """
    return [
        ReviewItem(
            activity_id=aid,
            field=heading_field if name == "text" and heading_field else name,
            kind="footnote_marker",
            detail=f"footnote marker {quoted(m.marker)} after {quoted(m.word)} left out of the text",
            page=f.page,
            text=m.word,
        )
        for name, frags in block.fragments.items()
        for f in frags
        for ln in f.lines
        for m in ln.markers
    ]


def timeline_field(flag: str, block: Block) -> str:
    """The cell a timeline flag is about: the Start or End cell it names or that was printed alone."""
    if "timeline" in block.fragments or not any(f in block.fragments for f in DATE_COLUMNS):
        return "timeline"
    side = flag.split(":")[0] if flag.startswith(("start:", "end:")) else None
    return side or ("start" if "start" in block.fragments else "end")


def lost_pages(doc: ExtractedDocument) -> list[ReviewItem]:
    """A page the reader could not load, or read only in part (extracted with --keep-going): one
    review item each, first."""
    damaged = "is damaged ({}): its text may be missing or garbled"
    unread = "could not be read ({}): nothing of it is in the outputs"
    return [
        ReviewItem(
            activity_id="",
            field="page",
            kind="page_damaged" if lost.read_in_part else "page_unreadable",
            detail=f"page {lost.page} " + (damaged if lost.read_in_part else unread).format(lost.reason),
            page=lost.page,
        )
        for lost in doc.lost_pages
    ]


def legacy_encoding(doc: ExtractedDocument) -> list[ReviewItem]:
    """Text drawn in legacy Georgian fonts and converted to Unicode Georgian: one item for the document."""
    fonts = doc.legacy_fonts
    if not fonts:
        return []
    said = "; ".join(f"{f.name} ({f.characters} characters, {_pages(f.pages)})" for f in fonts)
    detail = (
        "text typeset in fonts that draw Georgian letters on Latin code points, converted to Unicode "
        f"Georgian (the AcadNusx keyboard mapping): {said}"
    )
    first = min(p for f in fonts for p in f.pages)
    return [ReviewItem(activity_id="", field="page", kind="legacy_encoding", detail=detail, page=first)]


def _pages(pages: list[int]) -> str:
    return ("page " if len(pages) == 1 else "pages ") + ", ".join(map(str, pages))


class PlanBuilder:
    def __init__(self, doc: ExtractedDocument, config: Config):
        self.repair = repair_document(doc, config.layout, config.registry)  # OCR's slips, before all else
        self.doc, self.config = self.repair.doc, config
        unread = frozenset(p.page for p in doc.lost_pages if not p.read_in_part)
        self.asm: Assembly = assemble(self.doc.tables, config.layout, unread)
        self.review: list[ReviewItem] = lost_pages(doc) + legacy_encoding(doc) + list(self.asm.review)
        cells = [block_text(b, "indicator") for b in self.asm.activities]
        self.opening, self.closing = openers(cells), closers(cells)
        self.period = self.plan_period()
        self.money = self.amount_columns()
        self.lead_first = self.lead_first_columns()
        self.blocks: dict[int, Block] = {}  # the block each goal, objective and activity made was made of
        self.in_review = 0  # characters of the table's text in review items made here (footnote markers)

    def markers(self, block: Block, aid: str, heading_field: str = "") -> None:
        """The block's footnote markers, reviewed (and counted as in review)."""
        self.review.extend(footnote_markers(block, aid, heading_field))
        self.in_review += marker_ink(block)

    def plan_period(self) -> tuple[date, date] | None:
        """The span of every parsable timeline: what "ongoing" means in this plan."""
        spans = [self.timeline_parts(b, None)[1:3] for b in self.asm.activities]
        spans = [s for s in spans if s[0] and s[1]]
        return (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None

    def flag(
        self,
        aid: str,
        name: str,
        kind: ReviewKind,
        detail: str,
        block: Block,
        text: str | None = None,
        candidates: Sequence[Candidate] = (),
    ) -> None:
        """A review item on cell `name` of the row, at the cell's first page."""
        frags = block.fragments.get(name) or [f for fs in block.fragments.values() for f in fs]
        page = frags[0].page if frags else None
        item = ReviewItem(
            activity_id=aid, field=name, kind=kind, detail=detail, page=page, text=text, candidates=candidates
        )
        self.review.append(item)

    def lead_first_columns(self) -> set[str]:
        """Agency columns whose header says the lead agency is listed first."""
        layout = self.config.layout
        return {f for h, f in zip(self.asm.header, self.asm.fields, strict=False) if is_lead_first(h, layout)}

    def mentions(self, block: Block, aid: str) -> list[AgencyMention]:
        out: list[AgencyMention] = []
        for column in AGENCY_COLUMNS:
            items, repairs = split_agencies(
                block_text(block, column),
                column,
                self.config.layout,
                self.config.registry,
                lead_first=column in self.lead_first,
            )
            for r in repairs:
                self.flag(aid, column, r.kind, r.detail, block)
            for item in items:
                res = self.config.registry.resolve(item.mention)
                out.append(
                    AgencyMention(
                        seq=len(out) + 1,
                        column=column,
                        role=item.role,
                        mention=item.mention,
                        note=item.note,
                        links=res.links,
                    )
                )
                for f in res.review(item.mention, item.role, self.period):
                    self.flag(aid, column, f.kind, f.detail, block, f.text, f.candidates)
        return out

    def indicators(self, block: Block, aid: str) -> list[str]:
        pieces = [Piece(f.bbox, f.lines) for f in block.fragments.get("indicator", [])]
        found, reasons = split_indicators(pieces, self.opening, self.closing)
        for why in reasons:
            self.flag(aid, "indicator", "indicator_split", why, block)
        return found

    def timeline_parts(
        self, block: Block, period: tuple[date, date] | None
    ) -> tuple[str, date | None, date | None, list[str]]:
        """(text, start, end, flags) of the row's timeline: its Timeline cell when printed, else its
        Start and End cells when the plan has them."""
        text = block_text(block, "timeline")
        if text or not any(f in self.asm.fields for f in DATE_COLUMNS):
            start, end, flag = parse_timeline(text, period)
            return text, start, end, [flag] if flag else []
        return parse_start_end(block_text(block, "start"), block_text(block, "end"), period)

    def timeline(self, block: Block, aid: str) -> Timeline:
        text, start, end, flags = self.timeline_parts(block, self.period)
        for flag in flags:
            self.flag(aid, timeline_field(flag, block), "timeline", flag, block)
        return Timeline(text=text, start=start, end=end)

    def amount_columns(self) -> AmountColumns:
        """Which extra columns hold money, and the plan's decimal mark, from all their cells."""
        named = zip(self.asm.fields, self.asm.header, strict=True)
        columns = [(f, h) for f, h in named if f not in STRUCTURAL]
        cells = {f: [block_text(b, f) for b in self.asm.activities] for f, _ in columns}
        money = AmountColumns(columns, cells, self.config.layout)
        for name in money.clashes:
            detail = f"column {name} holds amounts, but the plan prints a {name}_amount or {name}_currency "
            detail += "column already: its amounts are not derived"
            self.review.append(ReviewItem(activity_id="", field=name, kind="amount", detail=detail))
        return money

    def amounts(self, block: Block, aid: str) -> dict[str, Amount]:
        out = {}
        for name in self.money.currency:
            money = self.money.read(name, block_text(block, name))
            if money.problem:
                self.flag(aid, name, "amount", money.problem, block)
            out[name] = Amount(value=money.value, currency=money.currency)
        return out

    @property
    def cell_fields(self) -> list[str]:
        """The standard cells, and the role and Start/End cells of a plan that prints them."""
        return [*STANDARD[2:], *(f for f in (*ROLE_COLUMNS, *DATE_COLUMNS) if f in self.asm.fields)]

    def activity(self, block: Block, aid: str) -> Activity:
        self.review.extend(glue_repairs(block, aid))
        self.markers(block, aid)
        texts = {name: block_text(block, name) for name in block.fragments}
        _, title = split_activity(texts.get("activity", ""), self.config.layout.heading_labels)
        return Activity(
            activity_id=aid,
            goal_id=block.goal.number if block.goal else "",
            objective_id=block.objective.number if block.objective else "",
            title=title,
            cells={name: texts.get(name, "") for name in self.cell_fields},
            mentions=self.mentions(block, aid),
            indicators=self.indicators(block, aid),
            timeline=self.timeline(block, aid),
            extra={name: texts.get(name, "") for name in self.asm.fields if name not in STRUCTURAL},
            amounts=self.amounts(block, aid),
            provenance={name: [f.provenance for f in frags] for name, frags in block.fragments.items()},
        )

    def tree(self, activities: list[Activity]) -> list[Goal]:
        goals: list[Goal] = []
        under: dict[int, list[Activity]] = {}  # activities by objective, or by goal where no objective
        for a, b in zip(activities, self.asm.activities, strict=True):
            under.setdefault(id(b.objective) if b.objective else id(b.goal), []).append(a)
            self.blocks[id(a)] = b
        for g in self.asm.goals:
            objectives = [self.objective(o, under) for o in self.asm.objectives if o.goal is g]
            if id(g) in under:  # a plan without objectives: its activities sit under an unnamed one
                objectives.insert(0, Objective(objective_id="", title="", text="", provenance=[],
                                               activities=under[id(g)]))  # fmt: skip
            goal = Goal(goal_id=g.number or "", objectives=objectives, **self.heading(g))
            goals.append(self.placed(g, goal))
        loose = [self.objective(o, under) for o in self.asm.objectives if o.goal is None]
        placed = {id(a) for g in goals for o in g.objectives for a in o.activities}
        placed |= {id(a) for o in loose for a in o.activities}
        orphans = [a for a in activities if id(a) not in placed]
        for a in orphans:  # never drop an activity: hold it under an unnamed goal, and say so
            detail = "activity printed outside any goal/objective cell"
            self.review.append(ReviewItem(activity_id=a.activity_id, field="objective", kind="no_objective",
                                          detail=detail, page=None))  # fmt: skip
        for o, block in zip(loose, (o for o in self.asm.objectives if o.goal is None), strict=True):
            detail = f"objective {o.objective_id} printed before any goal: held under an unnamed goal"
            self.flag("", "objective", "numbering_mismatch", detail, block)
        if orphans:
            loose.append(Objective(objective_id="", title="", text="", provenance=[], activities=orphans))
        if loose:
            goals.append(Goal(goal_id="", title="", text="", provenance=[], objectives=loose))
        return goals

    def heading(self, block: Block) -> dict:
        return heading(block, self.config.layout.heading_labels)

    def objective(self, block: Block, under: dict[int, list[Activity]]) -> Objective:
        made = Objective(
            objective_id=block.number or "", activities=under.get(id(block), []), **self.heading(block)
        )
        return self.placed(block, made)

    def placed(self, block: Block, made: Goal | Objective) -> Goal | Objective:
        """`made` is in the plan, from `block` (for the character count)."""
        self.blocks[id(made)] = block
        return made

    def characters(self, goals: list[Goal]) -> CharacterCount:
        """Where the table's characters went: counted on the cells each value of the plan's tree was
        made of (a goal's or objective's text, an activity's output cells and its number), so that
        a cell dropped anywhere on the way shows as `printed > placed + in_review`."""
        numbered = {"number"} & set(self.asm.fields)
        placed = self.asm.placed + self.repair.delta  # a corrected word is placed as OCR read it
        for g in goals:
            placed += fragment_ink(self.blocks.get(id(g)), {"text"})
            for o in g.objectives:
                placed += fragment_ink(self.blocks.get(id(o)), {"text"})
                for a in o.activities:
                    placed += fragment_ink(self.blocks[id(a)], {*a.cells, *a.extra, *numbered})
        printed = sum(t.printed for t in self.doc.tables)
        return CharacterCount(printed=printed, placed=placed, in_review=self.asm.in_review + self.in_review)

    def outside_text(self) -> list[str]:
        """Text before the first table, and above the header's table (and above a table printed
        before the plan's), is the preamble; any other text outside tables is reviewed."""
        tables = self.doc.tables
        first = tables[0].page if tables else 10**9
        opening = self.asm.preamble_pages
        preamble = [ln for p in self.doc.untabled if p.page < first for ln in p.lines]
        preamble += [ln for t in tables if t.page in opening for ln in t.text_above]
        preamble += self.asm.preamble
        stray = [(p.page, ln) for p in self.doc.untabled if p.page > first for ln in p.lines]
        stray += [(t.page, ln) for t in tables for ln in t.text_below]
        stray += [(t.page, ln) for t in tables if t.page not in opening for ln in t.text_above]
        for page, line in stray:
            self.review.append(
                ReviewItem(
                    activity_id="", field="page", kind="text_outside_table", detail=line, page=page, text=line
                )
            )
        return preamble

    def used_agencies(self, activities: list[Activity]) -> list[Agency]:
        """The registry entries linked to, with their parents and hosts, and theirs, by id."""
        reg = self.config.registry.agencies
        used: set[str] = set()
        todo: list[str | None] = [link.agency_id for a in activities for m in a.mentions for link in m.links]
        while todo:
            aid = todo.pop()
            if aid and aid not in used:
                used.add(aid)
                todo += [reg[aid].parent, reg[aid].host]
        return [reg[i] for i in sorted(used)]

    def unique_ids(self) -> list[str]:
        """Each activity's id: its number, or "N#k" for the k-th time a number is printed.

        Numbers are full ids already (a relative "(i)" or "1)" read under its parent, `rows.py`), so
        numbering that restarts in each section repeats nothing here; a number really printed twice
        under the same parent does. A plan that prints a number twice keeps both rows (nothing is
        dropped) and its tables keep unique keys; every repeat is listed for review.
        """
        ids, seen = [], Counter()
        for block in self.asm.activities:
            number = block.number or ""
            seen[number] += 1
            aid = number if seen[number] == 1 else f"{number}#{seen[number]}"
            if seen[number] > 1:
                detail = f"activity number {number} is printed more than once: this one is kept as {aid}"
                self.flag(aid, "activity", "duplicate_number", detail, block)
            ids.append(aid)
        return ids

    def build(self) -> Plan:
        activities = [
            self.activity(b, aid) for b, aid in zip(self.asm.activities, self.unique_ids(), strict=True)
        ]
        for kind, blocks in (("goal", self.asm.goals), ("objective", self.asm.objectives)):
            for b in blocks:
                self.markers(b, "", kind)
        preamble = self.outside_text()
        goals = self.tree(activities)
        self.review.extend(numbering_gaps(goals))
        self.review.extend(ocr_review(goals, self.doc, self.repair.corrections))
        return Plan(
            source=self.doc.source,
            engine=self.doc.engine,
            preamble=preamble,
            columns=self.asm.header,
            decimal_mark=self.money.mark,
            goals=goals,
            agencies=self.used_agencies(activities),
            review=self.review,
            structures=[PageStructure(page=t.page, structure=t.structure) for t in self.doc.tables],
            characters=self.characters(goals),
            legacy_fonts=self.doc.legacy_fonts,
            ocr=self.doc.ocr,
        )


def numbering_gaps(goals: list[Goal]) -> list[ReviewItem]:
    """A number skipped among its siblings (the numbers with the same parent number, wherever they
    are printed): a page, a row or a heading may be missing (or the plan skips it as printed)."""
    found = {
        "goal": [g.goal_id for g in goals],
        "objective": [o.objective_id for g in goals for o in g.objectives],
        "activity": [a.activity_id for g in goals for o in g.objectives for a in o.activities],
    }
    return [
        ReviewItem(
            activity_id=after if field == "activity" else "",
            field=field,
            kind="numbering_gap",
            detail=f"{field} {after} follows {before or 'no ' + field}: {missing} is not in the table "
            "(a page, row or heading may be missing)",
            text=missing,
        )
        for field, numbers in found.items()
        for siblings in sibling_runs(numbers)
        for before, after, missing in gaps(siblings)
    ]


def sibling_runs(numbers: list[str]) -> list[list[str]]:
    """The numbers grouped by their parent number ("2.1.3" under "2.1"), each group in document
    order; repeats ("N#k") and empty numbers left out."""
    runs: dict[str, list[str]] = {}
    for number in numbers:
        if number and "#" not in number:
            runs.setdefault(parent(number), []).append(number)
    return list(runs.values())


def build_plan(doc: ExtractedDocument, config: Config) -> Plan:
    """Repair, split and resolve the extracted cells into a validated plan."""
    return PlanBuilder(doc, config).build()
