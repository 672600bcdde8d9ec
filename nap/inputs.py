"""Check an input file before the pipeline opens it, so bad input gets one clear line."""

from __future__ import annotations

from pathlib import Path


class InputError(ValueError):
    """The input file cannot be processed; the message names the problem."""


def check_pdf(path: Path) -> None:
    if not path.exists():
        raise InputError("no such file")
    if path.is_dir():
        raise InputError("is a directory, not a PDF file")
    with path.open("rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        raise InputError("not a PDF file (no %PDF- header)")
