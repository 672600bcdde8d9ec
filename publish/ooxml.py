"""An Excel workbook (.xlsx, SpreadsheetML) written as text: sheets of typed cells and bar charts.

openpyxl builds an element tree per cell and imports numpy with it: about half of `nap extract`'s
time on the shipped plan (5,500 cells). The workbook nap writes needs only four cell styles, inline
strings, a frozen header row, autofilters, column widths and bar charts, so its few XML parts are
written here directly. openpyxl still reads the workbook back (`nap validate`, the tests).
Deterministic: the bytes are a function of the sheets and the date, never the clock.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape as html_escape  # (xml.sax.saxutils imports urllib.request and ssl: 20 ms)
from typing import Any

PLAIN, BOLD, TEXT, DATE = range(4)  # the cell styles: STYLES' cellXfs, in this order
Cell = tuple[Any, int]  # (value: None, str, int, float or date; style)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006"
REL = f"{OFFICE}/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
DRAWINGML = "http://schemas.openxmlformats.org/drawingml/2006"
MEDIA = "application/vnd.openxmlformats-officedocument"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EMU_PER_CM = 360_000
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system

STYLES = (
    f'<styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)  # PLAIN; BOLD; TEXT: Excel's "Text" format (`@`, built-in 49); DATE: yyyy-mm-dd


@dataclass(frozen=True)
class Chart:
    """A bar chart of a block of its sheet: a header row at `top` (1-based), `rows` rows below it,
    the categories in column A and a series in each column B.. up to `cols` (stacked, with a legend,
    when there are several)."""

    title: str
    top: int
    rows: int
    cols: int
    horizontal: bool  # bars (the first row at the top), else columns
    anchor: tuple[int, int]  # (column, row), 1-based: the cell of the chart's top-left corner
    size: tuple[float, float]  # (width, height) in cm


@dataclass
class Sheet:
    name: str
    rows: dict[int, list[Cell]]  # row number (1-based) -> its cells from column A
    widths: dict[int, float] = field(default_factory=dict)  # column (1-based) -> width in characters
    frozen: bool = False  # the first row stays in view
    filtered: bool = False  # an autofilter over row 1's columns, down to the last row
    charts: list[Chart] = field(default_factory=list)


# ---------------------------------------------------------------- cells


def escape(text: str) -> str:
    """Text as XML character data."""
    return html_escape(text, quote=False)


def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def excel_day(day: date) -> int:
    """A date as Excel's day number (1900 system, which counts a 29 February 1900 that never was)."""
    days = (day - EXCEL_EPOCH).days
    return days - 1 if 0 < days <= 60 else days


def cell_xml(ref: str, value: Any, style: int) -> str:
    """One cell: a string as an inline string (never a formula), a number, a date as its day number
    (in DATE's style, whatever `style`)."""
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>'
    if isinstance(value, str):
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{DATE}"><v>{excel_day(value)}</v></c>'
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TypeError(f"a cell holds no {value!r}")
    return f'<c r="{ref}"{s}><v>{value!r}</v></c>'


# ---------------------------------------------------------------- a sheet


def sheet_size(sheet: Sheet) -> tuple[int, int]:
    """(last row, last column) holding a cell; (1, 1) for an empty sheet."""
    return max(sheet.rows, default=1), max((len(c) for c in sheet.rows.values()), default=1) or 1


def filter_span(sheet: Sheet) -> tuple[str, int] | None:
    """The autofilter's last column and last row: row 1's columns, down to the sheet's last row."""
    width = len(sheet.rows.get(1, []))
    return (column_letter(width), sheet_size(sheet)[0]) if sheet.filtered and width else None


def view_xml(sheet: Sheet) -> str:
    """The sheet's view: row 1 frozen above the rows scrolled (the `bottomLeft` pane), or not."""
    view = (
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        if sheet.frozen
        else '<selection activeCell="A1" sqref="A1"/>'
    )
    return f'<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>'


def rows_xml(sheet: Sheet) -> str:
    letters = [column_letter(c) for c in range(1, sheet_size(sheet)[1] + 1)]
    out = []
    for r in sorted(sheet.rows):
        cells = "".join(
            cell_xml(f"{letters[i]}{r}", value, style) for i, (value, style) in enumerate(sheet.rows[r])
        )
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def sheet_xml(sheet: Sheet) -> str:
    """The worksheet part; its drawing (the charts), when it has one, is its relationship rId1."""
    rows, cols = sheet_size(sheet)
    widths = "".join(
        f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>' for c, w in sorted(sheet.widths.items())
    )
    span = filter_span(sheet)
    return "".join(
        [
            f'{DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">',
            f'<dimension ref="A1:{column_letter(cols)}{rows}"/>',
            view_xml(sheet),
            '<sheetFormatPr defaultRowHeight="15"/>',
            f"<cols>{widths}</cols>" if widths else "",
            f"<sheetData>{rows_xml(sheet)}</sheetData>",
            f'<autoFilter ref="A1:{span[0]}{span[1]}"/>' if span else "",
            '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>',
            '<drawing r:id="rId1"/>' if sheet.charts else "",
            "</worksheet>",
        ]
    )


# ---------------------------------------------------------------- charts


def sheet_ref(sheet: str, col: int, first: int, last: int | None = None) -> str:
    """An absolute reference to a cell, or to a column's rows first..last, of `sheet`."""
    name = "'" + sheet.replace("'", "''") + "'"
    cell = f"${column_letter(col)}${first}"
    return f"{name}!{cell}" if last is None else f"{name}!{cell}:${column_letter(col)}${last}"


def series_xml(sheet: str, chart: Chart, col: int) -> str:
    first, last = chart.top + 1, chart.top + chart.rows
    return (
        f'<c:ser><c:idx val="{col - 2}"/><c:order val="{col - 2}"/>'
        f"<c:tx><c:strRef><c:f>{escape(sheet_ref(sheet, col, chart.top))}</c:f></c:strRef></c:tx>"
        '<c:spPr><a:ln><a:prstDash val="solid"/></a:ln></c:spPr><c:invertIfNegative val="0"/>'
        f"<c:cat><c:numRef><c:f>{escape(sheet_ref(sheet, 1, first, last))}</c:f></c:numRef></c:cat>"
        f"<c:val><c:numRef><c:f>{escape(sheet_ref(sheet, col, first, last))}</c:f></c:numRef></c:val>"
        "</c:ser>"
    )


def axes_xml(horizontal: bool) -> str:
    """The category axis (10) and the value axis (100); bars run from the first row at the top."""
    order = "maxMin" if horizontal else "minMax"
    cat, val = ("l", "b") if horizontal else ("b", "l")
    ticks = '<c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
    return (
        f'<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="{order}"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{cat}"/>{ticks}<c:crossAx val="100"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
        '</c:catAx><c:valAx><c:axId val="100"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{val}"/><c:majorGridlines/>{ticks}<c:crossAx val="10"/>'
        '<c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>'
    )


def chart_xml(sheet: str, chart: Chart) -> str:
    stacked = chart.cols > 2  # several series: stacked, overlapping, told apart by a legend
    series = "".join(series_xml(sheet, chart, col) for col in range(2, chart.cols + 1))
    grouping = '<c:grouping val="stacked"/>' if stacked else '<c:grouping val="clustered"/>'
    overlap = '<c:overlap val="100"/>' if stacked else ""
    legend = '<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend>' if stacked else ""
    return (
        f'{DECLARATION}<c:chartSpace xmlns:c="{DRAWINGML}/chart" xmlns:a="{DRAWINGML}/main">'
        "<c:chart><c:title><c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr/></a:pPr>"
        f'<a:r><a:t>{escape(chart.title)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
        '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:barChart>'
        f'<c:barDir val="{"bar" if chart.horizontal else "col"}"/>{grouping}<c:varyColors val="0"/>'
        f'{series}<c:gapWidth val="150"/>{overlap}'
        f'<c:axId val="10"/><c:axId val="100"/></c:barChart>{axes_xml(chart.horizontal)}</c:plotArea>'
        f"{legend}"
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    )


def anchor_xml(chart: Chart, n: int) -> str:
    """The drawing's anchor of its n-th chart (relationship rId{n})."""
    col, row = chart.anchor
    cx, cy = (int(cm * EMU_PER_CM) for cm in chart.size)
    return (
        f"<xdr:oneCellAnchor><xdr:from><xdr:col>{col - 1}</xdr:col><xdr:colOff>0</xdr:colOff>"
        f'<xdr:row>{row - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="{cx}" cy="{cy}"/>'
        f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{n + 1}" name="Chart {n}"/>'
        '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="{DRAWINGML}/chart">'
        f'<c:chart r:id="rId{n}"/></a:graphicData></a:graphic></xdr:graphicFrame>'
        "<xdr:clientData/></xdr:oneCellAnchor>"
    )


def drawing_xml(charts: list[Chart]) -> str:
    anchors = "".join(anchor_xml(chart, n) for n, chart in enumerate(charts, start=1))
    return (
        f'{DECLARATION}<xdr:wsDr xmlns:xdr="{DRAWINGML}/spreadsheetDrawing" xmlns:a="{DRAWINGML}/main" '
        f'xmlns:c="{DRAWINGML}/chart" xmlns:r="{REL}">{anchors}</xdr:wsDr>'
    )


# ---------------------------------------------------------------- the package


def relationships(targets: list[tuple[str, str]]) -> str:
    """A relationships part: (type, target) each, rId1.. in order."""
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, start=1)
    )
    return f'{DECLARATION}<Relationships xmlns="{PACKAGE}/relationships">{rels}</Relationships>'


def defined_names(sheets: list[Sheet]) -> str:
    """The autofilters' ranges, named as Excel names them."""
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(sheet_ref(s.name, 1, 1).split('!')[0])}!$A$1:${span[0]}${span[1]}</definedName>"
        for i, s in enumerate(sheets)
        if (span := filter_span(s))
    )
    return f"<definedNames>{names}</definedNames>" if names else ""


def workbook_xml(sheets: list[Sheet]) -> str:
    listed = "".join(
        f'<sheet name="{html_escape(s.name)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, s in enumerate(sheets, start=1)
    )
    return (
        f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr/>'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{listed}</sheets>'
        f'{defined_names(sheets)}<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    )


def core_xml(creator: str, when: datetime) -> str:
    """The document properties: its author, and `when` as both its creation and its last change."""
    stamp = f'xsi:type="dcterms:W3CDTF">{when:%Y-%m-%dT%H:%M:%SZ}'
    return (
        f'{DECLARATION}<cp:coreProperties xmlns:cp="{PACKAGE}/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:creator>{escape(creator)}</dc:creator><dcterms:created {stamp}</dcterms:created>"
        f"<dcterms:modified {stamp}</dcterms:modified></cp:coreProperties>"
    )


def content_types(parts: dict[str, str]) -> str:
    """[Content_Types].xml: each part's media type (`parts`: part name -> media type)."""
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in parts.items()
    )
    return (
        f'{DECLARATION}<Types xmlns="{PACKAGE}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )


def chart_parts(sheets: list[Sheet]) -> dict[str, tuple[str, str]]:
    """Each sheet's drawing, its charts and the relationships between them: part name -> (media
    type, XML); the charts numbered across the workbook."""
    parts: dict[str, tuple[str, str]] = {}
    drawing = chart = 0
    for n, sheet in enumerate(sheets, start=1):
        if not sheet.charts:
            continue
        drawing += 1
        name = f"xl/drawings/drawing{drawing}.xml"
        parts[f"xl/worksheets/_rels/sheet{n}.xml.rels"] = (
            "",
            relationships([(f"{REL}/drawing", f"../{name[3:]}")]),
        )
        parts[name] = (f"{MEDIA}.drawing+xml", drawing_xml(sheet.charts))
        numbers = range(chart + 1, chart + len(sheet.charts) + 1)
        chart += len(sheet.charts)
        for k, c in zip(numbers, sheet.charts, strict=True):
            parts[f"xl/charts/chart{k}.xml"] = (f"{MEDIA}.drawingml.chart+xml", chart_xml(sheet.name, c))
        rels = [(f"{REL}/chart", f"../charts/chart{k}.xml") for k in numbers]
        parts[f"xl/drawings/_rels/drawing{drawing}.xml.rels"] = ("", relationships(rels))
    return parts


def workbook_parts(sheets: list[Sheet], creator: str, when: datetime) -> dict[str, tuple[str, str]]:
    """Every part of the package but [Content_Types].xml: part name -> (media type, XML); the
    relationship parts, typed by their extension, have no media type of their own."""
    sheet_type = f"{MEDIA}.spreadsheetml.worksheet+xml"
    parts = {
        "_rels/.rels": (
            "",
            relationships(
                [
                    (f"{REL}/officeDocument", "xl/workbook.xml"),
                    (f"{PACKAGE}/relationships/metadata/core-properties", "docProps/core.xml"),
                    (f"{REL}/extended-properties", "docProps/app.xml"),
                ]
            ),
        ),
        "docProps/core.xml": (
            "application/vnd.openxmlformats-package.core-properties+xml",
            core_xml(creator, when),
        ),
        "docProps/app.xml": (
            f"{MEDIA}.extended-properties+xml",
            f'{DECLARATION}<Properties xmlns="{OFFICE}/extended-properties"><Application>'
            f"{escape(creator)}</Application></Properties>",
        ),
        "xl/workbook.xml": (f"{MEDIA}.spreadsheetml.sheet.main+xml", workbook_xml(sheets)),
        "xl/_rels/workbook.xml.rels": (
            "",
            relationships(
                [
                    *((f"{REL}/worksheet", f"worksheets/sheet{n}.xml") for n in range(1, len(sheets) + 1)),
                    (f"{REL}/styles", "styles.xml"),
                ]
            ),
        ),
        "xl/styles.xml": (f"{MEDIA}.spreadsheetml.styles+xml", STYLES),
    }
    for n, sheet in enumerate(sheets, start=1):
        parts[f"xl/worksheets/sheet{n}.xml"] = (sheet_type, sheet_xml(sheet))
    return parts | chart_parts(sheets)


def workbook_bytes(sheets: list[Sheet], creator: str, when: datetime) -> bytes:
    """The .xlsx file of `sheets`, in that order (the first one shown), by `creator`, dated `when`
    (naive UTC, within what a zip entry can carry): its properties and every zip entry's time."""
    parts = workbook_parts(sheets, creator, when)
    types = content_types({name: kind for name, (kind, _) in parts.items() if kind})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in [("[Content_Types].xml", types), *((n, x) for n, (_, x) in parts.items())]:
            entry = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            package.writestr(entry, xml.encode())
    return out.getvalue()
