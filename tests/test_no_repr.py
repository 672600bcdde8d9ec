"""No Python `repr` in what nap writes or says (issue #12): values are quoted one way, `quoted`.

review.csv of every test document carries no `\\'` escape and no '...'-quoted value; details quote
texts with apostrophes and double quotes as printed; and on a terminal the summary line starts a
line of its own once the progress bar is gone.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import documents
from documents import DOCUMENTS, SHIPPED

import nap.cli
from extract import DEFAULT_ENGINE
from normalize.agencies import split_agencies
from normalize.plan import Config
from normalize.registry import Resolution
from schema.names import quoted

ROOT = Path(__file__).resolve().parent.parent
# a value between single quotes that no letter touches: "'Council;'" (an apostrophe inside or at
# the end of a word, "Prosecutor's", "Prosecutors' Office", is none)
SINGLE_QUOTED = re.compile(r"(?<!\w)'(?:[^'\n]|\b'\b)*'(?!\w)")


# ---------------------------------------------------------------- the helper


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Council;", '"Council;"'),
        ("The General Prosecutor's Office", '"The General Prosecutor\'s Office"'),  # no \' escape
        ('LELP "Training center"', '"LELP "Training center""'),  # inner double quotes as printed
        ("C:\\plans\\nap", '"C:\\plans\\nap"'),  # one backslash stays one
        ("line one\nline two", '"line one\\nline two"'),  # the detail stays one line
        ("tab\there", '"tab\\there"'),
        ("", '""'),
        ("ქართული – “curly”", '"ქართული – “curly”"'),  # printable letters as they are
    ],
)
def test_quoted_wraps_the_text_as_printed_in_double_quotes(text: str, shown: str) -> None:
    assert quoted(text) == shown
    assert "\n" not in quoted(text) and "\\'" not in quoted(text)


def test_quoted_reads_back_through_csv_as_written() -> None:
    """A CSV writer doubles the inner quotes in the file; a reader shows the detail back as built."""
    note, mention = 'LEPL "Academy"', "Prosecutor's Office"
    detail = f"note {quoted(note)} on {quoted(mention)}"
    buf = io.StringIO()
    csv.writer(buf).writerows([["detail"], [detail]])
    assert '""Academy""' in buf.getvalue()  # doubled in the file
    assert list(csv.reader(io.StringIO(buf.getvalue())))[1] == [detail]


# ---------------------------------------------------------------- details built from awkward texts


def test_review_details_quote_apostrophes_and_double_quotes_as_printed() -> None:
    mention = 'The Prosecutor\'s "Special" Unit'
    [finding] = Resolution(links=[]).review(mention, "leading")
    assert finding.detail.startswith(f"{quoted(mention)} (leading) matches no registry entry")
    assert not repr_artefacts(finding.detail)

    config = Config.load()
    text = "Public Defender of Georgia (is requested to monitor the 'shelters')"
    _, repairs = split_agencies(text, "partner", config.layout, config.registry)
    assert repairs and all(not repr_artefacts(r.detail, text) for r in repairs)
    assert any(quoted("is requested to monitor the 'shelters'") in r.detail for r in repairs)


# ---------------------------------------------------------------- review.csv of the test documents


def repr_artefacts(detail: str, printed: str = "") -> list[str]:
    """Python-repr traces in a detail: a `\\'` escape, a '...'-quoted value; either counts only
    where the document did not print it so (`printed`: every text of the document)."""
    found = ["\\'"] if "\\'" in detail and "\\'" not in printed else []
    return found + [m for m in SINGLE_QUOTED.findall(detail) if m not in printed]


def printed_texts(plan_json: Path) -> str:
    """Every text of plan.json but the review details: what the document printed, one per line."""
    texts: list[str] = []

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key != "detail":
            texts.append(node)

    walk(json.loads(plan_json.read_text(encoding="utf-8")))
    return "\n".join(texts)


@pytest.mark.parametrize("doc", documents(DOCUMENTS))
def test_review_csv_has_no_python_repr(doc, runs) -> None:
    out, plan = runs(doc, DEFAULT_ENGINE)
    printed = printed_texts(out / "plan.json")
    with (out / "review.csv").open(encoding="utf-8", newline="") as f:
        details = [row["detail"] for row in csv.DictReader(f)]
    assert len(details) == len(plan.review) and details
    wrong = {d: found for d in details if (found := repr_artefacts(d, printed))}
    assert not wrong
    # the texts with an apostrophe are quoted too (the shipped plan has "Prosecutor's Office")
    if doc.name == SHIPPED.name:
        assert any("Prosecutor's Office" in d for d in details)


def test_the_artefact_scan_finds_what_repr_wrote() -> None:
    """The scan above is no test that cannot fail: on details as repr wrote them it finds both."""
    old = "row continues: responsible: 'The General Prosecutor\\'s Office;'; partner: 'organizations'"
    assert {"\\'", "'organizations'"} <= set(repr_artefacts(old))
    unescaped = old.replace("\\'", "'")
    assert repr_artefacts(unescaped) == ["'The General Prosecutor's Office;'", "'organizations'"]
    assert repr_artefacts("the Prosecutors' Office and the Prosecutor's Office") == []


# ---------------------------------------------------------------- the summary line on a terminal


class RecordingReporter:
    def __init__(self) -> None:
        self.events: list[str] = []

    @contextmanager
    def document(self, name: str):
        self.events.append("bar shown")
        yield None
        self.events.append("bar cleared")


def test_run_tasks_hands_each_outcome_over_once_its_bar_is_cleared(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(nap.cli, "run_task", lambda task, config, on_page: "outcome")
    report = RecordingReporter()
    tasks = [nap.cli.Task(SHIPPED.pdf, tmp_path / n, DEFAULT_ENGINE, None) for n in "ab"]
    for _, outcome in nap.cli.run_tasks(tasks, None, 1, report):  # type: ignore[arg-type]
        report.events.append(f"summary of {outcome}")
    assert report.events == ["bar shown", "bar cleared", "summary of outcome"] * 2


def screen(typescript: str) -> list[str]:
    """The lines a terminal shows after `typescript`: text, CR, LF, cursor up, erase line (enough
    for rich's bar); other escape sequences are dropped."""
    lines, row, col = [""], 0, 0
    for token in re.findall(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[^\[]|[\r\n]|[^\x1b\r\n]+", typescript):
        if token == "\r":
            col = 0
        elif token == "\n":
            row += 1
            lines += [""] * (row + 1 - len(lines))
        elif token.endswith("A") and token.startswith("\x1b["):
            row = max(0, row - int(token[2:-1] or 1))
        elif token == "\x1b[2K":
            lines[row] = ""
        elif not token.startswith("\x1b"):
            line = lines[row].ljust(col)
            lines[row] = line[:col] + token + line[col + len(token) :]
            col += len(token)
    return [ln.rstrip() for ln in lines]


@pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) (util-linux) for a terminal")
def test_on_a_terminal_the_summary_starts_its_own_line_after_the_bar(tmp_path) -> None:
    log = tmp_path / "typescript"
    pdf = SHIPPED.pdf.relative_to(ROOT)
    command = shlex.join([sys.executable, "-m", "nap", "extract", str(pdf), "--out", str(tmp_path / "out")])
    done = subprocess.run(
        ["script", "-q", "-e", "-c", command, str(log)],
        cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    typescript = log.read_bytes().decode("utf-8", errors="replace")  # CRs kept as the terminal got them
    assert "━" in typescript  # the bar was drawn: this did run on a terminal
    shown = [ln for ln in screen(typescript) if ln and not ln.startswith("Script ")]
    summary = [ln for ln in shown if " activities, " in ln]
    assert len(summary) == 1 and summary[0].startswith(f"{pdf} -> "), shown
    assert not any("━" in ln for ln in shown), shown  # the bar is gone, not left under the summary
