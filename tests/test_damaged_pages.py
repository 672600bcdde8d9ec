"""Pages whose content is damaged but which PDFium still loads: read in part, never silently.

PDFium shows a page's text up to a broken compressed stream, or nothing of contents that name a
missing object, without a word; the fuzz campaign found such files losing activities with exit 0.
extract/limits.py, reading every content stream anyway to bound it, says which pages are damaged:
by default the run stops naming the page, and with --keep-going the page is read as far as it
goes and listed in review.csv as `page_damaged`. The damage is made real here and checked with
zlib and pdfminer before nap sees it.
"""

from __future__ import annotations

import csv
import io
import re
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from documents import SHIPPED
from pypdf import PdfReader

from nap.cli import main

PAGE = 12


def content_object(number: int) -> int:
    return PdfReader(SHIPPED.pdf).pages[number - 1].raw_get("/Contents").idnum


def stream_span(data: bytes, obj: int) -> tuple[int, int]:
    """Where the raw bytes of object `obj`'s stream lie in the file."""
    head = data.index(b"\n%d 0 obj" % obj) + 1
    start = data.index(b"stream", head) + len(b"stream")
    start += 2 if data[start : start + 2] == b"\r\n" else 1
    return start, data.index(b"endstream", start)


def with_corrupt_stream(path: Path) -> Path:
    """A copy with bytes in the middle of page PAGE's compressed content inverted (same length)."""
    data = bytearray(SHIPPED.pdf.read_bytes())
    start, end = stream_span(bytes(data), content_object(PAGE))
    middle = (start + end) // 2
    for i in range(middle, middle + 8):
        data[i] ^= 0xFF
    raw = bytes(data[start:end])
    with pytest.raises(zlib.error):  # the damage is real: zlib refuses the stream
        zlib.decompress(raw)
    path.write_bytes(bytes(data))
    return path


def with_missing_contents(path: Path) -> Path:
    """A copy whose page PAGE names a content object that does not exist (same length)."""
    data = SHIPPED.pdf.read_bytes()
    obj = content_object(PAGE)
    missing = 10 ** len(str(obj)) - 1  # as many digits: the file keeps its length and offsets
    old, new = b"/Contents %d 0 R" % obj, b"/Contents %d 0 R" % missing
    assert data.count(old) == 1 and not re.search(rb"\n%d 0 obj" % missing, data)
    path.write_bytes(data.replace(old, new))
    return path


def run(pdf: Path, out: Path, *options: str):
    return CliRunner().invoke(main, ["extract", str(pdf), "--out", str(out), *options])


@pytest.mark.parametrize("damage", [with_corrupt_stream, with_missing_contents])
def test_a_damaged_page_stops_the_run_naming_it(tmp_path, damage):
    pdf = damage(tmp_path / "damaged.pdf")
    result = run(pdf, tmp_path / "out")
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert f"page {PAGE}:" in lines[0] and "--keep-going" in lines[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("damage", [with_corrupt_stream, with_missing_contents])
def test_keep_going_reads_the_page_in_part_and_says_so(tmp_path, damage):
    pdf = damage(tmp_path / "damaged.pdf")
    result = run(pdf, tmp_path / "out", "--keep-going")
    assert result.exit_code == 0, result.output
    review = list(csv.DictReader(io.StringIO((tmp_path / "out" / "review.csv").read_text(encoding="utf-8"))))
    damaged = [r for r in review if r["kind"] == "page_damaged"]
    assert [r["page"] for r in damaged] == [str(PAGE)]
    assert "1 page read in part" in result.output


def test_an_undamaged_plan_has_no_damaged_page(tmp_path):
    result = run(SHIPPED.pdf, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "page_damaged" not in (tmp_path / "out" / "review.csv").read_text(encoding="utf-8")
