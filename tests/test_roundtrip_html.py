"""The shipped plan as an HTML table printed to PDF by headless Chromium, as HTML-to-PDF
producers make them: rowspan cells, the header repeated on every page, rows reflowed to the
browser's own line breaks (it breaks "2019-2020" after the hyphen). It must come out as the gold.
"""

from __future__ import annotations

import html
import subprocess
from pathlib import Path

import pytest
from goldcheck import gold_problems, read_csv
from helpers import HEADER
from test_review_html import BROWSER_FLAGS, find_chromium

from nap.pipeline import run

CSS = """@page { size: A4 landscape; margin: 15mm; }
body { font-family: sans-serif; font-size: 9pt; }
table { width: 100%; }
td, th { border: 0.75px solid #000; padding: 3px 4px; vertical-align: top; text-align: left; }"""
# Collapsed borders: one rule between cells. Separate borders (the CSS default): each cell keeps
# its own border, 2 px apart, and a cell continued on the next page has an open top.
COLLAPSE = {True: "table { border-collapse: collapse; }", False: "table { border-spacing: 2px; }"}


def spans(rows: list[dict], key: str) -> dict[int, int]:
    """Index of each run's first row -> the run's length (rows sharing the goal/objective)."""
    out, start = {}, 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i][key] != rows[start][key]:
            out[start], start = i - start, i
    return out


def plan_html(gold: dict, collapse: bool = True, keep_activity: bool = False) -> str:
    """The plan as an HTML table. `keep_activity`: each activity cell holds an empty block, then its
    text in a block the browser must not break (`break-inside: avoid`), so that when a row does not
    fit, the activity moves whole to the next page while the other cells print their first lines at
    the foot: the page-foot fragments browsers print."""
    rows, e = gold["rows"], html.escape
    keep = '<div></div><div style="break-inside: avoid">{}</div>' if keep_activity else "{}"
    first = {k: {r[f"{k}_id"]: r["cells"][k] for r in rows if r["cells"][k]} for k in ("goal", "objective")}
    goal_spans, objective_spans = spans(rows, "goal_id"), spans(rows, "objective_id")
    body = []
    for i, r in enumerate(rows):
        cells = (
            [f'<td rowspan="{goal_spans[i]}">{e(first["goal"][r["goal_id"]])}</td>']
            if i in goal_spans
            else []
        )
        if i in objective_spans:
            cells.append(
                f'<td rowspan="{objective_spans[i]}">{e(first["objective"][r["objective_id"]])}</td>'
            )
        cells.append(f"<td>{keep.format(e(r['cells']['activity']))}</td>")
        cells += [f"<td>{e(r['cells'][k])}</td>" for k in ("responsible", "partner", "indicator", "timeline")]
        body.append("<tr>" + "".join(cells) + "</tr>")
    preamble = "".join(f'<p style="text-align:center">{e(p)}</p>' for p in gold["document"]["preamble"])
    head = "".join(f"<th>{e(h)}</th>" for h in HEADER)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{CSS}\n{COLLAPSE[collapse]}</style>'
        f"</head><body>{preamble}"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>"
    )


def print_pdf(page_html: str, tmp_path: Path) -> Path:
    """The page printed to PDF by headless Chromium."""
    browser = find_chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (.ci/install-chromium installs Debian's chromium)")
    page = tmp_path / "plan.html"
    page.write_text(page_html, encoding="utf-8")
    pdf = tmp_path / "plan.pdf"
    cmd = [
        browser,
        *BROWSER_FLAGS,
        f"--user-data-dir={tmp_path / 'profile'}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0 and pdf.exists(), proc.stderr[-2000:]
    return pdf


@pytest.mark.parametrize("collapse", [True, False], ids=["collapsed-borders", "separate-borders"])
def test_chromium_printed_plan_comes_out_as_the_gold(collapse, gold, config, tmp_path):
    pdf = print_pdf(plan_html(gold, collapse), tmp_path)
    plan = run(pdf, tmp_path / "out", "pdfium", config)
    assert plan.source.pages > 1
    problems = gold_problems(tmp_path / "out", gold)
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("collapse", [True, False], ids=["collapsed-borders", "separate-borders"])
def test_rows_chromium_begins_at_a_page_foot_come_out_as_the_gold(collapse, gold, config, tmp_path):
    """Activity cells kept whole: Chromium prints some rows' agencies, indicators and timeline at a
    page's foot and their activity at the next page's top; each such row must come out whole."""
    pdf = print_pdf(plan_html(gold, collapse, keep_activity=True), tmp_path)
    run(pdf, tmp_path / "out", "pdfium", config)
    problems = gold_problems(tmp_path / "out", gold)
    assert not problems, "\n".join(problems[:20])
    acts = {r["activity_id"]: r for r in read_csv(tmp_path / "out" / "activities.csv")}
    downwards = [
        r for r in read_csv(tmp_path / "out" / "review.csv")
        if r["kind"] == "page_break_stitched" and "joined downwards" in r["detail"]
    ]  # fmt: skip
    assert downwards, "Chromium printed no row as a page-foot fragment: the case is not exercised"
    for r in downwards:  # the row starts on the page of its fragment, one page before its number
        assert int(acts[r["activity_id"]]["page_first"]) == int(r["page"]) - 1
