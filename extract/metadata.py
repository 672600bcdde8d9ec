"""The PDF's own metadata (its Info dictionary): producer, creator, title and dates, as it states them.

What a file says of itself is untrusted text: control characters become spaces, runs of spaces
one, and a value is cut at `MAX_CHARS`; an empty value is None, a date that does not parse too.
"""

from __future__ import annotations

import re
from datetime import datetime

import pypdfium2 as pdfium

MAX_CHARS = 500
FIELDS = {"producer": "Producer", "creator": "Creator", "title_meta": "Title"}
DATES = {"created": "CreationDate", "modified": "ModDate"}
# D:YYYYMMDDHHmmSSOHH'mm' (PDF 32000-1 7.9.4), every part after the year optional
PDF_DATE = re.compile(
    r"(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?'?\s*"
)


def clean(value: str | None) -> str | None:
    text = re.sub(r"\s+", " ", re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", value or "")).strip()
    return text[:MAX_CHARS] or None


def pdf_date(value: str | None) -> str | None:
    """A PDF date as ISO 8601 (`D:20181224120000+04'00'` -> `2018-12-24T12:00:00+04:00`); None
    when empty or not a date. Missing month, day or time parts are 01 and 00, as the standard says."""
    m = PDF_DATE.fullmatch((value or "").strip())
    if not m:
        return None
    year, month, day, hour, minute, second, utc, sign, tz_h, tz_m = m.groups()
    parts = [int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0), int(second or 0)]
    try:
        stamp = datetime(*parts).isoformat()
    except ValueError:  # month 13, 30 February, hour 25
        return None
    if utc:
        return stamp + "Z"
    if sign:
        return f"{stamp}{sign}{tz_h}:{tz_m or '00'}"
    return stamp


def read_metadata(doc: pdfium.PdfDocument) -> dict[str, str | None]:
    """The SourceInfo fields the metadata gives (schema.models.SourceInfo); none when it cannot be read."""
    try:
        meta = doc.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError:
        return {}
    out = {field: clean(meta.get(key)) for field, key in FIELDS.items()}
    return out | {field: pdf_date(meta.get(key)) for field, key in DATES.items()}
