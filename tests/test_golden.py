"""Golden tests: every row of the shipped plan comes out exactly as the hand-verified gold."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from conftest import AGENCY_IDS

from schema.models import Plan


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def outputs(out: Path) -> dict:
    acts = {r["activity_id"]: r for r in read_csv(out / "activities.csv")}
    inds, mentions = defaultdict(list), defaultdict(dict)
    for r in read_csv(out / "indicators.csv"):
        inds[r["activity_id"]].append((int(r["seq"]), r["indicator"]))
    for r in read_csv(out / "activity_agencies.csv"):
        m = mentions[r["activity_id"]].setdefault(
            int(r["mention_seq"]),
            {"key": (r["column"], r["role"], r["mention"], r["note"] or None), "ids": []},
        )
        m["ids"].append(r["agency_id"])
    return {"activities": acts, "indicators": inds, "mentions": mentions}


def test_every_gold_activity_is_exact(engine_run, gold):
    engine, out, _ = engine_run
    got = outputs(out)
    assert list(got["activities"]) == [r["activity_id"] for r in gold["rows"]]
    problems = []
    for row in gold["rows"]:
        aid, act = row["activity_id"], got["activities"][row["activity_id"]]
        want = {
            "goal_id": row["goal_id"], "goal": row["goal"], "objective_id": row["objective_id"],
            "objective": row["objective"], "activity": row["activity"],
            "responsible": row["cells"]["responsible"], "partner": row["cells"]["partner"],
            "indicator": row["cells"]["indicator"], "timeline": row["timeline"]["text"],
            "timeline_start": row["timeline"]["start"] or "", "timeline_end": row["timeline"]["end"] or "",
        }  # fmt: skip
        problems += [f"{aid} {k}: {act[k]!r} != {v!r}" for k, v in want.items() if act[k] != v]
        indicators = [t for _, t in sorted(got["indicators"][aid])]
        if indicators != row["indicators"]:
            problems.append(f"{aid} indicators: {indicators} != {row['indicators']}")
        mentions = [m["key"] for _, m in sorted(got["mentions"][aid].items())]
        expected = [(a["column"], a["role"], a["mention"], a["note"]) for a in row["agencies"]]
        if mentions != expected:
            problems.append(f"{aid} mentions: {mentions} != {expected}")
    assert not problems, f"{engine}: " + "\n".join(problems)


def test_every_mention_resolves_to_the_verified_ids(engine_run):
    _, out, _ = engine_run
    want = yaml.safe_load(AGENCY_IDS.read_text(encoding="utf-8"))
    wrong = []
    for aid, mentions in outputs(out)["mentions"].items():
        for m in mentions.values():
            mention = m["key"][2]
            if m["ids"] != want.get(mention):
                wrong.append(f"{aid} {mention!r}: {m['ids']} != {want.get(mention)}")
    assert not wrong, "\n".join(wrong)


def test_review_lists_no_agency_cell_and_every_page_break(engine_run):
    _, out, _ = engine_run
    review = read_csv(out / "review.csv")
    assert any(
        (r["activity_id"], r["field"], r["kind"]) == ("4.1.3", "responsible", "no_agency") for r in review
    )
    stitched = {
        r["activity_id"] for r in review
        if r["kind"] == "page_break_stitched" and r["field"] not in ("goal", "objective")
    }  # fmt: skip
    spanning = {
        r["activity_id"] for r in read_csv(out / "activities.csv") if r["page_first"] != r["page_last"]
    }
    assert spanning and stitched == spanning


def test_plan_json_validates_and_matches_csv(engine_run):
    _, out, _ = engine_run
    plan = Plan.model_validate_json((out / "plan.json").read_text(encoding="utf-8"))
    assert [a.activity_id for a in plan.activities()] == list(outputs(out)["activities"])
    boxes = [p for a in plan.activities() for ps in a.provenance.values() for p in ps]
    assert boxes and all(1 <= p.page <= plan.source.pages and p.bbox.x1 > p.bbox.x0 for p in boxes)


def test_engines_agree_on_every_csv(engine_run, default_run):
    engine, out, _ = engine_run
    base, _ = default_run
    for name in ("activities.csv", "activity_agencies.csv", "indicators.csv", "agencies.csv", "review.csv"):
        assert (out / name).read_bytes() == (base / name).read_bytes(), f"{engine} differs in {name}"


@pytest.mark.parametrize("name", ["activities.csv", "activity_agencies.csv", "indicators.csv", "agencies.csv",
                                  "review.csv", "plan.json"])  # fmt: skip
def test_committed_clean_data_is_fresh(default_run, name):
    """data/clean/ is what `make extract` writes today: rerun and compare byte for byte."""
    from conftest import COMMITTED

    out, _ = default_run
    assert (COMMITTED / name).exists(), f"{COMMITTED / name} is missing: run `make extract`"
    assert (COMMITTED / name).read_bytes() == (out / name).read_bytes(), (
        f"{name} is stale: run `make extract`"
    )
