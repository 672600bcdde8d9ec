"""A scanned plan follows whatever its digital original does, in layouts other than the shipped one
(issue #13: "a lightly ruled scanned page follows whatever the lightly ruled digital path does").

A few rows of the shipped plan's gold are typeset with only horizontal rules, in the "booktabs" look,
as a grid with goals and objectives as section rows, and with shaded header and section rows and no
rule at all, by reportlab and by fpdf2; each PDF is scanned (tests/scans.py, 300 dpi, odd pages
askew, light noise) and both the PDF and its scan are run through the pipeline. The digital run is
the truth for the scan: same activities under the same goals and objectives, same structure on
every page, no agency the digital run does not resolve, and 99.5 % of the characters of its cells.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from accuracy import EVERY_ROW, FIGURES, agency_scores, output_agency_ids
from documents import SHIPPED
from goldcheck import read_csv
from rapidfuzz.distance import Levenshtein
from scans import scan_pdf
from test_roundtrip_gold import BODY, SECTIONS, plain
from typeset import Row, Style, typeset
from typeset.gold import gold_rows

from extract.errors import NoTable
from extract.ocr import OcrSettings
from nap.pipeline import run
from schema.models import Plan

OCR = replace(OcrSettings.load(), jobs=2)
MIN_ACCURACY = 0.995  # the floor at 300 dpi
# Eight activities: two goals, three objectives (one with a single activity, merged cells across
# rows of different heights); two or three pages in each layout.
SAMPLE = ("1.1.1", "1.1.2", "2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.2.1", "2.2.2")


def same(rows: list[Row]) -> list[Row]:
    return rows


VARIANTS = {
    "horizontal-reportlab": (same, Style(rules="horizontal")),
    "horizontal-fpdf2": (same, Style(rules="horizontal", producer="fpdf2")),
    "booktabs-reportlab": (same, Style(rules="booktabs")),
    "booktabs-fpdf2": (same, Style(rules="booktabs", producer="fpdf2")),
    "sections-grid-reportlab": (plain, Style(columns=BODY, **SECTIONS)),
    "sections-grid-fpdf2": (plain, Style(producer="fpdf2", columns=BODY, **SECTIONS)),
    "shaded-reportlab": (plain, Style(rules="shaded", columns=BODY, **SECTIONS)),
    "shaded-fpdf2": (plain, Style(rules="shaded", producer="fpdf2", columns=BODY, **SECTIONS)),
}
# Layouts whose scan does not yet follow the digital path, and why (none now: the shaded rows'
# fills are found in the image, extract/image_fills.py).
NOT_YET: dict[str, str] = {}


def variants() -> list:
    """The variants as test parameters, those NOT_YET expected to fail (and only with NoTable)."""
    known = {n: pytest.mark.xfail(strict=True, raises=NoTable, reason=why) for n, why in NOT_YET.items()}
    return [pytest.param(name, marks=[known[name]] if name in known else []) for name in VARIANTS]


Run = tuple[Path, Plan]


@pytest.fixture(scope="module")
def sample() -> list[Row]:
    rows = [r for r in gold_rows(SHIPPED.load_gold()) if r.activity_id in SAMPLE]
    assert [r.activity_id for r in rows] == list(SAMPLE)
    return rows


@pytest.fixture(scope="module")
def runs(tmp_path_factory, config, sample):
    """name -> ((digital output, plan), (scan output, plan)) of the variant, each made once (a run
    that fails fails every test of the variant, and is not run again)."""
    done: dict[str, tuple[Run, Run] | Exception] = {}

    def get(name: str) -> tuple[Run, Run]:
        if name not in done:
            try:
                done[name] = scanned_variant(name, tmp_path_factory.mktemp(name), config, sample)
            except Exception as exc:
                done[name] = exc
        if isinstance(done[name], Exception):
            raise done[name]
        return done[name]

    return get


def scanned_variant(name: str, folder: Path, config, sample: list[Row]) -> tuple[Run, Run]:
    """The variant typeset into `folder`, scanned, and both read by the pipeline."""
    make_rows, style = VARIANTS[name]
    pdf = typeset(make_rows(sample), style, folder / f"{name}.pdf")
    scan = scan_pdf(pdf, folder / f"{name}-scan.pdf", dpi=OCR.dpi)
    digital, scanned = (
        (folder / kind, run(source, folder / kind, "pdfium", config, ocr=OCR))
        for kind, source in (("digital", pdf), ("scan", scan))
    )
    return digital, scanned


def ids(out: Path) -> list[tuple[str, str, str]]:
    return [(r["goal_id"], r["objective_id"], r["activity_id"]) for r in read_csv(out / "activities.csv")]


def structures(plan: Plan) -> list[tuple[int, str]]:
    return [(s.page, s.structure) for s in plan.structures]


def cell_accuracy(truth: Path, out: Path) -> tuple[float, int, int, list[str]]:
    """(1 - errors / characters, errors, characters, the cells that differ) of out's activities.csv
    against truth's: Levenshtein distance per cell of the activity of the same number; the goal and
    objective texts once per goal and objective (their merged cells are printed once)."""
    got = {r["activity_id"]: r for r in read_csv(out / "activities.csv")}
    errors = characters = 0
    seen: set[tuple[str, str]] = set()
    wrong = []
    for row in read_csv(truth / "activities.csv"):
        heads = [k for k in ("goal", "objective") if (k, row[f"{k}_id"]) not in seen]
        seen |= {(k, row[f"{k}_id"]) for k in heads}
        mine = got.get(row["activity_id"], {})
        for column in (*heads, *EVERY_ROW):
            distance = Levenshtein.distance(row[column], mine.get(column, ""))
            characters, errors = characters + len(row[column]), errors + distance
            wrong += [f"{row['activity_id']} {column}: {mine.get(column)!r}"] if distance else []
    return 1.0 - errors / characters, errors, characters, wrong


@pytest.mark.parametrize("name", variants())
def test_the_scan_keeps_the_activities_their_goals_and_objectives_and_each_pages_structure(name, runs):
    (digital, plan), (scan, scanned) = runs(name)
    assert [a for _, _, a in ids(digital)] == list(SAMPLE)
    assert plan.ocr is None and scanned.ocr is not None
    assert [p.page for p in scanned.ocr.pages] == list(range(1, scanned.source.pages + 1))
    assert ids(scan) == ids(digital)
    assert structures(scanned) == structures(plan)


@pytest.mark.parametrize("name", variants())
def test_the_scan_resolves_no_agency_the_digital_plan_does_not(name, runs):
    (digital, _), (scan, _) = runs(name)
    expected = output_agency_ids(digital)
    assert expected
    precision, recall = agency_scores(expected, scan)
    FIGURES.append(f"lightly ruled {name}: agencies precision {precision:.3f} recall {recall:.3f}")
    assert precision == 1.0


@pytest.mark.parametrize("name", variants())
def test_the_scan_reads_99_5_percent_of_the_characters_the_digital_plan_does(name, runs):
    (digital, _), (scan, _) = runs(name)
    accuracy, errors, characters, wrong = cell_accuracy(digital, scan)
    FIGURES.append(f"lightly ruled {name}: characters {accuracy:.4%} ({errors} errors in {characters})")
    assert accuracy >= MIN_ACCURACY, "\n".join(wrong)
