"""The one declaration of an output folder's files: each file's name, what it holds and its renderer.

The writer (`render_outputs`), the names the folder may hold (`OUTPUT_NAMES`), `nap validate`'s
file list and checks, the data package's resources (the `table` outputs) and the codebook's table
of files are all derived from `OUTPUTS`; adding an output format is adding one `Output` here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from publish.check_files import datapackage_problems, plan_json_problems, sqlite_problems
from publish.codebook import codebook_markdown
from publish.datapackage import datapackage_json, package_title
from publish.review_html import review_html
from publish.rows import table_csv
from publish.sqlite import SqliteBuildError, sqlite_bytes
from publish.tables import TABLES, file_name
from publish.violation import Table, Violation
from schema.models import Plan


class OutputError(ValueError):
    """The outputs cannot be written: the folder holds other files, or the tables break their keys."""


@dataclass(frozen=True)
class Job:
    """What a renderer may use: the plan, the PDF it was read from, and the files rendered before."""

    plan: Plan
    pdf: Path
    password: str | None
    files: dict[str, bytes]


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


def source_args(job: Job) -> tuple[str, str, int, str]:
    src = job.plan.source
    return src.name, src.sha256, src.bytes, package_title(job.plan.preamble, Path(src.name).stem)


def sqlite_file(job: Job) -> bytes:
    try:
        return sqlite_bytes(job.files)
    except SqliteBuildError as exc:
        raise OutputError(f"the tables break their keys or types, so no database is written: {exc}") from exc


def codebook_file(job: Job) -> bytes:
    listing = [(o.name, o.summary) for o in OUTPUTS]
    return codebook_markdown(job.files, job.plan.source.name, listing).encode()


TABLE_SUMMARIES = {
    "activities": "one row per activity, in document order ({rows} rows)",
    "activity_agencies": "one row per (agency mention, resolved agency) ({rows} rows)",
    "indicators": "one row per indicator ({rows} rows)",
    "agencies": "the registry entries the plan uses, with their parents ({rows} rows)",
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
        "datapackage.json",
        "Frictionless Data Package (v2): a Table Schema per CSV (types, constraints, keys), sizes and "
        "sha256 hashes, and the source PDF's hash",
        lambda job: datapackage_json(job.files, *source_args(job)).encode(),
        datapackage_problems,
    ),
    Output(
        "plan.sqlite",
        "the five tables in one SQLite database, with their keys, and the views below",
        sqlite_file,
        sqlite_problems,
    ),
    Output("README.md", "this codebook", codebook_file),
    Output(
        "review.html",
        "every row of `review.csv` beside a crop of the PDF where its value was printed, to check by eye",
        lambda job: review_html(job.plan, job.pdf, job.password).encode(),
    ),
)
OUTPUT_NAMES = frozenset(o.name for o in OUTPUTS)


def render_outputs(plan: Plan, pdf: Path, password: str | None = None) -> dict[str, bytes]:
    """Every output file's bytes, in declaration order (a renderer sees the files before it)."""
    files: dict[str, bytes] = {}
    for output in OUTPUTS:
        files[output.name] = output.render(Job(plan, pdf, password, files))
    return files
