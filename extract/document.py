"""Read a PDF into positioned cells: an engine finds the cell boxes, one reader fills them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from extract import engine_camelot, engine_pdfplumber
from extract.chars import Char, inside, lines_in, page_chars, word_anchors
from extract.grid import grid_positions
from schema.models import BBox, Cell, ExtractedDocument, PageTable, PageText, SourceInfo


class UnreadablePDF(ValueError):
    """The file is not a PDF this reader can open (truncated, corrupt, encrypted)."""


FindCells = Callable[[Path, pdfplumber.PDF], dict[int, list[list[BBox]]]]
ENGINES: dict[str, FindCells] = {
    "pdfplumber": engine_pdfplumber.find_cells,
    "camelot": engine_camelot.find_cells,
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _area(boxes: list[BBox]) -> float:
    return sum((b.x1 - b.x0) * (b.bottom - b.top) for b in boxes)


def _bounds(boxes: list[BBox]) -> BBox:
    return BBox(
        x0=min(b.x0 for b in boxes),
        top=min(b.top for b in boxes),
        x1=max(b.x1 for b in boxes),
        bottom=max(b.bottom for b in boxes),
    )


def _round(box: BBox) -> BBox:
    return BBox(x0=round(box.x0, 2), top=round(box.top, 2), x1=round(box.x1, 2), bottom=round(box.bottom, 2))


def build_table(page: int, boxes: list[BBox], chars: list[Char]) -> PageTable:
    """Place the page's chars into the engine's boxes; the rest is text above or below."""
    _, _, spans = grid_positions(boxes)
    edges = sorted({b.x0 for b in boxes} | {b.x1 for b in boxes})
    anchors = word_anchors(chars, edges)
    owner = {
        i: next((k for k, box in enumerate(boxes) if inside(chars[a], box)), None)
        for i, a in enumerate(anchors)
    }
    cells = []
    taken: set[int] = set()
    for k, (box, (row, col, rspan, cspan)) in sorted(
        enumerate(zip(boxes, spans, strict=True)), key=lambda kbs: kbs[1][1][:2]
    ):
        mine = [i for i, o in owner.items() if o == k]
        taken.update(mine)
        cells.append(
            Cell(
                page=page,
                row=row,
                col=col,
                row_span=rspan,
                col_span=cspan,
                bbox=_round(box),
                lines=lines_in([chars[i] for i in mine]),
            )
        )
    bounds = _bounds(boxes)
    rest = [ch for i, ch in enumerate(chars) if i not in taken]
    return PageTable(
        page=page,
        bbox=_round(bounds),
        n_rows=max(c.row + c.row_span for c in cells),
        n_cols=max(c.col + c.col_span for c in cells),
        cells=cells,
        text_above=[ln.text for ln in lines_in([c for c in rest if c.cy < bounds.top])],
        text_below=[ln.text for ln in lines_in([c for c in rest if c.cy >= bounds.top])],
    )


def extract_document(path: Path, engine: str = "pdfplumber") -> ExtractedDocument:
    """Every page's largest ruled table as positioned cells, plus the text of table-less pages."""
    path = Path(path)
    try:
        return _extract(path, engine)
    except (PdfminerException, PDFSyntaxError) as exc:
        raise UnreadablePDF(f"cannot be read as a PDF ({exc or type(exc).__name__})") from exc


def _extract(path: Path, engine: str) -> ExtractedDocument:
    tables: list[PageTable] = []
    untabled: list[PageText] = []
    with pdfplumber.open(path) as pdf:
        found = ENGINES[engine](path, pdf)
        for page in pdf.pages:
            chars = page_chars(page.chars)
            candidates = [t for t in found.get(page.page_number, []) if t]
            if candidates:
                tables.append(build_table(page.page_number, max(candidates, key=_area), chars))
            elif chars:
                untabled.append(PageText(page=page.page_number, lines=[ln.text for ln in lines_in(chars)]))
            page.flush_cache()
        n_pages = len(pdf.pages)
    source = SourceInfo(name=path.name, sha256=sha256(path), pages=n_pages)
    return ExtractedDocument(source=source, engine=engine, tables=tables, untabled=untabled)
