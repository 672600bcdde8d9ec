"""Parse the numbers that open goal, objective and activity cells.

Printed numbers come in many styles: dotted digits ("1.", "1.1", "6.1.1Providing"), letters and
roman numerals ("A.", "II.", "A.1", "I.1.1"), parenthesised or closed ones ("(a)", "(ii)", "1)"),
after a label ("STRATEGIC AIM 2:", "Measure 1.1.1"). A number is kept as its printed parts joined
by dots ("A.1.1", "ii"); one that carries only its own part is relative, and `resolve` puts it
under its parent ("(i)" under objective "2.a" is "2.a.i").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_PART = re.compile(r"\d+|[A-Za-z]+")
_ROMAN = re.compile(r"^(?=.)(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
MAX_LONE_DIGITS = 3  # a lone part of four digits is a year ("2019 plan", "2019."), not a number
_SEPARATOR = re.compile(r"^\s*[:.)\-–—]?\s*")


@dataclass(frozen=True)
class Printed:
    """A number as printed: its parts, the bracket before it and the mark after it."""

    parts: tuple[str, ...]
    opener: str  # "(" or ""
    closer: str  # ".", ")" or ""

    @property
    def number(self) -> str:
        return ".".join(self.parts)

    @property
    def shape(self) -> str:
        """The decoration around the number: "(x)", "x.", "x)", "x"."""
        return f"{self.opener}x{self.closer}"


def is_roman(part: str) -> bool:
    return (part.isupper() or part.islower()) and bool(_ROMAN.match(part.upper()))


def roman_value(part: str) -> int:
    values = [_ROMAN_VALUES[c] for c in part.upper()]
    return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))


def _valid_part(part: str) -> bool:
    return part.isdigit() or len(part) == 1 or is_roman(part)


def _scan(text: str) -> tuple[Printed, str] | None:
    """The longest run of valid parts joined by dots at the start of text, and the text after it."""
    s = text.lstrip()
    opener = "(" if s.startswith("(") else ""
    i, parts = len(opener), []
    while True:
        m = _PART.match(s, i)
        if not m or not _valid_part(m.group()):
            break
        parts.append(m.group())
        i = m.end()
        nxt = _PART.match(s, i + 1) if s[i : i + 1] == "." else None
        if not nxt or not _valid_part(nxt.group()):
            break
        i += 1
    if not parts:
        return None
    closer = s[i] if s[i : i + 1] in (".", ")") else ""
    return Printed(tuple(parts), opener, closer), s[i + len(closer) :]


def _stands_alone(printed: Printed, rest: str, labelled: bool) -> bool:
    """Whether the scanned parts are a number and not the first word of a title.

    "A campaign", "In 2019", "I will", "U.S. aid", "2019 plan" are titles; "A. Prevention",
    "I. Prevention", "(a) Training", "1) Training", "6.1.1Providing" are numbers. A label before
    the number ("Goal 1 Title", "Aim A: Title") vouches for a lone part without a closing mark.
    """
    parts, ends = printed.parts, not rest.strip()
    spaced = ends or rest[0].isspace() or (labelled and rest.lstrip()[:1] in (":", "-", "–", "—"))
    if printed.opener and printed.closer != ")":
        return False
    if printed.closer == ")" and not printed.opener and not spaced:
        return False
    if len(parts) == 1:
        part = parts[0]
        if part.isdigit():
            return len(part) <= MAX_LONE_DIGITS and (
                bool(printed.closer) or ends or (labelled and (spaced or rest[:1] in ":-–—"))
            )
        if printed.closer or printed.opener:
            return spaced
        return ends or (labelled and spaced and rest.lstrip()[:1] in ("", ":", "-", "–", "—"))
    if not any(p.isdigit() for p in parts):
        return False
    return parts[-1].isdigit() or spaced


def parse_number(text: str, labelled: bool = False) -> tuple[Printed, str] | None:
    """(printed number, title) of a text that opens with a number; None when it does not."""
    scanned = _scan(text)
    if scanned is None or not _stands_alone(*scanned, labelled):
        return None
    printed, rest = scanned
    return printed, _SEPARATOR.sub("", rest, count=1).strip() if labelled else rest.strip()


def split_number(text: str) -> tuple[str | None, str]:
    """Return (number, title) with the number's marks dropped; (None, text) if unnumbered.

    A bare integer only counts as a number when a dot, a ")" or the end of the text follows it,
    so a title starting with a year ("2019 plan") is not read as goal 2019.
    """
    parsed = parse_number(text)
    if parsed is None:
        return None, text.strip()
    return parsed[0].number, parsed[1]


def level(number: str | None) -> int:
    """How deep a number is: "1" -> 1, "1.1" -> 2, "A.1.2" -> 3; 0 when there is none."""
    return 0 if not number else number.count(".") + 1


def parent(number: str) -> str:
    return number.rsplit(".", 1)[0] if "." in number else ""


def resolve(number: str, parent_id: str | None) -> str:
    """The full id of a printed number: a lone part under a parent is relative to it."""
    return f"{parent_id}.{number}" if parent_id and level(number) == 1 else number


def _letter_value(part: str) -> int:
    return ord(part.upper()) - ord("A") + 1


def ordinal(part: str, previous: str | None = None) -> int | None:
    """The position a printed part stands for, given the part printed before it at its level.

    A letter that is also a roman numeral (I, V, X, L, C) is decided by that sequence: after a
    letter that is no roman numeral, or after the letter before it, it is a letter ("H.", "I." is
    the ninth; "U", "V"); first in its sequence or after a roman numeral it is roman ("I." is one,
    "IV", "V" is five).
    """
    if part.isdigit():
        return int(part)
    if len(part) > 1:
        return roman_value(part) if is_roman(part) else None
    if not is_roman(part):
        return _letter_value(part)
    lettered = previous and len(previous) == 1 and previous.isalpha()
    if lettered and (_letter_value(previous) + 1 == _letter_value(part) or not is_roman(previous)):
        return _letter_value(part)
    return roman_value(part)


def kinds(part: str) -> set[str]:
    """What sequences a part can belong to: digits, letters or roman numerals, by case."""
    if part.isdigit():
        return {"digit"}
    case = "upper" if part.isupper() else "lower"
    out = {f"letter-{case}"} if len(part) == 1 else set()
    if is_roman(part):
        out.add(f"roman-{case}")
    return out


def same_sequence(printed: Printed, other: Printed) -> bool:
    """Whether two lone printed numbers can be siblings: same marks, compatible kinds ("I." and "II.")."""
    if printed.shape != other.shape or len(printed.parts) != len(other.parts):
        return False
    return bool(kinds(printed.parts[-1]) & kinds(other.parts[-1]))


@lru_cache(maxsize=64)
def _label_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"^\s*(?:{alternatives})\b\s*(?:no\.?|№)?\s*(?=[\w(])", re.I)


def parse_labelled(text: str, names: list[str]) -> tuple[Printed, str] | None:
    """(number, title) after one of the labels ("Strategic Aim 2: Title"); None without one."""
    m = _label_pattern(tuple(names)).match(text) if names else None
    return parse_number(text[m.end() :], labelled=True) if m else None


def parse_heading(text: str, labels: dict[str, list[str]]) -> tuple[str | None, Printed | None, str]:
    """(field its label names, printed number, title) of a heading, labelled or not."""
    for name, names in labels.items():
        found = parse_labelled(text, names)
        if found:
            return name, found[0], found[1]
    parsed = parse_number(text)
    return (None, parsed[0], parsed[1]) if parsed else (None, None, text.strip())


def split_heading(text: str, labels: dict[str, list[str]]) -> tuple[str | None, str | None, str]:
    """(field its label names, number, title) of a goal or objective heading.

    "Strategic Goal 1: Prevention" -> ("goal", "1", "Prevention"); "SPECIFIC OBJECTIVE (a): Aid"
    -> ("objective", "a", "Aid"); without a label the field is None and the number is read as
    `split_number` reads it ("2.1. Raising" -> (None, "2.1", ...)).
    """
    name, printed, title = parse_heading(text, labels)
    return name, printed.number if printed else None, title


def parse_activity(text: str, labels: dict[str, list[str]]) -> tuple[Printed, str] | None:
    """(number, title) of an activity cell: "1.1.2 Title", "(i) Title", "Measure 1.1.1 Title"."""
    return parse_labelled(text, labels.get("activity", [])) or parse_number(text)


def split_activity(text: str, labels: dict[str, list[str]]) -> tuple[str | None, str]:
    parsed = parse_activity(text, labels)
    return (parsed[0].number, parsed[1]) if parsed else (None, text.strip())


def gaps(numbers: list[str]) -> list[tuple[str | None, str, str]]:
    """The places a run of sibling numbers skips: (the number printed before the place, or None;
    the number after it; the number not printed).

    "6.1.1", "6.1.3" skips 6.1.2; a run that starts at "6.1.2" skips 6.1.1; printed out of order
    ("6.1.1", "6.1.3", "6.1.2") skips nothing. Repeats ("N#k") and parts whose place cannot be told
    are passed over; a place after the last printed one cannot be seen.
    """
    placed: dict[int, str] = {}
    previous: str | None = None
    for number in numbers:
        last = number.split(".")[-1]
        place = ordinal(last, previous) if "#" not in number and last else None
        if place is not None:
            placed.setdefault(place, number)
            previous = last
    out = []
    for missing in sorted(set(range(1, max(placed, default=0))) - set(placed)):
        before = max((p for p in placed if p < missing), default=None)
        after = placed[min(p for p in placed if p > missing)]
        out.append((placed[before] if before else None, after, _at_place(after, missing)))
    return out


def _at_place(number: str, place: int) -> str:
    """`number` with its last part written for `place`: digits stay digits, a letter a letter;
    a roman numeral is written as its place."""
    *head, last = number.split(".")
    lettered = len(last) == 1 and last.isalpha() and ordinal(last, chr(ord(last) - 1)) == _letter_value(last)
    part = chr(ord("A" if last.isupper() else "a") + place - 1) if lettered and place <= 26 else str(place)
    return ".".join([*head, part])
