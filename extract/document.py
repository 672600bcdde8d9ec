"""Read a PDF into positioned cells: an engine finds the cell boxes, one reader fills them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from extract import engine_camelot, engine_pdfplumber
from extract.chars import Char, inside, lines_in, page_chars, word_anchors
from extract.errors import EncryptedPDF, NoTable, NoTextLayer, UnreadablePDF
from extract.grid import grid_positions
from schema.models import BBox, Cell, ExtractedDocument, PageTable, PageText, SourceInfo

PageCells = Callable[[pdfplumber.page.Page], list[list[BBox]]]
# An engine is opened on a document and then asked, page by page, for its tables' cell boxes.
Engine = Callable[[Path, pdfplumber.PDF, str | None], PageCells]
ENGINES: dict[str, Engine] = {
    "pdfplumber": engine_pdfplumber.open_engine,
    "camelot": engine_camelot.open_engine,
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


def extract_document(
    path: Path,
    engine: str = "pdfplumber",
    password: str | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> ExtractedDocument:
    """Every page's largest ruled table as positioned cells, plus the text of table-less pages.

    `on_page(done, total)` is called after each page (for progress display).
    """
    path = Path(path)
    try:
        doc = _extract(path, engine, password, on_page)
    except PdfminerException as exc:
        raise _problem(exc.args[0] if exc.args else exc, password) from exc
    except PDFSyntaxError as exc:
        raise _problem(exc, password) from exc
    if not doc.tables and not doc.untabled:
        raise NoTextLayer("has no text layer (scanned images?): it needs OCR before extraction")
    if not doc.tables:
        raise NoTable("no ruled table found on any page")
    return doc


def _problem(exc: BaseException, password: str | None) -> Exception:
    if isinstance(exc, PDFPasswordIncorrect):
        if password is None:
            return EncryptedPDF("is encrypted: give its password with --password")
        return EncryptedPDF("is encrypted and the password given does not open it")
    return UnreadablePDF(f"cannot be read as a PDF ({exc or type(exc).__name__})")


def _extract(path: Path, engine: str, password: str | None, on_page) -> ExtractedDocument:
    tables: list[PageTable] = []
    untabled: list[PageText] = []
    with pdfplumber.open(path, password=password) as pdf:
        n_pages = len(pdf.pages)
        cells_of = ENGINES[engine](path, pdf, password)
        for page in pdf.pages:
            chars = page_chars(page.chars)
            candidates = [t for t in cells_of(page) if t]
            if candidates:
                tables.append(build_table(page.page_number, max(candidates, key=_area), chars))
            elif chars:
                untabled.append(PageText(page=page.page_number, lines=[ln.text for ln in lines_in(chars)]))
            page.flush_cache()
            if on_page:
                on_page(page.page_number, n_pages)
    source = SourceInfo(name=path.name, sha256=sha256(path), bytes=path.stat().st_size, pages=n_pages)
    return ExtractedDocument(source=source, engine=engine, tables=tables, untabled=untabled)
