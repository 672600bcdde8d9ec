"""Typeset a plan (activity rows) into a ruled-table PDF, in many layouts and with two producers.

    from typeset import Row, Style, typeset
    typeset(rows, Style(producer="fpdf2", structure="sections"), Path("plan.pdf"))

The layout (wrapping, pagination, borders) is producer-independent (layout.py); reportlab and fpdf2
only draw it (render_reportlab.py, render_fpdf.py). gold.py turns a gold fixture into Rows.
"""

from __future__ import annotations

from pathlib import Path

from .layout import Layout, layout
from .model import Row, Style

__all__ = ["Layout", "Row", "Style", "layout_for", "typeset"]


def _backend(style: Style):
    if style.producer == "reportlab":
        from . import render_reportlab as backend
    elif style.producer == "fpdf2":
        from . import render_fpdf as backend
    else:
        raise ValueError(f"unknown producer {style.producer!r}")
    return backend


def layout_for(rows: list[Row], style: Style) -> Layout:
    """The page layout typeset() would draw (text runs and border segments per page)."""
    return layout(rows, style, _backend(style).measure_for(style))


def typeset(rows: list[Row], style: Style, path: Path) -> Path:
    """Write the rows as a ruled-table PDF at path; returns path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    backend = _backend(style)
    return backend.render(layout(rows, style, backend.measure_for(style)), style, path)
