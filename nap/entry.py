"""The `nap` command's entry point: tune Python's cycle collector for a short run, then start.

A run allocates hundreds of thousands of small objects (glyphs, lines, cells, models) that are
freed by reference counting, and imports a large module graph; with the default thresholds the
cycle collector runs thousands of times over objects that are never garbage (about a sixth of
the command's time on the shipped plan). Collecting less often and freezing the imported
modules out of the collector's view keeps it for the cycles that do occur.

pydantic looks for plugins by scanning every installed distribution's entry points when the
first model is built (~15 ms with importlib.metadata's import); nap uses none, so the scan is
skipped unless the user's environment says otherwise (`PYDANTIC_DISABLE_PLUGINS` already set).
"""

from __future__ import annotations

import gc
import os

ALLOCATIONS = 50_000  # net allocations between young-generation collections (default 700)


def load_cli():
    """The click group of `nap`, imported with the collector tuned for the run."""
    gc.set_threshold(ALLOCATIONS, 20, 20)
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from nap.cli import main as cli

    gc.freeze()  # what the imports built lives as long as the process
    return cli


def main() -> None:
    load_cli()()
