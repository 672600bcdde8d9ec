"""Join a cell's printed lines into its text without changing the document's own words."""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")
BULLETS = "•▪◦●‣⁃"  # list bullets: each opens an item, as a ";" would close the one before
# (extract/glyphs.py reads the private-use bullets of Word's Symbol and Wingdings fonts as "•")
LONE_BULLETS = "·"  # bullets only where they stand alone: a middle dot inside a word ("l·l") is none
_BULLET = re.compile(rf"\s*;?\s*(?:[{BULLETS}]|(?<!\S)[{LONE_BULLETS}](?!\S))\s*")


def bullets_to_separators(text: str) -> str:
    """ "• A • B" and "A; • B" -> "; A; B" and "A; B": a bulleted list read as a ";" list;
    "· A · B" too, a middle dot standing alone between spaces."""
    return _BULLET.sub("; ", text)


# Georgian Mtavruli capitals (U+1C90-U+1CBF, used in headings) and their Mkhedruli letters
# (U+10D0-U+10FF): the same letters 0xBC0 apart. Mtavruli's U+1CBB-U+1CBC are unassigned; U+1CBD-
# U+1CBF fold to the Mkhedruli U+10FD-U+10FF like the rest.
MTAVRULI_FIRST, MTAVRULI_LAST = 0x1C90, 0x1CBF
MTAVRULI_TO_MKHEDRULI = 0x1C90 - 0x10D0
_MTAVRULI = str.maketrans({c: c - MTAVRULI_TO_MKHEDRULI for c in range(MTAVRULI_FIRST, MTAVRULI_LAST + 1)})


def fold_georgian(text: str) -> str:
    """Georgian Mtavruli capitals as their Mkhedruli letters ("ᲡᲐᲥᲐᲠᲗᲕᲔᲚᲝᲡ" -> "საქართველოს"), for
    comparing text; everything else unchanged. Python's own case folding does this too, but only
    as its Unicode tables know it: this helper says it once, for every comparison key."""
    return text.translate(_MTAVRULI)


def fold(text: str) -> str:
    """Collapse runs of whitespace to one space and trim."""
    return _WS.sub(" ", text).strip()


def glue(left: str, right: str) -> str:
    """The separator between a line and the next: none after a word-final hyphen or a slash.

    "Anti-" + "Trafficking" -> "Anti-Trafficking", "victims/" + "statutory" -> "victims/statutory",
    "2019-" + "2020" -> "2019-2020" (word processors and browsers break after a hyphen inside a
    word or number); "trainee -" + "prosecutors" keeps its space: that hyphen stands alone.
    """
    left = left.rstrip()
    if left.endswith("/"):
        return ""
    if left.endswith("-") and len(left) >= 2 and left[-2].isalnum():
        return ""
    return " "


def join_lines(lines: list[str]) -> str:
    out = ""
    for line in (fold(x) for x in lines):
        if not line:
            continue
        out = line if not out else out + glue(out, line) + line
    return out


def is_glued(left: str) -> bool:
    """True when a line break after `left` is joined without a space (a repair worth review)."""
    return glue(left, "x") == ""
