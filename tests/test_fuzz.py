"""Fuzz: seeded mutants of the shipped plan end as a complete output or a clean error (issue #11).

Forty mutants (`fuzz.mutant`: every family and every variant of tests/fuzz.py at least once),
each run as `nap extract MUTANT --out DIR` in its own process, two at a time, and judged by
`fuzz.judge`: exit 0 with an output folder that `nap validate` accepts and that loses no activity
without a review item saying so, or exit 1 with one line on stderr, no traceback and nothing
written; within 60 s and under 1 GB of peak RSS. The harness itself is tested below: the silent
loss, the bounds and the one-line contract it enforces fail when broken. The campaign over
hundreds of mutants is `make fuzz` (bench/FUZZ.md).
"""

from __future__ import annotations

import csv
import shutil
import sys

import fuzz
import pytest
from documents import SHIPPED

SEEDS = range(4 * len(fuzz.FAMILIES))  # the most variants a family has: 4


class Results(dict):
    """Each seed's result; shown short when a test fails."""

    def __repr__(self) -> str:
        return f"<{len(self)} fuzz results>"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> tuple[fuzz.Run, fuzz.Baseline]:
    """The shipped PDF itself through the harness, and what its output holds."""
    return fuzz.baseline_run(tmp_path_factory.mktemp("fuzz-shipped"))


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory, shipped) -> Results:
    work = tmp_path_factory.mktemp("fuzz")
    return Results((r.seed, r) for r in fuzz.campaign(SEEDS, work, shipped[1], workers=2))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: f"{s}-{fuzz.family_of(s).replace(' ', '-')}")
def test_mutant_ends_in_a_complete_output_or_a_clean_error(fuzzed, seed):
    r = fuzzed[seed]
    kind, said = r.outcome.kind, "; ".join(r.outcome.problems)
    assert kind in ("complete", "error"), f"seed {seed} ({r.family}: {r.what}): {said}"
    seconds, peak_mb = r.run.seconds, r.run.peak_mb
    assert seconds < fuzz.TIMEOUT and peak_mb < fuzz.RSS_LIMIT_MB


def test_the_seeds_cover_every_variant_and_are_deterministic():
    original = SHIPPED.pdf.read_bytes()
    made = {seed: fuzz.mutant(seed, original) for seed in SEEDS}
    variants = {(m.family, m.what.split()[0]) for m in made.values()}
    assert {m.family for m in made.values()} == {name for name, _ in fuzz.FAMILIES}
    assert all(m.data != original for m in made.values())
    assert len({m.data for m in made.values()}) == len(made)  # no two seeds make the same file
    assert fuzz.mutant(3, original) == made[3] and fuzz.mutant(17, original) == made[17]
    assert len(variants) > len(fuzz.FAMILIES)


def test_the_shipped_plan_itself_is_complete(shipped):
    run, baseline = shipped
    assert fuzz.judge(run, baseline).kind == "complete"
    assert baseline == fuzz.count_output(SHIPPED.expected)


# --- the harness fails what it must ------------------------------------------------------------


def copy_output(run: fuzz.Run, tmp_path) -> fuzz.Run:
    folder = tmp_path / "run"
    folder.mkdir()
    shutil.copy(run.folder / "mutant.pdf", folder / "mutant.pdf")
    shutil.copytree(run.out, folder / "out")
    return fuzz.Run(0, "", "", 1.0, 100.0, None, folder, folder / "out")


def drop_activities(out, keep: int) -> None:
    path = out / "activities.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows[: 1 + keep])


def add_review_item(out, kind: str) -> None:
    """A review.csv row of `kind`, its cells placed by the file's own header."""
    path = out / "review.csv"
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    item = {"kind": kind, "detail": "text that could not be placed", "page": "3"}
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow([item.get(c, "") for c in header])


def test_a_silent_loss_fails(shipped, tmp_path):
    run, baseline = shipped
    lossy = copy_output(run, tmp_path)
    drop_activities(lossy.out, baseline.activities - 5)
    outcome = fuzz.judge(lossy, baseline)
    assert outcome.kind == "failure"
    assert any(p.startswith(f"silent loss: {baseline.activities - 5} of") for p in outcome.problems)


@pytest.mark.parametrize("kind", ["text_outside_table", "numbering_mismatch"])
def test_a_loss_said_in_review_is_no_silent_loss(shipped, tmp_path, kind):
    run, baseline = shipped
    lossy = copy_output(run, tmp_path)
    drop_activities(lossy.out, baseline.activities - 5)
    add_review_item(lossy.out, kind)
    assert fuzz.loss_problems(lossy.out, baseline) == []
    add_review_item(lossy.out, "note_separated")  # a kind that says nothing of a loss does not count
    assert fuzz.count_output(lossy.out).loss_items == baseline.loss_items + 1


def test_an_invalid_output_fails(shipped, tmp_path):
    run, baseline = shipped
    broken = copy_output(run, tmp_path)
    (broken.out / "indicators.csv").unlink()
    outcome = fuzz.judge(broken, baseline)
    assert outcome.kind == "failure" and "not valid" in outcome.label


def error_run(tmp_path, stderr: str, code: int = 1, written: bool = False) -> fuzz.Run:
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "mutant.pdf").write_bytes(b"%PDF-1.4 nothing")
    if written:
        (folder / ".out-partial").mkdir()
    return fuzz.Run(code, "", stderr.replace("FILE", str(folder / "mutant.pdf")), 1.0, 50.0, None, folder,
                    folder / "out")  # fmt: skip


@pytest.mark.parametrize(
    ("stderr", "code", "written", "problem"),
    [
        ("nap: error: FILE: cannot be read\nmore\n", 1, False, "2 lines on stderr"),
        ("Traceback (most recent call last):\nPdfiumError: Failed to load page.\n", 1, False, "traceback"),
        ("nap: error: FILE: cannot be read as a PDF\n", 1, True, "written: .out-partial"),
        ("nap: error: somewhere else: cannot be read as a PDF\n", 1, False, "does not name the file"),
        ("Aborted\n", -6, False, "exit status -6"),
    ],
)
def test_an_unclean_error_fails(shipped, tmp_path, stderr, code, written, problem):
    outcome = fuzz.judge(error_run(tmp_path, stderr, code, written), shipped[1])
    assert outcome.kind == "failure" and any(problem in p for p in outcome.problems), outcome


def test_a_clean_error_is_classed_by_its_message(shipped, tmp_path):
    run = error_run(tmp_path, "nap: error: FILE: page 7 cannot be read (PDFium: Failed); --keep-going\n")
    assert fuzz.judge(run, shipped[1]) == fuzz.Outcome("error", "page N cannot be read", ())


def test_the_launcher_measures_the_childs_own_peak_memory(tmp_path):
    hold = [bytearray(b"\1") * (400 << 20)]  # this process grows; the child's peak must not include it
    grow = "x = bytearray(b'\\1') * (150 << 20)"
    code, _, _, seen = fuzz.run_child([sys.executable, "-c", grow], tmp_path / "logs")
    assert code == 0 and seen["killed"] is None and hold
    assert 150 <= seen["peak_kib"] / 1024 < 300


def test_the_launcher_kills_at_the_bounds(tmp_path):
    sleep = [sys.executable, "-c", "import time; time.sleep(30)"]
    code, _, _, seen = fuzz.run_child(sleep, tmp_path / "slow", timeout=1.0)
    assert seen["killed"] == "timeout" and code == -9 and seen["seconds"] < 5
    grow = "import time\nx = []\nwhile True:\n    x.append(bytearray(b'1') * (8 << 20))\n    time.sleep(0.01)"
    code, _, _, seen = fuzz.run_child([sys.executable, "-c", grow], tmp_path / "big", kill_mb=200)
    assert seen["killed"] == "memory" and code == -9 and 200 <= seen["peak_kib"] / 1024 < 400
