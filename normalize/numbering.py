"""Parse the numbers that open goal, objective and activity cells ("1.", "1.1", "6.1.1Providing")."""

from __future__ import annotations

import re

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
