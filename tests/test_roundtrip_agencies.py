"""The shipped plan's agencies printed the other ways governments print them: the same mentions come out.

(a) role columns: the gold's mentions re-printed by role in Lead / Supporting / Partner columns, unlabelled,
so each mention's role can only come from its column; (b) one combined "Responsible/Partners" column whose
cell labels every run of mentions ("Responsible: A; B; Supporting: C Partners: D"), labels drawn from the
vocabulary; (c) one "Responsible Agencies (Lead Agency first)" column of unlabelled lists; (d) a lone
"Lead agency" column. Each is typeset by reportlab and by fpdf2 ((a) and (b) also as an HTML table
printed by headless Chromium) and must come out as printed: mentions, columns, roles, notes, the
verified registry ids of every mention, and the cells in activities.csv. No profile, no code change.
"""

from __future__ import annotations

import dataclasses
import html
import itertools

import pytest
from documents import SHIPPED
from goldcheck import gold_problems, outputs, read_csv
from test_roundtrip_html import COLLAPSE, CSS, print_pdf, spans
from typeset import Row, Style, typeset
from typeset.gold import gold_preamble, gold_rows

from nap.pipeline import run
from publish.tables import standard_columns
from publish.validate import validate_folder

ROLES_BY_COLUMN = {"lead": "leading", "supporting": "supporting", "partner": "partner"}
GOAL_COLUMNS = [("goal", "Strategic Goal"), ("objective", "Objective"), ("activity", "Activity")]
TAIL = [("indicator", "Indicator"), ("timeline", "Timeline")]
WIDTHS = {"goal": 60, "objective": 75, "activity": 140, "indicator": 100, "timeline": 55}
# Labels printed before each run of mentions in a combined cell, taken in turn (the plans' own words).
LABELS = {
    "leading": ["Responsible", "Lead", "Implementing", "Leading", "Lead agency"],
    "supporting": ["Supporting", "Co-executors", "Co-implementers", "Supporting institutions"],
    "partner": ["Partners", "In cooperation with", "Partner organizations", "Partner"],
}


def printed_item(agency: dict, row: dict) -> str:
    """A mention with its note, printed as the shipped plan printed it (in parentheses or after it)."""
    if not agency["note"]:
        return agency["mention"]
    original = row["cells"]["responsible"] + " " + row["cells"]["partner"]
    for form in ("{m} ({n})", "{m} {n}"):
        text = form.format(m=agency["mention"], n=agency["note"])
        if text in original:
            return text
    raise AssertionError(f"{row['activity_id']}: note of {agency['mention']!r} not found as printed")


def kept(row: Row) -> dict[str, list[str]]:
    """The row's indicator paragraphs (one indicator a line); agency cells are printed anew."""
    return {k: v for k, v in row.paragraphs.items() if k not in ("responsible", "partner")}


def expect(row: dict, cells: dict[str, str], agencies: list[dict]) -> dict:
    """A gold row whose agency cells and mentions are the ones printed."""
    return {**row, "cells": {**row["cells"], **cells}, "agencies": agencies}


def role_columns(rows: list[Row], gold: dict) -> tuple[list[Row], list[dict]]:
    """(a) Each mention printed unlabelled in the column of its role; the numbering goes lead,
    supporting, partner."""
    printed, want = [], []
    for r, g in zip(rows, gold["rows"], strict=True):
        cells = {c: [a for a in g["agencies"] if a["role"] == role] for c, role in ROLES_BY_COLUMN.items()}
        texts = {c: "; ".join(printed_item(a, g) for a in items) for c, items in cells.items()}
        if not g["agencies"]:
            texts["lead"] = g["cells"]["responsible"]  # "0": no agency
        agencies = [{**a, "column": c} for c, items in cells.items() for a in items]
        printed.append(
            dataclasses.replace(r, cells={**r.cells, "responsible": "", **texts}, paragraphs=kept(r))
        )
        want.append(expect(g, {"responsible": "", "partner": texts["partner"]}, agencies))
    return printed, want


def combined_cell(row: dict, index: int) -> str:
    """(b) "Responsible: A; B; Supporting: C Partners: D": one label per run of one role, the labels
    drawn in turn from LABELS; a new run follows "; " or nothing but a space, alternately."""
    if not row["agencies"]:
        return row["cells"]["responsible"]
    runs = [list(g) for _, g in itertools.groupby(row["agencies"], key=lambda a: a["role"])]
    text = ""
    for k, run_ in enumerate(runs):
        role = run_[0]["role"]
        label = LABELS[role][(index + k) % len(LABELS[role])]
        joint = "" if k == 0 else ("; " if (index + k) % 2 else " ")
        text += f"{joint}{label}: " + "; ".join(printed_item(a, row) for a in run_)
    return text


def combined(rows: list[Row], gold: dict) -> tuple[list[Row], list[dict]]:
    printed, want = [], []
    for i, (r, g) in enumerate(zip(rows, gold["rows"], strict=True)):
        text = combined_cell(g, i)
        agencies = [{**a, "column": "responsible"} for a in g["agencies"]]
        printed.append(
            dataclasses.replace(r, cells={**r.cells, "responsible": text, "partner": ""}, paragraphs=kept(r))
        )
        want.append(expect(g, {"responsible": text, "partner": ""}, agencies))
    return printed, want


def lead_first(rows: list[Row], gold: dict) -> tuple[list[Row], list[dict]]:
    """(c) Every mention in one unlabelled list under "(Lead Agency first)": the first leads, the others
    support."""
    printed, want = [], []
    for r, g in zip(rows, gold["rows"], strict=True):
        text = "; ".join(printed_item(a, g) for a in g["agencies"]) or g["cells"]["responsible"]
        agencies = [
            {**a, "column": "responsible", "role": "leading" if k == 0 else "supporting"}
            for k, a in enumerate(g["agencies"])
        ]
        printed.append(
            dataclasses.replace(r, cells={**r.cells, "responsible": text, "partner": ""}, paragraphs=kept(r))
        )
        want.append(expect(g, {"responsible": text, "partner": ""}, agencies))
    return printed, want


def lone_lead(rows: list[Row], gold: dict) -> tuple[list[Row], list[dict]]:
    """(d) The shipped cells as printed, under "Lead agency" and "Partners": read as they always were."""
    return rows, list(gold["rows"])


ROLE_HEADERS = {
    "reportlab": [("lead", "Lead Agency"), ("supporting", "Supporting Agencies"), ("partner", "Partners")],
    "fpdf2": [
        ("lead", "Responsible Agency (lead)"),
        ("supporting", "Co-implementers"),
        ("partner", "Partner Organizations"),
    ],
}
COMBINED_HEADERS = {"reportlab": "Responsible/Partners", "fpdf2": "Responsible and partners"}

VARIANTS = {
    f"{layout}-{producer}": (make, columns, producer)
    for producer in ("reportlab", "fpdf2")
    for layout, make, columns in [
        ("role-columns", role_columns, ROLE_HEADERS[producer]),
        ("combined", combined, [("responsible", COMBINED_HEADERS[producer])]),
        ("lead-first", lead_first, [("responsible", "Responsible Agencies (Lead Agency first)")]),
        ("lone-lead", lone_lead, [("responsible", "Lead agency"), ("partner", "Partners")]),
    ]
}
WIDE = {"lead": 110, "supporting": 130, "partner": 80, "responsible": 200}


@pytest.fixture(scope="module")
def verified_ids() -> dict[str, list[str]]:
    return SHIPPED.load_agency_ids()


def role_ids(agencies: list[dict], role: str, verified: dict[str, list[str]]) -> str:
    ids = [i for a in agencies if a["role"] == role for i in verified[a["mention"]]]
    return ";".join(dict.fromkeys(ids))


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_agencies_come_out_as_printed(name, gold, config, verified_ids, tmp_path):
    make, columns, producer = VARIANTS[name]
    printed, want = make(gold_rows(gold), gold)
    style = Style(
        producer=producer,
        font_size=7.5,
        columns=[*GOAL_COLUMNS, *columns, *TAIL],
        widths={**WIDTHS, **{f: WIDE[f] for f, _ in columns}},
        header_repeat=producer == "fpdf2",
        preamble=gold_preamble(gold),
        margins=30,
    )
    run(typeset(printed, style, tmp_path / f"{name}.pdf"), tmp_path / "out", "pdfplumber", config)
    assert_as_printed(tmp_path / "out", printed, want, columns, verified_ids, name)


def table_html(printed: list[Row], columns: list[tuple[str, str]]) -> str:
    """The rows as an HTML table with rowspan goal/objective cells, the header repeated by the browser."""
    e, fields = html.escape, [*GOAL_COLUMNS, *columns, *TAIL]
    dicts = [{"goal_id": r.goal_id, "objective_id": r.objective_id} for r in printed]
    span = {"goal": spans(dicts, "goal_id"), "objective": spans(dicts, "objective_id")}
    body = []
    for i, r in enumerate(printed):
        cells = [
            f'<td rowspan="{span[f][i]}">{e(r.cells[f])}</td>' if f in span else f"<td>{e(r.cells[f])}</td>"
            for f, _ in fields
            if f not in span or i in span[f]
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f"<th>{e(h)}</th>" for _, h in fields)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{CSS}\n{COLLAPSE[True]}</style></head>'
        f"<body><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>"
    )


@pytest.mark.parametrize("name", ["role-columns-reportlab", "combined-fpdf2"])
def test_agencies_printed_by_chromium_come_out_as_printed(name, gold, config, verified_ids, tmp_path):
    """The same cells as an HTML table printed to PDF by headless Chromium (its own line breaks)."""
    make, columns, _ = VARIANTS[name]
    printed, want = make(gold_rows(gold), gold)
    run(print_pdf(table_html(printed, columns), tmp_path), tmp_path / "out", "pdfium", config)
    assert_as_printed(tmp_path / "out", printed, want, columns, verified_ids, f"chromium {name}")


def assert_as_printed(out, printed: list[Row], want: list[dict], columns, verified_ids, name: str) -> None:
    """The output folder holds what was printed: gold fields, mentions, verified ids, role cells."""
    problems = gold_problems(out, {"rows": want})
    assert not problems, f"{name}:\n" + "\n".join(problems[:20])
    got = outputs(out)["mentions"]
    wrong = [
        f"{aid} {m['key'][2]!r}: {m['ids']} != {verified_ids[m['key'][2]]}"
        for aid, mentions in got.items()
        for m in mentions.values()
        if m["ids"] != verified_ids[m["key"][2]]
    ]
    assert not wrong, "\n".join(wrong)

    acts = read_csv(out / "activities.csv")
    role_cells = [f for f, _ in columns if f in ("lead", "supporting")]
    # role cells only for a plan that prints them
    assert list(acts[0])[len(standard_columns("activities")) :] == role_cells
    assert [[a[f] for f in role_cells] for a in acts] == [[r.cells[f] for f in role_cells] for r in printed]
    for role in ("leading", "supporting", "partner"):
        column = f"{role}_agency_ids"
        assert [a[column] for a in acts] == [role_ids(w["agencies"], role, verified_ids) for w in want], (
            column
        )
    assert validate_folder(out) == []
    kinds = {r["kind"] for r in read_csv(out / "review.csv")}
    assert not kinds & {"unmatched_agency", "fuzzy_agency_match", "unrecognised_row", "orphan_row"}
