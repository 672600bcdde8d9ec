"""Write an output folder atomically: every file into a temporary folder beside it, then swap.

A failure part-way leaves the previous output untouched, and a folder holding files nap did not
write is never replaced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path

from publish.outputs import OUTPUT_NAMES, OutputError


def check_replaceable(out_dir: Path, names: Collection[str] = OUTPUT_NAMES) -> None:
    """Refuse to swap out a folder holding anything but nap's own output files."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"output {out_dir} exists and is not a folder")
    foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in names) if out_dir.is_dir() else []
    if foreign:
        raise OutputError(
            f"refusing to replace {out_dir}: it holds files nap did not write ({', '.join(foreign[:3])})"
        )


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_outputs(files: dict[str, bytes], out_dir: Path) -> None:
    """Write every file into a temporary folder beside `out_dir`, then swap it into place."""
    out_dir = Path(out_dir)
    check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp makes it private; the output is for sharing
    try:
        for name, content in files.items():
            (tmp / name).write_bytes(content)
        old = out_dir.with_name(f".{out_dir.name}.old")
        if out_dir.exists():
            shutil.rmtree(old, ignore_errors=True)
            out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
