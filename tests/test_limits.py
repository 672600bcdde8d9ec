"""Resource limits (schema.models.Limits; extract/limits.py): the hostile files of issue #11 end as
one line naming the limit and its option, quickly and in bounded memory; raising the option lets a
big but trusted file through; the shipped plan passes with the defaults.

Every hostile file is built here: raw PDF bytes (`pdf_bytes`) or the shipped plan with something
added (`shipped_with`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from documents import SHIPPED
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject, StreamObject

from nap.cli import main
from schema.models import Limits

DEFAULTS = Limits()
MEMORY_BOUND_KB = 256 * 1024  # a hostile file's peak RSS at the defaults (the goal is under 1 GB)
SECONDS_BOUND = 15


def pdf_bytes(
    pages: list[bytes], box: tuple[float, ...] = (0, 0, 612, 792), form: bytes | None = None
) -> bytes:
    """A PDF of one page per content stream (each Flate-compressed); with `form`, every page also
    holds that content as a form XObject /Fm and draws it."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    form_ref = b""
    if form is not None:
        objects.append(_stream(form, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "))
        form_ref = b"/XObject << /Fm %d 0 R >> " % len(objects)
    for content in pages:
        objects.append(_stream(content + (b"\n/Fm Do\n" if form is not None else b"")))
        box_text = " ".join(f"{v:g}" for v in box).encode()
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Contents %d 0 R /Resources << %s>> >>"
            % (box_text, len(objects), form_ref)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return _file(objects)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    data = deflate([content])
    return b"<< %s/Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (extra, len(data), data)


def _file(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def deflate(chunks) -> bytes:
    """Flate data of the chunks, compressed as they come (a bomb is built in small memory)."""
    compress = zlib.compressobj(1)
    return b"".join([compress.compress(c) for c in chunks] + [compress.flush()])


def bomb(mb: int) -> bytes:
    """Content that inflates to `mb` MB of spaces, as a raw Flate stream."""
    return deflate(b" " * (1 << 20) for _ in range(mb))


def shipped_with(path: Path, content: bytes = b"", box: tuple[float, ...] | None = None) -> Path:
    """The shipped plan with `content` added to page 1 (a second content stream, stored as Flate
    data already: `content` is raw), or with every page's media box set to `box`."""
    writer = PdfWriter(clone_from=PdfReader(SHIPPED.pdf))
    if content:
        stream = StreamObject()
        stream._data = content  # raw bytes: pypdf writes them as they are
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        stream[NameObject("/Length")] = NumberObject(len(content))
        page = writer.pages[0]
        page[NameObject("/Contents")] = ArrayObject([page.raw_get("/Contents"), writer._add_object(stream)])
    for page in writer.pages if box else []:
        page[NameObject("/MediaBox")] = ArrayObject([FloatObject(v) for v in box])
        for name in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
            page.pop(name, None)
    writer.write(path)
    return path


def tiny_diagonals(n: int) -> bytes:
    """`n` tiny diagonal segments in one stroked path: drawn, but no rule of a table."""
    return b"0 0 m\n" + b"1 1 l 0 0 l\n" * (n // 2) + b"S\n"


def extract(pdf: Path, out: Path, *options: str):
    return CliRunner().invoke(main, ["extract", str(pdf), "--out", str(out), *options])


def assert_limit(result, pdf: Path, out: Path, option: str, value) -> None:
    """Exit 1, one line naming the file, the limit and its option, nothing written."""
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    line = result.stderr
    assert line.startswith(f"nap: error: {pdf}: page ") and f"({option} {value:g})" in line, line
    assert "raise the limit if the file is trusted" in line, line
    assert "Traceback" not in result.output
    assert not out.exists()
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def measured(pdf: Path, out: Path, *options: str) -> tuple[subprocess.CompletedProcess, float, int]:
    """`nap extract` in a child of a fresh interpreter: (result, seconds, the child's peak RSS in KB)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(r.returncode, time.perf_counter() - t, peak)\n"
        "sys.stderr.write(r.stderr)\n"
    )
    command = [sys.executable, "-m", "nap", "extract", str(pdf), "--out", str(out), *options]
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, timeout=120
    )
    code, seconds, rss = done.stdout.split()
    return subprocess.CompletedProcess(command, int(code), "", done.stderr), float(seconds), int(rss)


def assert_bounded(pdf: Path, out: Path, option: str, value) -> subprocess.CompletedProcess:
    """At the default limits: the one-line error, within the time and memory bounds."""
    result, seconds, rss = measured(pdf, out)
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and f"({option} {value:g})" in result.stderr, result.stderr
    assert not out.exists()
    assert seconds < SECONDS_BOUND, seconds
    assert rss < MEMORY_BOUND_KB, f"peak RSS {rss // 1024} MB"
    print(f"{pdf.name}: {seconds:.2f} s, peak RSS {rss // 1024} MB")  # (shown by pytest -s)
    return result


def same_activities(out: Path, expected: Path) -> None:
    """The same goals, objectives and activities, their values and provenance, as `expected`'s."""
    got = json.loads((out / "plan.json").read_text())
    want = json.loads((expected / "plan.json").read_text())
    assert got["goals"] == want["goals"]


def activity_ids(out: Path) -> list[str]:
    plan = json.loads((out / "plan.json").read_text())
    return [a["activity_id"] for g in plan["goals"] for o in g["objectives"] for a in o["activities"]]


# --- decompressed content -------------------------------------------------------------------------


def test_content_inflating_past_the_page_limit(tmp_path):
    pdf = tmp_path / "bomb.pdf"
    pdf.write_bytes(pdf_bytes([b" " * (3 << 20)]))  # 3 MB of spaces: a few kB on disk
    assert_limit(extract(pdf, tmp_path / "out", "--max-page-content", "2"), pdf, tmp_path / "out",
                 "--max-page-content", 2)  # fmt: skip


def test_content_in_a_form_counts_for_the_page(tmp_path):
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(pdf_bytes([b"q Q"], form=b" " * (3 << 20)))
    result = extract(pdf, tmp_path / "out", "--max-page-content", "2")
    assert_limit(result, pdf, tmp_path / "out", "--max-page-content", 2)


def test_content_of_the_document_past_its_limit(tmp_path):
    pdf = tmp_path / "pages.pdf"
    pdf.write_bytes(pdf_bytes([b" " * (600 << 10)] * 3))  # 0.6 MB a page: page 2 passes 1 MB in all
    result = extract(pdf, tmp_path / "out", "--max-content", "1")
    assert_limit(result, pdf, tmp_path / "out", "--max-content", 1)
    assert "page 2: the content so far inflates past 1 MB" in result.stderr


def test_flate_bomb_at_the_default_limit(tmp_path):
    """Issue #11's bomb, 100 MB inflated (1 GiB took 2.1 GB and 11 s): the check inflates no more
    than the limit, a chunk at a time."""
    pdf = shipped_with(tmp_path / "bomb.pdf", bomb(100))
    assert_bounded(pdf, tmp_path / "out", "--max-page-content", DEFAULTS.max_page_content_mb)


def test_a_raised_content_limit_lets_a_trusted_file_through(tmp_path, default_run):
    spaces = int(DEFAULTS.max_page_content_mb * 1.5 * (1 << 20))
    pdf = shipped_with(tmp_path / "big.pdf", deflate([b" " * spaces]))
    refused = extract(pdf, tmp_path / "out")
    assert_limit(refused, pdf, tmp_path / "out", "--max-page-content", DEFAULTS.max_page_content_mb)
    raised = extract(pdf, tmp_path / "out", "--max-page-content", f"{DEFAULTS.max_page_content_mb * 2:g}")
    assert raised.exit_code == 0, raised.output
    same_activities(tmp_path / "out", default_run[0])


# --- page size ------------------------------------------------------------------------------------


def test_huge_media_box_is_refused_before_any_page_loads(tmp_path):
    """Issue #11: MediaBox ±1e9 on the shipped plan's 13 pages cost 530 MB and 4 s."""
    pdf = shipped_with(tmp_path / "huge.pdf", box=(-1e9, -1e9, 1e9, 1e9))
    result = assert_bounded(pdf, tmp_path / "out", "--max-page-size", DEFAULTS.max_page_size)
    assert "page 1: it measures 2e+09 x 2e+09 points" in result.stderr


def test_page_size_limit_is_an_option(tmp_path):
    pdf = tmp_path / "wide.pdf"
    pdf.write_bytes(pdf_bytes([b"q Q"], box=(0, 0, 2000, 500)))
    assert_limit(extract(pdf, tmp_path / "out", "--max-page-size", "1000"), pdf, tmp_path / "out",
                 "--max-page-size", 1000)  # fmt: skip


def test_a_raised_page_size_lets_a_big_page_through(tmp_path, default_run):
    side = DEFAULTS.max_page_size + 600
    pdf = shipped_with(tmp_path / "poster.pdf", box=(0, 0, side, side))
    assert_limit(
        extract(pdf, tmp_path / "out"), pdf, tmp_path / "out", "--max-page-size", DEFAULTS.max_page_size
    )
    raised = extract(pdf, tmp_path / "out", "--max-page-size", f"{side:g}")
    assert raised.exit_code == 0, raised.output
    assert activity_ids(tmp_path / "out") == activity_ids(default_run[0])  # (the boxes moved: a taller page)


# --- path segments --------------------------------------------------------------------------------


def test_path_segments_past_the_limit(tmp_path):
    pdf = tmp_path / "lines.pdf"
    pdf.write_bytes(pdf_bytes([tiny_diagonals(3000)]))
    assert_limit(
        extract(pdf, tmp_path / "out", "--max-paths", "2000"), pdf, tmp_path / "out", "--max-paths", 2000
    )


def test_200000_segments_at_the_default_limits(tmp_path):
    """Issue #11: 200,000 tiny segments on a page cost 200 MB and 3-5 s. As tiny rectangles
    (40,000, five segments each) their content is small and the segment count refuses them; as
    line segments their content alone is past the page limit."""
    rects = shipped_with(tmp_path / "rects.pdf", deflate([b"0 0 1 1 re\n" * 40_000, b"f\n"]))
    assert_bounded(rects, tmp_path / "out", "--max-paths", DEFAULTS.max_paths)
    lines = shipped_with(tmp_path / "lines.pdf", deflate([tiny_diagonals(200_000)]))
    assert_bounded(lines, tmp_path / "out", "--max-page-content", DEFAULTS.max_page_content_mb)


def test_a_raised_path_limit_lets_a_drawing_through(tmp_path, default_run):
    pdf = shipped_with(tmp_path / "drawn.pdf", deflate([tiny_diagonals(3000)]))
    assert_limit(
        extract(pdf, tmp_path / "out", "--max-paths", "2000"), pdf, tmp_path / "out", "--max-paths", 2000
    )
    raised = extract(pdf, tmp_path / "out", "--max-paths", "4000")
    assert raised.exit_code == 0, raised.output
    same_activities(tmp_path / "out", default_run[0])


# --- the shipped plan -----------------------------------------------------------------------------


def test_shipped_plan_passes_the_defaults(tmp_path, default_run):
    """The CLI with its default limits extracts the shipped plan as the pipeline does without."""
    started = time.perf_counter()
    result = extract(SHIPPED.pdf, tmp_path / "out")
    assert result.exit_code == 0, result.output
    same_activities(tmp_path / "out", default_run[0])
    assert time.perf_counter() - started < SECONDS_BOUND


def test_layout_suggest_keeps_the_limits(tmp_path):
    pdf = tmp_path / "wide.pdf"
    pdf.write_bytes(pdf_bytes([b"q Q"], box=(0, 0, 2000, 500)))
    refused = CliRunner().invoke(main, ["layout", "suggest", str(pdf), "--max-page-size", "1000"])
    assert refused.exit_code == 1 and "(--max-page-size 1000)" in refused.stderr, refused.output
    assert refused.stderr.count("\n") == 1


@pytest.mark.parametrize("command", [["extract"], ["layout", "suggest"]])
def test_every_command_that_extracts_takes_the_options(command):
    help_text = CliRunner().invoke(main, [*command, "--help"]).output
    for option, value in [("--max-page-content", DEFAULTS.max_page_content_mb), ("--max-content",
                          DEFAULTS.max_content_mb), ("--max-paths", DEFAULTS.max_paths),
                          ("--max-page-size", DEFAULTS.max_page_size)]:  # fmt: skip
        assert option in help_text and f"(default {value:g})" in " ".join(help_text.split())


def test_content_of_an_encrypted_file_is_measured_decrypted(tmp_path):
    """The light reader decrypts before it inflates: encryption hides no bomb from the check."""
    plain = shipped_with(tmp_path / "plain.pdf", bomb(3))
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="AES-128")
    pdf = tmp_path / "locked.pdf"
    writer.write(pdf)
    result = extract(pdf, tmp_path / "out", "--password", "s3cret", "--max-page-content", "2")
    assert_limit(result, pdf, tmp_path / "out", "--max-page-content", 2)


# --- the image a page is rendered to for OCR ---------------------------------------------------------


def big_scan(path: Path, points: float) -> Path:
    """An image-only page `points` wide and tall (a poster-sized scan): 300 px drawn at the size asked."""
    from PIL import Image

    Image.new("L", (300, 300), 255).save(path, "PDF", resolution=300 * 72 / points)
    return path


def test_a_page_too_big_to_render_for_ocr_is_refused_before_it_is_rendered(tmp_path):
    pdf = big_scan(tmp_path / "poster.pdf", 10_000)  # 10,000 pt at 300 dpi: 1,929 megapixels
    result, seconds, rss = measured(pdf, tmp_path / "out")
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "(--max-ocr-megapixels 40); lower --ocr-dpi" in result.stderr, result.stderr
    assert seconds < SECONDS_BOUND and rss < MEMORY_BOUND_KB, (seconds, rss)
    assert not (tmp_path / "out").exists()


def test_a_lower_ocr_dpi_or_a_raised_limit_lets_the_page_through(tmp_path):
    pdf = big_scan(tmp_path / "poster.pdf", 1_000)  # 1,000 pt: 48 megapixels at 500 dpi, 17 at 300
    out = tmp_path / "out"
    refused = extract(pdf, out, "--ocr-dpi", "500")
    assert_limit(refused, pdf, out, "--max-ocr-megapixels", Limits().max_ocr_megapixels)
    for options in (["--ocr-dpi", "300"], ["--ocr-dpi", "500", "--max-ocr-megapixels", "50"]):
        result = extract(pdf, out, *options)  # blank paper: read, and found to print nothing
        assert "max-ocr-megapixels" not in result.stderr and "OCR found none" in result.stderr, result.stderr
