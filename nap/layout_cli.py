"""`nap layout suggest`: what detection finds in a PDF, and a profile skeleton for what it cannot map."""

from __future__ import annotations

import sys
from itertools import groupby
from pathlib import Path

import click
import yaml

from extract import DEFAULT_ENGINE, ENGINES, PDFProblem, extract_document
from nap.inputs import InputError, check_pdf
from nap.options import limits_options
from normalize.config import Layout
from normalize.suggest import Suggestion, numbering_style, profile_skeleton, suggest
from schema.models import Limits
from schema.names import quoted


@click.group("layout")
def layout_group() -> None:
    """Inspect how a plan's table is detected; write a layout profile for what is not."""


def page_ranges(pages: list[tuple[int, str]]) -> list[str]:
    """[(1, "lattice"), (2, "lattice"), (3, "stream")] -> ["pages 1-2: lattice", "page 3: stream"]."""
    out = []
    for structure, run in groupby(pages, key=lambda p: p[1]):
        numbers = [p for p, _ in run]
        span = f"pages {numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else f"page {numbers[0]}"
        out.append(f"{span}: {structure}")
    return out


def report(found: Suggestion, engine: str) -> list[str]:
    lines = [f"engine: {engine}; table structure by page: " + "; ".join(page_ranges(found.pages))]
    if found.header:
        lines.append(f"header (page {found.header_page}):")
        for h in found.header:
            guess = f"likely {h.guess}" if h.guess else "an extra column"
            closest = f"closest known header {quoted(h.guess_from)}, score {h.score:g}"
            to = h.field or f"NOT MAPPED ({guess}; {closest})"
            lines.append(f"  column {h.col + 1}: {quoted(h.text)} -> {to}")
    else:
        lines.append("header: no row of three or more cells found at the top of any table")
    if found.headings:
        lines.append(f"goals and objectives: {found.headings}")
    for level, ids in found.numbering.items():
        if ids:
            lines.append(f"{level} numbers: {', '.join(ids)} ({numbering_style(ids)})")
    lines += [f"roles: {r}" for r in found.roles]
    if found.problem:
        lines.append(f"result: does not extract: {found.problem}")
    else:
        lines.append(f"result: extracts ({found.activities} activities)")
    return lines


@layout_group.command("suggest")
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option("--write", "write_to", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the profile skeleton for the unmapped headers to this file.")  # fmt: skip
@click.option("--layout", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="A layout profile to apply first (to check one being written).")  # fmt: skip
@click.option("--engine", type=click.Choice(sorted(ENGINES)), default=DEFAULT_ENGINE, show_default=True,
              help="Table-structure detector.")  # fmt: skip
@click.option("--password", default=None, help="Password of an encrypted PDF.")
@limits_options
def suggest_command(
    pdf: Path, write_to: Path | None, layout: Path | None, engine: str, password: str | None, limits: Limits
):
    """Print what layout detection finds in PDF: structure per page, header mapping, numbering,
    role source; for every header it cannot map, a profile skeleton (to stdout, or --write FILE).

    Exit status: 0 the document extracts as it is; 1 it needs a profile (or cannot be read);
    2 usage error.
    """
    try:
        config = Layout.load(layout)
    except (ValueError, yaml.YAMLError, KeyError) as exc:
        click.echo(f"nap: error: {layout}: {exc}", err=True)
        sys.exit(2)
    try:
        check_pdf(pdf)
        doc = extract_document(pdf, engine, password=password, limits=limits)
    except (InputError, PDFProblem) as exc:
        click.echo(f"nap: error: {pdf}: {exc}", err=True)
        sys.exit(1)
    found = suggest(doc, config)
    click.echo("\n".join(report(found, engine)))
    if found.unmapped:
        skeleton = profile_skeleton(found, config, pdf.name)
        if write_to:
            write_to.write_text(skeleton, encoding="utf-8")
            click.echo(f"profile skeleton written to {write_to}: check it, then "
                       f"nap extract {pdf} --layout {write_to}")  # fmt: skip
        else:
            click.echo("\nprofile skeleton (fill in, save, pass with --layout):\n" + skeleton, nl=False)
    sys.exit(1 if found.problem else 0)
