"""The camelot engine: ruled tables found by camelot's lattice flavour (ruling lines found in an image).

`open_engine(path, password)` runs camelot over the whole file at once (on a decrypted copy when
a password is given) and keeps its tables by page; each page visited then gets camelot's tables,
their edges moved onto the page's vector rulings, or where camelot found none the pdfium engine's
tables. It has nothing to close (see `extract.engines`).

Camelot reports a full grid with edge flags; cells joined by a missing edge are merged here
into one box, so this engine yields the same cell model as the other two.
"""

from __future__ import annotations

import logging
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium

from extract.engines import PageCells
from extract.engines.pdfium import page_tables
from extract.errors import ParserRefused
from schema.models import BBox

SNAP = 3.0  # points: how far an image-measured edge may be from the vector rule it stands for


def _merged_boxes(table, page_height: float) -> list[BBox]:
    rows, cols = len(table.cells), len(table.cells[0]) if table.cells else 0
    owner = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def root(rc):
        while owner[rc] != rc:
            rc = owner[rc]
        return rc

    for r in range(rows):
        for c in range(cols):
            cell = table.cells[r][c]
            if c + 1 < cols and not cell.right:
                owner[root((r, c + 1))] = root((r, c))
            if r + 1 < rows and not cell.bottom:
                owner[root((r + 1, c))] = root((r, c))
    groups: dict[tuple[int, int], list] = {}
    for r in range(rows):
        for c in range(cols):
            groups.setdefault(root((r, c)), []).append(table.cells[r][c])
    return [
        BBox(
            x0=min(k.x1 for k in g),
            x1=max(k.x2 for k in g),
            top=page_height - max(k.y2 for k in g),
            bottom=page_height - min(k.y1 for k in g),
        )
        for g in groups.values()
    ]


def open_engine(path: Path, password: str | None) -> PageCells:
    """Camelot's lattice tables of the whole file, handed out page by page."""
    import camelot  # heavy import (OpenCV): only when this engine is chosen

    found: dict[int, list] = {}
    with tempfile.TemporaryDirectory() as tmp, quiet():
        source = decrypted(path, password, Path(tmp)) if password else path
        try:
            tables = camelot.read_pdf(str(source), flavor="lattice", pages="all", line_scale=40)
        except Exception as exc:  # camelot's parsers raise many kinds on a damaged file
            raise ParserRefused(f"camelot cannot read it ({type(exc).__name__}: {exc})") from exc
        for table in tables:
            found.setdefault(int(table.page), []).append(table)
    return lambda number, page: page_cells(found.get(number, []), page)


@contextmanager
def quiet() -> Iterator[None]:
    """camelot's and its parsers' warnings (their repairs of a damaged file, a page with no table) go to
    stderr, where nap says one line per file: the file's problems are nap's to report."""
    loggers = [logging.getLogger(name) for name in ("camelot", "pypdf", "playa", "pdfminer")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def page_cells(tables: list, page: pdfium.PdfPage) -> list[list[BBox]]:
    """Camelot's tables of the page on the vector rulings; where its image analysis finds none
    (a page that a tall cell fills, with only column rules drawn), the vector grid itself."""
    vector = page_tables(page)
    if not tables:
        return vector
    return [snapped(_merged_boxes(t, page.get_size()[1]), vector) for t in tables]


def snapped(boxes: list[BBox], vector_tables: list[list[BBox]]) -> list[BBox]:
    """Camelot's box edges, measured on an image, moved onto the PDF's own vector rulings.

    Where the page draws its rules as vector paths (as most producers do), the grid lines the
    pdfium engine derives from them are exact; camelot's structure is kept and its coordinates
    (off by a pixel's rounding) are replaced by the nearest of those within SNAP points.
    """
    vector = [b for table in vector_tables for b in table]
    xs = sorted({v for b in vector for v in (b.x0, b.x1)})
    ys = sorted({v for b in vector for v in (b.top, b.bottom)})

    def near(v: float, lines: list[float]) -> float:
        best = min(lines, key=lambda w: abs(w - v), default=v)
        return best if abs(best - v) <= SNAP else v

    return [
        BBox(x0=near(b.x0, xs), top=near(b.top, ys), x1=near(b.x1, xs), bottom=near(b.bottom, ys))
        for b in boxes
    ]


def decrypted(path: Path, password: str, folder: Path) -> Path:
    """A decrypted copy: camelot renders split pages of the file, which must open without a password."""
    from pypdf import PdfReader, PdfWriter  # a dependency of camelot

    reader = PdfReader(path, password=password)
    copy = folder / "decrypted.pdf"
    PdfWriter(clone_from=reader).write(copy)
    return copy
