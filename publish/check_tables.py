"""`nap validate`'s checks of the CSV tables: headers, cells and keys (by frictionless against
`publish.tables`), unique keys, and the columns one table derives from another."""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.tables import (
    EXTRA_COLUMN_PATTERN,
    ForeignKey,
    csv_records,
    extra_columns,
    file_name,
    foreign_keys,
    standard_columns,
    table_schema,
)
from publish.violation import Table, Violation
from schema.names import quoted

TYPE_WORDS = {"integer": "an integer", "number": "a number", "date": "a date (YYYY-MM-DD)"}


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
        out += one_header_problems(t, table)
        if len(set(table.header)) == len(table.header) and all(c.strip() for c in table.header):
            table.schema = fitted_schema(t, table.header)
    return out


def unexpected_columns(table: str, header: list[str]) -> list[str]:
    """Columns no schema allows: any non-standard one, or in activities one not snake_case."""
    if table == "activities":
        return [c for c in extra_columns(header) if not re.fullmatch(EXTRA_COLUMN_PATTERN, c)]
    standard = standard_columns(table)
    return [c for c in header if c not in standard]


def one_header_problems(t: str, table: Table) -> list[Violation]:
    header, file = table.header, table.file
    standard = standard_columns(t)
    repeated = [c for c, n in Counter(header).items() if n > 1]
    blank = [i for i, c in enumerate(header, start=1) if not c.strip()]
    missing = [c for c in standard if c not in header]
    unexpected = unexpected_columns(t, header)
    out: list[Violation] = []
    if repeated:
        out.append(Violation(file, f"header repeats column(s) {', '.join(repeated)}"))
    if blank:
        out.append(Violation(file, f"header has blank column name(s) at position(s) {blank}"))
    if missing:
        out.append(Violation(file, f"header lacks column(s) {', '.join(missing)}"))
    if unexpected:
        what = "neither standard nor snake_case extra" if t == "activities" else "unknown"
        out.append(Violation(file, f"header has {what} column(s): {', '.join(unexpected)}"))
    return out + order_problems(t, table, missing)


def order_problems(t: str, table: Table, missing: list[str]) -> list[Violation]:
    """The standard columns in their order, and (activities) the extra ones after them."""
    header, standard = table.header, standard_columns(t)
    present = [c for c in header if c in standard]
    if present != [c for c in standard if c in header]:
        return [Violation(table.file, f"header columns out of order: expected {', '.join(standard)}")]
    if t == "activities" and header[: len(present)] != present and not missing:
        return [Violation(table.file, "header: extra columns must follow the standard ones")]
    return []


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


def checkable(key: ForeignKey, checked: dict[str, Table]) -> bool:
    """A foreign key frictionless can check: its target table was read, with the target columns."""
    target = checked.get(key.table)
    return target is not None and set(key.to) <= set(target.header)


def frictionless_problems(path: Path, tables: dict[str, Table]) -> list[Violation]:
    import frictionless

    checked = {t: tb for t, tb in tables.items() if tb.schema is not None}
    if not checked:
        return []
    resources = []
    for t, table in checked.items():
        schema = json.loads(json.dumps(table.schema))
        resolved = zip(schema.get("foreignKeys", []), foreign_keys(t, schema), strict=True)
        schema["foreignKeys"] = [fk for fk, key in resolved if checkable(key, checked)]
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
        return [Violation(next(iter(checked.values())).file, str(exc))]  # the first table, in TABLES order
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


@dataclass(frozen=True)
class Error:
    """The parts of a frictionless error that the messages use."""

    table: Table
    row: int | None
    name: str | None
    cell: Any
    note: str
    field: dict[str, Any]

    def at(self, problem: str, field: str | None = None) -> Violation:
        return Violation(self.table.file, problem, self.row, field)


def constraint_error(e: Error) -> Violation:
    m = re.search(r'constraint "(\w+)"', e.note)
    constraint = m.group(1) if m else ""
    cons = e.field.get("constraints", {})
    messages = {
        "required": lambda: "empty, but required",
        "enum": lambda: f"{quoted(e.cell)} is not one of {', '.join(cons['enum'])}",
        "pattern": lambda: f"{quoted(e.cell)} does not match {cons['pattern']}",
        "minimum": lambda: f"{e.cell} is below the minimum {cons['minimum']}",
        "maximum": lambda: f"{e.cell} is above the maximum {cons['maximum']}",
    }
    message = messages.get(constraint)
    text = message() if message else f"{quoted(e.cell)} breaks the {constraint or 'a'} constraint"
    return e.at(text, e.name)


def type_error(e: Error) -> Violation:
    what = TYPE_WORDS.get(e.field.get("type"), e.field.get("type"))
    return e.at(f"{quoted(e.cell)} is not {what}", e.name)


def unique_error(e: Error) -> Violation | None:
    if (e.table.schema or {}).get("primaryKey", []) == [e.name]:
        return None  # reported as a duplicate primary key
    return e.at(f"{quoted(e.cell)} is duplicated{_position(e.note)}", e.name)


def primary_key_error(e: Error) -> Violation:
    pk = (e.table.schema or {}).get("primaryKey", [])
    values = _record(e.table, e.row)
    key = ", ".join(pk)
    if "None" in e.note and "position" not in e.note:
        return e.at(f"primary key ({key}) is empty")
    shown = ", ".join(quoted(values.get(c, "")) for c in pk)
    return e.at(f"duplicate primary key ({key}) = ({shown}){_position(e.note)}")


def foreign_key_error(e: Error, error: Any) -> Violation:
    names = list(getattr(error, "field_names", None) or [])
    record = _record(e.table, e.row)
    shown = ", ".join(quoted(record.get(c, "")) for c in names)
    ref = getattr(error, "reference_name", "") or e.table.name
    ref_fields = list(getattr(error, "reference_field_names", None) or names)
    return e.at(f"{shown} is not in {file_name(ref)} ({', '.join(ref_fields)})", ", ".join(names))


def cell_count_error(e: Error) -> Violation:
    records = e.table.records
    n = len(records[e.row - 2]) if e.row and 2 <= e.row <= len(records) + 1 else "?"
    return e.at(f"has {n} cells, the header has {len(e.table.header)}")


MESSAGES = {
    "type-error": type_error,
    "constraint-error": constraint_error,
    "unique-error": unique_error,
    "primary-key": primary_key_error,
    "missing-cell": cell_count_error,
    "extra-cell": cell_count_error,
    "blank-row": lambda e: e.at("blank row"),
    "hash-count": lambda e: None,  # the folder's datapackage.json is compared in check_files
    "byte-count": lambda e: None,
}


def describe_error(table: Table, error: Any) -> Violation | None:
    """One frictionless error as a readable violation (None for one another message covers)."""
    name = getattr(error, "field_name", None)
    e = Error(
        table,
        getattr(error, "row_number", None),
        name,
        getattr(error, "cell", None),
        getattr(error, "note", "") or "",
        _fields(table).get(name or "", {}),
    )
    if error.type == "foreign-key":
        return foreign_key_error(e, error)
    if error.type in MESSAGES:
        return MESSAGES[error.type](e)
    return e.at(f"{error.title}: {e.note}".rstrip(": "), name)


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
                    shown = ", ".join(quoted(v) for v in values)
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


LINK_COLUMNS = {"activity_id", "mention_seq", "role", "agency_id", "agency_name", "match"}


def agreement_problems(tables: dict[str, Table]) -> list[Violation]:
    """Columns derived from another table must agree with it."""
    links = tables.get("activity_agencies")
    if links is None or not set(links.header) >= LINK_COLUMNS:
        return activity_seq_problems(tables)
    out = activity_seq_problems(tables) + match_problems(links)
    agencies = tables.get("agencies")
    if agencies is not None and {"agency_id", "name", "mentions"} <= set(agencies.header):
        out += agency_name_problems(links, agencies) + mention_count_problems(links, agencies)
    activities = tables.get("activities")
    if activities is not None:
        out += role_id_problems(activities, links)
    return out


def activity_seq_problems(tables: dict[str, Table]) -> list[Violation]:
    """`activity_seq` is the `seq` of the row's activity in activities.csv (empty for none)."""
    activities = tables.get("activities")
    if activities is None or not {"activity_id", "seq"} <= set(activities.header):
        return []
    seqs = {row["activity_id"]: row["seq"] for _, row in activities.dicts()}
    out = []
    for t, table in tables.items():
        if t == "activities" or not {"activity_id", "activity_seq"} <= set(table.header):
            continue
        for n, row in table.dicts():
            expected = seqs.get(row["activity_id"], "")
            if row["activity_seq"] != expected:
                aid = row["activity_id"]
                seq = quoted(row["activity_seq"])
                problem = f"{seq}, but the seq of {quoted(aid)} in activities.csv is {quoted(expected)}"
                out.append(Violation(table.file, problem, n, "activity_seq"))
    return out


def match_problems(links: Table) -> list[Violation]:
    """`unmatched` exactly when there is no agency_id."""
    out = []
    for n, row in links.dicts():
        if (row["match"] == "unmatched") != (row["agency_id"] == ""):
            problem = (
                f"match is \"unmatched\" but agency_id is {quoted(row['agency_id'])}"
                if row["match"] == "unmatched"
                else f"agency_id is empty but match is {quoted(row['match'])}"
            )
            out.append(Violation(links.file, problem, n, "match"))
    return out


def agency_name_problems(links: Table, agencies: Table) -> list[Violation]:
    names = {r["agency_id"]: r["name"] for _, r in agencies.dicts()}
    out = []
    for n, row in links.dicts():
        name = names.get(row["agency_id"])
        if name is not None and row["agency_name"] != name:
            problem = (
                f"{quoted(row['agency_name'])} is not the name of {quoted(row['agency_id'])} "
                f"in agencies.csv ({quoted(name)})"
            )
            out.append(Violation(links.file, problem, n, "agency_name"))
    return out


def mention_count_problems(links: Table, agencies: Table) -> list[Violation]:
    counts = Counter(row["agency_id"] for _, row in links.dicts() if row["agency_id"])
    out = []
    for n, row in agencies.dicts():
        found = counts.get(row["agency_id"], 0)
        if re.fullmatch(r"\d+", row["mentions"]) and int(row["mentions"]) != found:
            problem = f"{row['mentions']} but activity_agencies.csv has {found} row(s) linking to it"
            out.append(Violation(agencies.file, problem, n, "mentions"))
    return out


def mentions_by_activity(links: Table) -> dict[str, list[dict[str, str]]]:
    """Each activity's link rows, in mention order."""
    by_activity: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for _, row in links.dicts():
        seq = int(row["mention_seq"]) if re.fullmatch(r"\d+", row["mention_seq"]) else 0
        by_activity.setdefault(row["activity_id"], []).append((seq, row))
    return {aid: [r for _, r in sorted(rows, key=lambda x: x[0])] for aid, rows in by_activity.items()}


def role_id_problems(activities: Table, links: Table) -> list[Violation]:
    """`<role>_agency_ids` lists the role's resolved ids of activity_agencies.csv, once each."""
    by_activity = mentions_by_activity(links)
    out = []
    for n, row in activities.dicts():
        mentions = by_activity.get(row.get("activity_id", ""), [])
        for role in ("leading", "supporting", "partner"):
            col = f"{role}_agency_ids"
            if col not in row:
                continue
            resolved = [r["agency_id"] for r in mentions if r["role"] == role and r["agency_id"]]
            ids = ";".join(dict.fromkeys(resolved))
            if row[col] != ids:
                problem = f"{quoted(row[col])}, but activity_agencies.csv gives {quoted(ids)}"
                out.append(Violation(activities.file, problem, n, col))
    return out
