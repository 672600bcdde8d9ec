"""The pdfplumber engine: ruled tables found by pdfplumber's own TableFinder.

`open_engine(path, password)` opens the file a second time, with pdfplumber; each page visited is
parsed there by pdfminer (in Python) for its rulings, and pdfplumber's TableFinder finds the cells
with the settings and frame of `extract.rulings`. The page is released once read, and `close()`
closes the file. pdfminer refusing the file raises ParserRefused (see `extract.engines`).

The pdfium engine restates this algorithm and must find the same cells; this one is the reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
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
    """The file open in pdfplumber; called with a page's number, the cell boxes of its tables."""

    def __init__(self, path: Path, password: str | None):
        with refusals():
            self.pdf = pdfplumber.open(path, password=password or "")

    def __call__(self, number: int, page: pdfium.PdfPage) -> list[list[BBox]]:
        with refusals():
            ours, theirs = len(self.pdf.pages), len(page.pdf)
            if ours != theirs:  # a damaged page tree: page N here would be another page there
                raise ParserRefused(f"pdfminer reads {ours} pages where PDFium reads {theirs}")
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
    """The file opened in pdfplumber, read page by page as `extract_document` visits them."""
    return PlumberEngine(path, password)
