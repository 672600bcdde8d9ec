"""Each test document's gold typeset again in other layouts, by other producers: the same rows come out.

Each variant changes what other editions and producers change: page size and orientation,
font, producer (reportlab, fpdf2), headings as merged columns or section rows, an activity
number column, a repeated header, renamed and reordered headers, extra columns, borders
drawn as thin rectangles, cells left open over page breaks. No profile, no code change.
"""

from __future__ import annotations

import dataclasses

import pytest
from conftest import documents
from documents import DOCUMENTS
from goldcheck import gold_problems, read_csv
from typeset import Row, Style, typeset
from typeset.gold import gold_preamble, gold_rows

from nap.pipeline import run
from publish.tables import standard_columns

SECTIONS = {
    "structure": "sections",
    "goal_label": "Strategic Goal {id}: {title}",
    "objective_label": "Objective {id}: {title}",
}
TASKS = {"structure": "sections", "goal_label": "Goal {id}. {title}", "objective_label": "Task {id} {title}"}
BODY = [
    ("activity", "Activity"),
    ("responsible", "Responsible Governmental Agency"),
    ("partner", "Partner Organization"),
    ("indicator", "Indicator"),
    ("timeline", "Timeline"),
]
RENAMED = [
    ("activity", "Activities"),
    ("timeline", "Time Frame"),
    ("responsible", "Implementing Agency"),
    ("indicator", "Performance Indicators"),
    ("partner", "Partners"),
    ("source_of_funding", "Source of Funding"),
]
EXTRAS = [("number", "№"), *BODY, ("budget_gel", "Budget (GEL)"), ("status", "Status")]
MERGED_NUMBER = [("goal", "Strategic Goal"), ("objective", "Objective"), ("number", "No."), *BODY]


# An amount column's printed values -> the amount read, and the currency its header "(GEL)" names.
AMOUNTS = {"budget_gel": ({"10,000": "10000", "N/A": "", "25 500": "25500"}, "GEL")}


def with_amounts(extra: list[str]) -> list[str]:
    """The extra columns of activities.csv: each amount column followed by its amount and currency."""
    return [c for f in extra for c in ([f, f"{f}_amount", f"{f}_currency"] if f in AMOUNTS else [f])]


def printed_values(row: Row, extra: list[str]) -> list[str]:
    out = []
    for f in extra:
        out.append(row.cells[f])
        if f in AMOUNTS:
            read, currency = AMOUNTS[f]
            out += [read[row.cells[f]], currency if read[row.cells[f]] else ""]
    return out


def with_extras(rows: list[Row]) -> list[Row]:
    """Rows with deterministic extra-column values, and activity cells built from the labels."""
    values = {
        "source_of_funding": ["State budget", "Donor funding"],
        "budget_gel": ["10,000", "N/A", "25 500"],
        "status": ["Ongoing", "Planned", "Completed"],
    }
    return [
        dataclasses.replace(r, cells={**r.cells, **{k: v[i % len(v)] for k, v in values.items()}})
        for i, r in enumerate(rows)
    ]


def plain(rows: list[Row]) -> list[Row]:
    """Rows whose goal, objective and activity cells are printed from ids and titles by the Style."""
    return [
        dataclasses.replace(
            r, cells={k: v for k, v in r.cells.items() if k not in ("goal", "objective", "activity")}
        )
        for r in rows
    ]


VARIANTS = {
    "letter-portrait-fpdf2-sections-number-rects-open": (
        plain,
        Style(
            producer="fpdf2",
            page_size="Letter",
            landscape=False,
            font="sans",
            font_size=8,
            columns=[("number", "No."), *BODY],
            header_repeat=True,
            borders="rects",
            open_breaks=True,
            **SECTIONS,
        ),
    ),
    "a4-landscape-reportlab-renamed-funding": (
        with_extras,
        Style(
            font="sans",
            font_size=9,
            columns=RENAMED,
            widths={"activity": 170},
            header_repeat=True,
            **SECTIONS,
        ),
    ),
    "a4-portrait-reportlab-tasks-extras": (
        lambda r: plain(with_extras(r)),
        Style(landscape=False, font_size=7, columns=EXTRAS, widths={"budget_gel": 50, "status": 50}, **TASKS),
    ),
    "letter-landscape-reportlab-merged-open": (
        lambda r: r,
        Style(
            page_size="Letter",
            font="sans",
            font_size=9,
            header_repeat=True,
            borders="rects",
            open_breaks=True,
            margins=36,
        ),
    ),
    "a4-portrait-fpdf2-merged-number-open": (
        plain,
        Style(
            producer="fpdf2",
            landscape=False,
            font_size=7.5,
            columns=MERGED_NUMBER,
            widths={"goal": 80, "number": 44, "timeline": 66},
            open_breaks=True,
            margins=30,
        ),
    ),
    "a4-landscape-fpdf2-shipped-look": (lambda r: r, Style(producer="fpdf2", widths={"timeline": 66})),
}


# Documents with a gold of their own (a typeset document prints another's gold: no new rows).
GOLD_DOCUMENTS = [d for d in DOCUMENTS if d.gold and not d.typeset]


@pytest.fixture(scope="module", params=documents(GOLD_DOCUMENTS))
def gold_plan(request):
    """(document, gold, rows, preamble) of each document with a gold of its own."""
    gold = request.param.load_gold()
    return request.param, gold, gold_rows(gold), gold_preamble(gold)


def unresolved(doc, gold: dict) -> int | None:
    """How many of the gold's mentions the document's verified ids leave without an id (None: unknown)."""
    if not doc.agency_ids:
        return None
    ids = doc.load_agency_ids()
    return sum(1 for r in gold["rows"] for a in r["agencies"] if not ids.get(a["mention"]))


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_comes_out_as_the_gold(name, gold_plan, config, tmp_path):
    make_rows, style = VARIANTS[name]
    doc, gold, rows, preamble = gold_plan
    printed = make_rows(rows)
    pdf = typeset(printed, dataclasses.replace(style, preamble=preamble), tmp_path / f"{name}.pdf")
    plan = run(pdf, tmp_path / "out", "pdfplumber", config)
    problems = gold_problems(tmp_path / "out", gold)
    assert not problems, f"{doc.name} {name}:\n" + "\n".join(problems[:20])
    assert plan.preamble[: len(preamble)] == preamble
    extra = [f for f, _ in style.columns if f not in {"goal", "objective", "number", *dict(BODY)}]
    header = list(read_csv(tmp_path / "out" / "activities.csv")[0])
    n = len(standard_columns("activities"))
    assert header[n:] == with_amounts(extra)  # extra columns carried through, in order, with values
    values = [list(r.values())[n:] for r in read_csv(tmp_path / "out" / "activities.csv")]
    assert values == [printed_values(r, extra) for r in printed]
    unmatched = [r for r in read_csv(tmp_path / "out" / "review.csv") if r["kind"] == "unmatched_agency"]
    assert unresolved(doc, gold) in (None, len(unmatched))


@pytest.mark.parametrize(
    "name", ["letter-portrait-fpdf2-sections-number-rects-open", "a4-portrait-fpdf2-merged-number-open"]
)
def test_camelot_engine_on_other_producers(name, gold_plan, config, tmp_path):
    make_rows, style = VARIANTS[name]
    _, gold, rows, preamble = gold_plan
    pdf = typeset(make_rows(rows), dataclasses.replace(style, preamble=preamble), tmp_path / f"{name}.pdf")
    run(pdf, tmp_path / "out", "camelot", config)
    assert gold_problems(tmp_path / "out", gold) == []


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber", "camelot"])
def test_a_row_running_over_several_pages_keeps_every_line(engine, gold, config, tmp_path):
    """Middle pages that a tall cell fills print only the column rules (open breaks, header once)."""
    rows = gold_rows(gold)[:3]
    indicators = [f"Number of trained persons in group {n}" for n in range(1, 121)]
    paragraphs = [f"{i};" for i in indicators[:-1]] + indicators[-1:]
    cells = {**rows[1].cells, "indicator": "; ".join(indicators)}
    long_row = dataclasses.replace(rows[1], cells=cells, paragraphs={"indicator": paragraphs})
    pdf = typeset(
        [rows[0], long_row, rows[2]], Style(producer="fpdf2", open_breaks=True), tmp_path / "tall.pdf"
    )
    plan = run(pdf, tmp_path / "out", engine, config)
    assert plan.source.pages >= 4
    assert plan.activities()[1].indicators == indicators
    assert [r.kind for r in plan.review if r.kind == "text_outside_table"] == []
