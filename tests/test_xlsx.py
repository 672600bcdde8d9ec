"""plan.xlsx: every table a sheet holding the CSV's values typed by its schema (ids as text), a frozen
header and autofilter, the codebook as a README sheet, native charts, and the same bytes every run."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from publish.origin import origin_of
from publish.outputs import OUTPUTS
from publish.tables import ROLE_VALUES, standard_columns, table_schema
from publish.validate import read_tables, validate_folder
from publish.xlsx import XLSX, workbook_time, xlsx_bytes, xlsx_problems
from schema.models import Plan

TABLE_OUTPUTS = [(o.table, o.name) for o in OUTPUTS if o.table]
CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def out(default_run) -> Path:
    return default_run[0]


@pytest.fixture(scope="module")
def workbook(out):
    return openpyxl.load_workbook(out / XLSX)


def csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return rows[0], rows[1:]


def expected_cell(raw: str, type_: str):
    if raw == "":
        return None
    return {"integer": int, "number": float, "date": date.fromisoformat}.get(type_, str)(raw)


def folder_files(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for _, name in TABLE_OUTPUTS}


def folder_time(out: Path) -> datetime:
    """The workbook's date for a folder: its extraction's date (plan.json's PDF dates, SOURCE_DATE_EPOCH)."""
    return workbook_time(origin_of(Plan.model_validate_json((out / "plan.json").read_bytes())).date)


def render(out: Path) -> bytes:
    tables = [t for t, _ in TABLE_OUTPUTS]
    return xlsx_bytes(folder_files(out), tables, (out / "README.md").read_text(), folder_time(out))


@pytest.mark.parametrize(("table", "name"), TABLE_OUTPUTS)
def test_sheet_holds_the_csv_typed_by_its_schema(out, workbook, table, name):
    header, records = csv_rows(out / name)
    types = {f["name"]: f["type"] for f in table_schema(table, header)["fields"]}
    ws = workbook[table]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0] == header
    assert len(values) == len(records) + 1
    for n, (got, rec) in enumerate(zip(values[1:], records, strict=True), start=2):
        got = [v.date() if isinstance(v, datetime) else v for v in got]
        want = [expected_cell(v, types[c]) for v, c in zip(rec, header, strict=True)]
        assert got == want, f"{table} row {n}"
        for value, column in zip(got, header, strict=True):
            if types[column] == "string" and value is not None:
                assert isinstance(value, str), (table, n, column, value)


@pytest.mark.parametrize(("table", "name"), TABLE_OUTPUTS)
def test_header_frozen_and_filtered_and_columns_sized(out, workbook, table, name):
    header, records = csv_rows(out / name)
    ws = workbook[table]
    assert ws.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(len(header))
    assert ws.auto_filter.ref == f"A1:{last}{len(records) + 1}"
    assert all(ws.cell(1, c).font.b for c in range(1, len(header) + 1))
    widths = [
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, len(header) + 1)
    ]
    assert all(6 <= w <= 60 for w in widths)
    longest = max(range(len(header)), key=lambda i: max(len(r[i]) for r in [header, *records]))
    assert widths[longest] == max(widths)


def test_ids_that_a_number_reader_would_change_stay_text(workbook):
    """The shipped plan has ids such as `5.10` (read as 5.1 by a number reader) and `1.1.1` (a date
    to Excel): the sheets hold them as text, their cells formatted as text."""
    ws = workbook["activities"]
    header = [c.value for c in ws[1]]
    cells = [
        ws.cell(r, header.index(col) + 1)
        for r in range(2, ws.max_row + 1)
        for col in ("objective_id", "activity_id")
    ]
    ids = [c.value for c in cells if c.value]
    assert all(isinstance(v, str) for v in ids)
    assert all(c.number_format == "@" for c in cells)
    assert any(re.fullmatch(r"\d+\.\d+", v) and str(float(v)) != v for v in ids)
    assert any(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in ids)


def test_readme_sheet_is_the_codebook(out, workbook):
    lines = [ln for ln in (out / "README.md").read_text().splitlines() if not re.fullmatch(r"\|(-+\|)+", ln)]
    rows = [[v for v in r if v is not None] for r in workbook["README"].iter_rows(values_only=True)]
    assert len(rows) == len(lines)
    for row, line in zip(rows, lines, strict=True):
        if line.startswith("|"):
            assert "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" == line
        else:
            assert row == ([line] if line else [])


def chart_parts(xml: bytes) -> tuple[str, list[str]]:
    """(bar direction, the cell ranges its series and categories are drawn from) of a chart part."""
    root = ElementTree.fromstring(xml)
    direction = root.find(f".//{{{CHART_NS}}}barDir").get("val")
    return direction, [f.text for f in root.iter(f"{{{CHART_NS}}}f")]


def test_charts_are_native_and_drawn_from_the_data(out, workbook):
    header, records = csv_rows(out / "activity_agencies.csv")
    recs = [dict(zip(header, r, strict=True)) for r in records if r[header.index("agency_id")]]
    pairs = {(r["agency_name"], r["role"], r["activity_id"]) for r in recs}
    counts = Counter((agency, role) for agency, role, _ in pairs)
    agencies = {a for a, _, _ in pairs}
    n = len(agencies) + 1

    with zipfile.ZipFile(out / XLSX) as z:
        charts = [chart_parts(z.read(f)) for f in sorted(z.namelist()) if f.startswith("xl/charts/chart")]
    assert len(charts) == 2
    direction, ranges = charts[0]
    assert direction == "bar"
    assert f"'charts'!$A$2:$A${n}" in ranges
    assert {f"'charts'!${c}$2:${c}${n}" for c in "BCD"} <= set(ranges)
    assert charts[1][0] == "col"

    ws = workbook["charts"]
    assert [c.value for c in ws[1][:4]] == ["agency", *ROLE_VALUES]
    table = [[c.value for c in row[:4]] for row in ws.iter_rows(min_row=2, max_row=n)]
    assert {row[0] for row in table} == agencies
    for row in table:
        assert row[1:] == [counts[row[0], role] for role in ROLE_VALUES]
    leading = [row[1] for row in table]
    assert leading == sorted(leading, reverse=True)

    header, records = csv_rows(out / "activities.csv")
    per_goal = Counter(r[header.index("goal_id")] or "(no goal)" for r in records)
    top = next(r for r in range(n, ws.max_row + 1) if ws.cell(r, 1).value == "goal_id")
    block = [[c.value for c in row[:2]] for row in ws.iter_rows(min_row=top + 1, max_row=top + len(per_goal))]
    assert block == [[goal, k] for goal, k in per_goal.items()]
    assert f"'charts'!$A${top + 1}:$A${top + len(per_goal)}" in charts[1][1]


def test_same_plan_same_bytes_whatever_the_hash_seed(out):
    made = (out / XLSX).read_bytes()
    assert render(out) == made
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
        "from test_xlsx import render; sys.stdout.buffer.write(render(Path(sys.argv[2])))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(REPO / "tests"), str(out)],
        capture_output=True,
        env=env,
        cwd=REPO,
        check=True,
    )
    assert done.stdout == made


def test_dated_by_the_extraction_never_the_clock(out, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    when = folder_time(out)
    assert when > datetime(1980, 1, 1)  # the shipped PDF has its own dates
    with zipfile.ZipFile(out / XLSX) as z:
        assert {i.date_time for i in z.infolist()} == {when.timetuple()[:6]}
        core = z.read("docProps/core.xml").decode()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f">{stamp}</dcterms:created>" in core and f">{stamp}</dcterms:modified>" in core

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")  # 2020-09-13T12:26:40Z
    again = render(out)
    assert again == render(out) != (out / XLSX).read_bytes()
    with zipfile.ZipFile(io.BytesIO(again)) as z:
        assert {i.date_time for i in z.infolist()} == {(2020, 9, 13, 12, 26, 40)}
        assert ">2020-09-13T12:26:40Z</dcterms:modified>" in z.read("docProps/core.xml").decode()


@pytest.mark.parametrize(
    ("iso", "expected"),
    [
        (None, datetime(1980, 1, 1)),
        ("not a date", datetime(1980, 1, 1)),
        ("2019-03-05T10:00:00+04:00", datetime(2019, 3, 5, 6, 0, 0)),
        ("2019-03-05T10:00:00Z", datetime(2019, 3, 5, 10, 0, 0)),
        ("1975-06-01T00:00:00Z", datetime(1980, 1, 1)),  # before what a zip entry can carry
    ],
)
def test_workbook_time(iso, expected):
    assert workbook_time(iso) == expected


def test_text_is_never_a_formula_and_control_characters_are_replaced():
    columns = standard_columns("agencies")
    types = {f["name"]: f["type"] for f in table_schema("agencies", columns)["fields"]}
    texts = iter(["=1+1", "1.1.1", "bell\x07here", "cr\r\nlf", "  padded  ", "5.10", "x", "y", "z"])
    row = ["3" if types[c] == "integer" else next(texts) for c in columns]
    content = (",".join(columns) + "\r\n" + ",".join(f'"{v}"' for v in row) + "\r\n").encode()
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"agencies.csv": content}, ["agencies"], "")))[
        "agencies"
    ]
    got = [c.value for c in ws[2]]
    expect = [
        3 if types[c] == "integer" else v.replace("\x07", "\ufffd").replace("\r", "\ufffd")
        for c, v in zip(columns, row, strict=True)
    ]
    assert got == expect
    assert all(c.data_type == "s" for c, col in zip(ws[2], columns, strict=True) if types[col] != "integer")


def test_validate_finds_a_sheet_that_differs_from_its_csv(out, tmp_path):
    assert not [v for v in validate_folder(out) if v.startswith(XLSX)]
    folder = tmp_path / "copy"
    shutil.copytree(out, folder)
    tables, _ = read_tables(folder)
    assert xlsx_problems(folder, tables) == []

    files = folder_files(folder)
    text = files["activities.csv"].decode()
    header, records = csv_rows(folder / "activities.csv")
    changed = records[4][header.index("activity")]
    files["activities.csv"] = text.replace(changed, changed + " (edited)", 1).encode()
    (folder / XLSX).write_bytes(xlsx_bytes(files, [t for t, _ in TABLE_OUTPUTS], ""))
    problems = [str(v) for v in xlsx_problems(folder, tables)]
    assert problems == [
        "plan.xlsx: sheet activities differs from activities.csv at row 6 (plan.xlsx is out of date)"
    ]

    (folder / XLSX).write_bytes(b"not a zip")
    assert [str(v).split(" (")[0] for v in xlsx_problems(folder, tables)] == ["plan.xlsx: cannot open"]
