"""The OCR figures (tests/accuracy.py) on the shipped plan's committed outputs, whole and damaged."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from accuracy import agency_scores, char_accuracy, expected_agency_ids
from documents import SHIPPED
from goldcheck import read_csv

CLEAN = SHIPPED.expected
ROWS = SHIPPED.load_gold()["rows"]
VERIFIED = SHIPPED.load_agency_ids()
TEXT = ("activity_id", "activity", "responsible", "partner", "indicator", "timeline")


def printed_characters(out: Path) -> int:
    """The characters of the plan's cells counted from the output's own tables: each goal and
    objective once (goals.csv, objectives.csv: number and title), each activity's cells once."""
    goals = sum(len(r["goal_id"]) + len(r["title"]) for r in read_csv(out / "goals.csv"))
    objectives = sum(len(r["objective_id"]) + len(r["title"]) for r in read_csv(out / "objectives.csv"))
    activities = sum(len(r[k]) for r in read_csv(out / "activities.csv") for k in TEXT)
    return goals + objectives + activities


def damaged(tmp_path: Path, name: str, edit) -> Path:
    """A copy of the committed outputs with `edit(rows)` applied to the rows of `name`."""
    out = tmp_path / "out"
    shutil.copytree(CLEAN, out)
    rows = read_csv(out / name)
    fields = list(rows[0])
    rows = edit(rows)
    with (out / name).open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return out


def by_id(rows: list[dict], activity_id: str) -> dict:
    return next(r for r in rows if r["activity_id"] == activity_id)


def test_the_committed_outputs_are_exact():
    accuracy, errors, characters = char_accuracy(ROWS, CLEAN)
    assert (accuracy, errors) == (1.0, 0)
    assert characters == printed_characters(CLEAN)


def test_known_edits_cost_their_characters(tmp_path):
    _, _, characters = char_accuracy(ROWS, CLEAN)
    # a row under merged cells printed above it, one more, and the first row of a goal
    middle, lost = [r for r in ROWS[1:] if not (r["cells"]["goal"] or r["cells"]["objective"])][:2]
    first, later = ROWS[0], next(r for r in ROWS[1:] if r["cells"]["goal"])
    symbol = "#"
    assert symbol not in first["cells"]["indicator"]

    def edit(rows):
        one, two = by_id(rows, first["activity_id"]), by_id(rows, middle["activity_id"])
        one["responsible"] = one["responsible"][1:]  # a character lost: 1
        one["indicator"] = symbol * 3 + one["indicator"][3:]  # three misread, as a sign it lacks: 3
        two["goal"] = "a goal the gold prints on the first row only"  # not printed here: 0
        by_id(rows, later["activity_id"])["activity_id"] += "#2"  # read as another number: all of it
        return [r for r in rows if r["activity_id"] != lost["activity_id"]]  # missing: all of it

    missing = sum(len(lost["cells"][k]) for k in ("responsible", "partner", "indicator", "timeline"))
    missing += len(lost["activity_id"]) + len(lost["activity"])
    renamed = sum(len(later["cells"][k]) for k in ("responsible", "partner", "indicator", "timeline"))
    renamed += len(later["activity_id"]) + len(later["activity"])
    renamed += (
        len(later["goal_id"]) + len(later["goal"]) + len(later["objective_id"]) + len(later["objective"])
    )
    errors = 1 + 3 + missing + renamed
    got = char_accuracy(ROWS, damaged(tmp_path, "activities.csv", edit))
    assert got == (pytest.approx(1 - errors / characters), errors, characters)


def test_a_merged_cell_counts_once(tmp_path):
    """Objective 2.1 spans several rows, its title printed once: lost on every row, it costs its
    characters once."""
    rows = [r for r in ROWS if r["objective_id"] == "2.1"]
    assert len(rows) > 1 and rows[0]["cells"]["objective"] and not rows[1]["cells"]["objective"]
    _, _, characters = char_accuracy(ROWS, CLEAN)

    def edit(out_rows):
        return [r | {"objective": ""} if r["objective_id"] == "2.1" else r for r in out_rows]

    errors = len(rows[0]["objective"])
    got = char_accuracy(ROWS, damaged(tmp_path, "activities.csv", edit))
    assert got == (pytest.approx(1 - errors / characters), errors, characters)


def test_the_committed_outputs_resolve_every_verified_id():
    want = expected_agency_ids(ROWS, VERIFIED)
    assert sum(want.values()) == len([r for r in read_csv(CLEAN / "activity_agencies.csv") if r["agency_id"]])
    assert agency_scores(want, CLEAN) == (1.0, 1.0)


def test_a_wrong_id_and_a_lost_one(tmp_path):
    want = expected_agency_ids(ROWS, VERIFIED)
    total = sum(want.values())
    resolved = [r for r in read_csv(CLEAN / "activity_agencies.csv") if r["agency_id"]]
    assert len(resolved) == total

    def edit(rows):
        rows[0]["agency_id"] = "not-in-the-registry"  # one false, and one of the expected missed
        return rows[:-1]  # the last expected one missed

    precision, recall = agency_scores(want, damaged(tmp_path, "activity_agencies.csv", edit))
    assert (precision, recall) == (
        pytest.approx((total - 2) / (total - 1)),
        pytest.approx((total - 2) / total),
    )


def test_an_output_without_ids(tmp_path):
    want = expected_agency_ids(ROWS, VERIFIED)
    out = damaged(tmp_path, "activity_agencies.csv", lambda rows: [r | {"agency_id": ""} for r in rows])
    assert agency_scores(want, out) == (0.0, 0.0)
    assert agency_scores([], out) == (1.0, 1.0)
