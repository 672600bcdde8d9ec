"""Undo OCR's slips in the cells of scanned pages, before anything reads them.

OCR reads "Ministry" as "Minlstry" and "1.1.2" as "l.1.2". A word is corrected only where the
project's own vocabulary vouches for it: it is no vocabulary word, and undoing exactly one of the
slips OCR makes (normalize/data/ocr.yaml) turns it into exactly one (the registry's names, the
layout's headers, role and heading labels, the timeline words). A number opening a cell is read
in digits where the document prints digits at that place. Every correction is recorded with its
page and line box, so that the plan built from the repaired cells can say which value it is in
(normalize/ocr_review.py); anything else stays as read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from normalize.config import Layout, load_yaml
from normalize.numbering import kinds, parse_heading
from normalize.registry import Registry
from schema.models import BBox, Cell, ExtractedDocument, PageTable, TextLine

_WORD = re.compile(r"[\w|]+")


@dataclass(frozen=True)
class Confusions:
    """The slips OCR makes, from normalize/data/ocr.yaml."""

    pairs: tuple[tuple[str, str], ...]  # (read, printed), lower-case
    min_letters: int
    min_acronym: int  # an acronym read with a digit for a letter, this long, may be corrected all the same
    digits: dict[str, str]  # a character read in a number -> the digit it stands for
    separators: str  # read between a number's parts for a dot
    number: re.Pattern[str]  # a number opening a cell, as OCR may read it: its digits and separators

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> Confusions:
        d = load_yaml(None, "ocr.yaml")
        digits = {str(k): str(v) for k, v in d["number_digits"].items()}
        separators = "".join(str(s) for s in d["number_separators"])
        part, mark = f"[0-9{re.escape(''.join(digits))}]+", f"[.{re.escape(separators)}]"
        return cls(
            pairs=tuple((str(a).lower(), str(b).lower()) for a, b in d["confusions"]),
            min_letters=int(d["min_letters"]),
            min_acronym=int(d["min_acronym"]),
            digits=digits,
            separators=separators,
            # then a space, the end, or a title glued on ("6.1.1Providing", "4.1.2.Efficient")
            number=re.compile(rf"^(\s*\(?)({part}(?:{mark}{part})*)(?=[.)]?(?:\s|$|[^\W\d_]))"),
        )


def strings(data: Any) -> Iterator[str]:
    """Every string in a YAML value, however nested (a mapping's values, not its keys)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list | tuple | set | frozenset):
        for value in data:
            yield from strings(value)


def letters(word: str) -> int:
    return sum(c.isalpha() for c in word)


@dataclass(frozen=True)
class Vocabulary:
    """The words the project's data files spell, folded to lower case (-> each way they spell it)."""

    forms: dict[str, tuple[str, ...]]
    confusions: Confusions = field(default_factory=Confusions.load)

    @classmethod
    def of(cls, texts: Iterable[str]) -> Vocabulary:
        forms: dict[str, dict[str, None]] = {}
        for text in texts:
            for word in _WORD.findall(text):
                forms.setdefault(word.lower(), {})[word] = None
        return cls({low: tuple(spelt) for low, spelt in forms.items()})

    @classmethod
    def load(cls, layout: Layout, registry: Registry) -> Vocabulary:
        """The registry's names and aliases (and its organisation words and spelling variants), the
        layout's header, role and heading vocabulary, and the timeline words."""
        names = [t for a in registry.agencies.values() for t in (a.name, a.short_name) if t]
        names += [alias.name for a in registry.agencies.values() for alias in a.aliases]
        names += [*registry.org_words, *registry.variants, *registry.variants.values()]
        layout_words = strings([layout.fields, layout.role_labels, layout.heading_labels])
        return cls.of([*names, *layout_words, *strings(load_yaml(None, "timeline.yaml"))])

    def correct(self, word: str) -> str | None:
        """The vocabulary word `word` is one slip from, in `word`'s case; None when it is a word
        itself, too short, or one slip from none or from more than one."""
        low, acronym = word.lower(), self.acronym(word)
        short = len(word) < self.confusions.min_letters and not acronym
        if low in self.forms or not letters(word) or short:
            return None
        found: dict[str, tuple[int, str, str]] = {}
        for read, printed in self.confusions.pairs:
            for at in (m.start() for m in re.finditer(re.escape(read), low)):
                fixed = low[:at] + printed + low[at + len(read) :]
                if fixed in self.forms and (
                    letters(fixed) >= self.confusions.min_letters
                    or (acronym and any(f.isupper() for f in self.forms[fixed]))
                ):
                    found.setdefault(fixed, (at, read, printed))
        if len(found) != 1:
            return None
        fixed, (at, read, printed) = next(iter(found.items()))
        return word[:at] + self.cased(word, at, len(read), printed, fixed) + word[at + len(read) :]

    def acronym(self, word: str) -> bool:
        """Is `word` an acronym in capitals with a digit OCR read for a letter ("I0M", "NG0")? Short,
        but no word of running text: it may be corrected to an acronym the vocabulary spells."""
        return (
            len(word) >= self.confusions.min_acronym
            and any(c.isdigit() for c in word)
            and all(c.isupper() for c in word if c.isalpha())
        )

    def cased(self, word: str, at: int, length: int, printed: str, fixed: str) -> str:
        """The printed letters in the read word's case: as a spelling of the vocabulary the rest of
        the word matches letter for letter spells them ("NG0s" -> "NGOs"); capitals in a word in
        capitals; at the word's start, as the vocabulary first spells the word (OCR reads a capital
        "I" as "l" far more often than it loses the dot of a small "i"); else small letters."""
        rest, end = word[:at] + word[at + length :], at + len(printed)
        spelt = [s[at:end] for s in self.forms[fixed] if s[:at] + s[end:] == rest]
        if at == 0:  # "committee" and "Committee" both match "eommittee": the capital, as above
            spelt.sort(key=lambda s: not s[:1].isupper())
        if spelt:
            return spelt[0]
        if any(c.isalpha() for c in rest) and all(c.isupper() for c in rest if c.isalpha()):
            return printed.upper()
        return self.forms[fixed][0][: len(printed)] if at == 0 else printed


@dataclass(frozen=True)
class Correction:
    """One word (or number) corrected: where, what OCR read and what it was corrected to."""

    page: int
    bbox: BBox  # the line it is on
    read: str
    corrected: str


def line_box(line: TextLine) -> BBox:
    return BBox(x0=line.x0, top=line.top, x1=line.x1, bottom=line.bottom)


def repair_words(text: str, vocabulary: Vocabulary) -> tuple[str, list[tuple[str, str]]]:
    """`text` with every word the vocabulary corrects corrected, and (read, corrected) of each."""
    done: list[tuple[str, str]] = []

    def fixed(m: re.Match[str]) -> str:
        word = m.group()
        better = vocabulary.correct(word)
        if better is None:
            return word
        done.append((word, better))
        return better

    return _WORD.sub(fixed, text), done


def label_pattern(labels: Iterable[str]) -> re.Pattern[str]:
    """A role label followed by a run of punctuation holding its colon and more ("Supporting;:",
    "Leading:,"): OCR stuttering over the colon, or reading a speck beside it."""
    names = "|".join(re.escape(label) for label in sorted(set(labels), key=len, reverse=True))
    return re.compile(rf"(?<!\w)({names})\s*(?=[;:,.]*:)(?![:]\s*(?:[^;:,.\s]|$))([;:,.]+)", re.IGNORECASE)


def repair_labels(text: str, pattern: re.Pattern[str]) -> tuple[str, list[tuple[str, str]]]:
    """`text` with each role label's stuttered colon read as the one colon it is."""
    done: list[tuple[str, str]] = []

    def fixed(m: re.Match[str]) -> str:
        done.append((m.group(), m.group(1) + ":"))
        return m.group(1) + ":"

    return pattern.sub(fixed, text), done


@dataclass(frozen=True)
class Misread:
    """A number opening a cell as read, with its parts, and as it reads in digits."""

    parts: tuple[str, ...]
    digits: tuple[str, ...]


def separates(separators: list[str], parts: tuple[str, ...]) -> bool:
    """Whether the commas between a number's parts stand for dots: beside a dot, and before no
    three digits (a thousands' mark)."""
    after = zip(separators, parts[1:], strict=True)
    return "." in separators and not any(s != "." and len(p) == 3 and p.isdigit() for s, p in after)


def misread(token: str, confusions: Confusions) -> Misread | None:
    """The number a token at a cell's start stands for, when OCR may have misread one of its
    characters or separators ("l.1.2", "I.1.2", "1,1.2", "1.1O"); None when it is printed in digits
    and dots, or is no number.

    A comma is a separator only beside a dot ("1,1.2"): "1,5" and "1,000" are amounts.
    """
    separators = re.findall(r"[^0-9A-Za-z|]", token)
    parts = tuple(re.split(r"[^0-9A-Za-z|]", token))
    comma = any(s != "." for s in separators)
    if any(s != "." and s not in confusions.separators for s in separators):
        return None
    if comma and not separates(separators, parts):
        return None
    digits = tuple("".join(confusions.digits.get(c, c) for c in p) for p in parts)
    if not all(d.isdigit() for d in digits) or not any(c.isdigit() for c in token):
        return None
    return Misread(parts, digits) if comma or digits != parts else None


# a number in digits opening a cell, and the mark after it: "4." "1.1." "2.2.1" "4,"
_DIGITS = re.compile(r"^(\s*\(?)(\d+(?:\.\d+)*)([.,:;]?)(?=\s+[^\W\d_])")  # then a title


@dataclass(frozen=True)
class NumberStyle:
    """The kinds of part (digit, letter, roman) the document prints at each place of its numbers,
    from the numbers opening its cells that OCR may not have misread."""

    at: dict[int, set[str]]
    ends: dict[int, Counter[str]] = field(default_factory=dict)  # parts -> the marks after such numbers

    @classmethod
    def of(cls, doc: ExtractedDocument, layout: Layout, confusions: Confusions) -> NumberStyle:
        at: dict[int, set[str]] = {}
        ends: dict[int, Counter[str]] = {}
        for cell in (c for t in doc.tables for c in t.cells if c.lines):
            text = cell.lines[0].text
            token = confusions.number.match(text)
            if token and misread(token.group(2), confusions):
                continue
            printed = parse_heading(text, layout.heading_labels)[1]
            for place, part in enumerate(printed.parts if printed else ()):
                at.setdefault(place, set()).update(kinds(part))
            if digits := _DIGITS.match(text):
                ends.setdefault(digits.group(2).count(".") + 1, Counter())[digits.group(3)] += 1
        return cls(at, ends)

    def closes_with_a_stop(self, parts: int, confusions: Confusions) -> bool:
        """Do the document's numbers of `parts` parts close with a full stop? All of them but those
        closing with a mark OCR reads for one (the misreadings themselves), and those the most."""
        marks = self.ends.get(parts, Counter())
        slips = sum(n for mark, n in marks.items() if mark in confusions.separators)
        return set(marks) - set(confusions.separators) == {"."} and marks["."] > slips

    def repairs(self, number: Misread) -> bool:
        """Whether the number was misread: the document prints digits at each of its places, and
        each part read otherwise is of a kind the document never prints at its place ("l" or "I"
        first where goals are "1.", "2."; never "I" where they are "I.", "II.")."""
        places = [self.at.get(i, set()) for i in range(len(number.parts))]
        return all("digit" in kinds_at for kinds_at in places) and all(
            p == d or not (kinds(p) & kinds_at)
            for p, d, kinds_at in zip(number.parts, number.digits, places, strict=True)
        )


def repair_number(
    text: str, style: NumberStyle, confusions: Confusions
) -> tuple[str, tuple[str, str] | None]:
    """`text` with the number opening it in digits when OCR misread it, and (read, corrected)."""
    m = confusions.number.match(text)
    number = misread(m.group(2), confusions) if m else None
    if number is None or not style.repairs(number):
        return repair_closing_mark(text, style, confusions)
    fixed = ".".join(number.digits)
    return text[: m.start(2)] + fixed + text[m.end(2) :], (m.group(2), fixed)


def repair_closing_mark(
    text: str, style: NumberStyle, confusions: Confusions
) -> tuple[str, tuple[str, str] | None]:
    """`text` with the mark after the number opening it read as the full stop the document prints
    after such numbers ("4, Effective" where goals read "1.", "2.", "3."), and (read, corrected)."""
    m = _DIGITS.match(text)
    if not m or not m.group(3) or m.group(3) not in confusions.separators:
        return text, None
    if not style.closes_with_a_stop(m.group(2).count(".") + 1, confusions):
        return text, None
    read = m.group(2) + m.group(3)
    return text[: m.start(3)] + "." + text[m.end(3) :], (read, m.group(2) + ".")


@dataclass
class Repair:
    """The document with its OCR'd cells repaired, and every correction made."""

    doc: ExtractedDocument
    corrections: list[Correction] = field(default_factory=list)

    @property
    def delta(self) -> int:
        """Characters read less characters placed: what the corrections took out of the cells'
        text (negative where a correction adds: "Govemment" -> "Government")."""
        return sum(len(c.read) - len(c.corrected) for c in self.corrections)


class Repairer:
    """Repairs the cells of a document's OCR'd pages, collecting the corrections."""

    def __init__(self, doc: ExtractedDocument, layout: Layout, registry: Registry):
        self.confusions = Confusions.load()
        self.vocabulary = Vocabulary.load(layout, registry)
        self.style = NumberStyle.of(doc, layout, self.confusions)
        self.labels = label_pattern(label for names in layout.role_labels.values() for label in names)
        self.corrections: list[Correction] = []

    def table(self, table: PageTable) -> PageTable:
        return table.model_copy(update={"cells": [self.cell(c) for c in table.cells]})

    def cell(self, cell: Cell) -> Cell:
        lines = [self.line(cell.page, ln, first=i == 0) for i, ln in enumerate(cell.lines)]
        return cell.model_copy(update={"lines": lines}) if lines != cell.lines else cell

    def line(self, page: int, line: TextLine, first: bool) -> TextLine:
        text, done = line.text, []
        if first:
            text, number = repair_number(text, self.style, self.confusions)
            done += [number] if number else []
        text, words = repair_words(text, self.vocabulary)
        text, labels = repair_labels(text, self.labels)
        done += words + labels
        box = line_box(line)
        self.corrections += [Correction(page, box, read, fixed) for read, fixed in done]
        return line.model_copy(update={"text": text}) if done else line


def repair_document(doc: ExtractedDocument, layout: Layout, registry: Registry) -> Repair:
    """The document with the cells of its OCR'd pages repaired; the document itself, unchanged,
    when no page was read by OCR."""
    pages = {p.page for p in doc.ocr.pages} if doc.ocr else set()
    if not pages:
        return Repair(doc)
    repairer = Repairer(doc, layout, registry)
    tables = [repairer.table(t) if t.page in pages else t for t in doc.tables]
    return Repair(doc.model_copy(update={"tables": tables}), repairer.corrections)
