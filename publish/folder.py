"""Write an output folder atomically: every file into a temporary folder beside it, then swap.

A failure part-way leaves the previous output untouched, and a folder holding files nap did not
write is never replaced.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path

from publish.outputs import OUTPUT_NAMES, OutputError
from schema.names import shown_name

KEPT = 200  # bytes of the output folder's name kept in the names of its temporary siblings (of 255)


def check_replaceable(out_dir: Path, names: Collection[str] = OUTPUT_NAMES) -> None:
    """Refuse to swap out a folder holding anything but nap's own output files."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"output {shown_name(out_dir)} exists and is not a folder")
    foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in names) if out_dir.is_dir() else []
    if foreign:
        raise OutputError(
            f"refusing to replace {shown_name(out_dir)}: "
            f"it holds files nap did not write ({', '.join(map(shown_name, foreign[:3]))})"
        )


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_outputs(files: dict[str, bytes], out_dir: Path, names: Collection[str] = OUTPUT_NAMES) -> None:
    """Write every file into a temporary folder beside `out_dir`, then swap it into place.

    A folder that cannot be made or written (no such parent, a file in the way, a name too long,
    no permission, a read-only or full disk) is one OutputError; nothing is left behind.
    `names`: the files an existing `out_dir` may hold to be replaced (another folder nap writes).
    """
    out_dir = Path(out_dir)
    try:
        check_replaceable(out_dir, names)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        _write_and_swap(files, out_dir)
    except OSError as exc:
        # mkdir reports a file in the way of a parent folder as "File exists"
        reason = os.strerror(errno.ENOTDIR) if isinstance(exc, FileExistsError) else exc.strerror or str(exc)
        raise OutputError(f"cannot write output folder {shown_name(out_dir)}: {reason}") from exc


def _write_and_swap(files: dict[str, bytes], out_dir: Path) -> None:
    stem = os.fsdecode(os.fsencode(out_dir.name)[:KEPT])  # temporary names stay legal however long the name
    tmp = Path(tempfile.mkdtemp(prefix=f".{stem}.", dir=out_dir.parent))
    try:
        os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp makes it private; the output is for sharing
        for name, content in files.items():
            (tmp / name).write_bytes(content)
        _swap(tmp, out_dir, out_dir.with_name(f".{stem}.old"))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _swap(tmp: Path, out_dir: Path, old: Path) -> None:
    """`tmp` becomes `out_dir`; the previous `out_dir`, set aside as `old` meanwhile, is put back
    if that fails, and removed once it succeeds."""
    previous = out_dir.exists()
    if previous:
        shutil.rmtree(old, ignore_errors=True)
        out_dir.rename(old)
    try:
        tmp.rename(out_dir)
    except BaseException:
        if previous:
            old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
