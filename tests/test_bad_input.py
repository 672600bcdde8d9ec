"""Bad input: one line on stderr naming the file and the problem, exit 1, no output at all.

Every bad file is made from real bytes: copies of the shipped PDF truncated, corrupted,
encrypted or rasterised, a real PDF without a table, the plan with a header nobody knows.
"""

from __future__ import annotations

import dataclasses
import io
import shutil

import pypdfium2
import pytest
from click.testing import CliRunner
from documents import SHIPPED
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas
from typeset import Style, typeset
from typeset.gold import gold_rows

from nap.cli import main

PDF = SHIPPED.pdf


def extract(*args: str):
    return CliRunner().invoke(main, ["extract", *args])


def assert_refused(result, path, words: str, tmp_path) -> None:
    """Exit 1, exactly one line naming the file and the problem, and nothing written."""
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"nap: error: {path}: ") and words in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.fixture
def encrypted(tmp_path):
    writer = PdfWriter(clone_from=PdfReader(PDF))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="AES-128")
    path = tmp_path / "locked.pdf"
    writer.write(path)
    return path


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.pdf"
    assert_refused(extract(str(path), "--out", str(tmp_path / "out")), path, "no such file", tmp_path)


def test_directory(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    assert_refused(extract(str(folder), "--out", str(tmp_path / "out")), folder, "is a directory", tmp_path)


def test_not_a_pdf(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"PK\x03\x04 this is a zip archive, not a PDF")
    assert_refused(extract(str(path), "--out", str(tmp_path / "out")), path, "not a PDF", tmp_path)


def test_truncated_copy(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(PDF.read_bytes()[:30000])
    assert_refused(
        extract(str(path), "--out", str(tmp_path / "out")), path, "cannot be read as a PDF", tmp_path
    )


def test_corrupt_copy(tmp_path):
    data = bytearray(PDF.read_bytes())
    data[20:] = bytes(len(data) - 20)  # the header survives, everything after it is zeros
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(bytes(data))
    assert_refused(
        extract(str(path), "--out", str(tmp_path / "out")), path, "cannot be read as a PDF", tmp_path
    )


def test_a_file_only_the_pdfplumber_engines_parser_refuses(tmp_path):
    """A broken cross-reference pointer: PDFium repairs it, pdfminer (the pdfplumber engine's
    parser) refuses the file; that refusal is the same one-line error, not a traceback."""
    path = tmp_path / "badxref.pdf"
    path.write_bytes(PDF.read_bytes().replace(b"startxref", b"startxrex"))
    assert extract(str(path), "--out", str(tmp_path / "ok"), "--quiet").exit_code == 0  # default engine
    shutil.rmtree(tmp_path / "ok")
    assert_refused(
        extract(str(path), "--engine", "pdfplumber", "--out", str(tmp_path / "out")),
        path,
        "cannot be read as a PDF",
        tmp_path,
    )


def test_encrypted_copy_without_password(tmp_path, encrypted):
    result = extract(str(encrypted), "--out", str(tmp_path / "out"))
    assert_refused(result, encrypted, "is encrypted: give its password with --password", tmp_path)


def test_encrypted_copy_with_wrong_password(tmp_path, encrypted):
    result = extract(str(encrypted), "--out", str(tmp_path / "out"), "--password", "guess")
    assert_refused(result, encrypted, "the password given does not open it", tmp_path)


@pytest.mark.parametrize("engine", ["pdfplumber", "camelot"])
def test_encrypted_copy_with_its_password_is_extracted(tmp_path, encrypted, engine):
    plain = tmp_path / "plain"
    assert extract(str(PDF), "--out", str(plain), "--quiet").exit_code == 0
    result = extract(
        str(encrypted), "--out", str(tmp_path / "out"), "--password", "s3cret", "--engine", engine
    )
    assert result.exit_code == 0, result.output
    for name in ("activities.csv", "activity_agencies.csv", "indicators.csv", "review.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (plain / name).read_bytes(), name


def test_rasterised_copy_with_ocr_turned_off(tmp_path):
    """A scan is read by OCR by default (tests/test_ocr.py); with --ocr never it has nothing to read."""
    doc = pypdfium2.PdfDocument(str(PDF))
    images = [doc[i].render(scale=0.5).to_pil().convert("RGB") for i in range(2)]
    path = tmp_path / "scan.pdf"
    images[0].save(path, save_all=True, append_images=images[1:])
    result = extract(str(path), "--out", str(tmp_path / "out"), "--ocr", "never")
    said = "has no text layer (scanned images?): --ocr auto reads its pages by OCR"
    assert_refused(result, path, said, tmp_path)


def test_pdf_with_text_but_no_ruled_table(tmp_path):
    buf = io.BytesIO()
    page = canvas.Canvas(buf, invariant=1)
    page.drawString(72, 720, "National Action Plan on Combating Trafficking in Persons, 2019-2020")
    page.save()
    path = tmp_path / "letter.pdf"
    path.write_bytes(buf.getvalue())
    assert_refused(extract(str(path), "--out", str(tmp_path / "out")), path, "no ruled table", tmp_path)


def test_header_that_cannot_be_mapped_is_named(tmp_path, gold):
    columns = [("goal", "Strategic Goal"), ("objective", "Objective"), ("activity", "Activity"),
               ("responsible", "Executing Body"), ("partner", "Partners"), ("indicator", "Indicator"),
               ("timeline", "Timeline")]  # fmt: skip
    path = typeset(gold_rows(gold)[:6], dataclasses.replace(Style(), columns=columns), tmp_path / "odd.pdf")
    result = extract(str(path), "--out", str(tmp_path / "out"))
    assert_refused(result, path, 'header "Executing Body" cannot be mapped', tmp_path)


def test_a_profile_maps_that_header(tmp_path, gold):
    columns = [("goal", "Strategic Goal"), ("objective", "Objective"), ("activity", "Activity"),
               ("responsible", "Executing Body"), ("partner", "Partners"), ("indicator", "Indicator"),
               ("timeline", "Timeline")]  # fmt: skip
    path = typeset(gold_rows(gold)[:6], dataclasses.replace(Style(), columns=columns), tmp_path / "odd.pdf")
    profile = tmp_path / "profile.yaml"
    profile.write_text("fields:\n  responsible: [Executing Body]\n", encoding="utf-8")
    result = extract(str(path), "--out", str(tmp_path / "done"), "--layout", str(profile), "--quiet")
    assert result.exit_code == 0, result.output
    rows = (tmp_path / "done" / "activities.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 6


def test_one_bad_file_among_several_does_not_stop_the_others(tmp_path, encrypted):
    result = extract(str(encrypted), str(PDF), "--out", str(tmp_path / "many"), "--quiet")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and str(encrypted) in result.stderr
    assert [p.name for p in (tmp_path / "many").iterdir()] == [PDF.stem]
