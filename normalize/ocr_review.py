"""Review items for text read by OCR: each correction made, and each value holding uncertain words.

Both are attributed the same way: to the value (an activity's field, a goal's or an objective's
text) one of whose provenance boxes on the word's page holds the word's centre. A word in no
value (a header cell, text outside the table) is reviewed too, under "table" or "page": nothing
OCR was unsure of is left out of the review.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from normalize.ocr_repair import Correction
from schema.models import BBox, ExtractedDocument, Goal, OcrWord, Provenance, ReviewItem
from schema.names import quoted


@dataclass(frozen=True)
class Value:
    """A value of the plan and the boxes it was printed in."""

    activity_id: str
    field: str
    provenance: list[Provenance]

    def holds(self, page: int, box: BBox) -> bool:
        return any(p.page == page and centre_in(box, p.bbox) for p in self.provenance)


def centre_in(box: BBox, outer: BBox) -> bool:
    x, y = (box.x0 + box.x1) / 2, (box.top + box.bottom) / 2
    return outer.x0 <= x <= outer.x1 and outer.top <= y <= outer.bottom


def values(goals: Iterable[Goal]) -> list[Value]:
    """Every value of the plan's tree with its boxes, in document order."""
    out = []
    for g in goals:
        out.append(Value("", "goal", g.provenance))
        for o in g.objectives:
            out.append(Value("", "objective", o.provenance))
            for a in o.activities:
                out += [Value(a.activity_id, name, provs) for name, provs in a.provenance.items()]
    return out


def place(found: list[Value], page: int, box: BBox, table: BBox | None) -> int | str:
    """The index of the value holding the box's centre; else "table" (inside the table's outline)
    or "page"."""
    for i, value in enumerate(found):
        if value.holds(page, box):
            return i
    return "table" if table is not None and centre_in(box, table) else "page"


def corrected(
    goals: Iterable[Goal], corrections: list[Correction], doc: ExtractedDocument
) -> list[ReviewItem]:
    """One `ocr_corrected` item per correction, on the value its line is in."""
    found, outlines = values(goals), {t.page: t.bbox for t in doc.tables}
    out = []
    for c in corrections:
        where = place(found, c.page, c.bbox, outlines.get(c.page))
        value = found[where] if isinstance(where, int) else Value("", where, [])
        detail = f"read {quoted(c.read)}, corrected to {quoted(c.corrected)}"
        item = ReviewItem(activity_id=value.activity_id, field=value.field, kind="ocr_corrected",
                          detail=detail, page=c.page, text=c.read)  # fmt: skip
        out.append(item)
    return out


def uncertain(goals: Iterable[Goal], doc: ExtractedDocument) -> list[ReviewItem]:
    """One `low_confidence_ocr` item per value holding words OCR was unsure of, in the plan's order,
    then one per page and place ("table", "page") for the words in no value."""
    found = values(goals)
    held: dict[int, list[tuple[int, OcrWord]]] = {}
    loose: dict[tuple[int, str], list[OcrWord]] = {}
    for table in doc.tables:
        for word in table.uncertain:
            where = place(found, table.page, word.bbox, table.bbox)
            if isinstance(where, int):
                held.setdefault(where, []).append((table.page, word))
            else:
                loose.setdefault((table.page, where), []).append(word)
    out = []
    for i in sorted(held):
        words = held[i]
        out.append(low_confidence(words[0][0], found[i].activity_id, found[i].field, [w for _, w in words]))
    out += [low_confidence(page, "", where, words) for (page, where), words in loose.items()]
    return out


def low_confidence(page: int, activity_id: str, name: str, words: list[OcrWord]) -> ReviewItem:
    """The item for one value's uncertain words. Its crop is the scan of the least certain word
    that has one: the word most likely misread is the one worth seeing."""
    detail = ", ".join(f"{quoted(w.text)} ({w.confidence:.0f})" for w in words)
    cropped = [w for w in words if w.crop]
    crop = min(cropped, key=lambda w: w.confidence).crop if cropped else None
    return ReviewItem(
        activity_id=activity_id,
        field=name,
        kind="low_confidence_ocr",
        detail=detail,
        page=page,
        text=" ".join(w.text for w in words),
        crop=crop,
    )


def ocr_review(goals: list[Goal], doc: ExtractedDocument, corrections: list[Correction]) -> list[ReviewItem]:
    """The review items of a document's OCR'd text: its corrections, then its uncertain words."""
    if doc.ocr is None:
        return []
    return corrected(goals, corrections, doc) + uncertain(goals, doc)
