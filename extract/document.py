"""Read a PDF into positioned cells: an engine finds the cell boxes, one reader fills them."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

from extract.char import Char
from extract.chars import lines_in, printed_lines, word_anchors
from extract.engines import DEFAULT_ENGINE, open_engine
from extract.errors import EncryptedPDF, NoTable, NoTextLayer, ParserRefused, UnreadablePDF
from extract.grid import grid_positions
from extract.pdfium_reader import page_chars, page_edges
from extract.stream import MIN_COLUMNS, StreamTables
from schema.models import BBox, Cell, ExtractedDocument, PageTable, PageText, SourceInfo

PAD = 0.5  # points: a glyph centre this close outside the table's outline still belongs to it


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _area(boxes: list[BBox]) -> float:
    return sum((b.x1 - b.x0) * (b.bottom - b.top) for b in boxes)


def _round(box: BBox) -> BBox:
    return BBox(x0=round(box.x0, 2), top=round(box.top, 2), x1=round(box.x1, 2), bottom=round(box.bottom, 2))


Grid = tuple[list[float], list[float], list[tuple[int, int, int, int]]]  # grid_positions' result


def owners(chars: list[Char], grid: Grid, anchors: list[int]) -> list[int | None]:
    """For each char, the index of the box holding the centre of its word's first char.

    Boxes tile a grid, so the box is found by bisecting the grid's lines, not by testing
    every box; a centre within PAD of the table's outline still counts as inside it.
    """
    xs, ys, spans = grid
    at: dict[tuple[int, int], int] = {}
    for k, (row, col, rspan, cspan) in enumerate(spans):
        for r in range(row, row + rspan):
            for c in range(col, col + cspan):
                at.setdefault((r, c), k)
    found: dict[int, int | None] = {}
    for a in anchors:
        if a not in found:
            found[a] = _cell_at(chars[a], xs, ys, at)
    return [found[a] for a in anchors]


def _cell_at(ch: Char, xs: list[float], ys: list[float], at: dict[tuple[int, int], int]) -> int | None:
    if not (xs[0] - PAD <= ch.cx <= xs[-1] + PAD and ys[0] - PAD <= ch.cy <= ys[-1] + PAD):
        return None
    col = min(max(bisect_right(xs, ch.cx) - 1, 0), len(xs) - 2)
    row = min(max(bisect_right(ys, ch.cy) - 1, 0), len(ys) - 2)
    return at.get((row, col))


def build_table(
    page: int,
    boxes: list[BBox],
    chars: list[Char],
    structure: str = "lattice",
    bands: bool = False,
    grid: Grid | None = None,
) -> PageTable:
    """Place the page's chars into the engine's boxes (their grid, if the caller has it already);
    the rest is text above or below."""
    grid = grid or grid_positions(boxes)
    spans = grid[2]
    edges = sorted({b.x0 for b in boxes} | {b.x1 for b in boxes})
    owner = owners(chars, grid, word_anchors(chars, edges))
    mine: dict[int, list[Char]] = {}
    for ch, k in zip(chars, owner, strict=True):
        if k is not None:
            mine.setdefault(k, []).append(ch)
    cells = [
        Cell(page=page, row=row, col=col, row_span=rspan, col_span=cspan, bbox=_round(box),
             lines=lines_in(mine.get(k, [])))
        for k, (box, (row, col, rspan, cspan)) in sorted(
            enumerate(zip(boxes, spans, strict=True)), key=lambda kbs: kbs[1][1][:2]
        )
    ]  # fmt: skip
    bounds = BBox.around(boxes)
    rest = [ch for ch, k in zip(chars, owner, strict=True) if k is None]
    return PageTable(
        page=page,
        bbox=_round(bounds),
        n_rows=max(c.row + c.row_span for c in cells),
        n_cols=max(c.col + c.col_span for c in cells),
        cells=cells,
        text_above=printed_lines([c for c in rest if c.cy < bounds.top]),
        text_below=printed_lines([c for c in rest if c.cy >= bounds.top]),
        structure=structure,
        bands=bands,
    )


def extract_document(
    path: Path,
    engine: str = DEFAULT_ENGINE,
    password: str | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> ExtractedDocument:
    """Every page's largest ruled table as positioned cells, plus the text of table-less pages.

    A page where the engine finds no ruled table of three columns or more is read by the stream
    structure (`extract.stream`: rules only across, or none), which keeps the columns of the last
    header it saw for the pages after it; each table records which structure found it.

    Pages are read one at a time and released, so memory stays flat however long the file.
    `on_page(done, total)` is called after each page (for progress display).
    """
    path = Path(path)
    try:
        doc = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        raise _problem(str(exc), password) from exc
    try:
        found = _extract(path, doc, engine, password, on_page)
    except ParserRefused as exc:  # an engine's own parser (pdfminer's) refusing the file
        raise _problem(str(exc), password) from exc
    finally:
        doc.close()
    if not found.tables and not found.untabled:
        raise NoTextLayer("has no text layer (scanned images?): it needs OCR before extraction")
    if not found.tables:
        raise NoTable("no ruled table found on any page (nor a header of three columns or more over a rule)")
    return found


def _problem(message: str, password: str | None) -> Exception:
    if "password" in message.lower():
        if password is None:
            return EncryptedPDF("is encrypted: give its password with --password")
        return EncryptedPDF("is encrypted and the password given does not open it")
    return UnreadablePDF(f"cannot be read as a PDF ({message})")


def _extract(
    path: Path, doc: pdfium.PdfDocument, engine: str, password: str | None, on_page
) -> ExtractedDocument:
    tables: list[PageTable] = []
    untabled: list[PageText] = []
    n_pages = len(doc)
    cells_of = open_engine(engine)(path, password)
    stream = StreamTables()
    try:
        for number in range(1, n_pages + 1):
            page = doc[number - 1]
            try:
                chars = page_chars(page)
                candidates = [t for t in cells_of(number, page) if t]
                ruled = max(candidates, key=_area) if candidates else None
                grid = grid_positions(ruled) if ruled else None  # its columns, then its cells
                lightly, bands = (
                    ([], False)
                    if grid and len(grid[0]) - 1 >= MIN_COLUMNS
                    else stream.page_boxes(chars, page_edges(page))
                )
            finally:
                page.close()
            if lightly:
                tables.append(build_table(number, lightly, chars, "stream", bands))
            elif ruled:
                tables.append(build_table(number, ruled, chars, grid=grid))
            elif chars:
                untabled.append(PageText(page=number, lines=printed_lines(chars)))
            if on_page:
                on_page(number, n_pages)
    finally:
        getattr(cells_of, "close", lambda: None)()
    source = SourceInfo(name=path.name, sha256=sha256(path), bytes=path.stat().st_size, pages=n_pages)
    return ExtractedDocument(source=source, engine=engine, tables=tables, untabled=untabled)
