"""What `nap validate` reports, and the CSV tables of a folder as the checks read them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from publish.tables import file_name


@dataclass(frozen=True)
class Violation:
    file: str
    problem: str
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(self.field)
        return ": ".join(parts + [self.problem])


@dataclass
class Table:
    """One CSV of the folder as read: its header, records and the schema fitted to its header."""

    name: str
    content: bytes
    header: list[str]
    records: list[list[str]]
    schema: dict[str, Any] | None = None  # None when the header cannot be checked cell by cell

    @property
    def file(self) -> str:
        return file_name(self.name)

    def dicts(self) -> list[tuple[int, dict[str, str]]]:
        """(row number, {column: value}) for every record with as many cells as the header."""
        return [
            (n, dict(zip(self.header, rec, strict=True)))
            for n, rec in enumerate(self.records, start=2)
            if len(rec) == len(self.header)
        ]
