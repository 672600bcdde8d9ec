"""The shipped plan typeset with Start | End columns and budget columns: dates and amounts come out exact.

Each gold row's timeline is printed as a Start and an End cell, in the period forms plans use ("Q3
2019", "III quarter 2019", "2019 Q3", "07.2019", "July 2019", "2019", ...), sometimes one side only;
the expected ISO dates are worked out here by hand from what was printed (first day of the start's
period, last day of the end's). Budget columns carry amounts in one decimal convention per
document; the expected numbers and currencies are written out beside the printed text. Each
layout is typeset by reportlab and by fpdf2 (one also as HTML printed by headless Chromium) and
compared field by field.
"""

from __future__ import annotations

import copy
import dataclasses
import html
import json
import sqlite3
from datetime import date

import pytest
from goldcheck import gold_problems, read_csv
from test_roundtrip_html import COLLAPSE, CSS, print_pdf
from typeset import Row, Style, typeset
from typeset.gold import gold_preamble, gold_rows

from nap.pipeline import run
from publish.tables import standard_columns
from publish.validate import validate_folder

MONTHS = ["January", "February", "March", "April", "May", "June",
          "July", "August", "September", "October", "November", "December"]  # fmt: skip
ROMAN = ["I", "II", "III", "IV"]
ORDINAL = ["1st", "2nd", "3rd", "4th"]
EN_DASH = " \u2013 "


def leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_end(year: int, month: int) -> date:
    days = [31, 29 if leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, days)


def period_forms(day: date) -> list[tuple[str, date, date]]:
    """Ways to print the period holding `day`: (text, its first day, its last day)."""
    y, m = day.year, day.month
    q, h = (m - 1) // 3 + 1, (m - 1) // 6 + 1
    quarter = (date(y, 3 * q - 2, 1), month_end(y, 3 * q))
    month = (date(y, m, 1), month_end(y, m))
    return [
        (f"Q{q} {y}", *quarter),
        (f"{ROMAN[q - 1]} quarter {y}", *quarter),
        (f"{y} Q{q}", *quarter),
        (f"{m:02d}.{y}", *month),
        (f"{MONTHS[m - 1]} {y}", *month),
        (f"{y}", date(y, 1, 1), date(y, 12, 31)),
        (f"{ORDINAL[q - 1]} quarter {y}", *quarter),
        (f"Quarter {q}, {y}", *quarter),
        (f"{ROMAN[h - 1]} half {y}", date(y, 6 * h - 5, 1), month_end(y, 6 * h)),
    ]


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def start_end(index: int, start: date, end: date, one_cell: bool) -> tuple[str, str, dict]:
    """Row `index`'s Start and End texts for a gold span, and the timeline expected from them.

    Every 11th row prints only its End, every 13th only its Start; the others both, each side in a
    form of its own (the two sides' forms run through the list at different speeds). In Start and
    End columns a side printed alone dates only its side; alone in a timeline cell it is the period."""
    s_text, s_first, s_last = period_forms(start)[index % 9]
    e_text, e_first, e_last = period_forms(end)[(index * 2 + 4) % 9]
    if index % 11 == 5:
        return "", e_text, {"text": e_text, "start": iso(e_first if one_cell else None), "end": iso(e_last)}
    if index % 13 == 7:
        return s_text, "", {"text": s_text, "start": iso(s_first), "end": iso(s_last if one_cell else None)}
    return s_text, e_text, {"text": s_text + EN_DASH + e_text, "start": iso(s_first), "end": iso(e_last)}


def dated(rows: list[Row], gold: dict, one_cell: bool) -> tuple[list[Row], dict]:
    """Rows printing each timeline as Start and End cells (or both in the one timeline cell, as
    "START – END"), and the gold with the timelines expected."""
    want = copy.deepcopy(gold)
    out = []
    for i, (row, g) in enumerate(zip(rows, want["rows"], strict=True)):
        span = date.fromisoformat(g["timeline"]["start"]), date.fromisoformat(g["timeline"]["end"])
        start, end, g["timeline"] = start_end(i, *span, one_cell)
        sides = {"timeline": g["timeline"]["text"]} if one_cell else {"start": start, "end": end}
        cells = {k: v for k, v in row.cells.items() if k != "timeline"} | sides
        out.append(dataclasses.replace(row, cells=cells))
    return out, want


# Budget cells, cycled over the rows: printed text -> (amount expected in activities.csv, currency
# the cell names); a cell naming none takes the currency its column's header names, if any.
COMMA_DECIMAL = {  # a plan printing "15.000,50": the comma is its decimal mark
    "15.000,50": ("15000.5", ""),
    "120 000": ("120000", ""),
    "GEL 7.500": ("7500", "GEL"),
    "N/A": ("", ""),
    "Within the agency's budget": ("", ""),
    "240,9": ("240.9", ""),
    "1.500": ("1500", ""),
    "5 000 lari": ("5000", "GEL"),
    "about 5.000": ("", ""),  # digits that are not one amount: reported
}
POINT_DECIMAL = {  # "1,500.50": the point is the decimal mark; no currency in the header
    "15,000 EUR": ("15000", "EUR"),
    "\u20ac 2,500": ("2500", "EUR"),
    "$1,200.75": ("1200.75", "USD"),
    "Not required": ("", ""),
    "75,000": ("75000", ""),
    "State budget": ("", ""),
    "1,500.50": ("1500.5", ""),
    "15,000 EUR per year": ("", ""),  # reported
}
UNREAD = {"about 5.000", "15,000 EUR per year"}
RESOURCES = {  # no amount header: a column of money by its cells
    "10,000 GEL": ("10000", "GEL"),
    "25 500 GEL": ("25500", "GEL"),
    "Existing": ("", ""),
    "Php 150000": ("150000", "PHP"),
}
FUNDING = ["State budget", "Donor funding", "Existing, new and donor"]  # text: no amount columns


def cycle(rows: list[Row], values: dict[str, list[str]]) -> list[Row]:
    return [
        dataclasses.replace(r, cells={**r.cells, **{k: v[i % len(v)] for k, v in values.items()}})
        for i, r in enumerate(rows)
    ]


BODY = [("activity", "Activity"), ("responsible", "Responsible Agency"), ("partner", "Partners"),
        ("indicator", "Indicator")]  # fmt: skip
LAYOUTS = {
    "start-end-gel-comma": (
        [
            *BODY,
            ("start", "Start"),
            ("end", "End"),
            ("budget_gel", "Budget (GEL)"),
            ("source_of_funding", "Source of Funding"),
        ],  # fmt: skip
        {"budget_gel": (COMMA_DECIMAL, "GEL")},
        ",",
    ),
    "dates-cost-point": (
        [
            ("number", "No."),
            *BODY,
            ("start", "Starting date"),
            ("end", "Completion date"),
            ("estimated_cost", "Estimated cost"),
            ("resources", "Resources"),
            ("funding_source", "Funding source"),
        ],
        {"estimated_cost": (POINT_DECIMAL, ""), "resources": (RESOURCES, "")},
        ".",
    ),
    "timeframe-budget-comma": (
        [*BODY, ("timeline", "Implementation Timeframe"), ("budget", "Budget"), ("comment", "Comment")],
        {"budget": (COMMA_DECIMAL, "")},
        ",",
    ),  # fmt: skip
}
PRODUCERS = ["reportlab", "fpdf2"]
CHROMIUM_LAYOUTS = ["dates-cost-point"]  # also printed from HTML by headless Chromium


def printed_rows(rows: list[Row], columns: list[tuple[str, str]], money: dict) -> list[Row]:
    fields = [f for f, _ in columns]
    values = {name: list(table) for name, (table, _) in money.items()}
    values |= {f: FUNDING for f in fields if f in ("source_of_funding", "funding_source", "comment")}
    rows = cycle(rows, values)
    if "number" in fields:  # the number in its own column: the activity cell prints the bare title
        rows = [
            dataclasses.replace(r, cells={k: v for k, v in r.cells.items() if k != "activity"}) for r in rows
        ]
    return rows


GOAL_LABEL, OBJECTIVE_LABEL = "Strategic Goal {id}: {title}", "Objective {id}: {title}"


def plan_html(rows: list[Row], columns: list[tuple[str, str]], preamble: list[str]) -> str:
    """The rows as an HTML table with goal and objective section rows, as a browser prints them."""
    e, width = html.escape, len(columns)
    body, goal, objective = [], None, None
    for r in rows:
        if r.goal_id != goal:
            goal = r.goal_id
            body.append(
                f'<tr><td colspan="{width}">{e(GOAL_LABEL.format(id=r.goal_id, title=r.goal))}</td></tr>'
            )
        if r.objective_id != objective:
            objective = r.objective_id
            text = OBJECTIVE_LABEL.format(id=r.objective_id, title=r.objective)
            body.append(f'<tr><td colspan="{width}">{e(text)}</td></tr>')
        texts = {"number": r.activity_id, "activity": r.activity if "number" in dict(columns) else
                 f"{r.activity_id} {r.activity}"}  # fmt: skip
        body.append(
            "<tr>" + "".join(f"<td>{e(texts.get(f, r.cells.get(f, '')))}</td>" for f, _ in columns) + "</tr>"
        )
    head = "".join(f"<th>{e(h)}</th>" for _, h in columns)
    lines = "".join(f'<p style="text-align:center">{e(p)}</p>' for p in preamble)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{CSS}\n{COLLAPSE[True]}</style></head>'
        f"<body>{lines}<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>"
    )


@pytest.fixture(
    scope="module",
    params=[(name, p) for name in LAYOUTS for p in PRODUCERS] + [(n, "chromium") for n in CHROMIUM_LAYOUTS],
    ids=lambda x: "-".join(x),
)
def extracted(request, gold, config, tmp_path_factory):
    name, producer = request.param
    columns, money, mark = LAYOUTS[name]
    one_cell = "timeline" in dict(columns)
    rows, want = dated(gold_rows(gold), gold, one_cell)
    printed = printed_rows(rows, columns, money)
    tmp = tmp_path_factory.mktemp(f"{name}-{producer}")
    if producer == "chromium":
        pdf = print_pdf(plan_html(printed, columns, gold_preamble(gold)), tmp)
    else:
        style = Style(producer=producer, font="sans", font_size=7, columns=columns, header_repeat=True,
                      widths={"timeline": 90}, structure="sections", goal_label=GOAL_LABEL,
                      objective_label=OBJECTIVE_LABEL, preamble=gold_preamble(gold))  # fmt: skip
        pdf = typeset(printed, style, tmp / f"{name}.pdf")
    plan = run(pdf, tmp / "out", "pdfium", config)
    return plan, tmp / "out", printed, want, columns, money, mark


def test_rows_dates_and_agencies_come_out_as_printed(extracted):
    _, out, _, want, *_ = extracted
    problems = gold_problems(out, want)
    assert not problems, "\n".join(problems[:20])


def test_amount_columns_follow_their_column_with_number_and_currency(extracted):
    plan, out, printed, _, columns, money, mark = extracted
    extra = [f for f, _ in columns if f not in {"number", "start", "end", "timeline", *dict(BODY)}]
    expected_header = [c for f in extra for c in ([f, f"{f}_amount", f"{f}_currency"] if f in money else [f])]
    acts = read_csv(out / "activities.csv")
    assert list(acts[0])[len(standard_columns("activities")) :] == expected_header
    for row, act in zip(printed, acts, strict=True):
        for f in extra:
            assert act[f] == row.cells[f]
            if f in money:
                table, header_currency = money[f]
                amount, currency = table[row.cells[f]]
                expected = (amount, currency or (header_currency if amount else ""))
                assert (act[f"{f}_amount"], act[f"{f}_currency"]) == expected, (f, row.cells[f])
    assert plan.decimal_mark == mark


def test_review_reports_unread_amounts_and_one_sided_timelines_only(extracted):
    _, out, printed, want, columns, money, _ = extracted
    review = read_csv(out / "review.csv")
    amounts = [(r["activity_id"], r["field"], r["detail"]) for r in review if r["kind"] == "amount"]
    assert amounts == [
        (row.activity_id, f, f"unparsed amount: {row.cells[f]}")
        for row in printed
        for f in money
        if row.cells[f] in UNREAD
    ]
    assert len(amounts) >= 5
    one_sided = [(r["activity_id"], r["field"], r["detail"]) for r in review if r["kind"] == "timeline"]
    expected = [  # the flag sits on the cell that was printed
        (g["activity_id"], "end", "no start printed")
        if g["timeline"]["start"] is None
        else (g["activity_id"], "start", "no end printed")
        for g in want["rows"]
        if g["timeline"]["start"] is None or g["timeline"]["end"] is None
    ]
    assert one_sided == expected
    assert len(expected) == (0 if "timeline" in dict(columns) else 9)  # in one cell, every period parses


def test_start_and_end_cells_keep_their_provenance_and_are_not_extra_columns(extracted):
    plan, out, printed, *_ = extracted
    header = list(read_csv(out / "activities.csv")[0])
    assert not {"start", "end"} & set(header)
    for row, act in zip(printed, plan.activities(), strict=True):
        assert ("timeline" in act.provenance) == ("timeline" in row.cells)
        for side in ("start", "end"):
            printed_side = row.cells.get(side, "")
            assert (side in act.provenance) == bool(printed_side)
            assert act.cells.get(side, "") == printed_side
            assert side not in act.extra


def test_amount_columns_are_typed_in_the_package_the_database_and_validate(extracted):
    _, out, _, _, _, money, mark = extracted
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f["type"] for f in package["resources"][0]["schema"]["fields"]}
    for f in money:
        assert (fields[f], fields[f"{f}_amount"], fields[f"{f}_currency"]) == ("string", "number", "string")
    with sqlite3.connect(out / "plan.sqlite") as con:
        types = {r[1]: r[2] for r in con.execute("PRAGMA table_info(activities)")}
        total = con.execute(f"SELECT sum({next(iter(money))}_amount) FROM activities").fetchone()[0]
    assert all(types[f"{f}_amount"] == "REAL" for f in money)
    acts = read_csv(out / "activities.csv")
    first = next(iter(money))
    assert total == pytest.approx(sum(float(a[f"{first}_amount"]) for a in acts if a[f"{first}_amount"]))
    assert validate_folder(out) == []
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert {",": "decimal mark is a comma", ".": "decimal mark is a point"}[mark] in readme
