"""Recognise the header row and map its columns to fields, by synonyms kept in layout.yaml."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz, process

from normalize.config import Layout
from normalize.text import fold_georgian
from schema.models import Cell


def header_key(text: str) -> str:
    """Fold a header for comparison: case (Georgian Mtavruli capitals too), "(s)", punctuation and
    spacing do not matter."""
    text = re.sub(r"\(s\)", "s", fold_georgian(text).lower())
    return " ".join(re.sub(r"[^\w#№]+", " ", text).split())


def snake_case(text: str) -> str:
    """A column name for a header no field knows: ASCII letters, digits and `_`, starting with a
    letter, as every CSV reader, SQL and R take it unquoted ("Budget (GEL)" -> budget_gel; "Coût"
    -> cout); empty when nothing of the header is left (a header in another script)."""
    folded = unicodedata.normalize("NFKD", header_key(text)).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")
    return name if name[:1].isalpha() else ""


def column_name(text: str, layout: Layout) -> str:
    """The name of an extra column: its header in snake_case, or the name layout.yaml's
    `column_names` gives a header in another script ("დაფინანსების წყარო" -> source_of_funding),
    also when the header goes on after it ("ბიუჯეტი (ლარი)" -> budget_gel); empty when neither."""
    key = header_key(text)
    names = sorted(
        ((header_key(h), name) for name, headers in layout.column_names.items() for h in headers),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    for head, name in names:
        if head and (key == head or key.startswith(head + " ")):
            rest = _rest_name(key[len(head) :].strip(), layout)
            return f"{name}_{rest}" if rest else name
    return snake_case(text)


def _rest_name(rest: str, layout: Layout) -> str:
    """What follows a named header's words, for its column name: a currency as its ISO code
    ("(ლარი)" -> gel, as "Budget (GEL)" is budget_gel), else in snake_case."""
    codes = {header_key(n): code for code, ns in layout.currencies.items() for n in ns if header_key(n)}
    return codes[rest].lower() if rest in codes else snake_case(rest)


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
        col: field or column_name(by_col[col].text, layout) or f"column_{col + 1}"
        for col, field in sorted(mapped.items())
    }
