"""Check an output folder, perhaps edited by hand, against nap's schemas and keys.

`validate_folder(DIR)` returns every violation as one readable line, `FILE: row N: FIELD: problem`
(row numbers count the header as row 1, as a spreadsheet shows them), in a stable order: missing
files; then per CSV its header, its cells and keys (types, formats, enums, required values,
patterns, duplicate keys, dangling foreign keys: checked by frictionless against
`publish.package.TABLE_SCHEMAS`) and the agreements between tables; then datapackage.json (sizes,
hashes, schemas), plan.json (the pydantic model, the same activities as the CSVs), plan.sqlite
(the same rows as the CSVs) and README.md.
"""

from __future__ import annotations

import json
import re
import sqlite3
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from publish.package import (
    EXTRA_COLUMN_PATTERN,
    TABLES,
    csv_records,
    extra_columns,
    file_name,
    sha256_hex,
    standard_columns,
    table_schema,
)
from publish.sqlite import VIEWS, SqliteBuildError, typed_rows
from schema.models import Plan

OTHER_FILES = ("plan.json", "datapackage.json", "plan.sqlite", "README.md")
FILE_ORDER = [file_name(t) for t in TABLES] + list(OTHER_FILES)
TYPE_WORDS = {"integer": "an integer", "number": "a number", "date": "a date (YYYY-MM-DD)"}


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

    def sort_key(self) -> tuple:
        order = FILE_ORDER.index(self.file) if self.file in FILE_ORDER else len(FILE_ORDER)
        return (order, self.file, self.row or 0)


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


def validate_folder(path: Path) -> list[str]:
    """Every violation in output folder `path`, one line each; [] when the folder is sound."""
    path = Path(path)
    if not path.is_dir():
        return [f"{path}: not a folder"]
    found: list[Violation] = []
    for name in FILE_ORDER:
        if not (path / name).is_file():
            found.append(Violation(name, "missing file"))
    tables: dict[str, Table] = {}
    for t in TABLES:
        p = path / file_name(t)
        if p.is_file():
            table, problems = read_table(t, p.read_bytes())
            found += problems
            if table is not None:
                tables[t] = table
    found += header_problems(tables)
    found += frictionless_problems(path, tables)
    found += unique_key_problems(tables)
    found += agreement_problems(tables)
    if (path / "datapackage.json").is_file():
        found += datapackage_problems(path, tables)
    if (path / "plan.json").is_file():
        found += plan_json_problems(path / "plan.json", tables)
    if (path / "plan.sqlite").is_file():
        found += sqlite_problems(path / "plan.sqlite", tables)
    unique = list(dict.fromkeys(found))
    return [str(v) for v in sorted(unique, key=Violation.sort_key)]


# ---------------------------------------------------------------- reading and headers


def read_table(name: str, content: bytes) -> tuple[Table | None, list[Violation]]:
    file = file_name(name)
    try:
        header, records = csv_records(content)
    except UnicodeDecodeError as exc:
        return None, [Violation(file, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    except Exception as exc:  # csv.Error: a malformed quote, a NUL byte
        return None, [Violation(file, f"not a readable CSV file ({exc})")]
    if not header:
        return None, [Violation(file, "empty file (no header row)")]
    return Table(name, content, header, records), []


def header_problems(tables: dict[str, Table]) -> list[Violation]:
    """Compare each header with its schema; fit the schema to the header for the cell checks."""
    out: list[Violation] = []
    for t, table in tables.items():
        header, file = table.header, table.file
        standard = standard_columns(t)
        repeated = [c for c, n in Counter(header).items() if n > 1]
        blank = [i for i, c in enumerate(header, start=1) if not c.strip()]
        missing = [c for c in standard if c not in header]
        if t == "activities":
            unexpected = [c for c in extra_columns(header) if not re.fullmatch(EXTRA_COLUMN_PATTERN, c)]
        else:
            unexpected = [c for c in header if c not in standard]
        if repeated:
            out.append(Violation(file, f"header repeats column(s) {', '.join(repeated)}"))
        if blank:
            out.append(Violation(file, f"header has blank column name(s) at position(s) {blank}"))
        if missing:
            out.append(Violation(file, f"header lacks column(s) {', '.join(missing)}"))
        if unexpected:
            what = "neither standard nor snake_case extra" if t == "activities" else "unknown"
            out.append(Violation(file, f"header has {what} column(s): {', '.join(unexpected)}"))
        present = [c for c in header if c in standard]
        if present != [c for c in standard if c in header]:
            out.append(Violation(file, f"header columns out of order: expected {', '.join(standard)}"))
        elif t == "activities" and header[: len(present)] != present and not missing:
            out.append(Violation(file, "header: extra columns must follow the standard ones"))
        if not repeated and not blank:
            table.schema = fitted_schema(t, header)
    return out


def fitted_schema(table: str, header: list[str]) -> dict[str, Any]:
    """The table's schema restricted to the columns the header has, in header order (unknown
    columns as plain strings); keys whose columns are missing are dropped."""
    schema = table_schema(table, header)
    by_name = {f["name"]: f for f in schema["fields"]}
    schema["fields"] = [by_name.get(c, {"name": c, "type": "string"}) for c in header]
    names = set(header)
    if not set(schema.get("primaryKey", [])) <= names:
        schema.pop("primaryKey")
    schema["foreignKeys"] = [fk for fk in schema.get("foreignKeys", []) if set(fk["fields"]) <= names]
    schema.pop("uniqueKeys", None)  # checked in plain code
    return schema


# ---------------------------------------------------------------- cells and keys (frictionless)


def frictionless_problems(path: Path, tables: dict[str, Table]) -> list[Violation]:
    import frictionless

    checked = {t: tb for t, tb in tables.items() if tb.schema is not None}
    if not checked:
        return []
    resources = []
    for t, table in checked.items():
        schema = json.loads(json.dumps(table.schema))
        fks = []
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"].get("resource") or t
            target_table = checked.get(target)
            if target_table is not None and set(fk["reference"]["fields"]) <= set(target_table.header):
                fks.append(fk)
        schema["foreignKeys"] = fks
        resources.append(
            {"name": t, "path": table.file, "format": "csv", "encoding": "utf-8", "schema": schema}
        )
    descriptor = {"name": "nap-output", "resources": resources}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            package = frictionless.Package(descriptor, basepath=str(path))
            report = package.validate(limit_errors=10**9)
    except frictionless.FrictionlessException as exc:
        return [Violation(min((tb.file for tb in checked.values()), key=FILE_ORDER.index), str(exc))]
    out: list[Violation] = []
    for task in report.tasks:
        table = checked.get(task.name)
        if table is None:
            continue
        for error in task.errors:
            v = describe_error(table, error)
            if v is not None:
                out.append(v)
    for error in report.errors:  # package-level (metadata) errors
        out.append(Violation("datapackage.json", f"{error.title}: {error.note}"))
    return out


def _fields(table: Table) -> dict[str, dict[str, Any]]:
    assert table.schema is not None
    return {f["name"]: f for f in table.schema["fields"]}


def _record(table: Table, row: int | None) -> dict[str, str]:
    if row is None or not 2 <= row <= len(table.records) + 1:
        return {}
    return dict(zip(table.header, table.records[row - 2], strict=False))


def _position(note: str) -> str:
    m = re.search(r"position (\d+)", note or "")
    return f", as in row {m.group(1)}" if m else ""


def describe_error(table: Table, error: Any) -> Violation | None:
    """One frictionless error as a readable violation (None for one another message covers)."""
    kind = error.type
    row = getattr(error, "row_number", None)
    name = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    fields = _fields(table)
    field = fields.get(name or "", {})
    note = getattr(error, "note", "") or ""
    pk = (table.schema or {}).get("primaryKey", [])
    if kind == "type-error":
        what = TYPE_WORDS.get(field.get("type"), field.get("type"))
        return Violation(table.file, f"{cell!r} is not {what}", row, name)
    if kind == "constraint-error":
        m = re.search(r'constraint "(\w+)"', note)
        constraint = m.group(1) if m else ""
        cons = field.get("constraints", {})
        if constraint == "required":
            return Violation(table.file, "empty, but required", row, name)
        if constraint == "enum":
            return Violation(table.file, f"{cell!r} is not one of {', '.join(cons['enum'])}", row, name)
        if constraint == "pattern":
            return Violation(table.file, f"{cell!r} does not match {cons['pattern']}", row, name)
        if constraint == "minimum":
            return Violation(table.file, f"{cell} is below the minimum {cons['minimum']}", row, name)
        if constraint == "maximum":
            return Violation(table.file, f"{cell} is above the maximum {cons['maximum']}", row, name)
        return Violation(table.file, f"{cell!r} breaks the {constraint or 'a'} constraint", row, name)
    if kind == "unique-error":
        if pk == [name]:
            return None  # reported as a duplicate primary key
        return Violation(table.file, f"{cell!r} is duplicated{_position(note)}", row, name)
    if kind == "primary-key":
        values = _record(table, row)
        key = ", ".join(pk)
        shown = ", ".join(repr(values.get(c, "")) for c in pk)
        if "None" in note and "position" not in note:
            return Violation(table.file, f"primary key ({key}) is empty", row)
        return Violation(table.file, f"duplicate primary key ({key}) = ({shown}){_position(note)}", row)
    if kind == "foreign-key":
        names = list(getattr(error, "field_names", None) or [])
        record = _record(table, row)
        shown = ", ".join(repr(record.get(c, "")) for c in names)
        ref = getattr(error, "reference_name", "") or table.name
        ref_fields = list(getattr(error, "reference_field_names", None) or names)
        return Violation(
            table.file, f"{shown} is not in {file_name(ref)} ({', '.join(ref_fields)})", row, ", ".join(names)
        )
    if kind in ("missing-cell", "extra-cell"):
        n = len(table.records[row - 2]) if row and 2 <= row <= len(table.records) + 1 else "?"
        return Violation(table.file, f"has {n} cells, the header has {len(table.header)}", row)
    if kind == "blank-row":
        return Violation(table.file, "blank row", row)
    if kind in ("hash-count", "byte-count"):
        return None  # the folder's datapackage.json is compared in datapackage_problems
    return Violation(table.file, f"{error.title}: {note}".rstrip(": "), row, name)


# ---------------------------------------------------------------- plain checks across tables


def unique_key_problems(tables: dict[str, Table]) -> list[Violation]:
    """uniqueKeys (frictionless does not check them); an empty value counts as a value."""
    out: list[Violation] = []
    for t, table in tables.items():
        for key in table_schema(t).get("uniqueKeys", []):
            if not set(key) <= set(table.header):
                continue
            first: dict[tuple, int] = {}
            for n, row in table.dicts():
                values = tuple(row[c] for c in key)
                if values in first:
                    shown = ", ".join(repr(v) for v in values)
                    out.append(
                        Violation(
                            table.file,
                            f"duplicate ({', '.join(key)}) = ({shown}), as in row {first[values]}",
                            n,
                        )
                    )
                else:
                    first[values] = n
    return out


def agreement_problems(tables: dict[str, Table]) -> list[Violation]:
    """Columns derived from another table must agree with it."""
    out: list[Violation] = []
    links = tables.get("activity_agencies")
    agencies = tables.get("agencies")
    activities = tables.get("activities")
    link_cols = {"activity_id", "mention_seq", "role", "agency_id", "agency_name", "match"}
    if links is None or not link_cols <= set(links.header):
        return out
    link_rows = links.dicts()
    for n, row in link_rows:
        if (row["match"] == "unmatched") != (row["agency_id"] == ""):
            problem = (
                f"match is 'unmatched' but agency_id is {row['agency_id']!r}"
                if row["match"] == "unmatched"
                else f"agency_id is empty but match is {row['match']!r}"
            )
            out.append(Violation(links.file, problem, n, "match"))
    if agencies is not None and {"agency_id", "name", "mentions"} <= set(agencies.header):
        names = {r["agency_id"]: r["name"] for _, r in agencies.dicts()}
        for n, row in link_rows:
            name = names.get(row["agency_id"])
            if name is not None and row["agency_name"] != name:
                out.append(
                    Violation(
                        links.file,
                        f"{row['agency_name']!r} is not the name of {row['agency_id']!r} in agencies.csv "
                        f"({name!r})",
                        n,
                        "agency_name",
                    )
                )
        counts = Counter(row["agency_id"] for _, row in link_rows if row["agency_id"])
        for n, row in agencies.dicts():
            if re.fullmatch(r"\d+", row["mentions"]) and int(row["mentions"]) != counts.get(
                row["agency_id"], 0
            ):
                out.append(
                    Violation(
                        agencies.file,
                        f"{row['mentions']} but activity_agencies.csv has {counts.get(row['agency_id'], 0)} "
                        "row(s) linking to it",
                        n,
                        "mentions",
                    )
                )
    if activities is not None:
        by_activity: dict[str, list[tuple[int, dict[str, str]]]] = {}
        for _, row in link_rows:
            seq = int(row["mention_seq"]) if re.fullmatch(r"\d+", row["mention_seq"]) else 0
            by_activity.setdefault(row["activity_id"], []).append((seq, row))
        for n, row in activities.dicts():
            mentions = [
                r for _, r in sorted(by_activity.get(row.get("activity_id", ""), []), key=lambda x: x[0])
            ]
            for role in ("leading", "supporting", "partner"):
                col = f"{role}_agency_ids"
                if col not in row:
                    continue
                ids = list(
                    dict.fromkeys(r["agency_id"] for r in mentions if r["role"] == role and r["agency_id"])
                )
                if row[col] != ";".join(ids):
                    out.append(
                        Violation(
                            activities.file,
                            f"{row[col]!r}, but activity_agencies.csv gives {';'.join(ids)!r}",
                            n,
                            col,
                        )
                    )
    return out


# ---------------------------------------------------------------- datapackage.json, plan.json, plan.sqlite


def datapackage_problems(path: Path, tables: dict[str, Table]) -> list[Violation]:
    file = "datapackage.json"
    try:
        package = json.loads((path / file).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [Violation(file, f"not valid JSON ({exc})")]
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        return [Violation(file, "not a data package (no list of resources)")]
    out: list[Violation] = []
    described: set[str] = set()
    for i, res in enumerate(package["resources"], start=1):
        if not isinstance(res, dict):
            out.append(Violation(file, f"resource {i} is not an object"))
            continue
        label = f"resource {res.get('name', i)}"
        rel = res.get("path")
        if not isinstance(rel, str) or not (path / rel).is_file():
            out.append(Violation(file, f"{label}: path {rel!r} is not a file of the folder"))
            continue
        described.add(rel)
        content = (path / rel).read_bytes()
        if res.get("bytes") != len(content):
            out.append(Violation(file, f"{label}: bytes is {res.get('bytes')}, {rel} has {len(content)}"))
        expected = f"sha256:{sha256_hex(content)}"
        if res.get("hash") != expected:
            out.append(Violation(file, f"{label}: hash is {res.get('hash')}, {rel} has {expected}"))
        table = next((tb for tb in tables.values() if tb.file == rel), None)
        if table is not None:
            if res.get("name") != table.name:
                out.append(Violation(file, f"{label}: name should be {table.name!r} for {rel}"))
            nap_schema = table_schema(table.name, table.header)
            if res.get("schema") != nap_schema:
                difference = schema_difference(res.get("schema"), nap_schema)
                out.append(
                    Violation(
                        file, f"{label}: schema differs from nap's Table Schema for {rel}: {difference}"
                    )
                )
    for table in tables.values():
        if table.file not in described:
            out.append(Violation(file, f"no resource for {table.file}"))
    plan_sha = plan_source_sha256(path / "plan.json")
    sources = package.get("sources") or []
    if plan_sha and not any(isinstance(s, dict) and s.get("hash") == f"sha256:{plan_sha}" for s in sources):
        out.append(
            Violation(file, f"sources: no entry with the hash of the PDF in plan.json (sha256:{plan_sha})")
        )
    return out


def schema_difference(found: Any, expected: dict[str, Any]) -> str:
    if not isinstance(found, dict):
        return "no inline schema"
    names = [f.get("name") for f in found.get("fields", []) if isinstance(f, dict)]
    want = [f["name"] for f in expected["fields"]]
    if names != want:
        return f"fields {names} instead of {want}"
    for f, g in zip(found["fields"], expected["fields"], strict=True):
        if f != g:
            keys = sorted(k for k in set(f) | set(g) if f.get(k) != g.get(k))
            return f"field {g['name']}: {', '.join(keys)}"
    keys = sorted(k for k in set(found) | set(expected) if found.get(k) != expected.get(k))
    return ", ".join(keys)


def plan_source_sha256(path: Path) -> str | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        sha = data["source"]["sha256"]
        return sha if isinstance(sha, str) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def plan_json_problems(path: Path, tables: dict[str, Table]) -> list[Violation]:
    file = "plan.json"
    try:
        plan = Plan.model_validate_json(path.read_bytes())
    except pydantic.ValidationError as exc:
        return [
            Violation(file, f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}")
            for err in exc.errors()
        ]
    out: list[Violation] = []
    activities = tables.get("activities")
    if activities is not None and "activity_id" in activities.header:
        col = activities.header.index("activity_id")
        in_csv = {rec[col] for rec in activities.records if len(rec) > col}
        in_plan = {a.activity_id for a in plan.activities()}
        for aid in sorted(in_csv - in_plan, key=id_sort_key):
            out.append(Violation(file, f"activity {aid!r} is in activities.csv but not in plan.json"))
        for aid in sorted(in_plan - in_csv, key=id_sort_key):
            out.append(Violation(file, f"activity {aid!r} is in plan.json but not in activities.csv"))
    return out


def id_sort_key(aid: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in aid.split("."))


def sqlite_problems(path: Path, tables: dict[str, Table]) -> list[Violation]:
    file = "plan.sqlite"
    out: list[Violation] = []
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [Violation(file, f"cannot open ({exc})")]
    try:
        try:
            objects = dict(con.execute("SELECT name, type FROM sqlite_master").fetchall())
        except sqlite3.DatabaseError as exc:
            return [Violation(file, f"not an SQLite database ({exc})")]
        for t in TABLES:
            if objects.get(t) != "table":
                out.append(Violation(file, f"no table {t}"))
                continue
            table = tables.get(t)
            if table is None:
                continue
            columns = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]
            rows = con.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall()
            if columns != table.header:
                out.append(
                    Violation(file, f"table {t} has columns {columns}, {table.file} has {table.header}")
                )
                continue
            if len(rows) != len(table.records):
                out.append(
                    Violation(
                        file,
                        f"table {t} has {len(rows)} rows, {table.file} has {len(table.records)} "
                        "(plan.sqlite is out of date)",
                    )  # fmt: skip
                )
                continue
            try:
                _, expected = typed_rows(t, table.content)
            except SqliteBuildError:
                continue  # the CSV's own problems are reported above
            differ = next((i for i, (a, b) in enumerate(zip(rows, expected, strict=True)) if a != b), None)
            if differ is not None:
                out.append(
                    Violation(
                        file,
                        f"table {t} differs from {table.file} at row {differ + 2} "
                        "(plan.sqlite is out of date)",
                    )  # fmt: skip
                )
        for view in VIEWS:
            if objects.get(view.name) != "view":
                out.append(Violation(file, f"no view {view.name}"))
    except sqlite3.DatabaseError as exc:
        out.append(Violation(file, f"cannot read ({exc})"))
    finally:
        con.close()
    return out
