"""The `nap` command: `nap extract PLAN.pdf... [--out DIR] [--engine pdfplumber|camelot]`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from extract import ENGINES, UnreadablePDF
from nap.inputs import InputError, check_pdf
from nap.pipeline import run
from nap.writers import OutputError
from normalize.plan import Config
from normalize.rows import LayoutError

DEFAULT_OUT = Path("data/clean")


def out_dir_for(pdf: Path, out: Path | None, several: bool) -> Path:
    """One PDF: --out is the output folder. Several: --out holds one folder per PDF stem."""
    if out is not None and not several:
        return out
    return (out or DEFAULT_OUT) / pdf.stem


@click.group()
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
    default="pdfplumber",
    show_default=True,
    help="Table-structure detector.",
)
@click.option(
    "--layout",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Layout vocabulary YAML (default: the packaged layout.yaml).",
)
@click.option(
    "--registry",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Agency registry YAML (default: the packaged registry.yaml).",
)
@click.option("--quiet", is_flag=True, help="Print errors only.")
def extract(
    pdfs: tuple[Path, ...],
    out: Path | None,
    engine: str,
    layout: Path | None,
    registry: Path | None,
    quiet: bool,
) -> None:
    """Extract the action-plan table of each PDF into CSV and JSON files.

    Exit status: 0 when every PDF was written, 1 when any PDF failed (the others are still
    written; a failed PDF leaves its previous output untouched), 2 on a usage error.
    """
    config = Config.load(layout, registry)
    failed = 0
    for pdf in pdfs:
        target = out_dir_for(pdf, out, len(pdfs) > 1)
        started = time.perf_counter()
        try:
            check_pdf(pdf)
            plan = run(pdf, target, engine, config)
        except (InputError, UnreadablePDF, LayoutError, OutputError) as exc:
            failed += 1
            click.echo(f"nap: error: {pdf}: {exc}", err=True)
            continue
        if not quiet:
            acts = plan.activities()
            mentions = [m for a in acts for m in a.mentions]
            unresolved = sum(1 for m in mentions if any(not link.agency_id for link in m.links))
            click.echo(
                f"{pdf} -> {target}: {len(acts)} activities, {len(mentions)} mentions "
                f"({unresolved} unresolved), {len(plan.review)} review items, "
                f"{time.perf_counter() - started:.1f}s",
                err=True,
            )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
