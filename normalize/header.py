"""Recognise the header row and map its columns to fields, by synonyms kept in layout.yaml."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from normalize.config import Layout
from schema.models import Cell


def header_key(text: str) -> str:
    """Fold a header for comparison: case, "(s)", punctuation and spacing do not matter."""
    text = re.sub(r"\(s\)", "s", text.lower())
    return " ".join(re.sub(r"[^\w#№]+", " ", text).split())


def snake_case(text: str) -> str:
    return re.sub(r"\W+", "_", header_key(text)).strip("_")


@lru_cache(maxsize=16)
def _synonyms(fields: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, str]:
    return {header_key(s): field for field, names in fields for s in names}


def map_header(text: str, layout: Layout) -> str | None:
    """The field a header names, or None. Exact synonym first, then fuzzy above a threshold."""
    key = header_key(text)
    if not key:
        return None
    choices = _synonyms(tuple((f, tuple(names)) for f, names in layout.fields.items()))
    if key in choices:
        return choices[key]
    best = process.extractOne(key, list(choices), scorer=fuzz.token_sort_ratio)
    if best and best[1] >= layout.header_fuzzy_threshold:
        return choices[best[0]]
    return None


def header_fields(cells: list[Cell], layout: Layout) -> dict[int, str] | None:
    """Column -> field when these cells (one grid row) form a header row, else None.

    Columns whose header names no known field become extra fields named in snake_case.
    """
    mapped = {c.col: map_header(c.text, layout) for c in cells}
    known = [f for f in mapped.values() if f]
    if "activity" not in known or len(set(known)) < layout.header_min_fields:
        return None
    by_col = {c.col: c for c in cells}
    return {
        col: field or snake_case(by_col[col].text) or f"column_{col + 1}"
        for col, field in sorted(mapped.items())
    }
