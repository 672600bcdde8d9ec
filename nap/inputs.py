"""Check an input file before the pipeline opens it, so bad input gets one clear line."""

from __future__ import annotations

import stat
from pathlib import Path


class InputError(ValueError):
    """The input file cannot be processed; the message names the problem."""


# what a path that is no regular file is, by its mode (a directory has its own message)
NOT_REGULAR = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def check_pdf(path: Path) -> None:
    """Refuse a missing path, or anything but a regular file, before opening it (a FIFO would
    block the read forever); then a file without a PDF header."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError("no such file") from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise InputError("is a directory, not a PDF file")
    if not stat.S_ISREG(mode):
        what = next((name for test, name in NOT_REGULAR if test(mode)), "a special file")
        raise InputError(f"is {what}, not a regular file")
    try:
        with path.open("rb") as f:
            head = f.read(1024)
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})") from None
    if b"%PDF-" not in head:
        raise InputError("not a PDF file (no %PDF- header)")
