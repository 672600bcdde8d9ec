"""Every engine places a cell's box at the same hundredth of a point (extract/document.py `_round`).

PDFium reads a PDF's numbers as float32, pdfminer (the pdfplumber engine) as float64: an edge both
snap halfway between two rules (reportlab's 547.6 and 547.85 on the Georgian plan's first page) is
547.72498 to the one and 547.725 to the other, and rounding each straight to 0.01 pt gave 547.72
and 547.73. Printed by reportlab and by fpdf2, with the fonts they embed.
"""

from __future__ import annotations

import pytest
from documents import SHIPPED, document
from typeset import Style, typeset
from typeset.gold import gold_preamble, gold_rows

from extract import extract_document
from schema.models import ExtractedDocument

GEORGIAN = document("georgia-nap-2019-2020-ka")


def boxes(found: ExtractedDocument) -> list:
    return [(t.page, t.bbox, [(c.row, c.col, c.bbox) for c in t.cells]) for t in found.tables]


@pytest.fixture(scope="module", params=["georgian-reportlab", "english-fpdf2"])
def printed(request, tmp_path_factory):
    """The Georgian plan as its document prints it, and the English one in fpdf2's shipped look."""
    folder = tmp_path_factory.mktemp(request.param)
    if request.param == "georgian-reportlab":
        return GEORGIAN.source(folder)
    gold = SHIPPED.load_gold()
    style = Style(producer="fpdf2", widths={"timeline": 66}, preamble=gold_preamble(gold))
    return typeset(gold_rows(gold), style, folder / "english-fpdf2.pdf")


def test_pdfium_and_pdfplumber_boxes_are_equal(printed) -> None:
    plumbed, pdfium = (boxes(extract_document(printed, engine=e)) for e in ("pdfplumber", "pdfium"))
    assert plumbed == pdfium
