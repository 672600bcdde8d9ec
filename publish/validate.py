"""Check an output folder, perhaps edited by hand, against nap's schemas and keys.

`validate_folder(DIR)` returns every violation as one readable line, `FILE: row N: FIELD: problem`
(row numbers count the header as row 1, as a spreadsheet shows them), in a stable order: missing
files (the files of `publish.outputs.OUTPUTS`); then per CSV its header, its cells and keys
(`publish.check_tables`) and the agreements between tables; then each other file's own check
(`Output.check`: datapackage.json, plan.json, plan.sqlite in `publish.check_files`).
"""

from __future__ import annotations

from pathlib import Path

from publish.check_tables import (
    agreement_problems,
    frictionless_problems,
    header_problems,
    read_table,
    unique_key_problems,
)
from publish.outputs import OUTPUTS
from publish.violation import Table, Violation

FILE_ORDER = [o.name for o in OUTPUTS]


def sort_key(v: Violation) -> tuple:
    order = FILE_ORDER.index(v.file) if v.file in FILE_ORDER else len(FILE_ORDER)
    return (order, v.file, v.row or 0)


def read_tables(path: Path) -> tuple[dict[str, Table], list[Violation]]:
    """The folder's CSV tables that can be read, and why the others cannot."""
    tables: dict[str, Table] = {}
    found: list[Violation] = []
    for output in OUTPUTS:
        if output.table and (path / output.name).is_file():
            table, problems = read_table(output.table, (path / output.name).read_bytes())
            found += problems
            if table is not None:
                tables[output.table] = table
    return tables, found


def validate_folder(path: Path) -> list[str]:
    """Every violation in output folder `path`, one line each; [] when the folder is sound."""
    path = Path(path)
    if not path.is_dir():
        return [f"{path}: not a folder"]
    found = [Violation(o.name, "missing file") for o in OUTPUTS if not (path / o.name).is_file()]
    tables, problems = read_tables(path)
    found += problems
    found += header_problems(tables)
    found += frictionless_problems(path, tables)
    found += unique_key_problems(tables)
    found += agreement_problems(tables)
    for output in OUTPUTS:
        if output.check is not None and (path / output.name).is_file():
            found += output.check(path, tables)
    unique = list(dict.fromkeys(found))
    return [str(v) for v in sorted(unique, key=sort_key)]
