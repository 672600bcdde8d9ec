"""The shipped plan typeset as lightly ruled tables: only horizontal rules, the "booktabs" look, or
shaded header and section rows with no rule at all. No vertical rule anywhere, so the ruled
engine finds no table: the stream structure must find the columns from the header and the text's
alignment, and the rows from the rules or the text lines, on every page, with no profile.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess

import pytest
from goldcheck import gold_problems, read_csv
from test_review_html import BROWSER_FLAGS, find_chromium
from test_roundtrip_gold import BODY, MERGED_NUMBER, SECTIONS, TASKS, plain
from test_roundtrip_html import plan_html
from typeset import Row, Style, layout_for, typeset
from typeset.gold import gold_preamble, gold_rows

from extract.char import Char
from extract.stream import Line, bands, crosses, page_lines, separators
from nap.pipeline import run

NUMBERED = [("number", "No."), *BODY]

VARIANTS = {
    "horizontal-merged-reportlab-a4-once": (lambda r: r, Style(rules="horizontal")),
    "horizontal-merged-number-fpdf2-letter-portrait-repeat-rects-open": (
        plain,
        Style(
            rules="horizontal",
            producer="fpdf2",
            page_size="Letter",
            landscape=False,
            font_size=7.5,
            columns=MERGED_NUMBER,
            widths={"goal": 80, "number": 44, "timeline": 66},
            header_repeat=True,
            borders="rects",
            open_breaks=True,
            margins=30,
        ),
    ),
    "horizontal-sections-fpdf2-letter-tasks-open": (
        plain,
        Style(
            rules="horizontal",
            producer="fpdf2",
            page_size="Letter",
            font="sans",
            font_size=9,
            columns=BODY,
            open_breaks=True,
            **TASKS,
        ),
    ),  # fmt: skip
    "booktabs-merged-reportlab-a4-repeat": (
        lambda r: r,
        Style(rules="booktabs", font="sans", font_size=9, header_repeat=True),
    ),
    "booktabs-sections-fpdf2-letter-portrait-repeat-rects": (
        plain,
        Style(
            rules="booktabs",
            producer="fpdf2",
            page_size="Letter",
            landscape=False,
            font="sans",
            font_size=8,
            columns=BODY,
            header_repeat=True,
            borders="rects",
            **SECTIONS,
        ),
    ),  # fmt: skip
    "booktabs-merged-fpdf2-a4-once": (lambda r: r, Style(rules="booktabs", producer="fpdf2")),
    "shaded-sections-number-reportlab-a4-once": (
        plain,
        Style(rules="shaded", columns=NUMBERED, **SECTIONS),
    ),
    "shaded-sections-fpdf2-letter-portrait-repeat": (
        plain,
        Style(
            rules="shaded",
            producer="fpdf2",
            page_size="Letter",
            landscape=False,
            font_size=8,
            columns=BODY,
            header_repeat=True,
            **SECTIONS,
        ),
    ),  # fmt: skip
    "shaded-sections-reportlab-a4-portrait-tasks": (
        plain,
        Style(rules="shaded", landscape=False, font="sans", font_size=7, columns=BODY, **TASKS),
    ),
}


def structures(out) -> list[str]:
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    return [s["structure"] for s in plan["structures"]]


@pytest.fixture(scope="module")
def gold_plan(gold):
    return gold_rows(gold), gold_preamble(gold)


def typeset_variant(name: str, gold_plan, tmp_path):
    make_rows, style = VARIANTS[name]
    rows, preamble = gold_plan
    return typeset(make_rows(rows), dataclasses.replace(style, preamble=preamble), tmp_path / f"{name}.pdf")


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_lightly_ruled_variant_comes_out_as_the_gold(name, gold, gold_plan, config, tmp_path):
    pdf = typeset_variant(name, gold_plan, tmp_path)
    plan = run(pdf, tmp_path / "out", "pdfium", config)
    problems = gold_problems(tmp_path / "out", gold)
    assert not problems, f"{name}:\n" + "\n".join(problems[:20])
    assert structures(tmp_path / "out") == ["stream"] * plan.source.pages
    assert plan.preamble[: len(gold_plan[1])] == gold_plan[1]
    # grouping a row's text lines is no repair: nothing about it in the review file
    noise = [
        r for r in plan.review if r.kind in ("unnumbered_row_merged", "unnumbered_cell", "unrecognised_row")
    ]
    assert noise == []


@pytest.mark.parametrize(
    ("engine", "name"),
    [
        ("pdfplumber", "booktabs-sections-fpdf2-letter-portrait-repeat-rects"),
        ("camelot", "shaded-sections-number-reportlab-a4-once"),
    ],
)
def test_every_engine_falls_back_to_the_stream_structure(engine, name, gold, gold_plan, config, tmp_path):
    pdf = typeset_variant(name, gold_plan, tmp_path)
    plan = run(pdf, tmp_path / "out", engine, config)
    assert gold_problems(tmp_path / "out", gold) == []
    assert structures(tmp_path / "out") == ["stream"] * plan.source.pages


def test_a_fully_ruled_table_keeps_the_lattice_structure(default_run):
    out, plan = default_run
    assert structures(out) == ["lattice"] * plan.source.pages


def test_chromium_table_with_bottom_borders_only_comes_out_as_the_gold(gold, config, tmp_path):
    """An HTML table styled with `border-bottom` alone: no rule over the header, the header
    repeated by the browser on every page, rowspan goal and objective cells ruled only where they end."""
    browser = find_chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (.ci/install-chromium installs Debian's chromium)")
    page = tmp_path / "plan.html"
    bordered = "border: 0.75px solid #000;"
    html = plan_html(gold, collapse=True)
    assert bordered in html
    page.write_text(html.replace(bordered, f"border: none; border-bottom: {bordered[8:]}"), encoding="utf-8")
    pdf = tmp_path / "plan.pdf"
    cmd = [browser, *BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
           f"--print-to-pdf={pdf}", page.as_uri()]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    assert proc.returncode == 0 and pdf.exists(), proc.stderr[-2000:]
    plan = run(pdf, tmp_path / "out", "pdfium", config)
    assert plan.source.pages > 1
    assert gold_problems(tmp_path / "out", gold) == []
    assert structures(tmp_path / "out") == ["stream"] * plan.source.pages


# ---------------------------------------------------------------- headings one under the other

ONE_LINE_GOAL = "Prevention of trafficking in human beings through awareness raising and training"
WRAPPED_GOAL = " ".join(["Protection and assistance of victims and of statutory victims"] * 4)


def stacked_headings() -> list[Row]:
    """A one-line goal heading right above a short objective heading (which fits in the first
    column), and a goal heading wrapped over several lines above another short one."""
    rows = []
    for g, goal in (("1", ONE_LINE_GOAL), ("2", WRAPPED_GOAL)):
        for o, objective in (("1", "SOPs set"), ("2", "Shelters opened")):
            aid = f"{g}.{o}.1"
            cells = {"responsible": "Ministry of Justice", "partner": "IOM", "indicator": "Trainings held",
                     "timeline": "2019"}  # fmt: skip
            rows.append(Row(g, goal, f"{g}.{o}", objective, aid, f"Training {aid}", cells))
    return rows


@pytest.mark.parametrize("producer", ["reportlab", "fpdf2"])
@pytest.mark.parametrize("rules", ["horizontal", "booktabs", "shaded"])
def test_a_short_objective_heading_under_a_goal_heading_is_not_part_of_the_goal(
    rules, producer, config, tmp_path
):
    """Regression: the one-column objective heading printed right under a one-line goal heading
    was read as the goal's wrapped last line ("<goal> 1.1 SOPs set", objective empty)."""
    rows = stacked_headings()
    labels = {"goal_label": "{id}. {title}", "objective_label": "{id} {title}"}
    style = Style(rules=rules, producer=producer, page_size="Letter", font_size=8.5, columns=BODY,
                  structure="sections", **labels)  # fmt: skip
    pdf = typeset(rows, style, tmp_path / "plan.pdf")
    run(pdf, tmp_path / "out", "pdfium", config)
    got = [(r["activity_id"], r["goal_id"], r["goal"], r["objective_id"], r["objective"])
           for r in read_csv(tmp_path / "out" / "activities.csv")]  # fmt: skip
    assert got == [(r.activity_id, r.goal_id, r.goal, r.objective_id, r.objective) for r in rows]


def tall_rows(n: int) -> list[Row]:
    """Objectives of two activities each, activity cells over half a page tall and short other cells:
    a page holds a heading, a row, and the short cells of the next row at its foot."""
    words = ["Training", "of", "judges", "prosecutors", "and", "police", "officers", "on", "victims"]
    rows = []
    for k in range(n):
        activity = " ".join((words[k % 7 :] + words[: k % 7]) * 19)
        cells = {"responsible": "Ministry of Justice", "partner": "IOM", "indicator": "Trainings held",
                 "timeline": f"Q{k % 4 + 1} 2019"}  # fmt: skip
        o, a = (i + 1 for i in divmod(k, 2))
        rows.append(Row("1", "Prevention", f"1.{o}", f"Objective {o}", f"1.{o}.{a}", activity, cells))
    return rows


@pytest.mark.parametrize("producer", ["reportlab", "fpdf2"])
def test_a_page_foot_fragment_under_a_rule_starts_the_next_row_between_headings(producer, config, tmp_path):
    """Regression: rules part the rows, but no two neighbouring regions between rules held text in
    two columns or more (a heading between rows; a row whose other cells printed at the foot of the
    page before, in its activity column only; the next row's fragment in some columns only): the
    page was read as text bands, and the fragment under the last rule at the page's foot was joined
    to the row above (its agencies and timeline doubled, the next row's empty)."""
    rows = tall_rows(6)
    style = Style(rules="horizontal", producer=producer, page_size="Letter", landscape=False, font_size=9,
                  columns=BODY, split_rows="fragment", open_breaks=True, **SECTIONS)  # fmt: skip
    assert layout_for(rows, style).fragment_rows, "the layout must print some rows as page-foot fragments"
    pdf = typeset(rows, style, tmp_path / "plan.pdf")
    run(pdf, tmp_path / "out", "pdfium", config)
    got = [(r["activity_id"], r["objective_id"], r["timeline"], r["responsible"])
           for r in read_csv(tmp_path / "out" / "activities.csv")]  # fmt: skip
    assert got == [(r.activity_id, r.objective_id, r.cells["timeline"], r.cells["responsible"]) for r in rows]


# ---------------------------------------------------------------- column gaps on small char sets


def word(text: str, x0: float, top: float, size: float = 10.0, advance: float = 5.0) -> list[Char]:
    """The chars of a word printed from x0, each `advance` wide."""
    return [
        Char(c, x0 + i * advance, x0 + (i + 1) * advance, top, top + size, size) for i, c in enumerate(text)
    ]


def printed(*words: tuple[str, float, float]) -> list[Line]:
    return page_lines([c for text, x0, top in words for c in word(text, x0, top)])


def test_separators_fall_where_the_next_column_starts_not_in_the_middle_of_the_gap():
    header = printed(("Activity", 10, 0), ("Agency", 110, 0), ("Year", 210, 0))
    # body text of the first column reaches 90 on this page, of the second 160; the next columns
    # start at 110 and 210: a separator half a font size before each
    body = printed(("Training", 10, 20), ("judges", 60, 20), ("Ministry", 110, 20), ("2019", 210, 20))
    seps = separators(header, body, 5, 300)
    assert seps == [5, 105, 205, 300]


def test_a_wrapped_header_cell_is_one_column():
    header = printed(("Responsible", 10, 0), ("Year", 100, 0), ("agency", 10, 12))
    assert len(separators(header, [], 5, 200)) == 3  # two columns, not three


def test_a_heading_crosses_the_gaps_an_overflowing_word_does_not():
    seps = [0.0, 100.0, 200.0, 300.0]
    (heading,) = printed(("Strategic", 5, 0), ("Goal", 52, 0), ("1:", 75, 0), ("Prevention", 87, 0))
    assert crosses(heading, seps)
    (overflow,) = printed(("Developmentt", 42, 0))  # 42..102: two points past the separator
    assert not crosses(overflow, seps)
    (columns,) = printed(("Training", 5, 0), ("Ministry", 105, 0), ("2019", 205, 0))
    assert not crosses(columns, seps)


def test_a_full_width_heading_does_not_move_the_separators():
    """Regression: a heading line running across the columns (to just before the last column's
    text) filled the gaps between header cells, so the last separator went where the heading
    ends, hard against the last column's text: its cells lost their left padding, and an indicator
    there read a wrapped line as a typed break."""
    header = printed(("Activity", 10, 0), ("Agency", 110, 0), ("Year", 210, 0))
    heading = page_lines(word("Goal 1 Protection and assistance of victims in all", 10, 20, advance=3.9))
    assert heading[0].phrases[0][1] > 200  # one phrase, from the first column to the last one's text
    body = printed(("Training", 10, 40), ("Ministry", 110, 40), ("2019", 210, 40))
    assert separators(header, heading + body, 5, 300) == [5, 105, 205, 300]


def test_a_merged_columns_line_grazing_the_next_rows_first_line_does_not_join_the_two_rows():
    """Regression: a merged goal cell's text runs on at its own pitch; its last line over one row
    reached a point into the next row's first line (loose glyph boxes), which chained the two rows
    into one band, and the second row's number was read as more of the first row."""
    size = 8.0

    def line(top: float, x0: float) -> Line:
        return Line(top, top + 1.12 * size, size, [(x0, x0 + 40)], "text")

    goal_line, next_row = line(296.6, 40), line(304.6, 430)
    level_enough = line(306.0, 600)  # a cell's line a point and a half lower: the same band
    assert bands([goal_line, next_row, level_enough]) == [[goal_line], [next_row, level_enough]]
