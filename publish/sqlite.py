"""plan.sqlite: the output CSVs as one SQLite database, with their keys and views for common questions.

Built from the CSV bytes (not from the models), so every table holds exactly what its CSV holds:
the same rows in the same order, empty cells as NULL, integers and numbers typed, dates as ISO
text. Column types, NOT NULL, primary, unique and foreign keys follow `publish.package.TABLE_SCHEMAS`.
The file is deterministic: the same CSVs give the same bytes (with the same SQLite library).
"""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publish.tables import TABLES, csv_records, file_name, foreign_keys, table_schema

SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "string": "TEXT", "date": "TEXT"}


class SqliteBuildError(ValueError):
    """The CSVs cannot be loaded as typed, keyed tables (a bad value or a broken key)."""


@dataclass(frozen=True)
class View:
    name: str
    columns: tuple[str, ...]
    description: str
    sql: str
    example: str


VIEWS: tuple[View, ...] = (
    View(
        "agency_activities",
        ("agency_id", "agency_name", "role", "column", "activity_id", "activity"),
        "Who does what: one row per (agency, role, cell, activity), resolved mentions only "
        "(an agency mentioned twice with the same role in one cell counts once).",
        """
SELECT DISTINCT l.agency_id AS agency_id, g.name AS agency_name, l.role AS role, l."column" AS "column",
       l.activity_id AS activity_id, a.activity AS activity
FROM activity_agencies AS l
JOIN agencies AS g ON g.agency_id = l.agency_id
JOIN activities AS a ON a.activity_id = l.activity_id
""",
        "SELECT activity_id, activity FROM agency_activities WHERE agency_id = 'mia' AND role = 'leading';",
    ),
    View(
        "activities_per_agency",
        ("agency_id", "agency_name", "role", "activities"),
        "Number of distinct activities per agency and role.",
        """
SELECT l.agency_id AS agency_id, g.name AS agency_name, l.role AS role,
       COUNT(DISTINCT l.activity_id) AS activities
FROM activity_agencies AS l
JOIN agencies AS g ON g.agency_id = l.agency_id
GROUP BY l.agency_id, g.name, l.role
""",
        "SELECT agency_name, activities FROM activities_per_agency WHERE role = 'leading' "
        "ORDER BY activities DESC;",
    ),
    View(
        "activities_per_goal_year",
        ("goal_id", "goal", "year", "activities"),
        "Number of activities per strategic goal and calendar year: an activity counts in every year "
        "its timeline_start..timeline_end touches; activities whose timeline was not parsed are "
        "counted under year NULL.",
        """
WITH RECURSIVE years(activity_id, year, last_year) AS (
    SELECT activity_id, CAST(substr(timeline_start, 1, 4) AS INTEGER),
           CAST(substr(timeline_end, 1, 4) AS INTEGER)
    FROM activities
    WHERE timeline_start IS NOT NULL AND timeline_end IS NOT NULL
    UNION ALL
    SELECT activity_id, year + 1, last_year FROM years WHERE year < last_year
), placed(activity_id, year) AS (
    SELECT activity_id, year FROM years
    UNION ALL
    SELECT activity_id, NULL FROM activities WHERE timeline_start IS NULL OR timeline_end IS NULL
)
SELECT a.goal_id AS goal_id, a.goal AS goal, p.year AS year, COUNT(DISTINCT a.activity_id) AS activities
FROM placed AS p
JOIN activities AS a ON a.activity_id = p.activity_id
GROUP BY a.goal_id, a.goal, p.year
""",
        "SELECT year, goal, activities FROM activities_per_goal_year ORDER BY year, goal_id;",
    ),
    View(
        "activities_per_goal",
        ("goal_id", "goal", "activities"),
        "Number of activities per strategic goal, each activity once (activities_per_goal_year counts "
        "it once per year it touches), goals in document order; an unnamed goal has goal_id NULL.",
        """
SELECT a.goal_id AS goal_id, a.goal AS goal, COUNT(*) AS activities
FROM activities AS a
GROUP BY a.goal_id, a.goal
ORDER BY MIN(a.seq)
""",
        "SELECT goal_id, goal, activities FROM activities_per_goal;",
    ),
    View(
        "activities_per_agency_rollup",
        ("agency_id", "agency_name", "role", "activities"),
        "Number of distinct activities per agency and role, rolled up: an activity counts for the agency "
        "mentioned and for every body above it, its parent (a unit's ministry) and its host (the body "
        "hosting a council's secretariat), and theirs, once per (agency, role, activity). Answers "
        '"which ministry leads most?"; activities_per_agency counts the bodies as mentioned.',
        """
WITH RECURSIVE up(agency_id, role, activity_id) AS (
    SELECT agency_id, role, activity_id FROM activity_agencies WHERE agency_id IS NOT NULL
    UNION
    SELECT above.agency_id, up.role, up.activity_id
    FROM up
    JOIN agencies AS g ON g.agency_id = up.agency_id
    JOIN agencies AS above ON above.agency_id IN (g.parent_id, g.host_id)
)
SELECT up.agency_id AS agency_id, g.name AS agency_name, up.role AS role,
       COUNT(DISTINCT up.activity_id) AS activities
FROM up
JOIN agencies AS g ON g.agency_id = up.agency_id
GROUP BY up.agency_id, g.name, up.role
""",
        "SELECT agency_name, activities FROM activities_per_agency_rollup WHERE role = 'leading' "
        "ORDER BY activities DESC, agency_name LIMIT 5;",
    ),
    View(
        "agency_goal_matrix",
        ("agency_id", "agency_name", "goal_id", "activities"),
        "Number of distinct activities per agency (as mentioned, any role, resolved mentions only) and "
        "strategic goal: the agency x goal matrix, one row per non-empty cell.",
        """
SELECT l.agency_id AS agency_id, g.name AS agency_name, a.goal_id AS goal_id,
       COUNT(DISTINCT l.activity_id) AS activities
FROM activity_agencies AS l
JOIN agencies AS g ON g.agency_id = l.agency_id
JOIN activities AS a ON a.activity_id = l.activity_id
GROUP BY l.agency_id, g.name, a.goal_id
""",
        "SELECT agency_name, goal_id, activities FROM agency_goal_matrix WHERE agency_id = 'mia' "
        "ORDER BY goal_id;",
    ),
    View(
        "unresolved_mentions",
        ("activity_id", "mention_seq", "column", "role", "mention", "note", "match", "score", "activity"),
        "Agency mentions that resolve to no registry entity (empty agency_id), with their activity.",
        """
SELECT l.activity_id AS activity_id, l.mention_seq AS mention_seq, l."column" AS "column", l.role AS role,
       l.mention AS mention, l.note AS note, l.match AS match, l.score AS score, a.activity AS activity
FROM activity_agencies AS l
LEFT JOIN activities AS a ON a.activity_id = l.activity_id
WHERE l.agency_id IS NULL
""",
        "SELECT mention, COUNT(*) AS times FROM unresolved_mentions GROUP BY mention ORDER BY times DESC;",
    ),
)


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(table: str, schema: dict[str, Any]) -> str:
    """CREATE TABLE with the types, NOT NULL, keys and references of the Table Schema."""
    lines = []
    for f in schema["fields"]:
        cons = f.get("constraints", {})
        col = f"{quote(f['name'])} {SQL_TYPES.get(f['type'], 'TEXT')}"
        if cons.get("required") or f["name"] in schema.get("primaryKey", []):
            col += " NOT NULL"
        if cons.get("unique") and schema.get("primaryKey") != [f["name"]]:
            col += " UNIQUE"
        if "enum" in cons:
            values = ", ".join("'" + v.replace("'", "''") + "'" for v in cons["enum"])
            col += f" CHECK ({quote(f['name'])} IN ({values}))"
        if "minimum" in cons:
            col += f" CHECK ({quote(f['name'])} >= {cons['minimum']})"
        if "maximum" in cons:
            col += f" CHECK ({quote(f['name'])} <= {cons['maximum']})"
        lines.append(col)
    if schema.get("primaryKey"):
        lines.append(f"PRIMARY KEY ({', '.join(quote(c) for c in schema['primaryKey'])})")
    for fk in foreign_keys(table, schema):
        columns, target = ", ".join(quote(c) for c in fk.fields), ", ".join(quote(c) for c in fk.to)
        lines.append(f"FOREIGN KEY ({columns}) REFERENCES {quote(fk.table)} ({target})")
    body = ",\n    ".join(lines)
    return f"CREATE TABLE {quote(table)} (\n    {body}\n)"


def unique_index_sql(table: str, schema: dict[str, Any]) -> list[str]:
    """A unique index per uniqueKey; a nullable column is indexed as COALESCE(col, '') so that a
    missing value counts as a value (SQLite's UNIQUE would let NULLs repeat)."""
    out = []
    required = {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")}
    for n, key in enumerate(schema.get("uniqueKeys", []), start=1):
        cols = ", ".join(quote(c) if c in required else f"COALESCE({quote(c)}, '')" for c in key)
        out.append(f"CREATE UNIQUE INDEX {quote(f'{table}_key{n}')} ON {quote(table)} ({cols})")
    return out


def index_sql() -> list[str]:
    """Indexes on the foreign keys, for the joins of the views."""
    return [
        'CREATE INDEX "activity_agencies_agency" ON "activity_agencies" ("agency_id", "role")',
        'CREATE INDEX "agencies_parent" ON "agencies" ("parent_id")',
        'CREATE INDEX "agencies_host" ON "agencies" ("host_id")',
        'CREATE INDEX "activities_goal" ON "activities" ("goal_id")',
        'CREATE INDEX "activities_objective" ON "activities" ("objective_id")',
        'CREATE INDEX "objectives_goal" ON "objectives" ("goal_id")',
    ]


def typed_value(raw: str, type_: str) -> Any:
    """A CSV cell as the SQLite value: '' -> NULL, integer -> int, number -> float, else text."""
    if raw == "":
        return None
    if type_ == "integer":
        return int(raw)
    if type_ == "number":
        return float(raw)
    return raw


def typed_rows(table: str, content: bytes) -> tuple[dict[str, Any], list[tuple]]:
    """(Table Schema for the header, typed rows) of one CSV; SqliteBuildError on a bad value."""
    header, records = csv_records(content)
    schema = table_schema(table, header)
    names = [f["name"] for f in schema["fields"]]
    if header != names:
        raise SqliteBuildError(f"{file_name(table)}: header {header} is not {names}")
    types = [f["type"] for f in schema["fields"]]
    rows = []
    for number, record in enumerate(records, start=2):
        if len(record) != len(names):
            raise SqliteBuildError(
                f"{file_name(table)}, row {number}: {len(record)} cells, the header has {len(names)}"
            )
        try:
            rows.append(tuple(typed_value(v, t) for v, t in zip(record, types, strict=True)))
        except ValueError as exc:
            raise SqliteBuildError(f"{file_name(table)}, row {number}: {exc}") from None
    return schema, rows


def build(con: sqlite3.Connection, files: dict[str, bytes]) -> None:
    """Create and fill every table, index and view in `con` (autocommit mode), in one transaction."""
    missing = [file_name(t) for t in TABLES if file_name(t) not in files]
    if missing:
        raise SqliteBuildError(f"cannot build plan.sqlite: no {', '.join(missing)}")
    loaded = {t: typed_rows(t, files[file_name(t)]) for t in TABLES}
    con.execute("BEGIN")
    try:
        for table, (schema, rows) in loaded.items():
            con.execute(create_table_sql(table, schema))
            for stmt in unique_index_sql(table, schema):
                con.execute(stmt)
            marks = ", ".join("?" for _ in schema["fields"])
            try:
                con.executemany(f"INSERT INTO {quote(table)} VALUES ({marks})", rows)
            except sqlite3.IntegrityError as exc:
                raise SqliteBuildError(f"{file_name(table)}: {exc}") from None
        for stmt in index_sql():
            con.execute(stmt)
        for view in VIEWS:
            con.execute(f"CREATE VIEW {quote(view.name)} AS {view.sql.strip()}")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    broken = con.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _ = broken[0]
        raise SqliteBuildError(
            f"{file_name(table)}: {len(broken)} row(s) refer to a missing row of {file_name(parent)} "
            f"(first: row {rowid + 1})"
        )


def sqlite_bytes(files: dict[str, bytes]) -> bytes:
    """plan.sqlite built from the CSVs of `files` (file name -> bytes), as bytes.

    Raises SqliteBuildError (a ValueError) when a CSV does not fit its Table Schema's types, or
    breaks a primary, unique or foreign key.
    """
    with tempfile.TemporaryDirectory(prefix="nap-sqlite-") as tmp:
        path = Path(tmp) / "plan.sqlite"
        con = sqlite3.connect(path, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode = DELETE")
            con.execute("PRAGMA synchronous = OFF")  # a scratch file: durability is not needed
            con.execute("PRAGMA foreign_keys = OFF")  # checked once, after loading (self-references)
            build(con, files)
            con.execute("VACUUM")
        finally:
            con.close()
        return path.read_bytes()


def sqlite_dump(data: bytes) -> str:
    """The SQL text (schema and rows) of a plan.sqlite given as bytes: compare databases by content
    where their bytes may differ only because another SQLite library wrote them."""
    con = sqlite3.connect(":memory:")
    try:
        con.deserialize(data)
        return "\n".join(con.iterdump()) + "\n"
    finally:
        con.close()
