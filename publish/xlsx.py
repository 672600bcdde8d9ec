"""plan.xlsx: the CSV tables as one Excel workbook, typed so that Excel reads them as they are meant.

One sheet per CSV table, its cells typed from the table's Table Schema (`publish.tables`): integers
and numbers as numbers, dates as dates, every id and text column as text (so `5.10` stays `5.10` and
`1.1.1` is never a date); a bold, frozen header row, an autofilter and column widths from the
content. A `charts` sheet holds native Excel charts with the small tables they are drawn from, and a
`README` sheet the codebook. The bytes are the same on every run: the workbook's created/modified
dates and the zip entries' times are the extraction's date (`publish.origin`: SOURCE_DATE_EPOCH, else
the PDF's own dates), else 1980-01-01 (the zip format's first day), never the clock. Pure: a function
of the CSV bytes, the codebook and that date. Written by `publish.ooxml` (text, not openpyxl's element
trees: a tenth of the time); read back with openpyxl by `nap validate`.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publish.ooxml import BOLD, PLAIN, TEXT, Cell, Chart, Sheet, workbook_bytes
from publish.tables import ROLE_VALUES, csv_records, file_name, table_schema
from publish.violation import Table, Violation

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

XLSX = "plan.xlsx"
CHARTS_SHEET = "charts"
README_SHEET = "README"
ZIP_EPOCH, ZIP_LAST = datetime(1980, 1, 1), datetime(2107, 12, 31, 23, 59, 58)  # what a zip entry can carry
WIDTH_MIN, WIDTH_MAX = 6, 60  # column widths, in characters
README_WIDTH = 100
NUMERIC = ("integer", "number", "date")  # the types a column holds other than text
# what XML cannot carry: control characters but tab and line feed (a carriage return is read back as a
# line feed), and the non-characters U+FFFE and U+FFFF
ILLEGAL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")

# ---------------------------------------------------------------- cells


def workbook_time(iso: str | None) -> datetime:
    """The workbook's date (naive UTC, within what a zip entry can carry) from an ISO 8601 date;
    the zip epoch when there is none or it does not parse."""
    try:
        when = datetime.fromisoformat(iso) if iso else ZIP_EPOCH
    except ValueError:
        return ZIP_EPOCH
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return min(max(when, ZIP_EPOCH), ZIP_LAST)


def sheet_text(raw: str) -> str:
    """Text as a worksheet can hold it: what XML cannot carry becomes U+FFFD."""
    return ILLEGAL.sub("\ufffd", raw)


def cell_value(raw: str, type_: str) -> Any:
    """A CSV cell as the workbook's value: '' -> empty, integer/number -> a number, date -> a date,
    anything else (and a value that does not parse as its type) -> text."""
    if raw == "":
        return None
    try:
        if type_ == "integer":
            return int(raw)
        if type_ == "number" and math.isfinite(float(raw)):
            return float(raw)
        if type_ == "date" and date.fromisoformat(raw).year >= 1900:  # Excel has no earlier dates
            return date.fromisoformat(raw)
    except ValueError:
        pass
    return sheet_text(raw)


def column_types(table: str, header: list[str]) -> list[str]:
    types = {f["name"]: f["type"] for f in table_schema(table, header)["fields"]}
    return [types.get(name, "string") for name in header]


def typed_records(table: str, content: bytes) -> tuple[list[str], list[list[Any]]]:
    """(header, rows of workbook values) of one CSV's bytes."""
    header, records = csv_records(content)
    types = column_types(table, header)
    return header, [[cell_value(v, t) for v, t in zip(rec, types, strict=False)] for rec in records]


def shown_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    text = value if isinstance(value, str) else str(value)
    return max(map(len, text.split("\n"))) if "\n" in text else len(text)


# ---------------------------------------------------------------- sheets


def row_cells(values: list[Any], style: int = PLAIN, styles: list[int] | None = None) -> list[Cell]:
    """A row's cells, each of `style` or of its column's in `styles`; a string is always text (never
    a formula, even when it starts with `=`)."""
    return [(v, styles[i] if styles else style) for i, v in enumerate(values)]


def fit_columns(rows: list[list[Any]]) -> dict[int, float]:
    """Each column as wide as its longest value (header included), within WIDTH_MIN..WIDTH_MAX."""
    widths: dict[int, int] = defaultdict(int)
    for row in rows:
        for col, value in enumerate(row, start=1):
            widths[col] = max(widths[col], shown_width(value))
    return {col: min(WIDTH_MAX, max(WIDTH_MIN, width + 2)) for col, width in widths.items()}


def table_sheet(table: str, content: bytes) -> Sheet:
    """A table's sheet: its header bold, frozen and filtered; a text column's cells formatted as text."""
    header, rows = typed_records(table, content)
    styles = [PLAIN if t in NUMERIC else TEXT for t in column_types(table, header)]
    cells = {1: row_cells(header, BOLD)} | {r: row_cells(row, styles=styles) for r, row in enumerate(rows, 2)}
    return Sheet(table[:31], cells, fit_columns([header, *rows]), frozen=True, filtered=True)


def markdown_cells(line: str) -> list[str]:
    """A Markdown table row as its cells (`\\|` inside a cell is a `|`); any other line as one cell."""
    if not (line.startswith("|") and line.endswith("|") and len(line) > 1):
        return [line]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line[1:-1])]


def is_rule(line: str) -> bool:
    """A Markdown table's header rule (`|---|---|`)."""
    return bool(re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line))


def readme_sheet(markdown: str) -> Sheet:
    """The codebook, a line per row; its tables' rows split into cells, their header rules left out,
    headings (a line of one cell) bold."""
    lines = [line for line in markdown.splitlines() if not is_rule(line)]
    cells = {
        r: row_cells([sheet_text(c) for c in markdown_cells(line)], BOLD if line.startswith("#") else PLAIN)
        for r, line in enumerate(lines, start=1)
    }
    return Sheet(README_SHEET, cells, {1: README_WIDTH})


# ---------------------------------------------------------------- charts


def role_counts(content: bytes) -> list[list[Any]]:
    """[agency name, activities by role...] per resolved agency of activity_agencies.csv, most first:
    each activity counted once per agency and role."""
    header, records = csv_records(content)
    need = ("activity_id", "role", "agency_id", "agency_name")
    if not all(n in header for n in need):
        return []
    aid, role, agency, name = (header.index(n) for n in need)
    seen: set[tuple[str, str, str]] = set()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    names: dict[str, str] = {}
    for rec in records:
        if len(rec) == len(header) and rec[agency] and (rec[aid], rec[agency], rec[role]) not in seen:
            seen.add((rec[aid], rec[agency], rec[role]))
            counts[rec[agency]][rec[role]] += 1
            names.setdefault(rec[agency], rec[name] or rec[agency])
    order = sorted(counts, key=lambda a: (-counts[a]["leading"], -counts[a].total(), names[a], a))
    return [[sheet_text(names[a]), *(counts[a][r] for r in ROLE_VALUES)] for a in order]


def goal_counts(content: bytes) -> list[list[Any]]:
    """[goal id, activities] per goal of activities.csv, in document order."""
    header, records = csv_records(content)
    if "goal_id" not in header:
        return []
    col = header.index("goal_id")
    counts = Counter(rec[col] for rec in records if len(rec) == len(header))
    return [[sheet_text(goal or "(no goal)"), n] for goal, n in counts.items()]


def charts_sheet(files: dict[str, bytes]) -> Sheet:
    """Activities per agency by role (stacked bars, the first row at the top) and activities per
    goal (columns), each beside the block of data it is drawn from."""
    agencies = role_counts(files.get(file_name("activity_agencies"), b""))
    goals = goal_counts(files.get(file_name("activities"), b""))
    blocks = [
        ("Activities per agency, by role", ["agency", *ROLE_VALUES], agencies, True),
        ("Activities per goal", ["goal_id", "activities"], goals, False),
    ]
    sheet = Sheet(CHARTS_SHEET, {}, {1: WIDTH_MAX})
    top = 1
    for title, header, rows, horizontal in blocks:
        sheet.rows[top] = row_cells(header, BOLD)
        sheet.rows |= {top + i: row_cells(row) for i, row in enumerate(rows, start=1)}
        if rows:
            height = max(7.5, 0.6 * len(rows) + 3) if horizontal else 7.5  # cm
            anchor = (len(header) + 2, top)
            sheet.charts.append(Chart(title, top, len(rows), len(header), horizontal, anchor, (24, height)))
        top += max(len(rows) + 3, 20 if rows else 3)
    return sheet


# ---------------------------------------------------------------- the workbook


def xlsx_bytes(files: dict[str, bytes], tables: list[str], readme: str, when: datetime = ZIP_EPOCH) -> bytes:
    """plan.xlsx from the CSVs in `files` (file name -> bytes) of `tables`, in that order, the
    codebook's Markdown `readme`, dated `when` (naive UTC: `workbook_time`)."""
    sheets = [table_sheet(table, files[file_name(table)]) for table in tables]
    return workbook_bytes([*sheets, charts_sheet(files), readme_sheet(readme)], "nap", when)


# ---------------------------------------------------------------- nap validate


def sheet_values(value: Any) -> Any:
    """A value read back from a sheet as the workbook wrote it (openpyxl reads a date as a datetime)."""
    return value.date() if isinstance(value, datetime) else value


def sheet_problem(ws: Worksheet, table: Table) -> str | None:
    header, rows = typed_records(table.name, table.content)
    found = [
        [sheet_values(v) for v in row] + [None] * (len(header) - len(row))
        for row in ws.iter_rows(max_col=max(len(header), 1), values_only=True)
    ]
    if not found or found[0] != header:
        return f"sheet {table.name} has header {found[0] if found else []}, {table.file} has {header}"
    if len(found) - 1 != len(rows):
        return f"sheet {table.name} has {len(found) - 1} rows, {table.file} has {len(rows)}"
    pad = [row + [None] * (len(header) - len(row)) for row in rows]
    differ = next((i for i, (a, b) in enumerate(zip(found[1:], pad, strict=True)) if a != b), None)
    return None if differ is None else f"sheet {table.name} differs from {table.file} at row {differ + 2}"


def xlsx_problems(path: Path, tables: dict[str, Table]) -> list[Violation]:
    """plan.xlsx opens, and each CSV's sheet holds its header and values, typed as the schema says."""
    import openpyxl  # (with numpy, a fifth of a second): loaded only to check a folder
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(path / XLSX, read_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, InvalidFileException) as exc:
        return [Violation(XLSX, f"cannot open ({exc})")]
    try:
        out = []
        for name, table in tables.items():
            if name[:31] not in wb.sheetnames:
                out.append(Violation(XLSX, f"no sheet {name}"))
            elif (problem := sheet_problem(wb[name[:31]], table)) is not None:
                out.append(Violation(XLSX, f"{problem} (plan.xlsx is out of date)"))
        return out
    finally:
        wb.close()
