"""Parse a timeline cell ("Second half of 2020", "2019-2020", "Q3-Q4 2021") into a start and end date.

The grammar is general: a timeline is a chain of date atoms (a year, a month, a half, a quarter or a
day: "2019", "July 2019", "07.2019", "II half 2019", "Q3 2019", "2019 Q3", "Quarter 3, 2019",
"30 June 2019", "30.06.2019") joined by range marks ("-", "/", "to") or by "and". An atom missing
its year or unit borrows it from the atom on its right, as English writes "January-June 2022" and
"I-II quarter of 2021". Anything the grammar does not explain is flagged for review rather than
guessed. Start and End columns are read side by side (`parse_start_end`).

The words (month names, ordinals, units, "and", open-ended and recurrence words) are data, every
language together, in normalize/data/timeline.yaml: Georgian writes its year first in the genitive
("2019 წლის I ნახევარი", the first half of 2019) and that year is lent to the atoms after it.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from normalize.config import load_yaml
from normalize.text import fold, fold_georgian

WORDS = load_yaml(None, "timeline.yaml")  # the vocabulary, every language together


def _words(key: str) -> tuple[str, ...]:
    return tuple(fold_georgian(str(w)).lower() for w in WORDS.get(key) or ())


def _by_meaning(key: str) -> dict[str, Any]:
    """word -> meaning, from a mapping of meaning -> words ("months": {1: [january, jan, ...]})."""
    return {fold_georgian(str(w)).lower(): meaning for meaning, words in WORDS[key].items() for w in words}


MONTHS: dict[str, int] = _by_meaning("months")
LAST = -1  # "last half", "last quarter": the final part of the year, whatever the unit
# "second", "2nd", "ii" and "მეორე" are all 2
ORDINALS: dict[str, int] = {w: LAST if n == "last" else int(n) for w, n in _by_meaning("ordinals").items()}
UNITS: dict[str, str] = _by_meaning("units")
SHORT_UNITS: dict[str, str] = {str(k): str(v) for k, v in WORDS["short_units"].items()}  # "H1 2019"
UNIT_MONTHS: dict[str, int] = {"year": 12, "half": 6, "quarter": 3, "month": 1}

RANGE_SYMBOLS = str(WORDS["range_symbols"])  # hyphens, en/em dash, minus sign, slash
RANGE_WORDS = _words("range_words")
AND_WORDS = _words("and_words")
AND_SYMBOLS = str(WORDS["and_symbols"])
OF_WORDS = _words("of_words")
ARTICLE_WORDS = _words("article_words")
YEAR_WORDS = _words("year_words")  # "2019 წელი", "2019-2020 წწ."
GENITIVE_WORDS = _words("year_genitive_words")  # "2019 წლის I ნახევარი": the year first
# Words that only frame the dates: "During 2021", "in the first half of 2020"; after them:
# "2019 წლის განმავლობაში" (during 2019).
FRAME_WORDS = _words("frame_words")
FRAME_WORDS_AFTER = _words("frame_words_after")
OPEN_ENDED = frozenset(_words("open_ended"))
RECURRENCE: dict[str, str] = _by_meaning("recurrence")

EMPTY_FLAG = "empty timeline"
OPEN_ENDED_FLAG = "open-ended timeline: whole plan period"
RECURRING_FLAG = "recurring: {}"
UNPARSED_FLAG = "unparsed timeline: {}"
NO_START_FLAG = "no start printed"
NO_END_FLAG = "no end printed"
BACKWARD_FLAG = "start after end: {}"
SIDES_JOINER = " \u2013 "  # "Q3 2019 – Q4 2020": an en dash with spaces between Start and End

Span = tuple[date, date]


def _alt(words: Iterable[str]) -> str:
    """Regex alternation, longest first so "sept" wins over "sep" and "half year" over "half";
    no words match nothing."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


def _word(words: Iterable[str]) -> str:
    """Whole words only, so "i" (roman one) never matches the start of "in"."""
    return rf"(?:{_alt(words)})(?!\w)"


_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])"
_TOKEN = re.compile(
    rf"(?P<dmy>{_DAY}[./]{_MONTH_NUMBER}[./][12]\d{{3}})(?!\w)"  # "30.06.2019": a day
    rf"|(?P<my>{_MONTH_NUMBER}[./][12]\d{{3}})(?!\w)"  # "07.2019", "7/2019": a month
    rf"|(?P<year>[12]\d{{3}})(?:(?!\w)|(?={_word(YEAR_WORDS + GENITIVE_WORDS)}))"  # "2019წ." too
    rf"|(?P<short>[hq][1-4])(?!\w)"
    rf"|(?P<month>{_word(MONTHS)}\.?)"
    rf"|(?P<ord>{_word(ORDINALS)})"
    rf"|(?P<unit>{_word(UNITS)})"
    rf"|(?P<range>[{re.escape(RANGE_SYMBOLS)}]|{_word(RANGE_WORDS)})"
    rf"|(?P<and>[{re.escape(AND_SYMBOLS)}]|{_word(AND_WORDS)})"
    rf"|(?P<of>{_word(OF_WORDS)})"
    rf"|(?P<the>{_word(ARTICLE_WORDS)})"
    rf"|(?P<yearword>{_word(YEAR_WORDS)}\.?)"
    rf"|(?P<genitive>{_word(GENITIVE_WORDS)})"
    rf"|(?P<num>\d{{1,2}})(?!\w)"  # a day before a month, or a part after its unit ("Quarter 3")
)
_RECUR = _alt(RECURRENCE)
_RECUR_AFTER = re.compile(rf"^(?P<body>.*?)[\s,;]*\(?(?<![\w-])(?P<word>{_RECUR})\)?$")
_RECUR_BEFORE = re.compile(rf"^\(?(?P<word>{_RECUR})(?![\w-])\)?[\s,;:]*(?:(?:in|during)\s+)?(?P<body>.*)$")


class _Unparsed(Exception):
    """Raised anywhere the grammar cannot explain the text; turned into the review flag."""


@dataclass(frozen=True)
class _Atom:
    """One date expression: unit None is a bare ordinal ("First" in "First and second half").

    index is the part of the year (half, quarter, month); a "day" atom is day `day` of month `index`.
    """

    unit: str | None
    index: int | None
    year: int | None
    day: int | None = None
    year_first: bool = False  # "2019 წლის I ნახევარი": its year printed before it, lent to the right


def parse_timeline(
    text: str, period: tuple[date, date] | None = None
) -> tuple[date | None, date | None, str | None]:
    """Return (start, end, flag). flag is None when parsed cleanly, otherwise a short reason string for a
    review file.

    Dates are only given for text the grammar fully explains; open-ended words take `period`.
    """
    shown = fold(text or "")
    if not shown:
        return None, None, EMPTY_FLAG
    try:
        return _parse(fold_georgian(shown).lower().rstrip(" .;"), period)
    except _Unparsed:
        return None, None, UNPARSED_FLAG.format(shown)


def parse_start_end(
    start_text: str, end_text: str, period: tuple[date, date] | None = None
) -> tuple[str, date | None, date | None, list[str]]:
    """A timeline printed as Start and End cells: (text, start, end, flags).

    The text is "START – END" as printed, or the one side printed alone; the start is the first day
    of START and the end the last day of END ("Q3 2019" – "2020" is 2019-07-01 to 2020-12-31). A side
    not printed leaves its date empty and is flagged, as is a side the grammar does not explain.
    """
    start_shown, end_shown = fold(start_text or ""), fold(end_text or "")
    text = SIDES_JOINER.join(t for t in (start_shown, end_shown) if t)
    if not text:
        return "", None, None, [EMPTY_FLAG]
    flags: list[str] = []
    start = end = None
    if start_shown:
        start, _, flag = parse_timeline(start_shown, period)
        flags += [f"start: {flag}"] if flag else []
    else:
        flags.append(NO_START_FLAG)
    if end_shown:
        _, end, flag = parse_timeline(end_shown, period)
        flags += [f"end: {flag}"] if flag else []
    else:
        flags.append(NO_END_FLAG)
    if start and end and start > end:
        return text, None, None, [*flags, BACKWARD_FLAG.format(text)]
    return text, start, end, flags


def _parse(low: str, period: tuple[date, date] | None) -> tuple[date | None, date | None, str | None]:
    if low in OPEN_ENDED:
        return (*_whole(period), OPEN_ENDED_FLAG)
    recurring = _recurrence(low)
    if recurring is None:
        return (*_dates(low), None)
    body, label = recurring
    dates = _dates(body) if body else _whole(period)
    return (*dates, RECURRING_FLAG.format(label))


def _whole(period: tuple[date, date] | None) -> tuple[date | None, date | None]:
    """An open-ended or undated recurring activity spans the plan period, when the caller knows it."""
    return period if period is not None else (None, None)


def _recurrence(low: str) -> tuple[str, str] | None:
    """Split "2021, annually" / "annually in 2021" into (body, label); None when nothing recurs."""
    m = _RECUR_AFTER.match(low) or _RECUR_BEFORE.match(low)
    if m and low.count("(") != low.count(")"):
        raise _Unparsed
    return (m.group("body").strip(), RECURRENCE[m.group("word")]) if m else None


def _dates(low: str) -> Span:
    low = re.sub(rf"^{_word(FRAME_WORDS)}\s+", "", low)
    low = re.sub(rf"(?<=\S)\s+{_word(FRAME_WORDS_AFTER)}$", "", low)
    atoms, links = _Parser(_tokens(low)).parse()
    spans = [_span(a) for a in _borrow(atoms)]
    whole = spans[0]
    for link, span in zip(links, spans[1:], strict=True):
        whole = _join(whole, span, link)
    return whole


def _tokens(low: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(low):
        if low[pos].isspace():
            pos += 1
            continue
        m = _TOKEN.match(low, pos)
        if not m or not m.lastgroup:
            raise _Unparsed
        out.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
    return out


class _Parser:
    """Recursive descent over tokens: timeline := atom ((range | and) atom)*."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self, ahead: int) -> tuple[str, str]:
        at = self.pos + ahead
        return self.tokens[at] if at < len(self.tokens) else ("", "")

    def take(self, kind: str) -> str | None:
        if self.pos < len(self.tokens) and self.tokens[self.pos][0] == kind:
            self.pos += 1
            return self.tokens[self.pos - 1][1]
        return None

    def parse(self) -> tuple[list[_Atom], list[str]]:
        atoms, links = [self.atom()], []
        while self.pos < len(self.tokens):
            links.append(self.link())
            atoms.append(self.atom())
        return atoms, links

    def link(self) -> str:
        for kind in ("range", "and"):
            if self.take(kind) is not None:
                return kind
        raise _Unparsed

    def atom(self) -> _Atom:
        """One date expression, known by its first token: figures, a month's name, or a part of a year."""
        for read in (self.numeric_date, self.named_month):
            if (atom := read()) is not None:
                return atom
        return self.part_of_year()

    def numeric_date(self) -> _Atom | None:
        """A date led by figures: "2019", "2019 Q3", "30.06.2019", "06/2019"."""
        if (year := self.take("year")) is not None:
            if (short := self.take("short")) is not None:  # "2019 Q3": the year first
                return _Atom(SHORT_UNITS[short[0]], int(short[1]), int(year))
            self.take("yearword")  # "2019 წელი", "2019-2020 წწ."
            if self.take("genitive") is not None and self.peek(0)[0] not in ("", "range", "and"):
                return self.after_year(int(year))
            return _Atom("year", None, int(year))
        if (numeric := self.take("dmy")) is not None:
            day, month, year = re.split(r"[./]", numeric)
            return _Atom("day", int(month), int(year), int(day))
        if (numeric := self.take("my")) is not None:
            month, year = re.split(r"[./]", numeric)
            return _Atom("month", int(month), int(year))
        return None

    def after_year(self, year: int) -> _Atom:
        """The part of a year printed after it in the genitive: "2020 წლის მარტი" (March 2020),
        "2019 წლის I ნახევარი" (the first half of 2019)."""
        atom = self.named_month() or self.part_of_year()
        if atom.year is not None:
            raise _Unparsed
        return replace(atom, year=year, year_first=True)

    def named_month(self) -> _Atom | None:
        """A date that names its month: "30 June 2019", "July 2019", "June 30, 2019"."""
        if (day := self.take("num")) is not None:
            if (month := self.take("month")) is None:
                raise _Unparsed
            return _Atom("day", MONTHS[month.rstrip(".")], self.year(), int(day))
        if (month := self.take("month")) is not None:
            day = self.take("num")
            return _Atom("day" if day else "month", MONTHS[month.rstrip(".")], self.year(), _int(day))
        return None

    def part_of_year(self) -> _Atom:
        """A half or quarter: "Q3 2019", "Quarter 3, 2019", "Half II 2020", "the third quarter of
        2019", or a bare ordinal ("First" in "First and second half") that borrows its unit."""
        if (short := self.take("short")) is not None:
            return _Atom(SHORT_UNITS[short[0]], int(short[1]), self.year())
        if (unit := self.take("unit")) is not None:
            part = self.take("num") or self.take("ord")
            if part is None:
                raise _Unparsed
            return _Atom(UNITS[unit], ORDINALS.get(part) or int(part), self.year())
        self.take("the")
        if (ordinal := self.take("ord")) is None:
            raise _Unparsed
        unit = self.take("unit")
        if unit is None:
            return _Atom(None, ORDINALS[ordinal], None)
        return _Atom(UNITS[unit], ORDINALS[ordinal], self.year())

    def year(self) -> int | None:
        """An atom's optional year, written "2021", "of 2021" or ", 2021"."""
        if self.peek(0) == ("and", ",") and self.peek(1)[0] == "year":
            self.pos += 1
        of = self.take("of")
        year = self.take("year")
        if of is not None and year is None:
            raise _Unparsed
        return int(year) if year is not None else None


def _borrow(atoms: list[_Atom]) -> list[_Atom]:
    """Give each atom the unit and year its right-hand neighbour states ("I-II quarter of 2021").

    A bare year lends nothing: "January - 2021" is not read as January 2021. A year printed before
    its atom in the genitive lends itself to the right too: "2019 წლის I და II ნახევარი" is the first
    and second half of 2019.
    """
    out = list(atoms)
    for i in range(len(out) - 2, -1, -1):
        left, right = out[i], out[i + 1]
        if left.unit is None and right.unit in ("half", "quarter"):
            left = replace(left, unit=right.unit)
        if left.year is None and right.unit != "year":
            left = replace(left, year=right.year)
        out[i] = left
    for i in range(1, len(out)):
        left, right = out[i - 1], out[i]
        if right.year is None and left.year_first:
            out[i] = replace(right, year=left.year, year_first=True)
    return out


def _int(text: str | None) -> int | None:
    return int(text) if text is not None else None


def _span(atom: _Atom) -> Span:
    """First and last day of the atom's months (or its day); a part beyond the year is unparsed."""
    if atom.unit is None or atom.year is None:
        raise _Unparsed
    if atom.unit == "day":
        try:
            day = date(atom.year, atom.index or 0, atom.day or 0)
        except ValueError:  # "31.02.2019"
            raise _Unparsed from None
        return day, day
    size = UNIT_MONTHS[atom.unit]
    parts = 12 // size
    index = parts if atom.index == LAST else 1 if atom.index is None else atom.index
    if not 1 <= index <= parts:
        raise _Unparsed
    first = (index - 1) * size + 1
    last = first + size - 1
    return date(atom.year, first, 1), date(atom.year, last, calendar.monthrange(atom.year, last)[1])


def _join(left: Span, right: Span, link: str) -> Span:
    """A range must run forward; an "and" list must be contiguous ("first and second half")."""
    if link == "range":
        ok = left[0] <= right[0] and left[1] <= right[1]
    else:
        ok = left[1] + timedelta(days=1) == right[0]
    if not ok:
        raise _Unparsed
    return left[0], right[1]
