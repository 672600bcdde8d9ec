"""publish.ooxml, the workbook written as text: what openpyxl (an independent reader, and the writer
nap used before) reads back is what was written, with its styles, view, filters and charts."""

from __future__ import annotations

import io
import math
import zipfile
from datetime import date, datetime, timedelta
from xml.etree import ElementTree

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from publish.ooxml import (
    BOLD,
    DATE,
    MAIN,
    PLAIN,
    TEXT,
    Chart,
    Sheet,
    cell_xml,
    column_letter,
    excel_day,
    workbook_bytes,
)

WHEN = datetime(2021, 4, 5, 6, 7, 8)
TEXTS = ["=1+1", "  padded  ", " ", "\t", "a&b<c>d\"e'f", "line\nbreak", "ქართული", "5.10", "1.1.1", "]]>"]
NUMBERS = [0, -5, 2**53 + 1, 10**21, 0.1 + 0.2, -0.0, 1e300, 5e-324, 123456789.12345679]
DATES = [date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1), date(2020, 2, 29), date(9999, 12, 31)]


def read(sheets: list[Sheet]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(sheets, "nap", WHEN)))


def test_column_letters_are_excels():
    assert [column_letter(c) for c in range(1, 16385)] == [get_column_letter(c) for c in range(1, 16385)]


def test_day_numbers_are_excels_including_its_leap_day_of_1900():
    days = [date(1900, 1, 1) + timedelta(days=n) for n in range(0, 80_000, 7)] + DATES
    assert [excel_day(d) for d in days] == [to_excel(d) for d in days]


def test_values_read_back_as_written_with_their_types_and_styles():
    values = [*TEXTS, *NUMBERS, *DATES, None, ""]
    styles = [BOLD, TEXT, PLAIN]
    rows = {r: [(v, styles[(r + i) % 3]) for i, v in enumerate(values)] for r in range(1, 4)}
    ws = read([Sheet("values", rows)])["values"]
    for r, row in rows.items():
        for col, (value, style) in enumerate(row, start=1):
            cell = ws.cell(r, col)
            got = cell.value.date() if isinstance(cell.value, datetime) else cell.value
            assert got == (None if value == "" else value), (r, col)
            assert type(got) is type(None if value == "" else value), (r, col)
            if isinstance(value, float):
                assert math.copysign(1, got) == math.copysign(1, value)  # -0.0 stays -0.0
            if isinstance(value, str) and value:
                assert cell.data_type == "s"  # text, never a formula
            assert cell.font.b == (style == BOLD and not isinstance(value, date))  # a date: DATE's style
            want = "yyyy-mm-dd" if isinstance(value, date) else "@" if style == TEXT else "General"
            assert cell.number_format == want, (r, col)


def test_view_filter_widths_and_the_filter_name():
    rows = {1: [("a", BOLD), ("b", BOLD), ("c", BOLD)], **{r: [(r, PLAIN)] for r in range(2, 12)}}
    sheets = [Sheet("plain", {1: [("x", PLAIN)]}), Sheet("it's", rows, {1: 12, 3: 60.5}, True, True)]
    wb = read(sheets)
    ws = wb["it's"]
    assert (ws.freeze_panes, ws.auto_filter.ref, ws.max_row, ws.max_column) == ("A2", "A1:C11", 11, 3)
    assert {k: d.width for k, d in ws.column_dimensions.items() if d.customWidth} == {"A": 12, "C": 60.5}
    assert (wb["plain"].freeze_panes, wb["plain"].auto_filter.ref) == (None, None)
    assert wb.properties.creator == "nap"
    assert wb.properties.created == wb.properties.modified == WHEN
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(sheets, "nap", WHEN))) as z:
        parts = {part: ElementTree.fromstring(z.read(part)) for part in z.namelist()}  # all well-formed
    names = parts["xl/workbook.xml"].iter(f"{{{MAIN}}}definedName")
    assert [(n.get("name"), n.get("localSheetId"), n.text) for n in names] == [
        ("_xlnm._FilterDatabase", "1", "'it''s'!$A$1:$C$11")
    ]


def test_charts_are_read_as_drawn():
    rows = {
        1: [("k", BOLD), ("x", BOLD), ("y", BOLD)],
        **{r: [(f"c{r}", PLAIN), (r, PLAIN), (1, PLAIN)] for r in (2, 3)},
    }
    rows |= {20: [("k", BOLD), ("n", BOLD)], 21: [("g", PLAIN), (4, PLAIN)]}
    charts = [
        Chart("Stacked & sideways", 1, 2, 3, True, (5, 1), (24, 9.3)),
        Chart("Columns", 20, 1, 2, False, (4, 20), (24, 7.5)),
    ]
    ws = read([Sheet("data", rows), Sheet("charts", rows, charts=charts)])["charts"]
    read_back = [
        (
            c.type,
            c.grouping,
            c.legend is not None,
            c.x_axis.scaling.orientation,
            [(s.tx.strRef.f, s.cat.numRef.f, s.val.numRef.f) for s in c.series],
            (c.anchor._from.col, c.anchor._from.row, c.anchor.ext.width, c.anchor.ext.height),
        )
        for c in ws._charts
    ]
    assert read_back == [
        (
            "bar",
            "stacked",
            True,
            "maxMin",
            [(f"'charts'!${c}$1", "'charts'!$A$2:$A$3", f"'charts'!${c}$2:${c}$3") for c in "BC"],
            (4, 0, int(24 * 360_000), int(9.3 * 360_000)),
        ),
        (
            "col",
            "clustered",
            False,
            "minMax",
            [("'charts'!$B$20", "'charts'!$A$21:$A$21", "'charts'!$B$21:$B$21")],
            (3, 19, int(24 * 360_000), int(7.5 * 360_000)),
        ),
    ]


def test_same_sheets_same_bytes_and_the_date_is_every_entrys():
    sheets = [Sheet("s", {1: [("a", BOLD), (1.5, PLAIN), (date(2020, 1, 2), DATE)]})]
    data = workbook_bytes(sheets, "nap", WHEN)
    assert (
        data == workbook_bytes(sheets, "nap", WHEN) != workbook_bytes(sheets, "nap", WHEN.replace(year=2022))
    )
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {WHEN.timetuple()[:6]}
        assert z.namelist()[0] == "[Content_Types].xml"


@pytest.mark.parametrize("value", [True, math.nan, math.inf, b"bytes", object()])
def test_a_value_a_cell_cannot_hold_is_refused(value):
    with pytest.raises(TypeError):
        cell_xml("A1", value, PLAIN)
