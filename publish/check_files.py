"""`nap validate`'s checks of the files beside the CSVs: datapackage.json (sizes, hashes, schemas),
plan.json (the pydantic model, the same activities as the CSVs) and plan.sqlite (the same rows)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pydantic

from publish.datapackage import sha256_hex
from publish.sqlite import VIEWS, SqliteBuildError, typed_rows
from publish.tables import TABLES, table_schema
from publish.violation import Table, Violation
from schema.models import Plan
from schema.names import quoted

# ---------------------------------------------------------------- datapackage.json


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
        out += resource_problems(path, res, i, tables, described)
    for table in tables.values():
        if table.file not in described:
            out.append(Violation(file, f"no resource for {table.file}"))
    return out + source_problems(path, package)


def resource_problems(
    path: Path, res: dict[str, Any], i: int, tables: dict[str, Table], described: set[str]
) -> list[Violation]:
    """One resource's path, size, hash and (for a table) name and schema; adds its path to `described`."""
    file = "datapackage.json"
    label = f"resource {res.get('name', i)}"
    rel = res.get("path")
    if not isinstance(rel, str) or not (path / rel).is_file():
        return [Violation(file, f"{label}: path {quoted(rel)} is not a file of the folder")]
    described.add(rel)
    content = (path / rel).read_bytes()
    out = []
    if res.get("bytes") != len(content):
        out.append(Violation(file, f"{label}: bytes is {res.get('bytes')}, {rel} has {len(content)}"))
    expected = f"sha256:{sha256_hex(content)}"
    if res.get("hash") != expected:
        out.append(Violation(file, f"{label}: hash is {res.get('hash')}, {rel} has {expected}"))
    table = next((tb for tb in tables.values() if tb.file == rel), None)
    if table is None:
        return out
    if res.get("name") != table.name:
        out.append(Violation(file, f"{label}: name should be {quoted(table.name)} for {rel}"))
    nap_schema = table_schema(table.name, table.header)
    if res.get("schema") != nap_schema:
        difference = schema_difference(res.get("schema"), nap_schema)
        problem = f"{label}: schema differs from nap's Table Schema for {rel}: {difference}"
        out.append(Violation(file, problem))
    return out


def source_problems(path: Path, package: dict[str, Any]) -> list[Violation]:
    """The package names the PDF that plan.json says the folder came from."""
    plan_sha = plan_source_sha256(path / "plan.json")
    sources = package.get("sources") or []
    if plan_sha and not any(isinstance(s, dict) and s.get("hash") == f"sha256:{plan_sha}" for s in sources):
        problem = f"sources: no entry with the hash of the PDF in plan.json (sha256:{plan_sha})"
        return [Violation("datapackage.json", problem)]
    return []


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


# ---------------------------------------------------------------- plan.json


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
        plan = Plan.model_validate_json((path / file).read_bytes())
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
            out.append(Violation(file, f"activity {quoted(aid)} is in activities.csv but not in plan.json"))
        for aid in sorted(in_plan - in_csv, key=id_sort_key):
            out.append(Violation(file, f"activity {quoted(aid)} is in plan.json but not in activities.csv"))
    return out


def id_sort_key(aid: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in aid.split("."))


# ---------------------------------------------------------------- plan.sqlite

OUT_OF_DATE = "(plan.sqlite is out of date)"


def sqlite_problems(path: Path, tables: dict[str, Table]) -> list[Violation]:
    file = "plan.sqlite"
    try:
        con = sqlite3.connect(f"{(path / file).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [Violation(file, f"cannot open ({exc})")]
    try:
        try:
            objects = dict(con.execute("SELECT name, type FROM sqlite_master").fetchall())
        except sqlite3.DatabaseError as exc:
            return [Violation(file, f"not an SQLite database ({exc})")]
        out = []
        for t in TABLES:
            if objects.get(t) != "table":
                out.append(Violation(file, f"no table {t}"))
            elif t in tables:
                out += sqlite_table_problems(con, t, tables[t])
        out += [Violation(file, f"no view {v.name}") for v in VIEWS if objects.get(v.name) != "view"]
        return out
    except sqlite3.DatabaseError as exc:
        return [Violation(file, f"cannot read ({exc})")]
    finally:
        con.close()


def sqlite_table_problems(con: sqlite3.Connection, t: str, table: Table) -> list[Violation]:
    """The database's table holds the CSV's columns and rows, typed."""
    file = "plan.sqlite"
    columns = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]
    rows = con.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall()
    if columns != table.header:
        return [Violation(file, f"table {t} has columns {columns}, {table.file} has {table.header}")]
    if len(rows) != len(table.records):
        counts = f"table {t} has {len(rows)} rows, {table.file} has {len(table.records)}"
        return [Violation(file, f"{counts} {OUT_OF_DATE}")]
    try:
        _, expected = typed_rows(t, table.content)
    except SqliteBuildError:
        return []  # the CSV's own problems are reported with the CSV
    differ = next((i for i, (a, b) in enumerate(zip(rows, expected, strict=True)) if a != b), None)
    if differ is None:
        return []
    return [Violation(file, f"table {t} differs from {table.file} at row {differ + 2} {OUT_OF_DATE}")]
