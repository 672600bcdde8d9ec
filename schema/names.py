"""File names (and other text) made safe for one line of a message and for JSON.

`shown_name` is how every message and plan.json's `source.name` show a file; `extract.errors`
re-exports it for the stages above.
"""

from __future__ import annotations

import os
import unicodedata

ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(ch: str) -> str:
    if ch in ESCAPES:
        return ESCAPES[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode carries it
        return f"\\x{code - 0xDC00:02x}"
    if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):  # control, surrogate, line/paragraph breaks
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def one_line(text: str) -> str:
    """`text` safe for one line of a message or a JSON string: control characters (newline, tab...)
    backslash-escaped, bytes that are not UTF-8 (surrogate-escaped) as \\xNN, the rest as is."""
    return "".join(ch if ch.isprintable() else _escaped(ch) for ch in text)


def shown_name(path: str | os.PathLike[str]) -> str:
    """A file name (or path) as messages and plan.json show it: see `one_line`."""
    return one_line(os.fspath(path))
