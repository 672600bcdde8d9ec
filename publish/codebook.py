"""README.md of an output folder: the codebook of its files, tables, columns and database views.

Every column's type, constraints, meaning and origin in the PDF are rendered from
`publish.tables.TABLE_SCHEMAS`, and every view from `publish.sqlite.VIEWS`, so the codebook, the data
package and the database cannot disagree. Pure: a function of the file bytes, no clock.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from publish.ocr_facts import (
    LOW_CONFIDENCE,
    engine_phrase,
    mode_phrase,
    ocr_pages,
    sentence,
    uncertain_phrase,
)
from publish.origin import EPOCH, Origin
from publish.sqlite import VIEWS
from publish.tables import TABLES, amount_fields, csv_records, file_name, foreign_keys, table_schema
from schema.models import Publication
from schema.names import quoted
from schema.review_kinds import meaning

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
    for fk in foreign_keys("", schema):
        if fk.fields == [field["name"]]:
            where = "this file" if fk.same_table else file_name(fk.table)
            parts.append(f"refers to `{fk.to[0]}` of {where}")
    return "; ".join(parts) or "empty allowed"


def keys_text(table: str, schema: dict[str, Any]) -> list[str]:
    out = []
    if schema.get("primaryKey"):
        out.append(f"Primary key: ({', '.join(schema['primaryKey'])}).")
    else:
        out.append("No primary key.")
    for key in schema.get("uniqueKeys", []):
        out.append(f"Unique: ({', '.join(key)}).")
    for fk in foreign_keys(table, schema):
        refers = f"`{', '.join(fk.fields)}` refers to `{', '.join(fk.to)}` of {file_name(fk.table)}"
        out.append(f"{refers} (when not empty).")
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
                lines.append(f"| `{k}` | {n} | {cell(meaning(k))} |")
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


def file_rows(listing: list[tuple[str, str]], counts: dict[str, int]) -> list[str]:
    """The Files table's rows: each file and what it holds; `{rows}` in a table's line is its row count."""
    return [f"| `{name}` | {summary.format(rows=counts.get(name, 0))} |" for name, summary in listing]


def flat(text: str) -> str:
    return " ".join(text.split())


METADATA = (("title", "title_meta"), ("producer", "producer"), ("creator", "creator"),
            ("created", "created"), ("modified", "modified"))  # fmt: skip


def source_line(origin: Origin) -> str:
    src = origin.source
    line = (
        f"- **Source**: `{src.name}` ({src.pages} pages, {src.bytes} bytes, sha256 `{src.sha256}`), "
        f"printed title {quoted(flat(origin.title))}."
    )
    said = [(what, flat(value)) for what, field in METADATA if (value := getattr(src, field))]
    said_text = ", ".join(f"{what} {quoted(v) if what == 'title' else v}" for what, v in said)
    return line + (f" Its metadata: {said_text}." if said else " Its metadata states nothing.")


def published_line(origin: Origin) -> str:
    pub = origin.source.publication or Publication()
    parts = [
        pub.publisher and f"by {flat(pub.publisher)}",
        pub.title and f"as {quoted(flat(pub.title))}",
        pub.source_url and f"at <{pub.source_url}>",
        pub.retrieved and f"retrieved {pub.retrieved}",
    ]
    parts = [p for p in parts if p]
    if not parts:
        return "- **Published**: not recorded (no publisher, address or retrieval date is set for this PDF)."
    return f"- **Published**: {', '.join(parts)}."


def extraction_line(origin: Origin) -> str:
    line = f"- **Extraction**: nap {origin.version}, engine `{origin.engine}`, "
    if origin.date is None:
        return line + f"undated (the PDF states no date; set {EPOCH} to date it)."
    how = "" if origin.dated_by == EPOCH else f"; {EPOCH}, when set, dates it instead"
    return line + f"dated {origin.date} ({origin.dated_by}{how})."


def terms_line(origin: Origin) -> str:
    lic = origin.licence
    refs = [x for x in (lic.name, lic.path and f"<{lic.path}>") if x]
    return f"- **Terms of the data**: {flat(lic.title)}" + (f" ({', '.join(refs)})." if refs else ".")


def source_lines(origin: Origin) -> list[str]:
    """The README's account of where the data comes from and on what terms (publish.origin)."""
    notice = origin.source.publication.notice if origin.source.publication else None
    return [
        "## Source and terms",
        "",
        source_line(origin),
        published_line(origin),
        extraction_line(origin),
        terms_line(origin),
        *([f"- **Notice**: {flat(notice)}"] if notice else []),
        "",
        f"A plan's publisher, address, retrieval date, terms and notice are set in `{origin.sidecar}` "
        "beside its PDF (see `datapackage.json` `provenance`).",
        "",
    ]


def ocr_lines(origin: Origin, files: dict[str, bytes]) -> list[str]:
    """The README's paragraph on the pages read by OCR (which, with what, what to check); none when
    no page was."""
    ocr = origin.ocr
    if ocr is None:
        return []
    header, rows = csv_records(files[file_name("review")])
    kind = header.index("kind") if "kind" in header else None
    items = sum(1 for r in rows if kind is not None and r[kind] == LOW_CONFIDENCE)
    pages = sentence(ocr_pages(ocr))
    return [
        f"{pages} {'was' if len(ocr.pages) == 1 else 'were'} read by OCR ({mode_phrase(ocr)}), with "
        f"{engine_phrase(ocr)}; {uncertain_phrase(ocr)}. Each page's counts and mean confidence are in "
        f"`plan.json` (`ocr`) and `summary.html`. The {items} `{LOW_CONFIDENCE}` rows of `review.csv` point "
        "at the values holding those words: check each against the scan of its words shown beside it in "
        "`review.html`.",
        "",
    ]


def opening_lines(origin: Origin) -> list[str]:
    """The README's title, what the folder is, and where it comes from."""
    name = origin.source.name
    return [
        f"# {name}, as data",
        "",
        f"The action-plan table of `{name}`, extracted by `nap`: one row per activity, the "
        "agencies responsible for each (every printed mention resolved against a registry of "
        "agencies), its indicators and timeline, and every repair made on the way. This README is "
        "the codebook. Every file is written by `nap extract` and is byte-identical on every run; "
        "check a folder, also after editing it by hand, with `nap validate DIR`.",
        "",
        *source_lines(origin),
    ]


def codebook_markdown(files: dict[str, bytes], origin: Origin, listing: list[tuple[str, str]]) -> str:
    """README.md for an output folder, from its CSVs (`files`: file name -> bytes), where they come
    from (`origin`) and the folder's files with what each holds (`listing`, publish.outputs.OUTPUTS)."""
    missing = [file_name(t) for t in TABLES if file_name(t) not in files]
    if missing:
        raise ValueError(f"cannot write the codebook: no {', '.join(missing)}")
    counts = {file_name(t): len(csv_records(files[file_name(t)])[1]) for t in TABLES}
    lines = [
        *opening_lines(origin),
        *ocr_lines(origin, files),
        "## Files",
        "",
        "| file | what it holds |",
        "|---|---|",
        *file_rows(listing, counts),
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
