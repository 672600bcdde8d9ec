"""The `nap extract` interface: output folders, several PDFs, bad input, no partial output."""

from __future__ import annotations

import shutil

from click.testing import CliRunner
from documents import SHIPPED

from nap.cli import main
from publish.outputs import OUTPUT_NAMES

PDF = SHIPPED.pdf
FILES = OUTPUT_NAMES


def invoke(*args: str):
    return CliRunner().invoke(main, ["extract", *args])


def test_one_pdf_writes_into_out(tmp_path):
    result = invoke(str(PDF), "--out", str(tmp_path / "x"), "--quiet")
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "x").iterdir()} == FILES


def test_several_pdfs_get_one_folder_per_stem_and_a_bad_one_does_not_stop_the_others(tmp_path):
    other = tmp_path / "copy.pdf"
    shutil.copy(PDF, other)
    missing = tmp_path / "missing.pdf"
    result = invoke(str(PDF), str(missing), str(other), "--out", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 1
    assert {p.name for p in (tmp_path / "out").iterdir()} == {PDF.stem, "copy"}
    assert result.stderr.strip() == f"nap: error: {missing}: no such file"


def test_not_a_pdf_is_one_line_and_leaves_previous_output_untouched(tmp_path):
    out = tmp_path / "out"
    assert invoke(str(PDF), "--out", str(out), "--quiet").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    fake = tmp_path / "notes.pdf"
    fake.write_text("just text", encoding="utf-8")
    result = invoke(str(fake), "--out", str(out))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "not a PDF" in result.stderr and str(fake) in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_directory_is_refused(tmp_path):
    result = invoke(str(tmp_path), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1 and "is a directory" in result.stderr
    assert not (tmp_path / "o").exists()


def test_unknown_engine_is_a_usage_error(tmp_path):
    assert invoke(str(PDF), "--engine", "magic").exit_code == 2


def test_out_folder_holding_other_files_is_not_replaced(tmp_path):
    keep = tmp_path / "mine.txt"
    keep.write_text("precious", encoding="utf-8")
    result = invoke(str(PDF), "--out", str(tmp_path))
    assert result.exit_code == 1 and "refusing to replace" in result.stderr
    assert keep.read_text(encoding="utf-8") == "precious"


def test_quiet_when_not_a_terminal_and_summary_with_verbose(tmp_path):
    quiet = invoke(str(PDF), "--out", str(tmp_path / "a"))
    assert quiet.exit_code == 0 and quiet.stderr == ""
    loud = invoke(str(PDF), "--out", str(tmp_path / "b"), "--verbose")
    first, *kinds = loud.stderr.splitlines()
    assert first.startswith(f"{PDF} -> {tmp_path / 'b'}: 57 activities, 208 mentions (0 unresolved), ")
    assert "    review page_break_stitched: " in "\n".join(kinds)


def test_progress_advances_once_per_page(tmp_path, config):
    from nap.pipeline import run
    from nap.progress import Reporter

    calls = []
    run(PDF, tmp_path / "out", "pdfplumber", config, on_page=lambda done, total: calls.append((done, total)))
    assert calls == [(n, 13) for n in range(1, 14)]
    with Reporter(tty=True).document("plan.pdf") as on_page:
        assert callable(on_page)  # a bar on a terminal
    with Reporter(tty=True, quiet=True).document("plan.pdf") as on_page:
        assert on_page is None  # --quiet: no bar
    with Reporter(tty=False).document("plan.pdf") as on_page:
        assert on_page is None  # not a terminal: no bar


def test_validate_command(tmp_path):
    out = tmp_path / "out"
    assert invoke(str(PDF), "--out", str(out), "--quiet").exit_code == 0
    ok = CliRunner().invoke(main, ["validate", str(out)])
    assert ok.exit_code == 0 and ok.stdout.strip() == f"{out}: valid"
    (out / "indicators.csv").write_text("activity_id,seq,indicator\n9.9.9,1,x\n", encoding="utf-8")
    bad = CliRunner().invoke(main, ["validate", str(out)])
    assert bad.exit_code == 1 and "indicators.csv" in bad.stdout and "9.9.9" in bad.stdout


def test_jobs_give_the_same_output_as_one_job(tmp_path, gold):
    import dataclasses

    from typeset import Style, typeset
    from typeset.gold import gold_rows

    pdfs = [tmp_path / "in" / "a.pdf", tmp_path / "in" / "b.pdf", tmp_path / "in" / "c.pdf"]
    pdfs[0].parent.mkdir()
    shutil.copy(PDF, pdfs[0])
    typeset(
        gold_rows(gold)[:20], dataclasses.replace(Style(), producer="fpdf2", widths={"timeline": 66}), pdfs[1]
    )
    pdfs[2].write_text("not a pdf", encoding="utf-8")
    one = invoke(*map(str, pdfs), "--out", str(tmp_path / "one"), "--jobs", "1")
    two = invoke(*map(str, pdfs), "--out", str(tmp_path / "two"), "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert one.stderr == two.stderr and "c.pdf: not a PDF" in two.stderr
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir()) == ["a", "b"]
    for stem in names:
        for f in sorted((tmp_path / "one" / stem).iterdir()):
            assert f.read_bytes() == (tmp_path / "two" / stem / f.name).read_bytes(), f"{stem}/{f.name}"


def test_the_nap_command_entry_point_writes_what_the_cli_writes(tmp_path):
    import subprocess
    import sys

    assert invoke(str(PDF), "--out", str(tmp_path / "cli"), "--quiet").exit_code == 0
    proc = subprocess.run(
        [sys.executable, "-m", "nap", "extract", str(PDF), "--out", str(tmp_path / "cmd"), "--quiet"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0 and proc.stderr == ""
    for f in sorted((tmp_path / "cli").iterdir()):
        assert (tmp_path / "cmd" / f.name).read_bytes() == f.read_bytes(), f.name
