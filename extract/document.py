"""Read a PDF into positioned cells: an engine finds the cell boxes, one reader fills them."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium

from extract.char import Char
from extract.chars import lines_in, printed_lines, word_anchors
from extract.engines import DEFAULT_ENGINE, open_engine
from extract.errors import (
    EncryptedPDF,
    NoTable,
    NoTextLayer,
    PageUnreadable,
    ParserRefused,
    UnreadablePDF,
    shown_name,
)
from extract.grid import grid_positions
from extract.legacy import summarise
from extract.limits import check_document, check_paths, check_render
from extract.metadata import read_metadata
from extract.ocr import OcrSettings
from extract.ocr.detect import needs_ocr, read_dpi
from extract.ocr.pool import Engines, in_order
from extract.pdfium_reader import page_chars, page_edges, render
from extract.stream import MIN_COLUMNS, StreamTables
from schema.models import (
    BBox,
    Cell,
    ExtractedDocument,
    Limits,
    LostPage,
    OcrInfo,
    OcrWord,
    PageTable,
    PageText,
    SourceInfo,
)

if TYPE_CHECKING:
    from extract.ocr.page import ScannedPage

PAD = 0.5  # points: a glyph centre this close outside the table's outline still belongs to it


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _area(boxes: list[BBox]) -> float:
    return sum((b.x1 - b.x0) * (b.bottom - b.top) for b in boxes)


def _round(box: BBox) -> BBox:
    """The box to 0.01 pt, alike whichever engine found it. PDFium reads the PDF's numbers as
    float32, pdfminer as float64: an edge snapped between rules at 547.6 and 547.85 is 547.72498
    to the one, 547.725 to the other, either side of a hundredth. Both are first rounded to
    0.0001 pt (the finest producers write; the engines differ by under 0.00005 on a page of A4 or
    Letter height), then to the hundredth."""

    def steady(v: float) -> float:
        return round(round(v, 4), 2)

    return BBox(x0=steady(box.x0), top=steady(box.top), x1=steady(box.x1), bottom=steady(box.bottom))


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
    uncertain: list[OcrWord] | None = None,
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
    holes = [ch for ch in rest if _inside(ch, bounds)]  # inside the outline, in no cell
    rest = [ch for ch in rest if not _inside(ch, bounds)]
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
        printed=ink(c.text for c in chars) - ink(c.text for c in rest),  # all but the text outside
        unplaced=printed_lines(holes),
        uncertain=uncertain or [],
    )


def ink(texts: Iterable[str]) -> int:
    """The non-whitespace characters of `texts`: what conservation counts (schema.models.CharacterCount)."""
    return sum(1 for t in texts for c in t if not c.isspace())


def _inside(ch: Char, box: BBox) -> bool:
    return box.x0 - PAD <= ch.cx <= box.x1 + PAD and box.top - PAD <= ch.cy <= box.bottom + PAD


def extract_document(
    path: Path,
    engine: str = DEFAULT_ENGINE,
    password: str | None = None,
    on_page: Callable[[int, int], None] | None = None,
    keep_going: bool = False,
    limits: Limits | None = None,
    ocr: OcrSettings | None = None,
) -> ExtractedDocument:
    """Every page's largest ruled table as positioned cells, plus the text of table-less pages.

    A page where the engine finds no ruled table of three columns or more is read by the stream
    structure (`extract.stream`: rules only across, or none), which keeps the columns of the last
    header it saw for the pages after it; each table records which structure found it.

    Pages are read one at a time and released, so memory stays flat however long the file.
    `on_page(done, total)` is called after each page (for progress display).

    A page PDFium cannot load (or read the text of) raises PageUnreadable naming it; with
    `keep_going` it is recorded in `lost_pages` instead and the other pages are read.

    `limits` (default `Limits()`) bounds what the file may cost; past one, LimitExceeded names the
    page and the option that raises it (extract/limits.py: checked before PDFium parses a page).

    `ocr` (default: extract/data/ocr.yaml, mode auto) says which pages are read by OCR (those with
    no usable text layer), at which dpi, in how many threads (extract/ocr/).
    """
    path = Path(path)
    try:
        doc = pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        raise _problem(str(exc), password) from exc
    try:
        limits = limits or Limits()
        damaged = _damaged_pages(check_document(path, doc, limits, password), keep_going, len(doc))
        found = _extract(path, doc, engine, password, on_page, keep_going, limits, ocr)
        lost = sorted(damaged + found.lost_pages, key=lambda p: (p.page, p.read_in_part))
        found = found.model_copy(update={"lost_pages": lost})
    except ParserRefused as exc:  # an engine's own parser (pdfminer's) refusing the file
        raise _problem(str(exc), password) from exc
    finally:
        doc.close()
    if not found.tables and found.lost_pages:
        lost = found.lost_pages
        raise PageUnreadable(
            f"{len(lost)} of {found.source.pages} pages cannot be read ({lost[0].reason}), "
            "and no table was found on the others"
        )
    if not found.tables and not found.untabled:
        if ocr is not None and ocr.mode == "never":
            raise NoTextLayer("has no text layer (scanned images?): --ocr auto reads its pages by OCR")
        raise NoTextLayer("prints no text, and OCR found none on its pages")
    if not found.tables:
        raise NoTable("no ruled table found on any page (nor a header of three columns or more over a rule)")
    return found


def _problem(message: str, password: str | None) -> Exception:
    if "password" in message.lower():
        if password is None:
            return EncryptedPDF("is encrypted: give its password with --password")
        return EncryptedPDF("is encrypted and the password given does not open it")
    return UnreadablePDF(f"cannot be read as a PDF ({message})")


@dataclass
class PageContent:
    """What a page prints, before the (stateful, in-order) stream structure reads it: its chars, the
    engine's largest ruled table and its grid, and its rulings where no lattice of enough columns was
    found (the stream structure needs them then). `scanned`: what OCR made of it, if it was OCR'd."""

    number: int
    chars: list[Char]
    ruled: list[BBox] | None
    grid: Grid | None
    edges: list[dict] | None
    scanned: ScannedPage | None = None


def _extract(
    path: Path,
    doc: pdfium.PdfDocument,
    engine: str,
    password: str | None,
    on_page,
    keep_going: bool = False,
    limits: Limits | None = None,
    ocr: OcrSettings | None = None,
) -> ExtractedDocument:
    tables: list[PageTable] = []
    untabled: list[PageText] = []
    lost: list[LostPage] = []
    legacy: dict[int, dict[str, int]] = {}  # page -> legacy Georgian font -> characters converted
    contents: dict[int, PageContent] = {}  # of the pages without a table, read again past a late header
    scanned: list[ScannedPage] = []
    n_pages = len(doc)
    ocr = ocr or OcrSettings.load()
    cells_of = open_engine(engine)(path, password)
    engines = Engines(ocr)
    stream = StreamTables()
    try:
        read = _contents(doc, cells_of, limits or Limits(), legacy, ocr, engines, lost, keep_going)
        for content in in_order(read, ocr.jobs):
            if content.scanned:
                scanned.append(content.scanned)
            table = _table_of(content, stream)
            if isinstance(table, PageTable):
                tables.append(table)
            else:
                contents[content.number] = content
                untabled.extend([table] if table else [])
            if on_page:
                on_page(content.number, n_pages)
        tables, untabled = _before_the_header(tables, untabled, contents, stream)
        ocr_info = _ocr_info(ocr, engines, scanned) if scanned else None
    finally:
        getattr(cells_of, "close", lambda: None)()
        engines.close()
    source = SourceInfo(
        name=shown_name(path.name), sha256=sha256(path), bytes=path.stat().st_size, pages=n_pages,
        **read_metadata(doc),
    )  # fmt: skip
    return ExtractedDocument(
        source=source, engine=engine, tables=tables, untabled=untabled, lost_pages=sorted(lost, key=_page_of),
        legacy_fonts=summarise(legacy), ocr=ocr_info,
    )  # fmt: skip


def _page_of(lost: LostPage) -> int:
    return lost.page


def _contents(doc, cells_of, limits, legacy, ocr, engines, lost, keep_going):
    """Each page's content in page order, or for a page to OCR the work that reads it (run by
    `in_order` in a worker thread); a page PDFium cannot read is recorded in `lost` (keep_going)."""
    for number in range(1, len(doc) + 1):
        try:
            yield _read_page(doc, number, cells_of, limits, legacy, ocr, engines)
        except pdfium.PdfiumError as exc:  # this page only: the document itself opened
            lost.append(_lost_page(number, exc, keep_going))


def _read_page(
    doc: pdfium.PdfDocument,
    number: int,
    cells_of,
    limits: Limits,
    legacy: dict[int, dict[str, int]] | None,
    ocr: OcrSettings,
    engines: Engines,
) -> PageContent | Callable[[], PageContent]:
    """Page `number`'s content; for a page without a usable text layer (per `ocr.mode`) its image,
    rendered here, and the work that OCRs it. PdfiumError when PDFium cannot load the page or its
    text. `legacy` gains the page's characters converted from legacy Georgian fonts, per font."""
    page = doc[number - 1]
    try:
        check_paths(number, page, limits)  # before any Python object is made per path
        converted: dict[str, int] = {}
        chars = page_chars(page, converted)
        if needs_ocr(page, chars, ocr.mode):
            size, dpi = page.get_size(), read_dpi(page, ocr.dpi)
            check_render(number, size, dpi, limits)  # before a pixel is allocated
            image = render(page, dpi)
            return lambda: _scanned_content(number, image, size, dpi, ocr, engines)
        if converted and legacy is not None:
            legacy[number] = converted
        candidates = [t for t in cells_of(number, page) if t]
        return _content(number, chars, candidates, lambda: page_edges(page))
    finally:
        page.close()


def _content(number: int, chars: list[Char], candidates: list[list[BBox]], edges) -> PageContent:
    """The page's content from its chars and the tables' cell boxes; `edges()` gives its rulings,
    asked only where no lattice of MIN_COLUMNS columns was found."""
    ruled = max(candidates, key=_area) if candidates else None
    grid = grid_positions(ruled) if ruled else None  # its columns, then its cells
    lattice = grid is not None and len(grid[0]) - 1 >= MIN_COLUMNS
    return PageContent(number, chars, ruled, grid, None if lattice else edges())


def _scanned_content(
    number: int, image, size: tuple[float, float], dpi: int, ocr: OcrSettings, engines: Engines
) -> PageContent:
    """A scanned page's content: its rulings and characters as OCR found them (in a worker thread)."""
    from extract.ocr.page import read_scanned  # numpy, OpenCV, Pillow: only for a page to OCR

    scan = read_scanned(number, image, size, dpi, engines.get(), ocr.min_confidence)
    content = _content(number, scan.chars, scan.tables, lambda: scan.edges)
    content.scanned = scan
    return content


def _table_of(content: PageContent, stream: StreamTables) -> PageTable | PageText | None:
    """The page's table (lattice, else the stream structure's), else its text (None if it prints nothing)."""
    number, chars, ruled = content.number, content.chars, content.ruled
    lightly, bands = stream.page_boxes(chars, content.edges) if content.edges is not None else ([], False)
    uncertain = content.scanned.uncertain if content.scanned else []
    if lightly:
        return build_table(number, lightly, chars, "stream", bands, uncertain=uncertain)
    if ruled:
        return build_table(number, ruled, chars, grid=content.grid, uncertain=uncertain)
    return PageText(page=number, lines=printed_lines(chars)) if chars else None


def _ocr_info(ocr: OcrSettings, engines: Engines, scanned: list[ScannedPage]) -> OcrInfo:
    name, version = engines.describe()
    return OcrInfo(
        mode=ocr.mode, engine=name, version=version, languages=list(ocr.languages),
        language_data=ocr.language_data(), dpi=ocr.dpi, min_confidence=ocr.min_confidence,
        pages=sorted((s.info for s in scanned), key=lambda p: p.page),
    )  # fmt: skip


def _before_the_header(
    tables: list[PageTable], untabled: list[PageText], contents: dict[int, PageContent], stream: StreamTables
) -> tuple[list[PageTable], list[PageText]]:
    """Pages without a table printed before the first lightly ruled header (pages out of order)
    read again with that header's columns: those whose rows fill its columns are the table's."""
    first = min((t.page for t in tables if t.structure == "stream"), default=0)
    again = StreamTables(stream.first)
    found = {}
    for text in (p for p in untabled if p.page < first):
        read = _table_of(contents[text.page], again)
        if isinstance(read, PageTable) and read.structure == "stream" and _fills_columns(read):
            found[text.page] = read
    if not found:
        return tables, untabled
    rest = [p for p in untabled if p.page not in found]
    return sorted([*tables, *found.values()], key=lambda t: t.page), rest


def _fills_columns(table: PageTable) -> bool:
    """Does a row of the table print in MIN_COLUMNS of its columns or more (not prose, not a title)?"""
    inked: dict[int, set[int]] = {}
    for c in table.cells:
        if c.lines and c.col_span == 1:
            inked.setdefault(c.row, set()).add(c.col)
    return any(len(cols) >= MIN_COLUMNS for cols in inked.values())


def _damaged_pages(damaged: dict[int, str], keep_going: bool, n_pages: int) -> list[LostPage]:
    """Pages read in part, or (past the page count PDFium reads) not at all, with keep_going;
    else PageUnreadable naming the first."""
    if damaged and not keep_going:
        number, reason = min(damaged.items())
        raise PageUnreadable(
            f"page {number}: {reason}, so its text may be incomplete; --keep-going extracts what can be read"
        )
    return [LostPage(page=n, reason=r, read_in_part=n <= n_pages) for n, r in sorted(damaged.items())]


def _lost_page(number: int, exc: pdfium.PdfiumError, keep_going: bool) -> LostPage:
    """The page recorded as lost (with keep_going), else PageUnreadable naming it."""
    reason = f"PDFium: {str(exc).rstrip('.') or 'error'}"
    if not keep_going:
        raise PageUnreadable(
            f"page {number} cannot be read ({reason}); --keep-going extracts the other pages"
        ) from exc
    return LostPage(page=number, reason=reason)
