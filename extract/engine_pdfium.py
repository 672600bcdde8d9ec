"""Table-structure detection from PDFium's path objects, with pdfplumber's table algorithm.

The rulings come from `pdfium_reader.page_edges` (the same segments pdfminer reports, read in
C); snapping, joining, intersecting and forming cells is pdfplumber's own code, so this engine
finds the cells the pdfplumber engine finds, in a fraction of the time.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from pdfplumber.table import TableFinder

from extract.engine_pdfplumber import SETTINGS, boxes, frame_lines
from extract.pdfium_reader import page_edges
from schema.models import BBox


class EdgePage:
    """The two things pdfplumber's TableFinder asks of a page: its edges and its box."""

    def __init__(self, edges: list[dict], width: float, height: float):
        self.edges = edges
        self.bbox = (0.0, 0.0, width, height)


def page_tables(page: pdfium.PdfPage) -> list[list[BBox]]:
    width, height = page.get_size()
    edges = page_edges(page)
    finder = TableFinder(EdgePage(edges, width, height), {**SETTINGS, **frame_lines(edges)})
    return boxes(finder.tables)


def open_engine(path: Path, password: str | None):
    """Cell boxes of every ruled table of a page, read as the page is visited."""
    return lambda number, page: page_tables(page)
