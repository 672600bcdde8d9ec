"""Table-structure detection with pdfplumber's ruling-line table finder.

pdfminer parses each page (in Python) for its rulings; pdfplumber's TableFinder finds the cells,
with the settings and frame of `extract.rulings`.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from pdfplumber.utils.exceptions import PdfminerException

from extract.errors import ParserRefused
from extract.rulings import SETTINGS, frame_lines
from schema.models import BBox


def boxes(tables) -> list[list[BBox]]:
    return [[BBox(x0=c[0], top=c[1], x1=c[2], bottom=c[3]) for c in t.cells] for t in tables]


class PlumberEngine:
    """pdfminer parses each page (in Python) for its rulings; pdfplumber finds the cells."""

    def __init__(self, path: Path, password: str | None):
        try:
            self.pdf = pdfplumber.open(path, password=password or "")
        except PdfminerException as exc:
            raise ParserRefused(str(exc.args[0] if exc.args else exc)) from exc

    def __call__(self, number: int, page) -> list[list[BBox]]:
        try:
            plumbed = self.pdf.pages[number - 1]
            try:
                return boxes(plumbed.find_tables(table_settings={**SETTINGS, **frame_lines(plumbed.edges)}))
            finally:
                plumbed.flush_cache()
                plumbed.close()
        except PdfminerException as exc:
            raise ParserRefused(str(exc.args[0] if exc.args else exc)) from exc

    def close(self) -> None:
        try:
            self.pdf.close()
        except PdfminerException as exc:
            raise ParserRefused(str(exc.args[0] if exc.args else exc)) from exc


def open_engine(path: Path, password: str | None) -> PlumberEngine:
    """Cell boxes of every ruled table of a page, read as the page is visited."""
    return PlumberEngine(path, password)
