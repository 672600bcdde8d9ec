"""Recognise the header row and map its columns to fields, by synonyms kept in layout.yaml."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz, process

from normalize.config import Layout
from schema.models import Cell


def header_key(text: str) -> str:
    """Fold a header for comparison: case, "(s)", punctuation and spacing do not matter."""
    text = re.sub(r"\(s\)", "s", text.lower())
    return " ".join(re.sub(r"[^\w#№]+", " ", text).split())


def snake_case(text: str) -> str:
    """A column name for a header no field knows: ASCII letters, digits and `_`, starting with a
    letter, as every CSV reader, SQL and R take it unquoted ("Budget (GEL)" -> budget_gel; "Coût"
    -> cout); empty when nothing of the header is left (a header in another script)."""
    folded = unicodedata.normalize("NFKD", header_key(text)).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")
    return name if name[:1].isalpha() else ""


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


def is_lead_first(text: str, layout: Layout) -> bool:
    """Does a header say its column lists the lead agency first ("(Lead Agency first)")?"""
    key = f" {header_key(text)} "
    return any(f" {header_key(m)} " in key for m in layout.lead_first_headers)


ROLE_COLUMNS = ("lead", "supporting")  # agency columns a plan may print beside or instead of `responsible`


def lone_lead_is_responsible(mapped: dict[int, str | None]) -> dict[int, str | None]:
    """A lead column with no supporting or responsible column beside it is the plan's responsible
    column: a plan whose one agency column is "Lead agency" reads as it always has."""
    fields = set(mapped.values())
    if "lead" in fields and not fields & {"responsible", "supporting"}:
        return {col: "responsible" if f == "lead" else f for col, f in mapped.items()}
    return mapped


DATE_COLUMNS = ("start", "end")  # a timeline printed as Start and End cells


def present_fields(fields: list[str]) -> set[str]:
    """The fields a header provides; role columns (lead, supporting) stand in for `responsible`,
    Start and End columns for `timeline`."""
    out = set(fields) | ({"responsible"} if set(fields) & set(ROLE_COLUMNS) else set())
    return out | ({"timeline"} if set(fields) & set(DATE_COLUMNS) else set())


def header_fields(cells: list[Cell], layout: Layout) -> dict[int, str] | None:
    """Column -> field when these cells (one grid row) form a header row, else None.

    Columns whose header names no known field become extra fields named in snake_case.
    """
    mapped = lone_lead_is_responsible({c.col: map_header(c.text, layout) for c in cells})
    known = [f for f in mapped.values() if f]
    if "activity" not in known or len(set(known)) < layout.header_min_fields:
        return None
    by_col = {c.col: c for c in cells}
    return {
        col: field or snake_case(by_col[col].text) or f"column_{col + 1}"
        for col, field in sorted(mapped.items())
    }
