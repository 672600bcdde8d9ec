"""The engines that find the cell boxes of a page's ruled tables, one module each.

Every engine module `extract.engines.<name>` defines `open_engine(path, password) -> PageCells`
(an `Engine`). `extract_document` opens the chosen engine once per file, then asks it page by page,
`cells_of(number, page)` with the 1-based page number and the open PDFium page, for the cell boxes
of each ruled table on that page (top-down PDF points; an empty list where it finds none). What
`open_engine` returned may have a `close()`, called when reading the file ends. An engine whose own
PDF parser refuses the file raises `extract.errors.ParserRefused`.

The engines only find boxes: one PDFium reader fills them with the page's characters, whichever
engine found them (`extract.document`).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

import pypdfium2 as pdfium

from schema.models import BBox

PageCells = Callable[[int, pdfium.PdfPage], list[list[BBox]]]  # (number, page) -> tables' cell boxes
Engine = Callable[[Path, str | None], PageCells]  # (path, password) -> the file's PageCells

DEFAULT_ENGINE = "pdfium"
# name -> the module that defines its `open_engine`, imported only when chosen: pdfplumber's and
# camelot's parsers are heavy imports that a run with another engine never needs
ENGINES: dict[str, str] = {name: f"{__name__}.{name}" for name in ("pdfium", "pdfplumber", "camelot")}


def open_engine(name: str) -> Engine:
    """The `open_engine` of the engine called `name` (a key of ENGINES)."""
    return import_module(ENGINES[name]).open_engine
