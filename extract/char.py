"""A printed glyph as every part of extraction sees it."""

from __future__ import annotations


class Char:
    """A printed glyph: its text, box (points, top-left origin), font size and baseline (y of its
    origin; the box's bottom when unknown). Treat as read-only.

    A plain class with slots (not a dataclass): one is made for every glyph of the document, and
    the centres, read many times per glyph, are stored when it is made.
    """

    __slots__ = ("text", "x0", "x1", "top", "bottom", "size", "base", "cx", "cy")

    def __init__(
        self, text: str, x0: float, x1: float, top: float, bottom: float, size: float,
        base: float | None = None,
    ):  # fmt: skip
        self.text, self.x0, self.x1, self.top, self.bottom, self.size = text, x0, x1, top, bottom, size
        self.base = bottom if base is None else base
        self.cx = (x0 + x1) / 2
        self.cy = (top + bottom) / 2

    def __repr__(self) -> str:
        return f"Char({self.text!r}, {self.x0:g}, {self.x1:g}, {self.top:g}, {self.bottom:g}, {self.size:g})"
