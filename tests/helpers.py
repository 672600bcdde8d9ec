"""Small builders for unit tests: text lines, cells and page tables from texts and coordinates."""

from __future__ import annotations

from schema.models import BBox, Cell, PageTable, TextLine

# Column edges of the real plan's table (points), one more edge than columns.
COLUMN_EDGES = (48.2, 122.2, 213.2, 371.2, 530.2, 615.2, 734.2, 793.7)
HEADER = (
    "Strategic Goal",
    "Objective",
    "Activity",
    "Responsible Governmental Agency",
    "Partner Organization",
    "Indicator",
    "Timeline",
)
ROW_HEIGHT = 40.0
TABLE_TOP = 60.0
CHAR_WIDTH = 4.5  # a rough glyph width, to give lines a plausible extent


def text_line(
    text: str,
    x0: float = 0.0,
    top: float = 0.0,
    x1: float | None = None,
    first_word_width: float | None = None,
    height: float = 10.0,
) -> TextLine:
    """A TextLine; x1 and first_word_width default to CHAR_WIDTH per character."""
    words = text.split()
    return TextLine(
        text=text,
        x0=x0,
        x1=x0 + CHAR_WIDTH * len(text) if x1 is None else x1,
        top=top,
        bottom=top + height,
        first_word_width=CHAR_WIDTH * len(words[0] if words else "")
        if first_word_width is None
        else first_word_width,
    )


def cell(
    page: int, row: int, col: int, text: str | list[str] | None, row_span: int = 1, col_span: int = 1
) -> Cell:
    """A cell of the plan-shaped grid; `text` is one line, a list of lines, or None (empty)."""
    lines = [] if text is None else [text] if isinstance(text, str) else text
    top = TABLE_TOP + ROW_HEIGHT * row
    x0, x1 = COLUMN_EDGES[col] + 5.5, COLUMN_EDGES[col + col_span] - 5.5
    return Cell(
        page=page,
        row=row,
        col=col,
        row_span=row_span,
        col_span=col_span,
        bbox=BBox(x0=COLUMN_EDGES[col], top=top, x1=COLUMN_EDGES[col + col_span], bottom=top + 40 * row_span),
        lines=[
            text_line(t, x0=x0, top=top + 2 + 12 * i, x1=min(x1, x0 + CHAR_WIDTH * len(t)))
            for i, t in enumerate(lines)
        ],
    )


def row(
    page: int, row_index: int, texts: dict[int, str | list[str] | None], spans: dict[int, int] | None = None
) -> list[Cell]:
    """The cells of one grid row, by column; `spans` gives row spans of merged cells."""
    spans = spans or {}
    return [cell(page, row_index, col, t, row_span=spans.get(col, 1)) for col, t in texts.items()]


def header_row(page: int, row_index: int = 0) -> list[Cell]:
    return row(page, row_index, dict(enumerate(HEADER)))


def page_table(page: int, cells: list[Cell]) -> PageTable:
    return PageTable(
        page=page,
        bbox=BBox(
            x0=min(c.bbox.x0 for c in cells),
            top=min(c.bbox.top for c in cells),
            x1=max(c.bbox.x1 for c in cells),
            bottom=max(c.bbox.bottom for c in cells),
        ),
        n_rows=max(c.row + c.row_span for c in cells),
        n_cols=max(c.col + c.col_span for c in cells),
        cells=cells,
    )
