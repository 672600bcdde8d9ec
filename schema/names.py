"""File names (and other text) made safe for one line of a message and for JSON.

`shown_name` is how every message and plan.json's `source.name` show a file; `extract.errors`
re-exports it for the stages above. `quoted` is how every review detail and message quotes a
value (never Python's `repr`).
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


def quoted(text: object) -> str:
    """A value as every review detail, README line and message quotes it: `"text"`.

    The rule, for a CSV cell and a web page alike: straight double quotes around the text, and the
    text as printed inside them. Inner double quotes are kept as they are (`"LEPL "Academy""`: a CSV
    writer doubles them in the file and every reader shows them back as one), and so are single
    quotes and backslashes (`"Prosecutor's Office"`, not Python's `'Prosecutor\\'s Office'`).
    Only what would break the line is escaped, as `one_line` does: a newline reads `\\n`, a tab
    `\\t`, so a detail stays one line. Not Python's `repr`: no choice of quote by content, no
    doubled backslashes, no `\\xNN` for printable letters.
    """
    return f'"{one_line(str(text))}"'
