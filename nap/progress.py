"""What `nap extract` shows while it works: a progress bar on a terminal, a summary line."""

from __future__ import annotations

import sys
from collections import Counter
from contextlib import contextmanager

import click

from schema.models import Plan
from schema.names import one_line


class Reporter:
    """Progress per document over pages when stderr is a terminal; summaries unless quiet.

    Not on a terminal it stays quiet (errors only) unless --verbose asks for the summaries.
    """

    def __init__(
        self, quiet: bool = False, verbose: bool = False, tty: bool | None = None, bars: bool = True
    ):
        self.tty = sys.stderr.isatty() if tty is None else tty
        self.quiet = quiet
        self.verbose = verbose
        self.summaries = verbose or (self.tty and not quiet)
        self.bars = bars and self.tty and not quiet

    @contextmanager
    def document(self, name: str):
        """Yields a callback `on_page(done, total)` that advances the document's bar, erased when the
        block ends: print nothing to the terminal inside the block, or it lands on the bar."""
        if not self.bars:
            yield None
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        # on stderr, the terminal this reporter checked and the summaries go to; transient: the bar
        # is erased when the document ends, so what is said next starts a line (the caller says
        # it after leaving this block, not inside it)
        with Progress(*columns, transient=True, console=Console(stderr=True)) as progress:
            task = progress.add_task(name, total=None)

            def on_page(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            yield on_page

    def done(self, pdf: str, target: str, plan: Plan, seconds: float) -> None:
        lost = lost_pages(plan)
        if not self.summaries:
            if lost and not self.quiet:  # a page left out is said even where summaries are not
                kinds = ", ".join(k for k in LOSS_KINDS if any(r.kind == k for r in plan.review))
                click.echo(f"nap: warning: {pdf}: {lost}; see review.csv ({kinds})", err=True)
            return
        acts = plan.activities()
        mentions = [m for a in acts for m in a.mentions]
        unresolved = sum(1 for m in mentions if any(not link.agency_id for link in m.links))
        said = [s for s in (ocr_pages(plan), lost) if s]
        click.echo(
            f"{pdf} -> {target}: {len(acts)} activities, {len(mentions)} mentions ({unresolved} unresolved), "
            f"{len(plan.review)} review items, {seconds:.1f} s" + "".join(f", {s}" for s in said),
            err=True,
        )
        if self.verbose:
            for kind, n in sorted(Counter(r.kind for r in plan.review).items()):
                click.echo(f"    review {kind}: {n}", err=True)

    @staticmethod
    def failed(pdf: str, problem: object) -> None:
        click.echo(f"nap: error: {pdf}: {one_line(str(problem))}", err=True)


LOSS_KINDS = ("page_unreadable", "page_damaged")


def ocr_pages(plan: Plan) -> str:
    """The summary's "3 pages read by OCR (12 unsure words)"; empty when no page was."""
    if plan.ocr is None or not plan.ocr.pages:
        return ""
    n, unsure = len(plan.ocr.pages), sum(p.uncertain for p in plan.ocr.pages)
    return f"{n} page{'s' if n != 1 else ''} read by OCR ({unsure} unsure word{'s' if unsure != 1 else ''})"


def lost_pages(plan: Plan) -> str:
    """The summary's "N pages could not be read, M read in part" (with --keep-going); empty when none."""
    kinds = Counter(r.kind for r in plan.review)
    said = [
        f"{n} page{'s' if n != 1 else ''} {what}"
        for what, n in (
            ("could not be read", kinds["page_unreadable"]),
            ("read in part", kinds["page_damaged"]),
        )
        if n
    ]
    return ", ".join(said)
