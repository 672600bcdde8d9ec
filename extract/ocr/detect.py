"""Which pages are read by OCR: those whose text layer cannot be used (`--ocr auto`)."""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from extract.char import Char
from extract.ocr import OcrMode

SCANNED_COVER = 0.5  # an image covering this share of the page or more may be the page's scan ...
FEW_CHARS = 50  # ... when the text layer over it prints fewer characters than this (a stamp, a page number)
SCANNED_WHOLE = 0.9  # an image covering this share of the page is the page's scan
SCAN_FLOOR = 150  # dpi: a scan coarser than this is read at the set resolution all the same
USABLE_SHARE = 0.5  # a layer is unusable when fewer of its characters than this read as text
# what reads as no text: controls, U+FFFD (a glyph mapped to nothing), the private-use areas
UNREADABLE = re.compile("[\x00-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff]")


def needs_ocr(page: pdfium.PdfPage, chars: list[Char], mode: OcrMode) -> bool:
    """Is the page to be read by OCR? `always`: yes; `never`: no; `auto`: when its text layer is
    missing or unusable (mostly unmapped glyphs), or is a few characters over a page-sized image."""
    if mode != "auto":
        return mode == "always"
    if not chars or not usable(chars):
        return True
    return len(chars) < FEW_CHARS and image_cover(page) >= SCANNED_COVER


def usable(chars: list[Char]) -> bool:
    """Do most characters read as text? A glyph a font maps to no character comes out as U+FFFD,
    a private-use or control code point: such a layer says nothing a reader could check."""
    unread = len(UNREADABLE.findall("".join(c.text[0] for c in chars)))  # one pass, in C: every page
    return len(chars) - unread >= USABLE_SHARE * len(chars)


def read_dpi(page: pdfium.PdfPage, dpi: int) -> int:
    """The resolution to read the page at: `dpi`, or the scan's own where the page is one image of
    a lower one (from SCAN_FLOOR up). Resampled up, a 200 dpi scan gains no detail but a blur, and
    Tesseract reads it worse than as it was scanned (tests/test_ocr.py)."""
    own = scan_resolution(page)
    return round(own) if own is not None and SCAN_FLOOR <= own < dpi else dpi


def scan_resolution(page: pdfium.PdfPage) -> float | None:
    """The resolution of the image the page is (one covering at least SCANNED_WHOLE of it), if any."""
    width, height = page.get_size()
    for (w, h), pixels in images(page):
        if w * h >= SCANNED_WHOLE * width * height and min(w, h) > 0 and pixels:
            return min(pixels) * 72 / min(w, h)  # turned 90 degrees or not
    return None


def image_cover(page: pdfium.PdfPage) -> float:
    """The share of the page the largest image drawn on it covers (0 when it draws none)."""
    width, height = page.get_size()
    largest = max((w * h for (w, h), _ in images(page)), default=0.0)
    return largest / (width * height) if width and height else 0.0


def images(page: pdfium.PdfPage) -> Iterator[tuple[tuple[float, float], tuple[int, int] | None]]:
    """Each image the page draws (its forms' too): its size on the page in points, and in pixels
    (None where PDFium cannot say). Raw calls: they are in every pypdfium2."""
    box, px = [ctypes.c_float() for _ in range(4)], [ctypes.c_uint() for _ in range(2)]
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        if raw.FPDFPageObj_GetBounds(obj.raw, *box):
            left, bottom, right, top = (v.value for v in box)
            pixels = tuple(v.value for v in px) if raw.FPDFImageObj_GetImagePixelSize(obj.raw, *px) else None
            yield (max(right - left, 0.0), max(top - bottom, 0.0)), pixels
