"""README.md of an output folder: the codebook of its files, tables, columns and database views.

Every column's type, constraints, meaning and origin in the PDF are rendered from
`publish.package.TABLE_SCHEMAS`, and every view from `publish.sqlite.VIEWS`, so the codebook, the data
package and the database cannot disagree. Pure: a function of the file bytes, no clock.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from publish.package import TABLES, amount_fields, csv_records, file_name, table_schema
from publish.sqlite import VIEWS

# What each review.csv kind means (the kinds nap writes; other kinds are listed without a meaning).
REVIEW_KINDS = {
    "page_break_stitched": "a row (or a merged goal/objective cell) continues at the top of the next page "
    "and was joined",
    "unnumbered_row_merged": "a row without an activity number joined to the activity above",
    "unnumbered_cell": "goal/objective cell text without a number: joined to the open goal/objective, "
    "or left out when none is open",
    "orphan_row": "a row printed before any numbered activity (not in activities.csv)",
    "numbering_mismatch": "an objective or activity number that does not nest under the goal/objective "
    "it is printed under",
    "duplicate_number": "an activity number printed more than once (a relative one, \"(i)\" or \"1)\", under "
    "the same goal/objective): the repeat is kept as `N#k`",
    "no_objective": "an activity printed outside any goal/objective cell",
    "joined_without_space": "a line break after a word-final hyphen or slash joined without a space "
    '("Anti-" + "Trafficking")',
    "no_agency": 'an agency cell, or a labelled run in one ("Partners: -"), reading "0", "-" or "N/A": '
    "no agency recorded",
    "empty_list_item": "an empty item between separators of an agency list, dropped",
    "parentheses_unwrapped": "an agency-list item printed inside parentheses, read without them",
    "comma_list_split": "an agency list separated by commas split",
    "note_separated": "a qualifier that is not an organisation moved to `note`",
    "unmatched_agency": "a mention that resolves to no registry entity, with the closest candidates",
    "fuzzy_agency_match": "a mention resolved by similarity, to check",
    "unmatched_agency_reviewed": "unmatched, and a reviewer decided it names no registry entity",
    "alias_out_of_period": "resolved through a name not in use during the plan's period",
    "indicator_split": "indicators split at a line break with no separator, and why",
    "timeline": "a timeline that is unparsed, open-ended or recurring; in Start and End columns, a side "
    "not printed or a start after its end",
    "text_outside_table": "text printed outside the table after the preamble",
    "amount": "an amount cell with digits that do not read as one amount (or not with the plan's decimal "
    "mark), or with a currency other than its header's: the amount is left empty or the cell's currency kept",
    "footnote_marker": "a footnote marker (a raised, smaller digit or letter printed right after a word) "
    "left out of the cell's text: the marker and the word it follows",
}

TYPE_NAMES = {"string": "text", "integer": "integer", "number": "number", "date": "date (YYYY-MM-DD)"}


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def constraint_text(field: dict[str, Any], schema: dict[str, Any]) -> str:
    cons = field.get("constraints", {})
    parts = []
    if field["name"] in schema.get("primaryKey", []):
        parts.append("key")
    if cons.get("required"):
        parts.append("required")
    if cons.get("unique"):
        parts.append("unique")
    if "enum" in cons:
        parts.append("one of " + ", ".join(f"`{v}`" for v in cons["enum"]))
    if "pattern" in cons:
        parts.append(f"matches `{cons['pattern']}`")
    if "minimum" in cons and "maximum" in cons:
        parts.append(f"{cons['minimum']}-{cons['maximum']}")
    elif "minimum" in cons:
        parts.append(f">= {cons['minimum']}")
    for fk in schema.get("foreignKeys", []):
        if fk["fields"] == [field["name"]]:
            target = fk["reference"].get("resource") or None
            where = file_name(target) if target else "this file"
            parts.append(f"refers to `{fk['reference']['fields'][0]}` of {where}")
    return "; ".join(parts) or "empty allowed"


def keys_text(table: str, schema: dict[str, Any]) -> list[str]:
    out = []
    if schema.get("primaryKey"):
        out.append(f"Primary key: ({', '.join(schema['primaryKey'])}).")
    else:
        out.append("No primary key.")
    for key in schema.get("uniqueKeys", []):
        out.append(f"Unique: ({', '.join(key)}).")
    for fk in schema.get("foreignKeys", []):
        target = fk["reference"].get("resource") or table
        out.append(
            f"`{', '.join(fk['fields'])}` refers to `{', '.join(fk['reference']['fields'])}` "
            f"of {file_name(target)} (when not empty)."
        )
    return out


def table_section(table: str, content: bytes) -> list[str]:
    header, rows = csv_records(content)
    schema = table_schema(table, header)
    lines = [
        f"### `{file_name(table)}` — {schema['title'].lower()} ({len(rows)} rows)",
        "",
        schema["description"],
        "",
        " ".join(keys_text(table, schema)),
        "",
        "| column | type | constraints | meaning | from the PDF |",
        "|---|---|---|---|---|",
    ]
    for f in schema["fields"]:
        lines.append(
            f"| `{f['name']}` | {TYPE_NAMES.get(f['type'], f['type'])} | {cell(constraint_text(f, schema))} "
            f"| {cell(f['description'])} | {cell(f['pdfSource'])} |"
        )
    lines.append("")
    if table == "agencies":
        kinds = Counter(r[header.index("kind")] for r in rows if "kind" in header)
        if kinds:
            lines += [
                "Kinds in this file: " + ", ".join(f"`{k}` ({n})" for k, n in sorted(kinds.items())),
                "",
            ]
    if table == "review":
        kinds = Counter(r[header.index("kind")] for r in rows if "kind" in header)
        if kinds:
            lines += ["| kind | rows | meaning |", "|---|---|---|"]
            for k, n in sorted(kinds.items()):
                lines.append(f"| `{k}` | {n} | {cell(REVIEW_KINDS.get(k, ''))} |")
            lines.append("")
    return lines


MARK_NAMES = {".": "a point (`1,500.50`)", ",": "a comma (`1.500,50`)"}


def amounts_note(files: dict[str, bytes]) -> list[str]:
    """How the `_amount` columns were read: the plan's decimal mark (plan.json), when it has them."""
    derived = amount_fields(csv_records(files[file_name("activities")])[0])
    if not derived:
        return []
    plan = json.loads(files["plan.json"]) if "plan.json" in files else {}
    mark = plan.get("decimal_mark")
    said = (
        f"this plan's decimal mark is {MARK_NAMES[mark]}, decided from all of its amounts"
        if mark in MARK_NAMES
        else "no amount of this plan shows its decimal mark, so a lone `,` or `.` before three digits "
        "was read as grouping thousands (`15,000` = 15000)"
    )
    columns = ", ".join(f"`{c}`" for c in derived if c.endswith("_amount"))
    return [f"Amounts ({columns}): {said} (plan.json `decimal_mark`).", ""]


def codebook_markdown(files: dict[str, bytes], source_name: str) -> str:
    """README.md for an output folder, from its five CSVs (`files`: file name -> bytes)."""
    missing = [file_name(t) for t in TABLES if file_name(t) not in files]
    if missing:
        raise ValueError(f"cannot write the codebook: no {', '.join(missing)}")
    counts = {t: len(csv_records(files[file_name(t)])[1]) for t in TABLES}
    lines = [
        f"# {source_name}, as data",
        "",
        f"The action-plan table of `{source_name}`, extracted by `nap`: one row per activity, the "
        "agencies responsible for each (every printed mention resolved against a registry of "
        "agencies), its indicators and timeline, and every repair made on the way. This README is "
        "the codebook. Every file is written by `nap extract` and is byte-identical on every run; "
        "check a folder, also after editing it by hand, with `nap validate DIR`.",
        "",
        "## Files",
        "",
        "| file | what it holds |",
        "|---|---|",
        f"| `activities.csv` | one row per activity, in document order ({counts['activities']} rows) |",
        f"| `activity_agencies.csv` | one row per (agency mention, resolved agency) "
        f"({counts['activity_agencies']} rows) |",
        f"| `indicators.csv` | one row per indicator ({counts['indicators']} rows) |",
        f"| `agencies.csv` | the registry entries the plan uses, with their parents "
        f"({counts['agencies']} rows) |",
        f"| `review.csv` | every repair made and everything unresolved ({counts['review']} rows) |",
        "| `plan.json` | the whole plan nested (goals → objectives → activities), with the page and box "
        "of every cell fragment each value came from, and how the table was found on each page "
        "(`structures`: `lattice` ruled cells, `stream` columns from the header and the text's alignment); "
        "validates against nap's `schema.models.Plan` |",
        "| `datapackage.json` | Frictionless Data Package (v2): a Table Schema per CSV (types, "
        "constraints, keys), sizes and sha256 hashes, and the source PDF's hash |",
        "| `plan.sqlite` | the five tables in one SQLite database, with their keys, and the views below |",
        "| `README.md` | this codebook |",
        "",
        "CSV files are UTF-8, comma-separated, with a header row. An empty cell is a missing value. "
        "Id lists are joined with `;`. Row numbers in `nap validate` messages count the header as row 1.",
        "",
        "## Load it",
        "",
        '- pandas: `acts = pd.read_csv("activities.csv", dtype=str, keep_default_na=False)`',
        '- R: `acts <- read.csv("activities.csv", colClasses = "character", na.strings = character(0))`',
        "- SQL: `sqlite3 plan.sqlite \"SELECT * FROM activities_per_agency WHERE role = 'leading'\"`",
        "- Frictionless: `frictionless validate datapackage.json`, or "
        '`frictionless.Package("datapackage.json").get_resource("activities").read_rows()`',
        "",
        "## Tables",
        "",
    ]
    for table in TABLES:
        lines += table_section(table, files[file_name(table)])
        if table == "activities":
            lines += amounts_note(files)
    lines += [
        "## Views of `plan.sqlite`",
        "",
        "The tables of `plan.sqlite` are the CSVs (same rows, same order; empty cells are NULL, "
        "integers and numbers typed, dates as ISO text) with their primary, unique and foreign keys. "
        "The views answer the common questions:",
        "",
    ]
    for view in VIEWS:
        lines += [
            f"### `{view.name}` ({', '.join(view.columns)})",
            "",
            view.description,
            "",
            "```sql",
            view.example,
            "```",
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"
