"""The one declaration of an output folder's files: each file's name, what it holds and its renderer.

The writer (`render_outputs`), the names the folder may hold (`OUTPUT_NAMES`), `nap validate`'s
file list and checks, the data package's resources (the `table` outputs) and the codebook's table
of files are all derived from `OUTPUTS`; adding an output format is adding one `Output` here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publish.check_files import datapackage_problems, plan_json_problems, sqlite_problems
from publish.codebook import codebook_markdown
from publish.datapackage import datapackage_json
from publish.origin import origin_of
from publish.rows import table_csv
from publish.sqlite import SqliteBuildError, sqlite_bytes
from publish.summary_html import summary_html
from publish.tables import TABLES, file_name
from publish.violation import Table, Violation
from publish.xlsx import workbook_time, xlsx_bytes, xlsx_problems
from schema.models import Plan


class OutputError(ValueError):
    """The outputs cannot be written: the folder holds other files, or the tables break their keys."""


@dataclass(frozen=True)
class Job:
    """What a renderer may use: the plan, the PDF it was read from, the files rendered before, and
    what the run's renderers share (`made`: a text two of them hold, rendered once)."""

    plan: Plan
    pdf: Path
    password: str | None
    files: dict[str, bytes]
    made: dict[str, Any] = field(default_factory=dict)


Check = Callable[[Path, dict[str, Table]], list[Violation]]


@dataclass(frozen=True)
class Output:
    name: str
    summary: str  # the codebook's line for the file; `{rows}` is a table's row count
    render: Callable[[Job], bytes]
    check: Check | None = None  # `nap validate`'s check of the file, beyond its presence
    table: str | None = None  # a table of `publish.tables`: a CSV, a resource of the data package


def table_output(table: str, summary: str) -> Output:
    return Output(file_name(table), summary, lambda job: table_csv(job.plan, table).encode(), table=table)


def sqlite_file(job: Job) -> bytes:
    try:
        return sqlite_bytes(job.files)
    except SqliteBuildError as exc:
        raise OutputError(f"the tables break their keys or types, so no database is written: {exc}") from exc


def codebook(job: Job) -> str:
    """The codebook's Markdown, rendered once a run for README.md and plan.xlsx's README sheet: it
    reads the CSVs and plan.json, which are rendered before either."""
    if "codebook" not in job.made:
        listing = [(o.name, o.summary) for o in OUTPUTS]
        job.made["codebook"] = codebook_markdown(job.files, origin_of(job.plan), listing)
    return job.made["codebook"]


def xlsx_file(job: Job) -> bytes:
    """plan.xlsx: a sheet per table output (their CSVs rendered before it), charts and the codebook."""
    tables = [o.table for o in OUTPUTS if o.table]
    when = workbook_time(origin_of(job.plan).date)
    return xlsx_bytes(job.files, tables, codebook(job), when)


def review_file(job: Job) -> bytes:
    from publish.review_html import review_html  # (PIL): loaded for a run that writes outputs only

    return review_html(job.plan, job.pdf, job.password).encode()


TABLE_SUMMARIES = {
    "activities": "one row per activity, in document order (`seq`) ({rows} rows)",
    "goals": "one row per strategic goal: number, title, order, pages ({rows} rows)",
    "objectives": "one row per objective: number, its goal, title, order, pages ({rows} rows)",
    "activity_agencies": "one row per (agency mention, resolved agency) ({rows} rows)",
    "indicators": "one row per indicator ({rows} rows)",
    "agencies": "the registry entries the plan uses, with their parents and hosts ({rows} rows)",
    "review": "every repair made and everything unresolved ({rows} rows)",
}

OUTPUTS: tuple[Output, ...] = (
    *(table_output(t, TABLE_SUMMARIES[t]) for t in TABLES),
    Output(
        "plan.json",
        "the whole plan nested (goals → objectives → activities), with the page and box of every cell "
        "fragment each value came from, and how the table was found on each page (`structures`: "
        "`lattice` ruled cells, `stream` columns from the header and the text's alignment); validates "
        "against nap's `schema.models.Plan`",
        lambda job: (job.plan.model_dump_json(indent=2) + "\n").encode(),
        plan_json_problems,
    ),
    Output(
        "plan.xlsx",
        "the tables as one Excel workbook, a sheet each, typed by their schemas (ids and text as text, "
        "so `5.10` stays `5.10`; numbers as numbers; dates as dates), header frozen, autofilter on; "
        "a `charts` sheet (activities per agency by role, per goal) and a `README` sheet (this codebook)",
        xlsx_file,
        xlsx_problems,
    ),
    Output(
        "datapackage.json",
        "Frictionless Data Package (v2): a Table Schema per CSV (types, constraints, keys), sizes and "
        "sha256 hashes; the source PDF, the extraction and the terms of the data (`provenance`)",
        lambda job: datapackage_json(job.files, origin_of(job.plan)).encode(),
        datapackage_problems,
    ),
    Output(
        "plan.sqlite",
        "the tables in one SQLite database, with their keys, and the views below",
        sqlite_file,
        sqlite_problems,
    ),
    Output("README.md", "this codebook", lambda job: codebook(job).encode()),
    Output(
        "review.html",
        "every row of `review.csv` beside a crop of the PDF where its value was printed, to check by eye",
        review_file,
    ),
    Output(
        "summary.html",
        "charts of the plan as inline SVG, each with its numbers in a table: activities per agency by role, "
        "agency × goal matrix, activities over time (a Gantt by goal)",
        lambda job: summary_html(job.plan).encode(),
    ),
)
OUTPUT_NAMES = frozenset(o.name for o in OUTPUTS)


def render_outputs(plan: Plan, pdf: Path, password: str | None = None) -> dict[str, bytes]:
    """Every output file's bytes, in declaration order (a renderer sees the files before it)."""
    files: dict[str, bytes] = {}
    made: dict[str, Any] = {}
    for output in OUTPUTS:
        files[output.name] = output.render(Job(plan, pdf, password, files, made))
    return files
