"""Table-structure detection with pdfplumber's ruling-line table finder.

pdfminer parses each page (in Python) for its rulings; pdfplumber's TableFinder finds the cells,
with the settings and frame of `extract.rulings`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
from pdfplumber.utils.exceptions import PdfminerException

from extract.errors import ParserRefused
from extract.rulings import SETTINGS, boxes, frame_lines
from schema.models import BBox


@contextmanager
def refusals() -> Iterator[None]:
    """pdfminer refusing the file becomes ParserRefused, which extract_document reports."""
    try:
        yield
    except PdfminerException as exc:
        raise ParserRefused(str(exc.args[0] if exc.args else exc)) from exc


class PlumberEngine:
    """pdfminer parses each page (in Python) for its rulings; pdfplumber finds the cells."""

    def __init__(self, path: Path, password: str | None):
        with refusals():
            self.pdf = pdfplumber.open(path, password=password or "")

    def __call__(self, number: int, page) -> list[list[BBox]]:
        with refusals():
            plumbed = self.pdf.pages[number - 1]
            try:
                found = plumbed.find_tables(table_settings={**SETTINGS, **frame_lines(plumbed.edges)})
                return boxes([t.cells for t in found])
            finally:
                plumbed.flush_cache()
                plumbed.close()

    def close(self) -> None:
        with refusals():
            self.pdf.close()


def open_engine(path: Path, password: str | None) -> PlumberEngine:
    """Cell boxes of every ruled table of a page, read as the page is visited."""
    return PlumberEngine(path, password)
