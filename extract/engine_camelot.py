"""Table-structure detection with camelot's lattice flavour (ruling lines found in an image).

Camelot reports a full grid with edge flags; cells joined by a missing edge are merged here
into one box, so this engine yields the same cell model as the pdfplumber one.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import pdfplumber

from schema.models import BBox


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


def open_engine(path: Path, pdf: pdfplumber.PDF, password: str | None):
    """Cell boxes of every lattice table camelot finds; camelot reads the whole file at once."""
    import camelot  # heavy import (OpenCV): only when this engine is chosen

    logging.getLogger("camelot").setLevel(logging.ERROR)
    heights = {p.page_number: float(p.height) for p in pdf.pages}
    found: dict[int, list[list[BBox]]] = {n: [] for n in heights}
    with tempfile.TemporaryDirectory() as tmp:
        source = decrypted(path, password, Path(tmp)) if password else path
        for table in camelot.read_pdf(str(source), flavor="lattice", pages="all", line_scale=40):
            page = int(table.page)
            found[page].append(_merged_boxes(table, heights[page]))
    return lambda page: found.get(page.page_number, [])


def decrypted(path: Path, password: str, folder: Path) -> Path:
    """A decrypted copy: camelot renders split pages of the file, which must open without a password."""
    from pypdf import PdfReader, PdfWriter  # a dependency of camelot

    reader = PdfReader(path, password=password)
    copy = folder / "decrypted.pdf"
    PdfWriter(clone_from=reader).write(copy)
    return copy
