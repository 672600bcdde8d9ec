"""Scanned copies of digital PDFs: the inputs of the OCR tests and of the bench's OCR section.

    from scans import scan_pdf, mixed_pdf

A scan is what a photocopier-scanner makes of the printed plan: every page rasterised by PDFium in
gray, odd pages turned by a fraction of a degree (paper fed askew), a light speckle and gray jitter,
then stored as an image-only PDF (one JPEG per page, no text layer) whose pages keep the original
size in points, so that coordinates on the scan and on the digital page agree.

Deterministic: the same arguments give the same bytes (seeded noise, no dates in the file), so a
test may make a scan once per session and compare runs on it. Imports nothing of nap's nor of
pytest, so that bench/bench.py can use it too.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image
from pypdf import PdfReader, PdfWriter

# Skew of the odd pages, degrees, in turn (page 1, 3, 5, ...): within 0.1-1 degree, both ways.
ODD_PAGE_ANGLES = (0.4, -0.6, 0.3, -0.8, 0.5, -0.2, 0.7, -0.4, 0.1, -1.0)
JPEG_QUALITY = 90  # high enough that no JPEG artefact costs the OCR a character
SPECKLE_SHARE = 0.1  # the share of pixels speckled is noise * this (0.2 % at the default)
JITTER_LEVELS = 100.0  # the gray jitter's standard deviation is noise * this (2 gray levels)
NOISE = 0.02  # the default strength: a light speckle; text stays as readable as on paper


def default_angle(page: int) -> float:
    """Skew of 1-based page `page`: odd pages turned as ODD_PAGE_ANGLES says, even pages straight."""
    if page % 2 == 0:
        return 0.0
    return ODD_PAGE_ANGLES[(page // 2) % len(ODD_PAGE_ANGLES)]


def speckle(image: Image.Image, noise: float, rng: np.random.Generator) -> Image.Image:
    """The page with a scanner's light noise: gray jitter everywhere, and a few black and white
    pixels (salt and pepper) scattered over it. noise 0 leaves it as it is."""
    if noise <= 0:
        return image
    pixels = np.asarray(image, dtype=np.float32)
    pixels = pixels + rng.standard_normal(pixels.shape, dtype=np.float32) * (noise * JITTER_LEVELS)
    flat = pixels.reshape(-1)
    hits = rng.integers(0, flat.size, int(flat.size * noise * SPECKLE_SHARE))
    flat[hits[: hits.size // 2]] = 0.0
    flat[hits[hits.size // 2 :]] = 255.0
    return Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8), mode="L")


def scan_page(
    page: pdfium.PdfPage, dpi: int, angle: float, noise: float, rng: np.random.Generator
) -> Image.Image:
    """One page as the scanner sees it: gray pixels at `dpi`, turned by `angle` degrees about its
    centre (counter-clockwise; white paper shows at the corners), then speckled."""
    image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    if angle:
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    return speckle(image, noise, rng)


def image_page(image: Image.Image, size_pt: tuple[float, float]) -> bytes:
    """A one-page image-only PDF showing `image` over a page of `size_pt` points exactly: the
    resolution is the image's pixels over the page's inches on each axis, not the nominal dpi
    (a rendered page is a whole number of pixels)."""
    width, height = size_pt
    out = io.BytesIO()
    image.save(
        out,
        "PDF",
        dpi=(image.width * 72 / width, image.height * 72 / height),
        quality=JPEG_QUALITY,
        title=None,  # Pillow would write the file name and the time: the bytes must not vary
        creationDate=None,
        modDate=None,
    )
    return out.getvalue()


def scanned_pages(
    src: Path, numbers: list[int] | None, dpi: int, angles: Callable[[int], float], noise: float, seed: int
) -> dict[int, bytes]:
    """1-based page number -> the one-page PDF of its scan, for `numbers` (None: every page). Each
    page's noise is seeded by (seed, page number): a page looks the same whichever pages are made."""
    document = pdfium.PdfDocument(src)
    try:
        wanted = numbers or list(range(1, len(document) + 1))
        scans = {}
        for number in wanted:
            page = document[number - 1]
            rng = np.random.default_rng([seed, number])
            image = scan_page(page, dpi, angles(number), noise, rng)
            scans[number] = image_page(image, page.get_size())
            page.close()
        return scans
    finally:
        document.close()


def write_pdf(writer: PdfWriter, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    with dst.open("wb") as f:
        writer.write(f)
    return dst


def scan_pdf(
    src: Path,
    dst: Path,
    dpi: int = 300,
    angles: Callable[[int], float] | None = None,
    noise: float = NOISE,
    seed: int = 0,
) -> Path:
    """Write at `dst` a scanned copy of `src`: every page an image (gray JPEG at `dpi`), odd pages
    askew by `angles(page)` degrees (1-based page; default `default_angle`), `noise` the strength
    of the speckle (0: none), seeded by `seed`. No text layer; page sizes as in `src`."""
    scans = scanned_pages(src, None, dpi, angles or default_angle, noise, seed)
    writer = PdfWriter()
    for number in sorted(scans):
        writer.add_page(PdfReader(io.BytesIO(scans[number])).pages[0])
    return write_pdf(writer, dst)


def mixed_pdf(src: Path, dst: Path, page: int, dpi: int = 300) -> Path:
    """Write at `dst` the digital `src` with its 1-based page `page` replaced by that page's scan
    (as scan_pdf makes it, same size): a document whose text layer is missing on one page only."""
    reader = PdfReader(src)
    if not 1 <= page <= len(reader.pages):
        raise ValueError(f"page {page} is not a page of {src.name} (1-{len(reader.pages)})")
    scan = PdfReader(io.BytesIO(scanned_pages(src, [page], dpi, default_angle, NOISE, 0)[page])).pages[0]
    writer = PdfWriter()
    for number, original in enumerate(reader.pages, start=1):
        writer.add_page(scan if number == page else original)
    return write_pdf(writer, dst)
