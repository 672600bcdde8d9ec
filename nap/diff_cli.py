"""`nap diff OLD_DIR NEW_DIR [--out DIR]`: what changed between two editions' output folders."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from schema.names import shown_name


def default_out(old_dir: Path, new_dir: Path) -> Path:
    """`diff-<old>-<new>/` beside NEW_DIR (named from the folders' own names)."""
    old, new = Path(old_dir).resolve().name, Path(new_dir).resolve().name
    return Path(new_dir).resolve().parent / f"diff-{old}-{new}"


@click.command("diff")
@click.argument("old_dir", metavar="OLD_DIR", type=click.Path(path_type=Path))
@click.argument("new_dir", metavar="NEW_DIR", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder for diff.csv and diff.html. Default: diff-<OLD_DIR name>-<NEW_DIR name>/ beside NEW_DIR.",
)
def diff_command(old_dir: Path, new_dir: Path, out: Path | None) -> None:
    """Match the activities of two output folders (by text and place, not number) and write what changed.

    diff.csv: one row per activity, continued / changed / new / dropped, with the title similarity
    and what changed (title words, timeline, agencies gained and lost by role, indicators);
    diff.html: the two editions side by side, changed words marked. Written atomically.

    Exit status: 0 written; 1 when a folder is not a nap output folder or the output cannot be written.
    """
    from publish.diff import DiffError, counts
    from publish.diff_html import write_diff
    from publish.outputs import OutputError

    target = out if out is not None else default_out(old_dir, new_dir)
    try:
        rows = write_diff(old_dir, new_dir, target)
    except (DiffError, OutputError) as exc:
        click.echo(f"nap: error: {exc}", err=True)
        sys.exit(1)
    found = ", ".join(f"{n} {status}" for status, n in counts(rows).items())
    click.echo(f"{shown_name(target)}: {found}")
