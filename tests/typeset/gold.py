"""Rows and preamble from a gold (tests/documents/*/gold.json), to re-typeset its plan."""

from __future__ import annotations

from .model import Row

AGENCY_FIELDS = ("responsible", "partner")
PLAIN_FIELDS = ("timeline",)


def _split_at(text: str, starts: list[int]) -> list[str]:
    """Cut text before each start offset that follows exactly one space, dropping that space."""
    cuts = [s for s in starts if 0 < s < len(text) and text[s - 1] == " " and (s < 2 or text[s - 2] != " ")]
    paras, prev = [], 0
    for s in sorted(set(cuts)):
        paras.append(text[prev : s - 1])
        prev = s
    paras.append(text[prev:])
    return paras


def indicator_paragraphs(text: str, indicators: list[str]) -> list[str]:
    """The cell text with each indicator (found in order) starting a new paragraph."""
    starts, pos = [], 0
    for ind in indicators:
        i = text.find(ind, pos) if ind else -1
        if i < 0:
            continue
        starts.append(i)
        pos = i + len(ind)
    return _split_at(text, starts)


def agency_paragraphs(text: str) -> list[str]:
    """One paragraph per ";"-terminated item (a break after "; " outside parentheses)."""
    starts, depth = [], 0
    for i, c in enumerate(text):
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c == ";" and depth == 0 and text[i + 1 : i + 2] == " ":
            starts.append(i + 2)
    return _split_at(text, starts)


def gold_rows(gold: dict) -> list[Row]:
    """The gold plan as Rows, printing the document's own cell texts."""
    rows: list[Row] = []
    goal_text: dict[str, str] = {}
    objective_text: dict[tuple[str, str], str] = {}
    for g in gold["rows"]:
        cells = g["cells"]
        goal_key, obj_key = g["goal_id"], (g["goal_id"], g["objective_id"])
        if goal_key not in goal_text and cells.get("goal"):
            goal_text[goal_key] = cells["goal"]
        if obj_key not in objective_text and cells.get("objective"):
            objective_text[obj_key] = cells["objective"]
        out = {f: cells.get(f, "") for f in ("responsible", "partner", "indicator", "timeline", "activity")}
        if goal_key in goal_text:
            out["goal"] = goal_text[goal_key]
        if obj_key in objective_text:
            out["objective"] = objective_text[obj_key]
        paragraphs = {"indicator": indicator_paragraphs(out["indicator"], g.get("indicators") or [])}
        for f in AGENCY_FIELDS:
            paragraphs[f] = agency_paragraphs(out[f])
        rows.append(
            Row(
                goal_id=g["goal_id"],
                goal=g["goal"],
                objective_id=g["objective_id"],
                objective=g["objective"],
                activity_id=g["activity_id"],
                activity=g["activity"],
                cells=out,
                paragraphs={f: p for f, p in paragraphs.items() if len(p) > 1},
            )
        )
    return rows


def gold_preamble(gold: dict) -> list[str]:
    return list(gold["document"]["preamble"])
