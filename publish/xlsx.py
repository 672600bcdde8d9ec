"""plan.xlsx: the CSV tables as one Excel workbook, typed so that Excel reads them as they are meant.

One sheet per CSV table, its cells typed from the table's Table Schema (`publish.tables`): integers
and numbers as numbers, dates as dates, every id and text column as text (so `5.10` stays `5.10` and
`1.1.1` is never a date); a bold, frozen header row, an autofilter and column widths from the
content. A `charts` sheet holds native Excel charts with the small tables they are drawn from, and a
`README` sheet the codebook. The bytes are the same on every run: the workbook's created/modified
dates and the zip entries' times are the extraction's date (`publish.origin`: SOURCE_DATE_EPOCH, else
the PDF's own dates), else 1980-01-01 (the zip format's first day), never the clock. Pure: a function
of the CSV bytes, the codebook and that date.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from publish.tables import ROLE_VALUES, csv_records, file_name, table_schema
from publish.violation import Table, Violation

XLSX = "plan.xlsx"
CHARTS_SHEET = "charts"
README_SHEET = "README"
ZIP_EPOCH, ZIP_LAST = datetime(1980, 1, 1), datetime(2107, 12, 31, 23, 59, 58)  # what a zip entry can carry
WIDTH_MIN, WIDTH_MAX = 6, 60  # column widths, in characters
README_WIDTH = 100
TEXT_FORMAT = "@"  # Excel's "Text" number format: a value typed into the cell stays text
BOLD = Font(bold=True)

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
    """Text as a worksheet can hold it: control characters XML cannot carry (and a carriage return,
    which XML reads back as a line feed) become U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", raw).replace("\r", "\ufffd")


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
    return max((len(line) for line in str(value).split("\n")), default=0)


# ---------------------------------------------------------------- sheets


def put_row(ws: Worksheet, row: int, values: Iterable[Any], text_columns: set[int] = frozenset()) -> None:
    """Write one row; a string is always text (never a formula, even when it starts with `=`)."""
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row, col, value)
        if isinstance(value, str):
            cell.data_type = "s"
        if col in text_columns:
            cell.number_format = TEXT_FORMAT


def header_row(ws: Worksheet, row: int, header: list[str]) -> None:
    put_row(ws, row, header)
    for col in range(1, len(header) + 1):
        ws.cell(row, col).font = BOLD


def fit_columns(ws: Worksheet, rows: list[list[Any]]) -> None:
    """Each column as wide as its longest value (header included), within WIDTH_MIN..WIDTH_MAX."""
    widths: dict[int, int] = defaultdict(int)
    for row in rows:
        for col, value in enumerate(row, start=1):
            widths[col] = max(widths[col], shown_width(value))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(WIDTH_MAX, max(WIDTH_MIN, width + 2))


def table_sheet(ws: Worksheet, table: str, content: bytes) -> None:
    header, rows = typed_records(table, content)
    types = column_types(table, header)
    text_columns = {i for i, t in enumerate(types, start=1) if t not in ("integer", "number", "date")}
    header_row(ws, 1, header)
    for r, row in enumerate(rows, start=2):
        put_row(ws, r, row, text_columns)
    ws.freeze_panes = "A2"
    if header:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    fit_columns(ws, [header, *rows])


def markdown_cells(line: str) -> list[str]:
    """A Markdown table row as its cells (`\\|` inside a cell is a `|`); any other line as one cell."""
    if not (line.startswith("|") and line.endswith("|") and len(line) > 1):
        return [line]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line[1:-1])]


def is_rule(line: str) -> bool:
    """A Markdown table's header rule (`|---|---|`)."""
    return bool(re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", line))


def readme_sheet(ws: Worksheet, markdown: str) -> None:
    """The codebook, a line per row; its tables' rows split into cells, their header rules left out."""
    row = 0
    for line in markdown.splitlines():
        if is_rule(line):
            continue
        row += 1
        put_row(ws, row, [sheet_text(c) for c in markdown_cells(line)])
        if line.startswith("#"):
            ws.cell(row, 1).font = BOLD
    ws.column_dimensions["A"].width = README_WIDTH


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


def bar_chart(ws: Worksheet, title: str, top: int, rows: int, cols: int, horizontal: bool) -> BarChart:
    """A bar chart of the block at `top` (a header row, then category and value columns)."""
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = title
    chart.add_data(
        Reference(ws, min_col=2, max_col=cols, min_row=top, max_row=top + rows), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + rows))
    if cols > 2:
        chart.grouping, chart.overlap = "stacked", 100
    else:
        chart.legend = None
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # the first row at the top
    chart.x_axis.delete = chart.y_axis.delete = False  # Excel hides axes openpyxl leaves undecided
    chart.width, chart.height = 24, max(7.5, 0.6 * rows + 3) if horizontal else 7.5
    return chart


def charts_sheet(ws: Worksheet, files: dict[str, bytes]) -> None:
    """Activities per agency by role (stacked bars) and activities per goal, each beside its data."""
    agencies = role_counts(files.get(file_name("activity_agencies"), b""))
    goals = goal_counts(files.get(file_name("activities"), b""))
    blocks = [
        ("Activities per agency, by role", ["agency", *ROLE_VALUES], agencies, True),
        ("Activities per goal", ["goal_id", "activities"], goals, False),
    ]
    top = 1
    for title, header, rows, horizontal in blocks:
        header_row(ws, top, header)
        for i, row in enumerate(rows, start=1):
            put_row(ws, top + i, row)
        if rows:
            chart = bar_chart(ws, title, top, len(rows), len(header), horizontal)
            ws.add_chart(chart, f"{get_column_letter(len(header) + 2)}{top}")
        top += max(len(rows) + 3, 20 if rows else 3)
    ws.column_dimensions["A"].width = WIDTH_MAX


# ---------------------------------------------------------------- the workbook


def deterministic_zip(data: bytes, when: datetime) -> bytes:
    """The zip rewritten with every entry's time `when` (openpyxl stamps the clock)."""
    stamp = when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info))
    return out.getvalue()


def xlsx_bytes(files: dict[str, bytes], tables: list[str], readme: str, when: datetime = ZIP_EPOCH) -> bytes:
    """plan.xlsx from the CSVs in `files` (file name -> bytes) of `tables`, in that order, the
    codebook's Markdown `readme`, dated `when` (naive UTC: `workbook_time`)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table in tables:
        table_sheet(wb.create_sheet(table[:31]), table, files[file_name(table)])
    charts_sheet(wb.create_sheet(CHARTS_SHEET), files)
    readme_sheet(wb.create_sheet(README_SHEET), readme)
    wb.properties.creator = "nap"
    wb.properties.created = wb.properties.modified = when
    buf = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)).save()  # keeps `modified` as set
    return deterministic_zip(buf.getvalue(), when)


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
