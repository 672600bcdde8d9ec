"""The default engine: ruled tables from PDFium's path objects, with pdfplumber's lattice algorithm.

`open_engine(path, password)` opens nothing of its own: each page's rulings are read from the
PDFium page `extract_document` already holds, as that page is visited (see `extract.engines`).

The rulings come from `pdfium_reader.page_edges` (the same segments pdfminer reports, read in
C); snapping, joining, intersecting and forming cells is pdfplumber's algorithm as restated in
`extract.lattice` (tested equal to it), so this engine finds the cells the pdfplumber engine
finds, in a fraction of the time and without loading pdfminer.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from extract.engines import PageCells
from extract.lattice import Box, Settings, find_tables
from extract.pdfium_reader import page_edges
from extract.rulings import SETTINGS, boxes, frame_lines
from schema.models import BBox

LATTICE = Settings.from_pdfplumber(SETTINGS)


def lattice_tables(edges: list[dict], width: float, height: float) -> list[list[Box]]:
    """The cells of a page's ruled tables from its rulings, framed as the pdfplumber engine frames them."""
    frame = frame_lines(edges)
    return find_tables(
        edges,
        (0.0, 0.0, width, height),
        LATTICE,
        explicit_horizontal=frame.get("explicit_horizontal_lines", ()),
        explicit_vertical=frame.get("explicit_vertical_lines", ()),
    )


def page_tables(page: pdfium.PdfPage) -> list[list[BBox]]:
    """The cell boxes of every ruled table of the page."""
    width, height = page.get_size()
    return boxes(lattice_tables(page_edges(page), width, height))


def open_engine(path: Path, password: str | None) -> PageCells:
    """The file needs no opening: each page is read from the PDFium page it is handed."""
    return lambda number, page: page_tables(page)
