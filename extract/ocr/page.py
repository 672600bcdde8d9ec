"""A scanned page read as a digital one is: rulings from the image, characters from OCR.

`read_scanned` is a pure function of the page image (and the engine): it levels the image, finds
its rulings (`extract.image_rulings`), paints them out so the engine does not read them as "|" or
"_", and turns the engine's words into characters in page points. Everything after that (cells,
lines, rows) is the digital path. Runs in a worker thread: it touches no PDFium object.
"""

from __future__ import annotations

import base64
import io
import statistics
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from extract.char import Char
from extract.engines.pdfium import lattice_tables
from extract.image_rulings import erase, level, rulings
from extract.ocr import OcrEngine, Word
from extract.ocr.chars import page_chars
from extract.ocr.paper import clean
from extract.rulings import boxes
from schema.models import BBox, OcrPage, OcrWord

CROP_DPI = 150  # crops are shown at this resolution at most: enough to read, small in plan.json
MIN_INK = 2  # pixels: a word with less ink under it than this prints nothing
CELL_INK = 20  # pixels: a cell with less ink than this prints nothing to read again
CELL_INSET = 1.5  # points: the part of a cell's box its rulings may darken
CROP_PAD = (3.0, 0.6)  # crop margin around a word, in line heights: (left and right, above and below)


@dataclass
class ScannedPage:
    """What OCR made of a page: its characters, rulings and ruled tables' cells (page points, on the
    levelled page)."""

    chars: list[Char]
    edges: list[dict]  # pdfplumber edge records, as extract.pdfium_reader.page_edges gives
    tables: list[list[BBox]]  # the cells of each ruled table, as the pdfium engine finds them
    uncertain: list[OcrWord]
    info: OcrPage


def read_scanned(
    number: int,
    image: Image.Image,
    size: tuple[float, float],
    dpi: int,
    engine: OcrEngine,
    min_confidence: float,
) -> ScannedPage:
    """Page `number`'s image (grayscale; the page `size` points) read: levelled, ruled, OCR'd."""
    levelled, angle = level(np.asarray(image.convert("L")))
    edges = rulings(levelled, dpi)
    tables = [t for t in boxes(lattice_tables(edges, *size)) if t]
    cleaned = clean(erase(levelled, edges, dpi), dpi)
    read = engine.read(Image.fromarray(cleaned), dpi)
    read += second_look(cleaned, dpi, engine, tables, read)
    words = [w for w in read if inked(cleaned, w.box)]
    seen = Image.fromarray(levelled)
    uncertain = [_uncertain(w, seen, dpi) for w in words if w.confidence < min_confidence]
    info = OcrPage(
        page=number,
        dpi=dpi,
        skew=round(angle, 2),
        words=len(words),
        uncertain=len(uncertain),
        mean_confidence=round(statistics.fmean(w.confidence for w in words), 1) if words else 0.0,
        blank=len(read) - len(words),
    )
    return ScannedPage(page_chars(words, dpi), edges, tables, uncertain, info)


def second_look(
    cleaned: np.ndarray, dpi: int, engine: OcrEngine, tables: list[list[BBox]], read: list[Word]
) -> list[Word]:
    """The words of the cells that print something but hold no word the page's reading found, each
    cell read again on its own as one block. The page's layout analysis can pass over a lone short
    mark (a "0" or "-" alone in a cell), which is a value all the same."""
    k = dpi / 72.0
    centres = [((w.box[0] + w.box[2]) / 2, (w.box[1] + w.box[3]) / 2) for w in read]
    found: list[Word] = []
    lines = max((w.line for w in read), default=0) + 1
    for cell in (c for table in tables for c in table):
        area = _inside(cell, k)
        if any(area[0] <= x <= area[2] and area[1] <= y <= area[3] for x, y in centres):
            continue
        if int((cleaned[area[1] : area[3], area[0] : area[2]] < 255).sum()) < CELL_INK:
            continue
        more = engine.read(Image.fromarray(cleaned), dpi, area)
        found += [replace(w, line=w.line + lines) for w in more]
        lines += max((w.line for w in more), default=0) + 1
    return found


def _inside(cell: BBox, k: float) -> tuple[int, int, int, int]:
    """The cell's inside in pixels, its rulings' width left out."""
    i = CELL_INSET * k
    return int(cell.x0 * k + i), int(cell.top * k + i), int(cell.x1 * k - i), int(cell.bottom * k - i)


def inked(cleaned: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    """Is anything printed under the box? The engine's line model can read a mark ("~", "'") into the
    blank gap between two columns of one text line; on the cleaned page, paper is exactly white."""
    x0, top, x1, bottom = box
    return int((cleaned[top : bottom + 1, x0 : x1 + 1] < 255).sum()) >= MIN_INK


def _uncertain(word: Word, image: Image.Image, dpi: int) -> OcrWord:
    k = 72.0 / dpi
    x0, top, x1, bottom = word.box
    return OcrWord(
        text=word.text,
        bbox=BBox(
            x0=round(x0 * k, 2), top=round(top * k, 2), x1=round(x1 * k, 2), bottom=round(bottom * k, 2)
        ),
        confidence=round(word.confidence, 1),
        crop=crop_uri(image, word.box, word.line_box, dpi),
    )


def crop_uri(
    image: Image.Image, box: tuple[int, int, int, int], line_box: tuple[int, int, int, int], dpi: int
) -> str:
    """The scan around `box` (with some of its line for context) as a PNG data: URI."""
    height = max(line_box[3] - line_box[1], 1)
    pad_x, pad_y = int(CROP_PAD[0] * height), int(CROP_PAD[1] * height)
    area = (
        max(box[0] - pad_x, 0),
        max(box[1] - pad_y, 0),
        min(box[2] + pad_x, image.width),
        min(box[3] + pad_y, image.height),
    )
    crop = image.crop(area)
    if dpi > CROP_DPI:
        crop = crop.resize((max(crop.width * CROP_DPI // dpi, 1), max(crop.height * CROP_DPI // dpi, 1)))
    out = io.BytesIO()
    crop.save(out, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")
