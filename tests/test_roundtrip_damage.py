"""Text damage real PDFs show, typeset into the shipped plan: the same rows come out.

Some words printed with ligature glyphs ("ﬁ" U+FB01 ...), some agency and indicator lists bulleted
with the private-use bullets of Word's Symbol and Wingdings fonts (one item per paragraph), and
footnote markers printed small and raised after a word ("Elaboration" + raised "1"). The rows must
read as the gold, each marker must be listed for review and none may be left in a word.
"""

from __future__ import annotations

import copy
import dataclasses
import re

import pytest
from goldcheck import gold_problems, read_csv
from typeset import Row, Style, typeset
from typeset.gold import gold_preamble, gold_rows

from nap.pipeline import run
from schema.names import quoted

LIGATURES = [("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02")]
PUA_BULLETS = ["\uf0b7", "\uf0a7", "\uf076", "\uf0d8", "\uf0fc"]
WORD = re.compile(r"[A-Za-z]{4,}")  # a word a marker may follow (no hyphen, slash or digit in it)
SUPERSCRIPT = re.compile(r"\^\{([^}]*)\}")  # the typesetter's markup for a footnote marker


def ligatured(text: str) -> str:
    for letters, glyph in LIGATURES:
        text = text.replace(letters, glyph)
    return text


def with_ligatures(row: Row) -> Row:
    """Every "fi", "fl", "ff", "ffi", "ffl" of the row's printed text drawn as one ligature glyph."""
    return dataclasses.replace(
        row,
        cells={k: ligatured(v) for k, v in row.cells.items()},
        paragraphs={k: [ligatured(p) for p in ps] for k, ps in row.paragraphs.items()},
    )


def bulleted(row: Row, field: str, bullet: str) -> tuple[Row, str]:
    """The field's list printed one bulleted item per paragraph, without the ";" that ended each;
    and the cell text as it reads back (the bullet read as "•")."""
    items = [p.removesuffix(";") for p in row.paragraphs[field]]
    paragraphs = [f"{bullet} {item}" for item in items]
    row = dataclasses.replace(
        row,
        cells={**row.cells, field: " ".join(paragraphs)},
        paragraphs={**row.paragraphs, field: paragraphs},
    )
    return row, " ".join(f"• {item}" for item in items)


def with_marker(text: str, nth: int, marker: str) -> tuple[str, str]:
    """The text with a marker after its nth plain word, before any punctuation; and that word."""
    m = list(WORD.finditer(text))[nth]
    return f"{text[: m.end()]}^{{{marker}}}{text[m.end() :]}", m.group()


def note(aid: str, field: str, marker: str, word: str) -> tuple[str, str, str]:
    """The review item (activity id, field, detail) a marker printed after `word` must produce."""
    return aid, field, f"footnote marker {quoted(marker)} after {quoted(word)} left out of the text"


def damaged(gold: dict) -> tuple[list[Row], dict, list[tuple[str, str, str]]]:
    """The gold rows with damage printed in; the gold as it must read back; the review items
    (activity id, field, detail) the footnote markers must produce."""
    rows, want, notes = [], copy.deepcopy(gold), []
    by_id = {r["activity_id"]: r for r in want["rows"]}
    for i, row in enumerate(gold_rows(gold)):
        aid = row.activity_id
        if i % 3 == 0:
            field = ("responsible", "indicator", "partner")[i // 3 % 3]
            if len(row.paragraphs.get(field, [])) > 1:
                row, reads = bulleted(row, field, PUA_BULLETS[i % len(PUA_BULLETS)])
                by_id[aid]["cells"][field] = reads
        if i % 4 == 1:
            text, word = with_marker(row.cells["activity"], 1, str(i % 9 + 1))
            row = dataclasses.replace(row, cells={**row.cells, "activity": text})
            notes.append(note(aid, "activity", str(i % 9 + 1), word))
        if i % 5 == 2 and WORD.search(row.cells["indicator"]):
            text, word = with_marker(row.cells["indicator"], 0, "a")
            paragraphs = row.paragraphs.get("indicator")
            if paragraphs:
                paragraphs = [with_marker(paragraphs[0], 0, "a")[0], *paragraphs[1:]]
                row = dataclasses.replace(row, paragraphs={**row.paragraphs, "indicator": paragraphs})
            row = dataclasses.replace(row, cells={**row.cells, "indicator": text})
            notes.append(note(aid, "indicator", "a", word))
        if i % 2 == 0:
            row = with_ligatures(row)
        rows.append(row)
    return rows, want, notes


def with_objective_marker(rows: list[Row], objective_id: str) -> tuple[list[Row], tuple[str, str, str]]:
    """A marker after the first word of one objective's merged cell (printed from its first row)."""
    first = next(r for r in rows if r.objective_id == objective_id)
    text, word = with_marker(first.cells["objective"], 0, "e")
    out = [
        dataclasses.replace(r, cells={**r.cells, "objective": text}) if r.objective_id == objective_id else r
        for r in rows
    ]
    return out, note("", "objective", "e", word)


def raw_text(pdf) -> str:
    """Every character of the PDF's text layer, code points as mapped (pdfminer folds nothing)."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return "".join(c["text"] for page in doc.pages for c in page.chars)


@pytest.mark.parametrize("producer", ["reportlab", "fpdf2"])
def test_damaged_plan_comes_out_as_the_gold_with_each_marker_reviewed(producer, gold, config, tmp_path):
    rows, want, notes = damaged(gold)
    rows, objective_note = with_objective_marker(rows, "2.2")
    style = Style(producer=producer, font="sans", font_size=9, preamble=gold_preamble(gold))
    pdf = typeset(rows, style, tmp_path / "damaged.pdf")
    printed = raw_text(pdf)  # the text layer holds the ligature and bullet code points themselves
    assert {"\ufb01", "\ufb02", "\uf0b7", "\uf0a7"} <= set(printed)
    assert "improvede" not in printed

    run(pdf, tmp_path / "out", "pdfium", config)

    problems = gold_problems(tmp_path / "out", want)
    assert not problems, "\n".join(problems[:20])
    review = read_csv(tmp_path / "out" / "review.csv")
    got = sorted(
        (r["activity_id"], r["field"], r["detail"]) for r in review if r["kind"] == "footnote_marker"
    )
    assert got == sorted([*notes, objective_note])
    assert len(notes) >= 10
    assert [r for r in review if r["kind"] == "text_outside_table"] == []


def test_chromium_printed_ligatures_and_sup_markers_come_out_as_the_gold(gold, config, tmp_path):
    """Chromium shapes "fi", "ffi", "fl" into ligature glyphs itself (DejaVu's), and prints <sup>
    5/6 the size and raised: the gold comes out, each marker reviewed."""
    import subprocess

    from test_review_html import BROWSER_FLAGS, find_chromium
    from test_roundtrip_html import plan_html

    browser = find_chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (.ci/install-chromium installs Debian's chromium)")
    printed, notes = copy.deepcopy(gold), []
    for i, row in enumerate(printed["rows"]):
        if i % 4 == 1:
            mark = str(i % 9 + 1)
            row["cells"]["activity"], word = with_marker(row["cells"]["activity"], 1, mark)
            notes.append(note(row["activity_id"], "activity", mark, word))
        if i % 5 == 2 and WORD.search(row["cells"]["indicator"]):
            row["cells"]["indicator"], word = with_marker(row["cells"]["indicator"], 0, "a")
            notes.append(note(row["activity_id"], "indicator", "a", word))
    page = tmp_path / "plan.html"
    page.write_text(SUPERSCRIPT.sub(r"<sup>\1</sup>", plan_html(printed)), encoding="utf-8")
    pdf = tmp_path / "plan.pdf"
    cmd = [browser, *BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
           f"--print-to-pdf={pdf}", page.as_uri()]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0 and pdf.exists(), proc.stderr[-2000:]
    assert {"\ufb01", "\ufb03"} <= set(raw_text(pdf))  # the browser printed ligature glyphs

    run(pdf, tmp_path / "out", "pdfium", config)

    problems = gold_problems(tmp_path / "out", gold)
    assert not problems, "\n".join(problems[:20])
    review = read_csv(tmp_path / "out" / "review.csv")
    got = sorted(
        (r["activity_id"], r["field"], r["detail"]) for r in review if r["kind"] == "footnote_marker"
    )
    assert got == sorted(notes)
