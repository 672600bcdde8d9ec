"""The Table Schemas of the output CSVs: the one place where every column is described.

Each column's type, constraints, meaning and origin in the PDF (`pdfSource`, a custom property)
are declared here; the CSV rows (`publish.rows`), the data package (`publish.datapackage`), the
SQLite database (`publish.sqlite`), the codebook (`publish.codebook`) and the folder check
(`publish.validate`) are all derived from it, so they cannot disagree. This module imports nothing
from `publish`. Pure: no clock, no file system.
"""

from __future__ import annotations

import copy
import csv
import io
from typing import Any, NamedTuple

from normalize.amounts import derived

# The tables, in the order they are published.
TABLES = ("activities", "goals", "objectives", "activity_agencies", "indicators", "agencies", "review")

# Printed parts (digits, letters, roman numerals) joined by dots: "1.1.2", "A.1.3", "2.a.ii";
# "#k": the k-th time a number is printed
ACTIVITY_ID_PATTERN = r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*(#\d+)?$"
EXTRA_COLUMN_PATTERN = r"^[a-z][a-z0-9_]*$"

COLUMN_VALUES = ["responsible", "lead", "supporting", "partner"]
ROLE_VALUES = ["leading", "supporting", "partner"]
MATCH_VALUES = ["exact", "alias", "fuzzy", "unmatched"]


def _field(name: str, type_: str, description: str, pdf_source: str, **constraints: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": type_, "description": description, "pdfSource": pdf_source}
    if type_ == "date":
        out["format"] = "default"  # ISO 8601, YYYY-MM-DD
    if constraints:
        out["constraints"] = constraints
    return out


DERIVED = "not printed as such: derived by nap"

SEQ_DESCRIPTION = (
    "1-based document order of the activity (the order of activities.csv): sort by it, not by "
    "activity_id, which sorts as text (`2.1.10` before `2.1.2`)."
)


def activity_seq_field(required: bool) -> dict[str, Any]:
    """`activity_seq`: the `seq` of the row's activity, to sort in document order without a join."""
    constraints: dict[str, Any] = {"required": True} if required else {}
    return _field(
        "activity_seq",
        "integer",
        "`seq` of the activity in activities.csv (its document order)"
        + ("." if required else "; empty where the row names no activity."),
        DERIVED + " (the order the rows are printed in)",
        minimum=1,
        **constraints,
    )


HEADING_KEYS = (
    "{id} is the number as printed: unique where not empty, and what activities.csv refers to. "
    "{a} printed without a number, and the unnamed {what} nap holds {held} in, has an empty {id}: "
    "it is still a row, keyed by its seq, and its activities (their {id} empty too) refer to no row. "
    "A number printed again for another {what} is one row (its first title, its pages over both)."
)


def heading_fields(what: str, source: str) -> list[dict[str, Any]]:
    """The fields shared by goals.csv and objectives.csv, after the id (and the goal's id)."""
    return [
        _field("title", "string", f"Title of the {what}, its number removed.", source + ", number removed"),
        _field(
            "seq",
            "integer",
            f"1-based document order of the {what}: the key of this file.",
            DERIVED + " (the order they are printed in)",
            required=True,
            unique=True,
            minimum=1,
        ),
        _field(
            "page_first",
            "integer",
            f"First PDF page of the {what}: its heading or its first activity.",
            source + " and the rows of its activities",
            minimum=1,
        ),
        _field(
            "page_last",
            "integer",
            f"Last PDF page of the {what}: its heading or its last activity.",
            source + " and the rows of its activities",
            minimum=1,
        ),
    ]


GOAL_SOURCE = "the Strategic Goal cell (merged down its activities) or goal section row"
OBJECTIVE_SOURCE = "the Objective cell (merged down its activities) or objective section row"

HEADING_SCHEMAS: dict[str, dict[str, Any]] = {
    "goals": {
        "title": "Strategic goals",
        "description": "One row per strategic goal, in document order. "
        + HEADING_KEYS.format(
            id="goal_id", a="A goal", what="goal", held="activities printed outside any goal"
        ),
        "fields": [
            _field(
                "goal_id",
                "string",
                "Number of the goal as printed (activities.csv goal_id); empty for a goal printed "
                "without a number.",
                "the number at the start of " + GOAL_SOURCE,
                unique=True,
                pattern=ACTIVITY_ID_PATTERN,
            ),
            *heading_fields("goal", GOAL_SOURCE),
        ],
        "primaryKey": ["seq"],
    },
    "objectives": {
        "title": "Objectives",
        "description": "One row per objective, in document order. "
        + HEADING_KEYS.format(
            id="objective_id",
            a="An objective",
            what="objective",
            held="the activities of a plan without objectives",
        ),
        "fields": [
            _field(
                "objective_id",
                "string",
                "Number of the objective as printed (activities.csv objective_id); empty for an "
                "objective printed without a number.",
                "the number at the start of " + OBJECTIVE_SOURCE,
                unique=True,
                pattern=ACTIVITY_ID_PATTERN,
            ),
            _field(
                "goal_id",
                "string",
                "The goal the objective is printed under (goals.csv); empty under an unnumbered goal.",
                "the Strategic Goal cell beside it, or the goal section row above it",
                pattern=ACTIVITY_ID_PATTERN,
            ),
            *heading_fields("objective", OBJECTIVE_SOURCE),
        ],
        "primaryKey": ["seq"],
        "foreignKeys": [
            {"fields": ["goal_id"], "reference": {"resource": "goals", "fields": ["goal_id"]}},
        ],
    },
}

TABLE_SCHEMAS: dict[str, dict[str, Any]] = {
    "activities": {
        "title": "Activities",
        "description": "One row per activity of the plan's table, in document order.",
        "fields": [
            _field(
                "activity_id",
                "string",
                "Activity number as printed, without its trailing dot (`1.1.2`, `A.1.3`); a number printed "
                "with only its own part (`(i)`, `3.`, `1)`) is read under its objective or goal (`2.a.i`).",
                "the number at the start of the Activity cell (or the plan's number column, when it has one)",
                required=True,
                unique=True,
                pattern=ACTIVITY_ID_PATTERN,
            ),
            _field(
                "seq",
                "integer",
                SEQ_DESCRIPTION,
                DERIVED + " (the order the rows are printed in)",
                required=True,
                unique=True,
                minimum=1,
            ),
            _field(
                "goal_id",
                "string",
                "Number of the strategic goal the activity is under (goals.csv); empty for an activity "
                "printed outside any goal, or under a goal printed without a number.",
                "the number at the start of the Strategic Goal cell (merged down its activities), "
                "or of a goal section row",
                pattern=ACTIVITY_ID_PATTERN,
            ),
            _field(
                "goal",
                "string",
                "Title of the strategic goal, its number removed, filled down the merged cell.",
                "the Strategic Goal cell, lines joined, number removed",
            ),
            _field(
                "objective_id",
                "string",
                "Number of the objective the activity is under (objectives.csv); empty when the plan "
                "has no objectives, or the objective is printed without a number.",
                "the number at the start of the Objective cell (merged down its activities), "
                "or of an objective section row",
                pattern=ACTIVITY_ID_PATTERN,
            ),
            _field(
                "objective",
                "string",
                "Title of the objective, its number removed, filled down the merged cell.",
                "the Objective cell, lines joined, number removed",
            ),
            _field(
                "activity",
                "string",
                "Activity title without its number.",
                "the Activity cell, lines joined, number removed",
            ),
            _field(
                "responsible",
                "string",
                "The whole responsible-agency cell as printed (the document's own spelling kept), "
                'including its "Leading:"/"Supporting:" labels.',
                "the Responsible Governmental Agency cell, lines joined",
            ),
            _field(
                "partner",
                "string",
                "The whole partner cell as printed; empty when the cell is empty.",
                "the Partner Organization cell, lines joined",
            ),
            _field(
                "indicator",
                "string",
                "The whole indicator cell as printed; split into one row per indicator in indicators.csv.",
                "the Indicator cell, lines joined",
            ),
            _field(
                "timeline",
                "string",
                "The timeline as printed (`Second half of 2020`); in a plan with Start and End columns, "
                "`START – END` as printed (`Q3 2019 – Q4 2020`), or the one side printed.",
                "the Timeline cell, lines joined (or the Start and End cells)",
            ),
            _field(
                "timeline_start",
                "date",
                "First day of the timeline (`Second half of 2020` -> 2020-07-01), or of the Start cell's "
                "period (`Q3 2019` -> 2019-07-01); empty when the text cannot be parsed or no start is "
                "printed (then listed in review.csv).",
                "parsed from the Timeline cell (or the Start cell)",
            ),
            _field(
                "timeline_end",
                "date",
                "Last day of the timeline (`Second half of 2020` -> 2020-12-31), or of the End cell's "
                "period (`Q4 2020` -> 2020-12-31); empty when the text cannot be parsed or no end is "
                "printed (then listed in review.csv).",
                "parsed from the Timeline cell (or the End cell)",
            ),
            _field(
                "leading_agency_ids",
                "string",
                "Registry ids (agencies.csv) of the leading agencies, in order of mention, `;`-joined.",
                "the mentions with role `leading` in any agency cell, resolved against the registry",
            ),
            _field(
                "supporting_agency_ids",
                "string",
                'Registry ids of the supporting agencies (after a "Supporting:" label, or in a '
                "supporting column), `;`-joined.",
                "the mentions with role `supporting` in any agency cell, resolved against the registry",
            ),
            _field(
                "partner_agency_ids",
                "string",
                'Registry ids of the partners (unlabelled partner-cell items, or after a "Partners:" '
                "label), `;`-joined.",
                "the mentions with role `partner`, resolved against the registry",
            ),
            _field(
                "page_first",
                "integer",
                "First PDF page (1-based) the row is printed on.",
                "the page of the row's first cell fragment",
                minimum=1,
            ),
            _field(
                "page_last",
                "integer",
                "Last PDF page the row is printed on; differs from page_first when the row breaks "
                "across pages.",
                "the page of the row's last cell fragment",
                minimum=1,
            ),
        ],
        "primaryKey": ["activity_id"],
        "foreignKeys": [
            {"fields": ["goal_id"], "reference": {"resource": "goals", "fields": ["goal_id"]}},
            {"fields": ["objective_id"], "reference": {"resource": "objectives", "fields": ["objective_id"]}},
        ],
    },
    **HEADING_SCHEMAS,
    "activity_agencies": {
        "title": "Agency mentions and the registry entities they resolve to",
        "description": (
            "One row per (agency mention, resolved agency): a mention that names several registry "
            "entities has one row each; an unresolved mention has one row with an empty agency_id. "
            "There is no primaryKey: the natural key is (activity_id, mention_seq, agency_id), but "
            "agency_id is empty for an unresolved mention and a primary key may not hold missing "
            "values, and no subset of the columns without agency_id is unique. The key is declared "
            "in uniqueKeys instead (an empty agency_id counts as a value: an unresolved mention has "
            "exactly one row); plan.sqlite enforces it with a unique index and `nap validate` checks it."
        ),
        "fields": [
            _field(
                "activity_id",
                "string",
                "The activity (activities.csv).",
                "the row the agency cell is printed in",
                required=True,
                pattern=ACTIVITY_ID_PATTERN,
            ),
            activity_seq_field(required=True),
            _field(
                "mention_seq",
                "integer",
                "1-based order of the mention within the activity (all agency cells: responsible, lead, "
                "supporting, partner).",
                "the position of the item in the agency cells",
                required=True,
                minimum=1,
            ),
            _field(
                "column",
                "string",
                "The cell the mention is printed in.",
                "Responsible Governmental Agency cell (`responsible`; also a Lead Agency column with no "
                "supporting column beside it, and a combined Responsible/Partners column), Lead Agency "
                "cell (`lead`), Supporting Agencies cell (`supporting`) or Partner Organization cell "
                "(`partner`)",
                required=True,
                enum=COLUMN_VALUES,
            ),
            _field(
                "role",
                "string",
                '`leading`, `supporting` or `partner`: from a label printed before it ("Leading:", '
                '"Responsible:", "Supporting:", "Co-executors:", "Partners:", ...), else from its '
                "column (responsible and lead: `leading`; supporting: `supporting`; partner: `partner`; "
                'under a "Lead Agency first" header the first item leads, the others support).',
                "the label printed before the item in its cell, else its cell",
                required=True,
                enum=ROLE_VALUES,
            ),
            _field(
                "mention",
                "string",
                "The organisation as printed, without list punctuation.",
                "one item of the agency cell, split at `;`, list commas and role labels",
                required=True,
            ),
            _field(
                "note",
                "string",
                "A qualifier printed with the mention that is not an organisation "
                '("within a social advertising"), else empty.',
                'the tail of the item after a qualifier marker ("is requested to", "in agreement")',
            ),
            _field(
                "agency_id",
                "string",
                "Registry id of the entity the mention resolves to (agencies.csv); empty when unmatched.",
                DERIVED + " (registry resolution of the mention)",
            ),
            _field(
                "agency_name",
                "string",
                "Canonical registry name of agency_id; empty when unmatched.",
                DERIVED + " (the registry)",
            ),
            _field(
                "match",
                "string",
                "How the mention resolved: `exact` (canonical or short name, after folding), `alias` "
                "(a registered alias or a reviewer's decision), `fuzzy` (similar name, above threshold "
                "and margin), `unmatched` (empty agency_id; listed in review.csv).",
                DERIVED + " (registry resolution)",
                required=True,
                enum=MATCH_VALUES,
            ),
            _field(
                "score",
                "number",
                "Match score 0-100 (100 for exact and alias).",
                DERIVED + " (registry resolution)",
                minimum=0,
                maximum=100,
            ),
        ],
        "uniqueKeys": [["activity_id", "mention_seq", "agency_id"]],
        "foreignKeys": [
            {"fields": ["activity_id"], "reference": {"resource": "activities", "fields": ["activity_id"]}},
            {"fields": ["agency_id"], "reference": {"resource": "agencies", "fields": ["agency_id"]}},
        ],
    },
    "indicators": {
        "title": "Indicators",
        "description": "One row per indicator of an activity.",
        "fields": [
            _field(
                "activity_id",
                "string",
                "The activity (activities.csv).",
                "the row the Indicator cell is printed in",
                required=True,
                pattern=ACTIVITY_ID_PATTERN,
            ),
            activity_seq_field(required=True),
            _field(
                "seq",
                "integer",
                "1-based order of the indicator within the activity.",
                "the position of the indicator in the cell",
                required=True,
                minimum=1,
            ),
            _field(
                "indicator",
                "string",
                "One indicator: the cell split at `;`, or at a line where a new indicator starts without "
                "a separator; trailing `;`/`.` trimmed.",
                "the Indicator cell, split",
                required=True,
            ),
        ],
        "primaryKey": ["activity_id", "seq"],
        "foreignKeys": [
            {"fields": ["activity_id"], "reference": {"resource": "activities", "fields": ["activity_id"]}},
        ],
    },
    "agencies": {
        "title": "Agencies",
        "description": (
            "The registry entries the plan uses, with their organisational parents and hosts, and "
            "theirs (so parent_id and host_id always resolve within the file), by agency_id."
        ),
        "fields": [
            _field(
                "agency_id",
                "string",
                "Registry id.",
                DERIVED + " (the agency registry)",
                required=True,
                unique=True,
            ),
            _field("name", "string", "Canonical name.", DERIVED + " (the agency registry)", required=True),
            _field(
                "short_name", "string", "Short name or abbreviation, if any.", DERIVED + " (the registry)"
            ),
            _field(
                "kind",
                "string",
                "Kind of body (open vocabulary: ministry, lepl, department, council, prosecution, "
                "judiciary, fund, ombudsman, parliament, foreign_government, international_organisation, "
                "group, ...).",
                DERIVED + " (the agency registry)",
                required=True,
            ),
            _field(
                "parent_id",
                "string",
                "Registry id of the organisational parent (a row of this file), else empty.",
                DERIVED + " (the agency registry)",
            ),
            _field(
                "host_id",
                "string",
                "Registry id of the body hosting it (a ministry hosting a council's secretariat), a "
                "row of this file; not its organisational parent; else empty.",
                DERIVED + " (the agency registry's `host`)",
            ),
            _field(
                "mentions",
                "integer",
                "Number of activity_agencies.csv rows that link to it (0 for a parent only).",
                "counted over the mentions in the agency cells",
                required=True,
                minimum=0,
            ),
        ],
        "primaryKey": ["agency_id"],
        "foreignKeys": [
            {"fields": ["parent_id"], "reference": {"fields": ["agency_id"]}},
            {"fields": ["host_id"], "reference": {"fields": ["agency_id"]}},
        ],
    },
    "review": {
        "title": "Repairs made and things unresolved",
        "description": (
            "Every repair nap made and everything it could not resolve, for a reviewer to check. "
            "No primary key: one activity and field may have several items of the same kind."
        ),
        "fields": [
            _field(
                "activity_id",
                "string",
                "The activity concerned; empty for text printed outside the table.",
                "the row the repaired text is printed in",
                pattern=ACTIVITY_ID_PATTERN,
            ),
            activity_seq_field(required=False),
            _field(
                "field",
                "string",
                "The field(s) concerned, comma-joined (`responsible,partner`), or `page`.",
                "the column(s) of the repaired text",
                required=True,
            ),
            _field(
                "kind",
                "string",
                "Kind of repair or problem (open vocabulary: page_break_stitched, unmatched_agency, "
                "fuzzy_agency_match, timeline, ...; the kinds found are explained in README.md).",
                DERIVED,
                required=True,
            ),
            _field(
                "detail",
                "string",
                "What was done and to which text; for agency items the closest registry candidates and "
                "scores.",
                "quotes the text as printed",
            ),
            _field(
                "page",
                "integer",
                "PDF page (1-based) of the text concerned; empty when not tied to a page.",
                "the page of the text",
                minimum=1,
            ),
        ],
    },
}

EXTRA_FIELD_DESCRIPTION = (
    "An extra column of the plan's table (beyond the standard seven), carried through as printed."
)
EXTRA_FIELD_SOURCE = "the cell of that column, lines joined"

# Agency cells by role, columns of activities.csv (after the standard ones) only when a plan prints them.
ROLE_CELL_FIELDS: dict[str, dict[str, Any]] = {
    "lead": _field(
        "lead",
        "string",
        "The whole lead-agency cell as printed, in a plan that prints lead and supporting agencies "
        "in columns of their own; unlabelled items are `leading`.",
        "the Lead Agency cell, lines joined",
    ),
    "supporting": _field(
        "supporting",
        "string",
        "The whole supporting-agencies cell as printed; unlabelled items are `supporting`.",
        "the Supporting Agencies (Co-implementers, Co-executors) cell, lines joined",
    ),
}


def amount_fields(header: list[str]) -> dict[str, dict[str, Any]]:
    """The fields derived from each amount column X of an activities.csv header: `X_amount` (number)
    and `X_currency` (ISO code), recognised by following X in that order."""
    out: dict[str, dict[str, Any]] = {}
    for name, amount, currency in zip(header, header[1:], header[2:], strict=False):
        if (amount, currency) == (derived(name, "amount"), derived(name, "currency")):
            out[amount] = _field(
                amount,
                "number",
                f"The amount printed in `{name}`, as a number (thousands separators removed, the plan's "
                'decimal mark read as a point); empty when the cell names no amount ("State budget", '
                '"N/A") or when it cannot be read (then listed in review.csv).',
                f"parsed from the cell of `{name}`, with the decimal mark decided from all of the "
                "plan's amounts (plan.json `decimal_mark`)",
                minimum=0,
            )
            out[currency] = _field(
                currency,
                "string",
                f"ISO 4217 code of the amount in `{name}_amount`: printed in the cell (GEL, €, lari), "
                "else in the column's header (Budget (GEL)); empty when neither says.",
                f"the cell of `{name}`, else its header",
                pattern=r"^[A-Z]{3}$",
            )
    return out


def _extra_field(name: str) -> dict[str, Any]:
    """An extra column carried through as printed: text."""
    return {
        "name": name,
        "type": "string",
        "description": EXTRA_FIELD_DESCRIPTION,
        "pdfSource": EXTRA_FIELD_SOURCE,
    }


def file_name(table: str) -> str:
    return f"{table}.csv"


def standard_columns(table: str) -> list[str]:
    return [f["name"] for f in TABLE_SCHEMAS[table]["fields"]]


def extra_columns(header: list[str]) -> list[str]:
    """The columns of an activities.csv header beyond the standard ones, in order."""
    standard = set(standard_columns("activities"))
    return [c for c in header if c not in standard]


def table_schema(table: str, header: list[str] | None = None) -> dict[str, Any]:
    """The Table Schema of `table` (a fresh copy); for activities, the extra columns of `header`
    (those beyond the standard 17) are appended as string fields, in header order."""
    schema = copy.deepcopy(TABLE_SCHEMAS[table])
    schema["missingValues"] = [""]
    if table == "activities" and header:
        derived = amount_fields(header)
        for name in extra_columns(header):
            schema["fields"].append(
                copy.deepcopy(ROLE_CELL_FIELDS[name])
                if name in ROLE_CELL_FIELDS
                else derived.get(name, _extra_field(name))
            )
    return schema


class ForeignKey(NamedTuple):
    """A foreign key of a Table Schema, its target resolved: `fields` refer to `to` of `table`."""

    fields: list[str]
    table: str
    to: list[str]
    same_table: bool


def foreign_keys(table: str, schema: dict[str, Any]) -> list[ForeignKey]:
    """The schema's foreign keys; an empty `resource` is the table itself."""
    out = []
    for fk in schema.get("foreignKeys", []):
        target = fk["reference"].get("resource") or ""
        out.append(ForeignKey(fk["fields"], target or table, fk["reference"]["fields"], not target))
    return out


def csv_header(content: bytes) -> list[str]:
    """The header row of a CSV file's bytes ([] when empty)."""
    reader = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return next(reader, [])


def csv_records(content: bytes) -> tuple[list[str], list[list[str]]]:
    """(header, data rows) of a CSV file's bytes."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return (rows[0], rows[1:]) if rows else ([], [])
