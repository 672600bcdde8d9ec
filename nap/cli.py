"""The `nap` command.

`nap extract PLAN.pdf... [--out DIR] [--engine pdfplumber|camelot]` writes the datasets;
`nap registry unmatched DIR [--write FILE]` lists the agency mentions of an output folder that
need a reviewer's decision; `nap registry check` validates the registry and the decisions file;
`nap layout suggest PLAN.pdf` shows what layout detection finds and writes a profile skeleton for
headers it cannot map; `nap diff OLD_DIR NEW_DIR` writes what changed between two editions.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, replace
from importlib import import_module
from pathlib import Path

import click
import yaml

from extract import DEFAULT_ENGINE, ENGINES, PDFProblem
from extract.errors import shown_name
from extract.ocr import OcrSettings
from nap.inputs import InputError, check_pdf
from nap.options import decisions_option, limits_options, ocr_options, registry_option
from nap.pipeline import run
from nap.progress import Reporter
from normalize.plan import Config
from normalize.rows import LayoutError
from publish.origin import epoch_date
from publish.outputs import OutputError
from schema.models import Limits, Plan

DEFAULT_OUT = Path("data/clean")


@dataclass(frozen=True)
class Task:
    pdf: Path
    target: Path
    engine: str
    password: str | None
    keep_going: bool = False
    limits: Limits = Limits()
    ocr: OcrSettings = OcrSettings()


EXPECTED = (InputError, PDFProblem, LayoutError, OutputError)


def run_task(task: Task, config: Config, on_page=None) -> tuple[Plan, float] | Exception:
    """One PDF end to end; an expected problem is returned (to be reported), not raised."""
    started = time.perf_counter()
    try:
        check_pdf(task.pdf)
        plan = run(
            task.pdf,
            task.target,
            task.engine,
            config,
            password=task.password,
            on_page=on_page,
            keep_going=task.keep_going,
            limits=task.limits,
            ocr=task.ocr,
        )
    except EXPECTED as exc:
        return exc
    return plan, time.perf_counter() - started


def run_tasks(tasks: list[Task], config: Config, jobs: int, report: Reporter):
    """(task, outcome) in input order; with jobs > 1, PDFs run in that many processes."""
    if jobs == 1 or len(tasks) == 1:
        for task in tasks:
            with report.document(shown_name(task.pdf.name)) as on_page:
                outcome = run_task(task, config, on_page)
            yield task, outcome  # once the bar is cleared: the summary then starts a line of its own
        return
    from concurrent.futures import ProcessPoolExecutor  # 10 ms of imports a single PDF never needs

    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
        yield from zip(tasks, pool.map(run_task, tasks, [config] * len(tasks)), strict=True)


def out_dir_for(pdf: Path, out: Path | None, several: bool) -> Path:
    """One PDF: --out is the output folder. Several: --out holds one folder per PDF stem."""
    if out is not None and not several:
        return out
    return (out or DEFAULT_OUT) / pdf.stem


class Commands(click.Group):
    """The commands of `nap`, those of other modules imported only when one is run (or listed by
    --help): `nap extract` then compiles and loads none of their code (suggestions, registry edits,
    diffs)."""

    ELSEWHERE = {
        "diff": "nap.diff_cli:diff_command",
        "layout": "nap.layout_cli:layout_group",
        "registry": "nap.registry_cli:registry_group",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.ELSEWHERE])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.ELSEWHERE:
            return super().get_command(ctx, cmd_name)
        module, name = self.ELSEWHERE[cmd_name].split(":")
        return getattr(import_module(module), name)


@click.group(cls=Commands)
@click.version_option(package_name="nap")
def main() -> None:
    """Turn national action plan PDFs into clean, validated datasets."""


@main.command()
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (one PDF) or parent folder (several). Default: data/clean/<pdf stem>/.",
)
@click.option(
    "--engine",
    type=click.Choice(sorted(ENGINES)),
    default=DEFAULT_ENGINE,
    show_default=True,
    help="Table-structure detector.",
)
@click.option(
    "--layout",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Layout profile YAML, laid over the packaged layout.yaml (lists extended, values replaced).",
)
@registry_option
@decisions_option
@click.option("--password", default=None, help="Password of encrypted PDFs.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="PDFs processed in parallel (processes), or with one PDF, its pages read by OCR in parallel "
    "(threads); the output is the same as with one.",
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="A page that cannot be read, or whose content is damaged, does not fail the PDF: the other "
    "pages are extracted, a damaged one as far as it goes, and each is listed in review.csv "
    "(page_unreadable, page_damaged) and counted in the summary.",
)
@limits_options
@ocr_options
@click.option("--quiet", "-q", is_flag=True, help="Print errors only (no progress bar, no summary).")
@click.option(
    "--verbose", "-v", is_flag=True, help="Print the summary even when not on a terminal, with review counts."
)
def extract(
    pdfs: tuple[Path, ...],
    out: Path | None,
    engine: str,
    layout: Path | None,
    registry: Path | None,
    decisions: Path | None,
    password: str | None,
    jobs: int,
    keep_going: bool,
    limits: Limits,
    ocr: OcrSettings,
    quiet: bool,
    verbose: bool,
) -> None:
    """Extract the action-plan table of each PDF into CSV and JSON files.

    Each bad input gets one line on stderr, `nap: error: FILE: problem`, and no output: files
    are written to a temporary folder and moved into place only when complete, so a failed run
    leaves the previous output untouched. Several PDFs: a bad one does not stop the others.

    A page PDFium cannot load, or whose content is damaged, fails its PDF, naming the page; with
    --keep-going the other pages are extracted (a damaged one as far as it goes) and each is a
    review item (page_unreadable, page_damaged) counted in the summary.

    Exit status: 0 when every PDF was written; 1 when any PDF failed (missing, not a regular
    file, not a PDF, truncated or corrupt, encrypted without the right --password, a page that
    cannot be read, past a resource limit (--max-page-content, --max-content, --max-paths,
    --max-page-size, --max-ocr-megapixels), no text layer with --ocr never, no text found by OCR
    either, an OCR language not installed, no ruled table, a header that cannot be mapped, an output
    folder that cannot be written, a sidecar `<stem>.source.yaml` that does not load); 2 on a usage
    error (including a layout, registry or decisions file that does not load, or a
    SOURCE_DATE_EPOCH that is not a whole number of seconds).

    A PDF's sidecar `<stem>.source.yaml`, when beside it, says what the PDF cannot: its publisher,
    address, retrieval date, the terms of the data (`licence`) and a notice for readers; they go
    into plan.json, datapackage.json and README.md. SOURCE_DATE_EPOCH, when set, dates the
    extraction; otherwise the PDF's own date does, never the clock.
    """
    try:
        config = Config.load(layout, registry, decisions)
        epoch_date(os.environ)  # a malformed SOURCE_DATE_EPOCH is refused before any PDF is read
    except (ValueError, yaml.YAMLError) as exc:
        click.echo(f"nap: error: {exc}", err=True)
        sys.exit(2)
    report = Reporter(quiet=quiet, verbose=verbose, bars=jobs == 1)
    several = len(pdfs) > 1
    ocr = replace(ocr, jobs=1 if several else jobs)  # several PDFs: the processes use the cores
    tasks = [
        Task(pdf, out_dir_for(pdf, out, several), engine, password, keep_going, limits, ocr) for pdf in pdfs
    ]
    failed = 0
    for task, outcome in run_tasks(tasks, config, jobs, report):
        if isinstance(outcome, Exception):
            failed += 1
            report.failed(shown_name(task.pdf), outcome)
        else:
            plan, seconds = outcome
            report.done(shown_name(task.pdf), shown_name(task.target), plan, seconds)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("out_dir", metavar="DIR", type=click.Path(path_type=Path))
def validate(out_dir: Path) -> None:
    """Check an output folder (perhaps edited by hand) against its schemas and keys.

    Prints every violation, one per line (FILE: row N: FIELD: problem). Exit status: 0 when the
    folder is valid, 1 when anything is wrong.
    """
    from publish.validate import validate_folder  # frictionless loads only for this command

    problems = validate_folder(out_dir)
    for line in problems:
        click.echo(line)
    if problems:
        click.echo(f"{out_dir}: {len(problems)} problem{'s' if len(problems) != 1 else ''}", err=True)
        sys.exit(1)
    click.echo(f"{out_dir}: valid")


if __name__ == "__main__":
    main()
