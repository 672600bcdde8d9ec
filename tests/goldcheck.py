"""Compare an output folder with a gold plan, field by field (used by the golden and round-trip tests)."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

FIELDS = ("goal_id", "goal", "objective_id", "objective", "activity")
CELLS = ("responsible", "partner", "indicator")


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def outputs(out: Path) -> dict:
    acts = {r["activity_id"]: r for r in read_csv(out / "activities.csv")}
    inds, mentions = defaultdict(list), defaultdict(dict)
    for r in read_csv(out / "indicators.csv"):
        inds[r["activity_id"]].append((int(r["seq"]), r["indicator"]))
    for r in read_csv(out / "activity_agencies.csv"):
        key = (r["column"], r["role"], r["mention"], r["note"] or None)
        m = mentions[r["activity_id"]].setdefault(int(r["mention_seq"]), {"key": key, "ids": []})
        m["ids"].append(r["agency_id"])
    return {"activities": acts, "indicators": inds, "mentions": mentions}


def expected(row: dict) -> dict[str, str]:
    want = {k: row[k] for k in FIELDS}
    want.update({k: row["cells"][k] for k in CELLS})
    want.update(timeline=row["timeline"]["text"], timeline_start=row["timeline"]["start"] or "",
                timeline_end=row["timeline"]["end"] or "")  # fmt: skip
    return want


def gold_problems(out: Path, gold: dict) -> list[str]:
    """Every difference between the output folder and the gold rows, one line each."""
    got = outputs(out)
    ids = [r["activity_id"] for r in gold["rows"]]
    if list(got["activities"]) != ids:
        return [f"activity ids: {list(got['activities'])} != {ids}"]
    problems = []
    for row in gold["rows"]:
        aid, act = row["activity_id"], got["activities"][row["activity_id"]]
        problems += [f"{aid} {k}: {act[k]!r} != {v!r}" for k, v in expected(row).items() if act[k] != v]
        indicators = [t for _, t in sorted(got["indicators"][aid])]
        if indicators != row["indicators"]:
            problems.append(f"{aid} indicators: {indicators} != {row['indicators']}")
        mentions = [m["key"] for _, m in sorted(got["mentions"][aid].items())]
        want = [(a["column"], a["role"], a["mention"], a["note"]) for a in row["agencies"]]
        if mentions != want:
            problems.append(f"{aid} mentions: {mentions} != {want}")
    return problems
