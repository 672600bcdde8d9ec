"""The scanned copies the OCR tests and the bench read (tests/scans.py): image-only pages of the
original size, odd pages askew by the angles asked, light noise, the same bytes every time."""

from __future__ import annotations

import numpy as np
import pypdfium2 as pdfium
import pytest
from documents import SHIPPED
from PIL import Image
from pypdf import PdfReader
from scans import default_angle, mixed_pdf, scan_pdf

PDF = SHIPPED.pdf
LOW_DPI = 72  # enough to see pages, sizes and noise; the tests stay fast
SKEW_DPI = 100  # a tenth of a degree moves the ends of a rule by two pixels


def sizes_and_text(path) -> list[tuple[float, float, str]]:
    document = pdfium.PdfDocument(path)
    try:
        return [(*page.get_size(), page.get_textpage().get_text_range()) for page in document]
    finally:
        document.close()


def images(path) -> list[Image.Image]:
    """The image each page shows (decoded from the file, as drawn: one per page)."""
    pages = PdfReader(path).pages
    assert all(len(p.images) == 1 for p in pages)
    return [p.images[0].image for p in pages]


def skew(image: Image.Image) -> float:
    """The angle (degrees, 0.1 steps) the page is turned by: the one that, undone, makes the dark
    pixels fall on the fewest rows (the table's rules level), the sharpest row profile. For angles
    this small, turning is a shear: a pixel at x moves x * tan(angle) rows."""
    ys, xs = np.nonzero(np.asarray(image.convert("L")) < 128)
    ys, xs = ys.astype(np.float64), xs - image.width / 2  # turned about the centre

    def sharpness(angle: float) -> float:
        rows = np.rint(ys + xs * np.tan(np.radians(angle))).astype(np.int64)  # image y runs down
        counts = np.bincount(rows - rows.min())
        return float((counts.astype(np.float64) ** 2).sum())

    return max((a / 10 for a in range(-15, 16)), key=sharpness)


@pytest.fixture(scope="module")
def low(tmp_path_factory):
    return scan_pdf(PDF, tmp_path_factory.mktemp("scans") / "scan.pdf", dpi=LOW_DPI)


def test_every_page_is_an_image_of_the_original_size(low):
    original, scan = sizes_and_text(PDF), sizes_and_text(low)
    assert len(scan) == len(original)
    for (w, h, text), (sw, sh, stext) in zip(original, scan, strict=True):
        assert text and not stext
        assert (sw, sh) == (pytest.approx(w, abs=1e-3), pytest.approx(h, abs=1e-3))
    width, height = original[0][:2]
    pixels = images(low)[0].size  # whole pixels: within one of the page's size at the dpi
    assert pixels == (pytest.approx(width * LOW_DPI / 72, abs=1), pytest.approx(height * LOW_DPI / 72, abs=1))


def test_the_same_arguments_give_the_same_bytes(low, tmp_path):
    assert scan_pdf(PDF, tmp_path / "again.pdf", dpi=LOW_DPI).read_bytes() == low.read_bytes()
    other = scan_pdf(PDF, tmp_path / "seed1.pdf", dpi=LOW_DPI, seed=1)
    assert other.read_bytes() != low.read_bytes()


def test_odd_pages_are_turned_by_their_angle(tmp_path):
    clean = scan_pdf(PDF, tmp_path / "clean.pdf", dpi=SKEW_DPI, noise=0)
    measured = [skew(image) for image in images(clean)[:4]]
    wanted = [default_angle(page) for page in range(1, 5)]
    assert wanted[1] == wanted[3] == 0 and all(0.1 <= abs(a) <= 1 for a in wanted[::2])
    assert measured == pytest.approx(wanted, abs=0.1)
    turned = scan_pdf(
        PDF, tmp_path / "turned.pdf", dpi=SKEW_DPI, noise=0, angles=lambda page: 0.7 * (page == 2)
    )
    assert [skew(image) for image in images(turned)[:2]] == pytest.approx([0, 0.7], abs=0.1)


def test_the_noise_is_light(tmp_path):
    angles = lambda page: 0.0  # noqa: E731
    clean = images(scan_pdf(PDF, tmp_path / "clean.pdf", dpi=LOW_DPI, noise=0, angles=angles))
    noisy = images(scan_pdf(PDF, tmp_path / "noisy.pdf", dpi=LOW_DPI, angles=angles))
    for a, b in zip(clean, noisy, strict=True):
        a, b = np.asarray(a, dtype=np.int16), np.asarray(b, dtype=np.int16)
        assert 0.5 < np.abs(a - b).mean() < 4  # there is noise, and little of it
        assert abs(int((a < 128).sum()) - int((b < 128).sum())) < 0.01 * a.size  # the ink stays


def test_a_mixed_copy_loses_the_text_of_one_page(low, tmp_path):
    mixed = mixed_pdf(PDF, tmp_path / "mixed.pdf", page=3, dpi=LOW_DPI)
    original, got = sizes_and_text(PDF), sizes_and_text(mixed)
    assert [t for *_, t in got] == [t if n != 3 else "" for n, (*_, t) in enumerate(original, start=1)]
    sizes = [x for w, h, _ in got for x in (w, h)]
    assert sizes == pytest.approx([x for w, h, _ in original for x in (w, h)], abs=1e-3)
    scanned = PdfReader(mixed).pages[2].images[0].data
    assert scanned == PdfReader(low).pages[2].images[0].data  # the page scan_pdf makes


def test_a_page_the_document_lacks(tmp_path):
    with pytest.raises(ValueError, match="page 14 is not a page"):
        mixed_pdf(PDF, tmp_path / "mixed.pdf", page=14, dpi=LOW_DPI)
