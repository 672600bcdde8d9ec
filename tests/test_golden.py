"""Golden tests: every row of the shipped plan comes out exactly as the hand-verified gold."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import AGENCY_IDS
from goldcheck import gold_problems, outputs, read_csv

from extract import DEFAULT_ENGINE
from nap.pipeline import run
from publish.sqlite import sqlite_dump
from publish.writers import OUTPUT_NAMES
from schema.models import Plan


def test_every_gold_activity_is_exact(engine_run, gold):
    engine, out, _ = engine_run
    problems = gold_problems(out, gold)
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


def without_engine(name: str, content: bytes, engine: str) -> bytes | str:
    """An output with the name of the engine that made it (recorded in plan.json, review.html) elided."""
    content = comparable(name, content)
    return content.replace(engine.encode(), b"ENGINE") if name in ("plan.json", "review.html") else content


def test_engines_agree_on_every_output(engine_run, default_run):
    """Every engine finds the same cells, to the point: all outputs are the same but for its name."""
    engine, out, _ = engine_run
    base, plan = default_run
    for name in sorted(OUTPUT_NAMES):
        ours = without_engine(name, (out / name).read_bytes(), engine)
        assert ours == without_engine(name, (base / name).read_bytes(), plan.engine), (
            f"{engine} differs in {name}"
        )


def comparable(name: str, content: bytes) -> bytes | str:
    """What must not change between runs: bytes, except where a library's build shows through.

    plan.sqlite records the SQLite version in its header: compare its SQL dump. review.html holds
    PNG crops whose bytes depend on the PDF renderer's build: compare it with images elided.
    """
    if name == "plan.sqlite":
        return sqlite_dump(content)
    if name == "review.html":
        return re.sub(rb"data:image/png;base64,[A-Za-z0-9+/=]+", b"data:image/png;...", content)
    return content


@pytest.mark.parametrize("name", sorted(OUTPUT_NAMES))
def test_committed_clean_data_is_fresh(default_run, name):
    """data/clean/ is what `make extract` writes today: rerun and compare."""
    from conftest import COMMITTED

    out, _ = default_run
    assert (COMMITTED / name).exists(), f"{COMMITTED / name} is missing: run `make extract`"
    fresh = comparable(name, (out / name).read_bytes())
    assert comparable(name, (COMMITTED / name).read_bytes()) == fresh, f"{name} is stale: run `make extract`"


def test_outputs_are_byte_identical_on_every_run(default_run, config, tmp_path):
    from conftest import PDF

    out, _ = default_run
    run(PDF, tmp_path / "again", DEFAULT_ENGINE, config)
    for name in sorted(OUTPUT_NAMES):
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name
