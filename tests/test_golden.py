"""Golden tests over the test documents (tests/documents/): every document with a gold comes out
exactly as its gold, with every engine; every document with expected outputs reproduces them."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from conftest import document_engines, documents
from documents import DOCUMENTS
from goldcheck import gold_problems, outputs, read_csv
from typeset.gold import AGENCY_FIELDS

from extract import DEFAULT_ENGINE
from nap.pipeline import run
from publish.outputs import OUTPUT_NAMES
from publish.sqlite import sqlite_dump
from schema.models import Plan

WITH_GOLD = [d for d in DOCUMENTS if d.gold]
WITH_IDS = [d for d in DOCUMENTS if d.agency_ids]
WITH_EXPECTED = [d for d in DOCUMENTS if d.expected]


@pytest.mark.parametrize(("doc", "engine"), document_engines(WITH_GOLD))
def test_every_gold_activity_is_exact(doc, engine, runs):
    out, plan = runs(doc, engine)
    gold = doc.load_gold()
    problems = gold_problems(out, gold)
    assert not doc.unknown(problems), f"{doc.name} {engine}: " + "\n".join(doc.unknown(problems))
    for known, because in doc.known_problems:
        gone = f"{known!r} no longer occurs ({because}): remove it from the document's known_problems"
        assert any(p.startswith(known) for p in problems), gone
    assert plan.preamble == gold["document"]["preamble"]


@pytest.mark.parametrize(("doc", "engine"), document_engines(WITH_IDS))
def test_every_mention_resolves_to_the_verified_ids(doc, engine, runs):
    out, _ = runs(doc, engine)
    want = doc.load_agency_ids()
    wrong = []
    for aid, mentions in outputs(out)["mentions"].items():
        for m in mentions.values():
            mention = m["key"][2]
            if m["ids"] != want.get(mention):
                wrong.append(f"{aid} {mention!r}: {m['ids']} != {want.get(mention)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("doc", "engine"), document_engines(WITH_GOLD))
def test_review_lists_every_agency_cell_without_an_agency(doc, engine, runs):
    """A printed responsible or partner cell of which the gold reads no mention is reviewed."""
    out, _ = runs(doc, engine)
    want = {
        (row["activity_id"], field) for row in doc.load_gold()["rows"] for field in AGENCY_FIELDS
        if row["cells"][field].strip() and not any(a["column"] == field for a in row["agencies"])
    }  # fmt: skip
    review = read_csv(out / "review.csv")
    assert {(r["activity_id"], r["field"]) for r in review if r["kind"] == "no_agency"} == want


@pytest.mark.parametrize(("doc", "engine"), document_engines(DOCUMENTS))
def test_review_lists_every_page_break(doc, engine, runs):
    out, _ = runs(doc, engine)
    stitched = {
        r["activity_id"] for r in read_csv(out / "review.csv")
        if r["kind"] == "page_break_stitched" and r["field"] not in ("goal", "objective")
    }  # fmt: skip
    spanning = {
        r["activity_id"] for r in read_csv(out / "activities.csv") if r["page_first"] != r["page_last"]
    }
    assert stitched == spanning


@pytest.mark.parametrize(("doc", "engine"), document_engines(DOCUMENTS))
def test_plan_json_validates_and_matches_csv(doc, engine, runs):
    out, _ = runs(doc, engine)
    plan = Plan.model_validate_json((out / "plan.json").read_text(encoding="utf-8"))
    assert [a.activity_id for a in plan.activities()] == list(outputs(out)["activities"])
    boxes = [p for a in plan.activities() for ps in a.provenance.values() for p in ps]
    assert boxes and all(1 <= p.page <= plan.source.pages and p.bbox.x1 > p.bbox.x0 for p in boxes)


def without_engine(name: str, content: bytes, engine: str) -> bytes | str:
    """An output with the name of the engine that made it (recorded in plan.json, review.html, and the
    provenance of datapackage.json and README.md) elided."""
    content = comparable(name, content)
    named = ("plan.json", "review.html", "plan.xlsx", "datapackage.json", "README.md")
    return content.replace(engine.encode(), b"ENGINE") if name in named else content


@pytest.mark.parametrize(("doc", "engine"), document_engines(DOCUMENTS))
def test_engines_agree_on_every_output(doc, engine, runs):
    """Every engine finds the same cells, to the point: all outputs are the same but for its name."""
    out, _ = runs(doc, engine)
    base, plan = runs(doc, DEFAULT_ENGINE)
    for name in sorted(OUTPUT_NAMES):
        ours = without_engine(name, (out / name).read_bytes(), engine)
        assert ours == without_engine(name, (base / name).read_bytes(), plan.engine), (
            f"{doc.name}: {engine} differs in {name}"
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
    if name == "plan.xlsx":  # a zip: compare the parts it holds (the README sheet names the engine)
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return b"".join(f"--- {n}\n".encode() + z.read(n) for n in z.namelist())
    return content


@pytest.mark.parametrize("name", sorted(OUTPUT_NAMES))
@pytest.mark.parametrize("doc", documents(WITH_EXPECTED))
def test_committed_outputs_are_fresh(doc, name, runs):
    """A document's expected outputs (data/clean/ for the shipped plan) are what `make extract`
    writes today: rerun and compare."""
    out, _ = runs(doc, DEFAULT_ENGINE)
    committed = doc.expected / name
    assert committed.exists(), f"{committed} is missing: run `make extract`"
    fresh = comparable(name, (out / name).read_bytes())
    assert comparable(name, committed.read_bytes()) == fresh, f"{committed} is stale: run `make extract`"


@pytest.mark.parametrize("doc", documents(DOCUMENTS))
def test_outputs_are_byte_identical_on_every_run(doc, runs, typeset_to, config, tmp_path):
    out, _ = runs(doc, DEFAULT_ENGINE)
    run(doc.source(typeset_to), tmp_path / "again", DEFAULT_ENGINE, config)
    for name in sorted(OUTPUT_NAMES):
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name
