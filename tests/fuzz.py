"""Seeded mutants of the shipped plan, run through `nap extract` and judged (issue #11).

    python tests/fuzz.py [--mutants 300] [--first-seed 0] [--workers 2] [--out bench/FUZZ.md]
    python tests/fuzz.py --write SEED FILE     # one mutant, to reproduce a finding by hand

`mutant(seed)` is a copy of the shipped PDF (`documents.SHIPPED`) damaged one way, the same bytes
for the same seed: the seed picks the family (`seed % len(FAMILIES)`), the variant within it
(`seed // len(FAMILIES)`, in turn) and, through `random.Random(seed)`, the places. Families: byte
flips anywhere and inside stream data, truncations, mangled cross-reference offsets and /Length
values, garbage objects, and structural specials written by pypdf (page-tree kids duplicated or
removed, pages reordered, objects pointing at themselves, resource bombs).

Each mutant runs as `nap extract MUTANT --out DIR` in its own process, started by a small
launcher process that waits for it with `os.wait4`: the peak RSS is the child's own (a child's
`ru_maxrss` counts the RSS of the process it was forked from, so forking from the test process
would inflate it). The launcher kills the child at the time bound, and as soon as its RSS passes
the memory bound: that is a failure already, and a bomb need not be watched to its end.

`judge` holds a run to issue #11's contract: either exit 0 with a complete output folder
(`publish.validate.validate_folder`) that loses no activity without a review item saying so, or
exit 1 with one line on stderr, no traceback and nothing written; in both cases within the time
bound and under the memory bound. tests/test_fuzz.py runs a few dozen mutants; `make fuzz` runs
the campaign and writes bench/FUZZ.md.
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import io
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # the test documents, when run as a script
from documents import SHIPPED  # noqa: E402

TIMEOUT = 60.0  # seconds a mutant may take
RSS_LIMIT_MB = 1024  # issue #11: peak memory for any input stays under 1 GB
NAP = Path(sys.executable).with_name("nap")
# Review kinds that say text or activities were lost, moved or misnumbered: an output with fewer
# activities than the shipped plan's must have more of these than the shipped plan's output has.
LOSS_KINDS = frozenset({
    "page_unreadable", "page_damaged", "numbering_gap", "unplaced_text", "text_outside_table", "orphan_row",
    "unrecognised_row",
    "unnumbered_row_merged", "unnumbered_cell", "numbering_mismatch", "duplicate_number", "no_objective",
})  # fmt: skip


# --- mutants -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    seed: int
    family: str
    what: str  # the damage, in a few words
    data: bytes


Variant = Callable[[bytes, random.Random], tuple[bytes, str]]


def flip(data: bytes, rng: random.Random, lo: int, hi: int, count: int) -> tuple[bytes, list[int]]:
    """`data` with `count` bytes in [lo, hi) XORed with a non-zero byte; the positions."""
    out = bytearray(data)
    places = sorted(rng.randrange(lo, hi) for _ in range(count))
    for at in places:
        out[at] ^= rng.randrange(1, 256)
    return bytes(out), places


def flip_anywhere(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    out, places = flip(data, rng, 0, len(data), rng.randint(1, 32))
    return out, f"{len(places)} bytes flipped at {places[0]}..{places[-1]}"


def streams(data: bytes) -> list[tuple[int, int, int]]:
    """(object number, start, end) of every stream's data."""
    found = []
    for m in re.finditer(rb"(\d+) 0 obj\s*<<.*?>>\s*stream\r?\n", data, re.S):
        end = data.find(b"endstream", m.end())
        if end > m.end():
            found.append((int(m.group(1)), m.end(), end))
    return found


def flip_in_stream(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    number, lo, hi = rng.choice(streams(data))
    out, places = flip(data, rng, lo, hi, rng.randint(1, 8))
    return out, f"{len(places)} bytes flipped in the stream data of object {number}"


def truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    cut = rng.randrange(len(data) // 20, len(data))
    return data[:cut], f"truncated to {cut} of {len(data)} bytes"


XREF_ENTRY = re.compile(rb"^(\d{10}) (\d{5}) n", re.M)


def xref_entries(data: bytes) -> list[re.Match]:
    return list(XREF_ENTRY.finditer(data))


def put_offset(data: bytes, entry: re.Match, offset: int) -> bytes:
    return data[: entry.start(1)] + b"%010d" % max(0, offset) + data[entry.end(1) :]


def xref_random(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    picked = rng.sample(xref_entries(data), rng.randint(1, 5))
    for entry in sorted(picked, key=lambda m: -m.start()):
        data = put_offset(data, entry, rng.randrange(len(data)))
    return data, f"{len(picked)} xref offsets set at random"


def xref_shift(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    picked = rng.sample(xref_entries(data), rng.randint(1, 8))
    shift = rng.choice([-1, 1]) * rng.randint(1, 40)
    for entry in sorted(picked, key=lambda m: -m.start()):
        data = put_offset(data, entry, int(entry.group(1)) + shift)
    return data, f"{len(picked)} xref offsets shifted by {shift}"


def xref_swap(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    a, b = sorted(rng.sample(xref_entries(data), 2), key=lambda m: m.start())
    data = put_offset(data, b, int(a.group(1)))
    return put_offset(data, a, int(b.group(1))), "two xref offsets swapped"


def xref_start(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    m = list(re.finditer(rb"startxref\s+(\d+)", data))[-1]
    offset = rng.choice([0, rng.randrange(len(data)), int(m.group(1)) + rng.randint(-30, 30), 10**12])
    return data[: m.start(1)] + b"%d" % offset + data[m.end(1) :], f"startxref set to {offset}"


def lengths(data: bytes) -> list[tuple[int, int, str]]:
    """(start, end, name) of every stream length: a direct `/Length N` or the object N refers to."""
    found = []
    for m in re.finditer(rb"/Length (\d+)( 0 R)?", data):
        if not m.group(2):
            found.append((m.start(1), m.end(1), "a direct /Length"))
            continue
        held = re.search(rb"\b%s 0 obj\s*(\d+)\s*endobj" % m.group(1), data)
        if held:
            found.append((held.start(1), held.end(1), f"/Length object {int(m.group(1))}"))
    return found


def mangle_length(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    lo, hi, name = rng.choice(lengths(data))
    value = int(data[lo:hi])
    new = rng.choice([0, value - rng.randint(1, 200), value + rng.randint(1, 200), value * 10, 2**31, -1])
    return data[:lo] + str(new).encode() + data[hi:], f"{name} {value} set to {new}"


def dangling_length(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    refs = list(re.finditer(rb"/Length (\d+) 0 R", data))
    m = rng.choice(refs)
    return data[: m.start(1)] + b"999" + data[m.end(1) :], f"/Length {int(m.group(1))} 0 R made 999 0 R"


def object_starts(data: bytes) -> list[int]:
    return [m.start() for m in re.finditer(rb"(?m)^\d+ 0 obj|(?<=\s)\d+ 0 obj", data)]


def insert_at_object(data: bytes, rng: random.Random, junk: bytes) -> tuple[bytes, int]:
    at = rng.choice(object_starts(data))
    return data[:at] + junk + b"\n" + data[at:], at


def garbage_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    junk = bytes(rng.randrange(256) for _ in range(rng.randint(16, 2000)))
    out, at = insert_at_object(data, rng, junk)
    return out, f"{len(junk)} random bytes inserted before the object at {at}"


def garbage_object(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    number = rng.choice([1, 2, 40, 53, rng.randint(1, 60)])
    bodies = [b"<</Type/Page/Contents 999 0 R/MediaBox[0 0 x y]>>", b"<</Type/Pages/Kids[(((>>",
              b"<</Length 99999999>>stream\n\x00\x01\nendstream", b"<<" * 50 + b"/A /B"]  # fmt: skip
    body = rng.choice(bodies)
    out, at = insert_at_object(data, rng, b"%d 0 obj %s endobj" % (number, body))
    return out, f"a garbage object {number} inserted at {at}"


def deep_nesting(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    depth = rng.choice([1000, 10_000, 100_000])
    opener = rng.choice([b"[", b"<<"])
    out, at = insert_at_object(data, rng, b"77 0 obj " + opener * depth + b" endobj")
    return out, f"an object nested {depth} deep ({opener.decode()}) inserted at {at}"


def through_pypdf(data: bytes, edit: Callable[[PdfWriter], str]) -> tuple[bytes, str]:
    """`data` rewritten by pypdf after `edit` changed it; what `edit` says it did."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    what = edit(writer)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue(), what


def page_tree(writer: PdfWriter) -> tuple[DictionaryObject, ArrayObject]:
    pages = writer.root_object["/Pages"].get_object()
    return pages, pages["/Kids"]


def duplicate_kid(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    def edit(writer: PdfWriter) -> str:
        pages, kids = page_tree(writer)
        i, j = rng.randrange(len(kids)), rng.randrange(len(kids) + 1)
        kids.insert(j, kids[i])
        pages[NameObject("/Count")] = NumberObject(len(kids))
        return f"page {i + 1} listed again as kid {j + 1}"

    return through_pypdf(data, edit)


def remove_kid(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    def edit(writer: PdfWriter) -> str:
        pages, kids = page_tree(writer)
        i = rng.randrange(len(kids))
        del kids[i]
        pages[NameObject("/Count")] = NumberObject(len(kids))
        return f"page {i + 1} removed from the page tree"

    return through_pypdf(data, edit)


def wrong_count(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    def edit(writer: PdfWriter) -> str:
        pages, kids = page_tree(writer)
        count = rng.choice([0, -1, len(kids) - 1, len(kids) + 1, 10**9])
        pages[NameObject("/Count")] = NumberObject(count)
        return f"/Count of the page tree set to {count}"

    return through_pypdf(data, edit)


def pages_in_order(data: bytes, order: list[int], what: str) -> tuple[bytes, str]:
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    for i in order:
        writer.add_page(reader.pages[i])
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue(), what


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def reverse_pages(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return pages_in_order(data, list(range(page_count(data)))[::-1], "pages in reverse order")


def swap_pages(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    order = list(range(page_count(data)))
    i, j = sorted(rng.sample(order, 2))
    order[i], order[j] = j, i
    return pages_in_order(data, order, f"pages {i + 1} and {j + 1} swapped")


def shuffle_pages(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    order = list(range(page_count(data)))
    rng.shuffle(order)
    return pages_in_order(data, order, "pages shuffled: " + ",".join(str(i + 1) for i in order))


def move_page(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    order = list(range(page_count(data)))
    page = order.pop(rng.randrange(len(order)))
    to = rng.randrange(len(order) + 1)
    order.insert(to, page)
    return pages_in_order(data, order, f"page {page + 1} moved to place {to + 1}")


def self_reference(key: str, target: str) -> Variant:
    """A variant that points `key` of a random page (or of the page tree) at that object itself."""

    def variant(data: bytes, rng: random.Random) -> tuple[bytes, str]:
        def edit(writer: PdfWriter) -> str:
            pages, kids = page_tree(writer)
            if target == "tree":
                kids.insert(rng.randrange(len(kids) + 1), pages.indirect_reference)
                return "the page tree lists itself among its kids"
            i = rng.randrange(len(kids))
            kids[i].get_object()[NameObject(key)] = kids[i]
            return f"page {i + 1}'s {key} points at the page itself"

        return through_pypdf(data, edit)

    return variant


BOMB_MB = 1024  # what the bomb's content stream inflates to


@cache
def deflated_spaces(mb: int) -> bytes:
    """A zlib stream of `mb` MiB of spaces (a valid, empty content stream), about 1 KiB per MiB.

    One MiB block is deflated after a full flush (which resets the compressor's history), so the
    block's bytes can be repeated; the checksum is computed over what they inflate to.
    """
    block = b" " * (1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(mb):
        checksum = zlib.adler32(block, checksum)
    return b"\x78\xda" + unit * mb + deflate.flush() + checksum.to_bytes(4, "big")


def add_content(writer: PdfWriter, index: int, stream: StreamObject) -> None:
    page = writer.pages[index]
    contents = page.raw_get("/Contents")  # the reference, not the stream it points at
    parts = list(contents) if isinstance(contents, ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([*parts, writer._add_object(stream)])


def inflate_bomb(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    def edit(writer: PdfWriter) -> str:
        stream = StreamObject()
        stream.set_data(deflated_spaces(BOMB_MB))  # already deflated: the bytes as they are
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        index = rng.randrange(len(writer.pages))
        add_content(writer, index, stream)
        return f"page {index + 1} gets a content stream inflating to {BOMB_MB} MiB"

    return through_pypdf(data, edit)


def huge_media_box(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    def edit(writer: PdfWriter) -> str:
        size = rng.choice([1e9, 1e7])
        box = ArrayObject([FloatObject(-size), FloatObject(-size), FloatObject(size), FloatObject(size)])
        for page in writer.pages:
            page[NameObject("/MediaBox")] = box
        return f"every page's MediaBox set to +-{size:g}"

    return through_pypdf(data, edit)


def many_segments(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    def edit(writer: PdfWriter) -> str:
        count = 200_000
        index = rng.randrange(len(writer.pages))
        x, y = rng.randint(50, 700), rng.randint(50, 500)
        ops = b"".join(b"%d %d m %d %d l\n" % (x + i % 97, y + i % 89, x + i % 97 + 1, y + i % 89) for i in
                       range(count))  # fmt: skip
        stream = StreamObject()
        stream.set_data(zlib.compress(b"q 0.1 w\n" + ops + b"S Q\n"))
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        add_content(writer, index, stream)
        return f"page {index + 1} gets {count:,} tiny line segments"

    return through_pypdf(data, edit)


FAMILIES: tuple[tuple[str, tuple[Variant, ...]], ...] = (
    ("byte flips", (flip_anywhere,)),
    ("stream flips", (flip_in_stream,)),
    ("truncation", (truncate,)),
    ("xref offsets", (xref_random, xref_shift, xref_swap, xref_start)),
    ("lengths", (mangle_length, dangling_length)),
    ("garbage objects", (garbage_bytes, garbage_object, deep_nesting)),
    ("page-tree kids", (duplicate_kid, remove_kid, wrong_count)),
    ("page order", (reverse_pages, swap_pages, shuffle_pages, move_page)),
    ("self reference", (self_reference("/Contents", "page"), self_reference("/Parent", "page"),
                        self_reference("/Resources", "page"), self_reference("/Kids", "tree"))),
    ("resources", (inflate_bomb, huge_media_box, many_segments)),
)  # fmt: skip


def family_of(seed: int) -> str:
    return FAMILIES[seed % len(FAMILIES)][0]


def mutant(seed: int, original: bytes | None = None) -> Mutant:
    """The shipped PDF damaged as seed `seed` says; the same bytes for the same seed."""
    name, variants = FAMILIES[seed % len(FAMILIES)]
    variant = variants[seed // len(FAMILIES) % len(variants)]
    data, what = variant(SHIPPED.pdf.read_bytes() if original is None else original, random.Random(seed))
    return Mutant(seed, name, what, data)


# --- running one ---------------------------------------------------------------------------------

# The launcher: runs the command in a session of its own, polls it with wait4 (so its rusage is
# the child's alone), kills the session on timeout or runaway memory, and writes what it saw as JSON.
LAUNCHER = r"""
import json, os, signal, subprocess, sys, time
timeout, runaway_kib, report, cmd = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((int(l.split()[1]) for l in f if l.startswith("VmRSS:")), 0)
    except OSError:
        return 0
start = time.monotonic()
child = subprocess.Popen(cmd, start_new_session=True)
killed = None
while True:
    pid, status, usage = os.wait4(child.pid, os.WNOHANG)
    if pid:
        break
    if killed is None and time.monotonic() - start > timeout:
        killed = "timeout"
    elif killed is None and rss_kib(child.pid) > runaway_kib:
        killed = "memory"
    if killed:
        os.killpg(child.pid, signal.SIGKILL)
        pid, status, usage = os.wait4(child.pid, 0)
        break
    time.sleep(0.01)
child.returncode = os.waitstatus_to_exitcode(status)
seconds = time.monotonic() - start
seen = {"code": child.returncode, "seconds": seconds, "peak_kib": usage.ru_maxrss, "killed": killed}
with open(report, "w") as f:
    json.dump(seen, f)
"""


@dataclass(frozen=True)
class Run:
    """What one `nap extract` did: exit code (negative: killed by that signal), output, cost."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float
    killed: str | None  # "timeout" or "memory" when the launcher killed it
    folder: Path  # holds the input `mutant.pdf` and nothing else, unless the run wrote there
    out: Path  # the --out folder


def nap_command(pdf: Path, out: Path) -> list[str]:
    base = [str(NAP)] if NAP.exists() else [sys.executable, "-m", "nap"]
    return [*base, "extract", str(pdf), "--out", str(out)]


def run_child(
    cmd: list[str], logs: Path, timeout: float = TIMEOUT, kill_mb: float = RSS_LIMIT_MB
) -> tuple[int, str, str, dict]:
    """(exit code, stdout, stderr, the launcher's report) of `cmd` run through the launcher, which
    kills it after `timeout` seconds or once its RSS passes `kill_mb`."""
    logs.mkdir(parents=True, exist_ok=True)
    report = logs / "report.json"
    with open(logs / "stdout", "wb") as out, open(logs / "stderr", "wb") as err:
        launcher = [sys.executable, "-c", LAUNCHER, str(timeout), str(int(kill_mb * 1024)), str(report), *cmd]
        subprocess.run(launcher, stdout=out, stderr=err, timeout=timeout + 60, check=True, cwd=REPO)
    seen = json.loads(report.read_text(encoding="utf-8"))
    read = lambda name: (logs / name).read_text(encoding="utf-8", errors="replace")  # noqa: E731
    return seen["code"], read("stdout"), read("stderr"), seen


def run_pdf(data: bytes, folder: Path, timeout: float = TIMEOUT) -> Run:
    """`nap extract` on `data` written to `folder`/mutant.pdf, output to `folder`/out."""
    folder.mkdir(parents=True)
    pdf, out = folder / "mutant.pdf", folder / "out"
    pdf.write_bytes(data)
    logs = folder.parent / f"{folder.name}.logs"
    code, stdout, stderr, seen = run_child(nap_command(pdf, out), logs, timeout)
    return Run(code, stdout, stderr, seen["seconds"], seen["peak_kib"] / 1024, seen["killed"], folder, out)


# --- judging one ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """What the shipped plan's own output holds: its activities and its review items of LOSS_KINDS."""

    activities: int
    loss_items: int


@dataclass(frozen=True)
class Outcome:
    kind: str  # "complete", "error" (a clean one) or "failure"
    label: str  # an error's message class; a failure's first problem
    problems: tuple[str, ...]  # every way the run broke the contract; () unless a failure
    activities: int | None = None  # in a complete output


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def count_output(out: Path) -> Baseline:
    kinds = [row["kind"] for row in read_rows(out / "review.csv")]
    return Baseline(len(read_rows(out / "activities.csv")), sum(k in LOSS_KINDS for k in kinds))


def loss_problems(out: Path, baseline: Baseline) -> list[str]:
    """A silent loss: fewer activities than the shipped plan and no more loss review items than it."""
    if not (out / "activities.csv").is_file() or not (out / "review.csv").is_file():
        return []  # a missing file is validate_folder's to report
    found = count_output(out)
    if found.activities < baseline.activities and found.loss_items <= baseline.loss_items:
        return [f"silent loss: {found.activities} of {baseline.activities} activities, and no review item "
                "says what was lost"]  # fmt: skip
    return []


def character_problems(out: Path) -> list[str]:
    """plan.json's character count (issue #11), once the models declare it: nothing printed lost."""
    from schema import models

    if not hasattr(models, "CharacterCount"):
        return []
    try:
        plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # validate_folder says why
    count = plan.get("characters")
    if not isinstance(count, dict):
        return ["plan.json has no character count"]
    if count.get("placed", 0) + count.get("in_review", 0) < count.get("printed", 0):
        return [f"characters lost: {count}"]
    return []


def complete_problems(run: Run, baseline: Baseline) -> list[str]:
    from publish.validate import validate_folder

    invalid = validate_folder(run.out)
    problems = [f"exit 0 but the output is not valid ({len(invalid)}): {invalid[0]}"] if invalid else []
    return problems + loss_problems(run.out, baseline) + character_problems(run.out)


def error_problems(run: Run) -> list[str]:
    problems = []
    lines = run.stderr.splitlines()
    if len(lines) != 1 or not run.stderr.endswith("\n"):
        problems.append(f"exit 1 with {len(lines)} lines on stderr: {tail(run.stderr)!r}")
    if lines and not lines[0].startswith(f"nap: error: {run.folder / 'mutant.pdf'}: "):
        problems.append(f"exit 1 but the line does not name the file: {lines[0][:120]!r}")
    left = sorted(p.name for p in run.folder.iterdir() if p.name != "mutant.pdf")
    if left:
        problems.append(f"exit 1 but written: {', '.join(left)}")
    return problems


def tail(text: str, keep: int = 160) -> str:
    lines = text.strip().splitlines()
    return lines[-1][:keep] if lines else ""


def bound_problems(run: Run, timeout: float) -> list[str]:
    problems = []
    if run.killed == "timeout":
        problems.append(f"no end within {timeout:g} s (killed)")
    if run.killed == "memory":
        problems.append(f"RSS passed {RSS_LIMIT_MB} MB after {run.seconds:.1f} s (killed)")
    elif run.peak_mb >= RSS_LIMIT_MB:
        problems.append(f"peak RSS {run.peak_mb:.0f} MB, over {RSS_LIMIT_MB} MB")
    if "Traceback" in run.stderr:
        problems.append(f"traceback: {tail(run.stderr)}")
    return problems


def message_class(run: Run) -> str:
    """An error line without the file name, numbers as N and details (in parentheses, after ;) cut."""
    line = run.stderr.splitlines()[0] if run.stderr else ""
    message = line.removeprefix(f"nap: error: {run.folder / 'mutant.pdf'}: ")
    return re.split(r" \(|;", re.sub(r"\d+(\.\d+)?(e[+-]?\d+)?", "N", message))[0].strip()


def judge(run: Run, baseline: Baseline, timeout: float = TIMEOUT) -> Outcome:
    """Complete output, clean error, or failure (with every problem) under issue #11's contract."""
    problems = bound_problems(run, timeout)
    if run.killed:
        pass  # killed at a bound: nothing else of the run can be judged
    elif run.code == 0:
        problems += complete_problems(run, baseline)
    elif run.code == 1:
        problems += error_problems(run)
    else:
        problems.append(f"exit status {run.code}: {tail(run.stderr)!r}")
    if problems:
        return Outcome("failure", problems[0], tuple(problems))
    if run.code == 0:
        return Outcome("complete", "", (), count_output(run.out).activities)
    return Outcome("error", message_class(run), ())


# --- many ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    seed: int
    family: str
    what: str
    run: Run
    outcome: Outcome


def baseline_run(work: Path, timeout: float = TIMEOUT) -> tuple[Run, Baseline]:
    """The shipped PDF itself through the same harness, and what its output holds."""
    run = run_pdf(SHIPPED.pdf.read_bytes(), work / "original", timeout)
    if run.code != 0:
        raise RuntimeError(f"the shipped plan itself fails: {run.code} {tail(run.stderr)}")
    return run, count_output(run.out)


def campaign(
    seeds: Iterable[int], work: Path, baseline: Baseline, workers: int = 2, timeout: float = TIMEOUT,
    keep: bool = True,
) -> Iterator[Result]:  # fmt: skip
    """Each seed's mutant run (up to `workers` at a time) and judged here, in seed order."""
    original = SHIPPED.pdf.read_bytes()

    def one(seed: int) -> tuple[Mutant, Run]:
        m = mutant(seed, original)
        return m, run_pdf(m.data, work / f"seed-{seed}", timeout)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for m, run in pool.map(one, seeds):
            yield Result(m.seed, m.family, m.what, run, judge(run, baseline, timeout))
            if not keep:
                shutil.rmtree(run.folder, ignore_errors=True)
                shutil.rmtree(run.folder.parent / f"{run.folder.name}.logs", ignore_errors=True)


# --- the campaign's report (make fuzz) ------------------------------------------------------------


def nap_commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" (with uncommitted changes)" if git("status", "--porcelain") else "")


def outcome_name(r: Result, baseline: Baseline) -> str:
    if r.outcome.kind == "error":
        return f"clean error: {r.outcome.label}"
    if r.outcome.kind == "failure":
        return "failure (below)"
    if (r.outcome.activities or 0) >= baseline.activities:
        return "complete output, every activity"
    return "complete output, activities lost and said so in review.csv"


def outcome_rows(results: list[Result], baseline: Baseline) -> list[str]:
    counts = collections.Counter(outcome_name(r, baseline) for r in results)
    rows = ["| outcome | mutants |", "|---|---:|"]
    return rows + [f"| {name} | {n} |" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def family_rows(results: list[Result]) -> list[str]:
    rows = ["| family | mutants | complete | clean error | failure |", "|---|---:|---:|---:|---:|"]
    for name, _ in FAMILIES:
        kinds = collections.Counter(r.outcome.kind for r in results if r.family == name)
        if kinds:
            total = sum(kinds.values())
            rows.append(f"| {name} | {total} | {kinds['complete']} | {kinds['error']} | {kinds['failure']} |")
    return rows


def failure_rows(results: list[Result]) -> list[str]:
    failed = [r for r in results if r.outcome.kind == "failure"]
    if not failed:
        return ["None."]
    rows = ["| seed | family | mutation | what happened |", "|---:|---|---|---|"]
    for r in failed:
        said = "; ".join(p[:200] for p in r.outcome.problems).replace("|", "\\|").replace("\n", " ")
        rows.append(f"| {r.seed} | {r.family} | {r.what} | {said} |")
    return rows


def bound_lines(results: list[Result]) -> list[str]:
    slow = max(results, key=lambda r: r.run.seconds)
    big = max(results, key=lambda r: r.run.peak_mb)
    return [
        f"- max time: {slow.run.seconds:.1f} s (seed {slow.seed}: {slow.what}); bound {TIMEOUT:g} s",
        f"- max peak RSS: {big.run.peak_mb:.0f} MB (seed {big.seed}: {big.what}); bound {RSS_LIMIT_MB} MB",
    ]


def markdown(results: list[Result], baseline: Baseline, args: argparse.Namespace, seconds: float) -> str:
    seeds = f"{args.first_seed}..{args.first_seed + args.mutants - 1}"
    head = [
        "# Fuzz campaign: `nap extract` on mutants of the shipped plan",
        "",
        f"Written by `make fuzz` (`python tests/fuzz.py --mutants {args.mutants} --workers {args.workers}`); "
        "the mutants and the judgement are described in `tests/fuzz.py`. Not run in CI; "
        "`tests/test_fuzz.py` runs a few dozen of the same mutants in the suite.",
        "",
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- nap commit: {nap_commit()}",
        f"- machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs",
        f"- mutants: {len(results)} (seeds {seeds}), {args.workers} at a time, {seconds / 60:.1f} min in all",
        f"- the shipped plan itself: {baseline.activities} activities, {baseline.loss_items} review items "
        "of the kinds that say something was lost",
        "- reproduce one: `python tests/fuzz.py --write SEED mutant.pdf`, then "
        "`nap extract mutant.pdf --out DIR`",
        "",
    ]
    body = ["## Outcomes", "", *outcome_rows(results, baseline), "",
            "## By mutation family", "", *family_rows(results), "",
            "## Failures", "", *failure_rows(results), "",
            "## Bounds", "", *bound_lines(results), ""]  # fmt: skip
    return "\n".join(head + body)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python tests/fuzz.py", description=__doc__.split("\n")[0])
    parser.add_argument("--mutants", type=int, default=300)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=TIMEOUT)
    parser.add_argument("--out", type=Path, help="write the report (markdown) here")
    parser.add_argument("--write", nargs=2, metavar=("SEED", "FILE"), help="write one mutant and stop")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.write:
        made = mutant(int(args.write[0]))
        Path(args.write[1]).write_bytes(made.data)
        print(f"seed {made.seed} ({made.family}): {made.what} -> {args.write[1]}")
        return 0
    started = dt.datetime.now().timestamp()
    results = []
    with tempfile.TemporaryDirectory(prefix="nap-fuzz-") as tmp:
        _, baseline = baseline_run(Path(tmp))
        seeds = range(args.first_seed, args.first_seed + args.mutants)
        for r in campaign(seeds, Path(tmp), baseline, args.workers, args.timeout, keep=False):
            results.append(r)
            print(f"seed {r.seed:4d} {r.outcome.kind:8s} {r.run.seconds:5.1f} s {r.run.peak_mb:5.0f} MB  "
                  f"{r.what}: {r.outcome.label}", flush=True)  # fmt: skip
    report = markdown(results, baseline, args, dt.datetime.now().timestamp() - started)
    if args.out:
        args.out.write_text(report, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
