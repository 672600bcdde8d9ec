"""Hostile inputs and odd paths: a page PDFium cannot load, file names that are not UTF-8 or hold
a newline, FIFOs, devices and sockets given as the PDF, output folders that cannot be written.

Each ends as the documented one-line error (exit 1, nothing written, a previous output
untouched) or works; none is a traceback or a hang. Every failure is made real: PDFium's own
refusal of a damaged page, a real FIFO and socket, real paths the kernel refuses.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from documents import SHIPPED
from pypdf import PdfReader
from test_bad_input import assert_refused

from extract.errors import shown_name
from nap.cli import main

PDF = SHIPPED.pdf
LOST = 3  # the page made unreadable
NAP = [sys.executable, "-m", "nap"]


def extract(*args: str):
    return CliRunner().invoke(main, ["extract", *args])


def review_rows(folder: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO((folder / "review.csv").read_text(encoding="utf-8"))))


# ---------------------------------------------------------------- a page PDFium cannot load


def with_unloadable_page(source: Path, number: int, path: Path) -> Path:
    """A copy whose page `number` is an array where its dictionary should be ("<<" -> "[["): the
    same length, so every cross-reference offset still holds and the document opens."""
    data = source.read_bytes()
    obj = PdfReader(source).pages[number - 1].indirect_reference.idnum
    start = data.index(b"\n%d 0 obj" % obj) + 1
    at = data.index(b"<<", start)
    path.write_bytes(data[:at] + b"[[" + data[at + 2 :])
    return path


@pytest.fixture
def lost_page(tmp_path) -> Path:
    path = with_unloadable_page(PDF, LOST, tmp_path / "lost.pdf")
    doc = pdfium.PdfDocument(str(path))  # the real PDFium: the file opens, that one page does not
    try:
        assert len(doc) == len(pdfium.PdfDocument(str(PDF)))
        with pytest.raises(pdfium.PdfiumError, match="Failed to load page"):
            doc[LOST - 1]
        doc[LOST].close()
    finally:
        doc.close()
    return path


def test_an_unloadable_page_fails_the_pdf_naming_the_page(tmp_path, lost_page):
    result = extract(str(lost_page), "--out", str(tmp_path / "out"))
    words = f"page {LOST} cannot be read (PDFium: Failed to load page); --keep-going extracts the other pages"
    assert_refused(result, lost_page, words, tmp_path)


def test_keep_going_extracts_the_other_pages_and_lists_the_lost_one(tmp_path, lost_page, default_run):
    plain, plan = default_run
    out = tmp_path / "out"
    result = extract(str(lost_page), "--out", str(out), "--keep-going", "--verbose")
    assert result.exit_code == 0, result.output
    summary = result.stderr.splitlines()[0]
    assert summary.endswith(", 1 page could not be read"), summary
    lost = [r for r in review_rows(out) if r["kind"] == "page_unreadable"]
    assert [(r["page"], r["activity_id"], r["field"]) for r in lost] == [(str(LOST), "", "page")]
    assert "PDFium: Failed to load page" in lost[0]["detail"]
    kept = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    ids = {a["activity_id"] for g in kept["goals"] for o in g["objectives"] for a in o["activities"]}
    elsewhere = {a.activity_id for a in plan.activities() if LOST not in a.pages}
    on_lost = {a.activity_id for a in plan.activities() if a.pages == [LOST]}
    assert elsewhere <= ids  # every activity printed wholly on other pages is still there
    assert not on_lost & ids and on_lost  # and none printed on the lost page alone
    assert b"cannot be shown (PDFium: Failed to load page)" in (out / "review.html").read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0


def test_no_row_continues_across_a_lost_page(tmp_path, lost_page, default_run):
    """The row at the top of the page after the lost one continues a row of the lost page: it is
    reviewed as text that could not be placed, not joined to the activity before the lost page."""
    _, plan = default_run
    out = tmp_path / "out"
    assert extract(str(lost_page), "--out", str(out), "--keep-going").exit_code == 0
    rows = review_rows(out)
    stitched = [r for r in rows if r["kind"] == "page_break_stitched"]
    assert not [r for r in stitched if f"page {LOST - 1} onto page {LOST + 1}" in r["detail"]]
    cut = [r for r in rows if r["kind"] == "unplaced_text" and r["page"] == str(LOST + 1)]
    assert cut and all("could not be read" in r["detail"] for r in cut)
    kept = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    by_id = {a["activity_id"]: a for g in kept["goals"] for o in g["objectives"] for a in o["activities"]}
    for a in plan.activities():  # an activity printed before the lost page keeps its own text only
        if a.pages and max(a.pages) < LOST and a.activity_id in by_id:
            assert by_id[a.activity_id]["cells"] == a.cells, a.activity_id


def test_keep_going_says_so_where_no_summary_is_printed(tmp_path, lost_page):
    result = extract(str(lost_page), "--out", str(tmp_path / "out"), "--keep-going")
    assert result.exit_code == 0, result.output
    warning = f"nap: warning: {lost_page}: 1 page could not be read; see review.csv (page_unreadable)\n"
    assert result.stderr == warning
    quiet = extract(str(lost_page), "--out", str(tmp_path / "out"), "--keep-going", "--quiet")
    assert quiet.exit_code == 0 and quiet.stderr == ""


# ---------------------------------------------------------------- file names


def test_a_file_name_that_is_not_utf8_is_extracted_and_shown_escaped(tmp_path):
    path = tmp_path / os.fsdecode(b"\xe9\xff.pdf")
    shutil.copyfile(PDF, path)
    out = tmp_path / "out"
    result = extract(str(path), "--out", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    source = json.loads((out / "plan.json").read_text(encoding="utf-8"))["source"]
    assert source["name"] == "\\xe9\\xff.pdf" == shown_name(path.name)
    assert CliRunner().invoke(main, ["validate", str(out)]).exit_code == 0
    shutil.rmtree(out)
    path.write_bytes(PDF.read_bytes()[:30000])  # the same name, truncated: the message shows it escaped
    result = extract(str(path), "--out", str(out))
    assert_refused(result, shown_name(path), "cannot be read as a PDF", tmp_path)
    assert f"{tmp_path}/\\xe9\\xff.pdf: " in result.stderr


def test_a_file_name_with_a_newline_keeps_the_error_on_one_line(tmp_path):
    path = tmp_path / "a\nb.pdf"
    path.write_bytes(PDF.read_bytes()[:30000])
    result = extract(str(path), "--out", str(tmp_path / "out"))
    assert_refused(result, shown_name(path), "cannot be read as a PDF", tmp_path)
    assert "a\\nb.pdf: " in result.stderr


# ---------------------------------------------------------------- inputs that are no regular file


def refused_in_a_process(path: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """`nap extract path` in its own process, so that a hang is a timeout, not a stuck suite."""
    result = subprocess.run(
        [*NAP, "extract", str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()
    return result


def test_a_fifo_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / "plan.pdf"
    os.mkfifo(fifo)
    result = refused_in_a_process(fifo, tmp_path)
    assert result.stderr == f"nap: error: {fifo}: is a FIFO, not a regular file\n"


def test_a_device_is_refused(tmp_path):
    result = refused_in_a_process(Path("/dev/null"), tmp_path)
    assert result.stderr == "nap: error: /dev/null: is a character device, not a regular file\n"


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s.pdf"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(path))
        result = refused_in_a_process(path, tmp_path)
    assert result.stderr == f"nap: error: {path}: is a socket, not a regular file\n"


# ---------------------------------------------------------------- output folders that cannot be written


def assert_output_refused(result, out: Path, strerror: str, folder: Path) -> None:
    """Exit 1, one line naming the folder and the system's reason, no temporary folder left."""
    assert result.exit_code == 1, result.output
    expected = f"nap: error: {PDF}: cannot write output folder {shown_name(out)}: {strerror}\n"
    assert result.stderr == expected
    assert "Traceback" not in result.output
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    "where, strerror",
    [
        ("proc", os.strerror(errno.ENOENT)),  # /proc takes no new folders, not even root's
        ("below a file", os.strerror(errno.ENOTDIR)),
        ("long name", os.strerror(errno.ENAMETOOLONG)),
    ],
)
def test_an_output_folder_that_cannot_be_made(tmp_path, where, strerror):
    out = {
        "proc": Path("/proc") / f"nap-test-{os.getpid()}",
        "below a file": tmp_path / "plan.txt" / "out",
        "long name": tmp_path / ("x" * 300),
    }[where]
    (tmp_path / "plan.txt").write_text("a file, not a folder\n")
    assert_output_refused(extract(str(PDF), "--out", str(out)), out, strerror, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.txt"]
    assert where != "proc" or not out.exists()


def test_a_long_output_name_that_is_legal_is_written(tmp_path):
    """84 Georgian letters (252 bytes) make a legal folder name; its temporary siblings' names,
    longer by a dot and a suffix, must stay legal too."""
    out = tmp_path / ("ქ" * 84)
    assert extract(str(PDF), "--out", str(out), "--quiet").exit_code == 0
    assert (out / "plan.json").is_file()


@pytest.fixture
def previous(tmp_path) -> Path:
    """A previous output, to be left untouched by a failed run."""
    out = tmp_path / "parent" / "out"
    assert extract(str(PDF), "--out", str(out), "--quiet").exit_code == 0
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_full_disk_leaves_the_previous_output(previous, monkeypatch):
    before = snapshot(previous)
    write_bytes = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.parent.parent == previous.parent and self.parent.name.startswith(".out."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    result = extract(str(PDF), "--out", str(previous))
    assert_output_refused(result, previous, os.strerror(errno.ENOSPC), previous.parent)
    assert snapshot(previous) == before


def _immutable(folder: Path) -> bool:
    """Make the folder immutable (chattr +i, which refuses root too); False where the file system
    or the process cannot."""
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    return subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode == 0


@contextmanager
def unwritable(folder: Path, monkeypatch) -> Iterator[str]:
    """The folder made unwritable by the strongest means this process has, and the system's reason nap
    must then report. Another user: mode 0o555 (EACCES). Root ignores modes: the folder made
    immutable (EPERM); where chattr cannot, the folder's new entries refused as the kernel would
    (EACCES, through os.mkdir), so the test never skips."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield os.strerror(errno.EACCES)
        finally:
            folder.chmod(0o755)
    elif _immutable(folder):
        try:
            yield os.strerror(errno.EPERM)
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        mkdir = os.mkdir

        def refused(path, *args, **kwargs):
            if Path(path).parent == folder:
                raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return mkdir(path, *args, **kwargs)

        monkeypatch.setattr(os, "mkdir", refused)
        yield os.strerror(errno.EACCES)


def test_a_folder_that_cannot_be_written_leaves_the_previous_output(previous, monkeypatch):
    before = snapshot(previous)
    with unwritable(previous.parent, monkeypatch) as strerror:
        result = extract(str(PDF), "--out", str(previous))
    assert_output_refused(result, previous, strerror, previous.parent)
    assert snapshot(previous) == before


def test_the_pdfplumber_engine_refuses_a_page_tree_its_parser_reads_otherwise(tmp_path, lost_page):
    """pdfminer skips the broken page, so its page N is PDFium's N+1: refused, never misaligned."""
    result = extract(str(lost_page), "--engine", "pdfplumber", "--keep-going", "--out", str(tmp_path / "out"))
    pages = len(pdfium.PdfDocument(str(PDF)))
    assert_refused(
        result,
        lost_page,
        f"cannot be read as a PDF (pdfminer reads {pages - 1} pages where PDFium reads {pages})",
        tmp_path,
    )
