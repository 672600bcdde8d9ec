"""Parse the numbers that open goal, objective and activity cells ("1.", "1.1", "6.1.1Providing")."""

from __future__ import annotations

import re
from functools import lru_cache

_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)(\.?)\s*(.*)$", re.S)


def split_number(text: str) -> tuple[str | None, str]:
    """Return (number, title) with the number's trailing dot dropped; (None, text) if unnumbered.

    A bare integer only counts as a number when a dot or the end of the text follows it, so a
    title starting with a year ("2019 plan") is not read as goal 2019.
    """
    m = _NUMBER.match(text)
    if not m:
        return None, text.strip()
    number, dot, rest = m.group(1), m.group(2), m.group(3)
    if "." not in number and not dot and rest:
        return None, text.strip()
    return number, rest.strip()


def level(number: str | None) -> int:
    """How deep a number is: "1" -> 1, "1.1" -> 2, "1.1.2" -> 3; 0 when there is none."""
    return 0 if not number else number.count(".") + 1


def parent(number: str) -> str:
    return number.rsplit(".", 1)[0] if "." in number else ""


@lru_cache(maxsize=64)
def _label_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(
        rf"^\s*(?:{alternatives})\b\s*(?:no\.?|№)?\s*(\d+(?:\.\d+)*)\.?\s*[:.)\-–—]?\s*(.*)$", re.I | re.S
    )


def split_heading(text: str, labels: dict[str, list[str]]) -> tuple[str | None, str | None, str]:
    """(field its label names, number, title) of a goal or objective heading.

    "Strategic Goal 1: Prevention" -> ("goal", "1", "Prevention"); without a label the field is
    None and the number is read as `split_number` reads it ("2.1. Raising" -> (None, "2.1", ...)).
    """
    for field, names in labels.items():
        m = _label_pattern(tuple(names)).match(text)
        if m:
            return field, m.group(1), m.group(2).strip()
    number, title = split_number(text)
    return None, number, title
