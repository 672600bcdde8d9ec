"""Table-structure detection with pdfplumber's ruling-line table finder."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from schema.models import BBox

SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


def _page_tables(page: pdfplumber.page.Page) -> list[list[BBox]]:
    tables = page.find_tables(table_settings=SETTINGS)
    return [[BBox(x0=c[0], top=c[1], x1=c[2], bottom=c[3]) for c in t.cells] for t in tables]


def find_cells(path: Path, pdf: pdfplumber.PDF) -> dict[int, list[list[BBox]]]:
    """Cell boxes of every ruled table, by 1-based page number."""
    return {page.page_number: _page_tables(page) for page in pdf.pages}
