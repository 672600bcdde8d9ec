"""tests/documents/: what a document folder holds, as the golden tests read it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from documents import DOCUMENTS, ROOT, SHIPPED, discover
from pypdf import PdfReader


def folder(base: Path, name: str, files: dict[str, str]) -> Path:
    """A document folder `base/name` holding the files given by name and text."""
    path = base / name
    path.mkdir()
    for filename, text in files.items():
        (path / filename).write_text(text, encoding="utf-8")
    return path


def test_the_shipped_plan_is_read_from_data_raw_and_checked_against_data_clean():
    assert SHIPPED.pdf == ROOT / "data" / "raw" / f"{SHIPPED.name}.pdf"
    assert SHIPPED.expected == ROOT / "data" / "clean" / SHIPPED.name
    assert SHIPPED.gold == SHIPPED.folder / "gold.json"
    assert SHIPPED.agency_ids == SHIPPED.folder / "agency-ids.yaml"
    assert SHIPPED in DOCUMENTS


def test_a_folder_with_its_pdf_and_gold_is_a_document(tmp_path):
    plan = folder(tmp_path, "plan", {"gold.json": "{}"})
    shutil.copy(SHIPPED.pdf, plan / "plan.pdf")
    (doc,) = discover(tmp_path)
    assert (doc.name, doc.pdf, doc.gold) == ("plan", plan / "plan.pdf", plan / "gold.json")
    assert doc.agency_ids is None and doc.expected is None and doc.engines is None
    assert doc.source(tmp_path / "unused") == plan / "plan.pdf"


def test_a_typeset_document_prints_the_gold_it_names(tmp_path):
    gold = SHIPPED.gold.read_text(encoding="utf-8")
    source = folder(tmp_path, "source", {"gold.json": gold, "agency-ids.yaml": "{}"})
    shutil.copy(SHIPPED.pdf, source / "source.pdf")
    spec = "typeset:\n  from: source\n  style: {page_size: Letter}\nengines: [pdfium]\n"
    folder(tmp_path, "source-letter", {"document.yaml": spec})
    (_, doc) = discover(tmp_path)
    assert (doc.pdf, doc.gold, doc.agency_ids) == (None, source / "gold.json", source / "agency-ids.yaml")
    assert doc.engines == ("pdfium",)
    pdf = doc.source(tmp_path / "printed")
    assert pdf == tmp_path / "printed" / "source-letter.pdf"
    page = PdfReader(pdf).pages[0]
    assert sorted(round(float(x)) for x in page.mediabox[2:]) == [612, 792]  # US Letter
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert all(line in text for line in json.loads(gold)["document"]["preamble"])


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("pdf: data/raw/georgia-nap-2019-2020.pdf\ngold: g.json\n", "unknown keys ['gold']"),
        ("expected: data/clean/missing\npdf: data/raw/georgia-nap-2019-2020.pdf\n", "does not exist"),
        ("", "give one of"),
        ("pdf: data/raw/georgia-nap-2019-2020.pdf\ntypeset: {from: x}\n", "give one of"),
        ("typeset: {from: nowhere}\n", "from: nowhere has no gold.json"),
    ],
)
def test_a_folder_that_does_not_say_what_it_is_is_refused(tmp_path, spec, error):
    folder(tmp_path, "bad", {"document.yaml": spec})
    with pytest.raises((ValueError, FileNotFoundError), match=re.escape(error)):
        discover(tmp_path)
