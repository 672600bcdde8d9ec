"""Rules read from page images made the way scans are made: a vector page rendered to grey,
turned by a fraction of a degree about its centre, with light noise. The truth is the vector
page itself: its own rulings (`page_edges`, the sides of its grey fills among them) and the cells
the pdfium engine finds on it."""

from __future__ import annotations

import io
import time
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from test_roundtrip_gold import BODY, SECTIONS, plain
from typeset import Style, typeset
from typeset.gold import gold_rows

from extract.engines.pdfium import lattice_tables, page_tables
from extract.image_fills import fills
from extract.image_rulings import ERASE, SKIP_TURN, erase, ink, level, rulings, skew, turn
from extract.ocr.paper import clean
from extract.pdfium_reader import page_edges
from extract.rulings import MIN_RULE

PLAN = Path(__file__).resolve().parent.parent / "data" / "raw" / "georgia-nap-2019-2020.pdf"
ANGLE_TOL = 0.05  # degrees
CELL_TOL = {300: 1.5, 200: 2.0}  # points
PAGES = (1, 4, 8, 12)  # 32, 35, 54 and 13 cells
CASES = [(PAGES[i % len(PAGES)], dpi, angle) for i, (dpi, angle) in
         enumerate((d, a) for d in (300, 200) for a in (0.0, 0.3, -0.7, 1.0))]  # fmt: skip


@cache
def plan() -> pdfium.PdfDocument:
    return pdfium.PdfDocument(PLAN)


def render(page: pdfium.PdfPage, dpi: int) -> np.ndarray:
    return page.render(scale=dpi / 72, grayscale=True).to_numpy()


def scanned(image: np.ndarray, angle: float, seed: int = 0) -> np.ndarray:
    """The image as a scanner gives it: turned `angle` degrees counter-clockwise, with grain and specks."""
    turned = np.asarray(Image.fromarray(image).rotate(angle, resample=Image.BICUBIC, fillcolor=255))
    rng = np.random.default_rng(seed)
    noisy = turned.astype(np.int16) + rng.integers(-12, 13, turned.shape, dtype=np.int16)
    noisy[rng.random(turned.shape) < 2e-4] = 40  # dust
    return np.clip(noisy, 0, 255).astype(np.uint8)


@cache
def plan_scan(number: int, dpi: int, angle: float) -> np.ndarray:
    return scanned(render(plan()[number], dpi), angle, seed=number)


@cache
def levelled(number: int, dpi: int, angle: float) -> tuple[np.ndarray, float]:
    return level(plan_scan(number, dpi, angle))


def text_only(page: pdfium.PdfPage) -> pdfium.PdfPage:
    """The page with its drawn paths (every rule) taken out: only its text is printed."""
    for obj in [o for o in page.get_objects(max_depth=0) if o.type == pdfium_c.FPDF_PAGEOBJ_PATH]:
        page.remove_obj(obj)
    page.gen_content()
    return page


def matched(want: list, got: list) -> list[float]:
    """For each wanted box the distance (largest coordinate difference) to its nearest found box;
    the nearest boxes must all differ (one found box for each wanted one)."""
    nearest = [
        min(range(len(got)), key=lambda j: max(abs(a - b) for a, b in zip(w, got[j], strict=True)))
        for w in want
    ]
    assert len(set(nearest)) == len(want), "two cells found for one"
    return [
        max(abs(a - b) for a, b in zip(w, got[j], strict=True)) for w, j in zip(want, nearest, strict=True)
    ]


def longest_run(mask: np.ndarray) -> int:
    """The longest run of set pixels along the rows of a boolean array."""
    padded = np.pad(mask.astype(np.int8), ((0, 0), (1, 1)))
    steps = np.diff(padded, axis=1)
    starts, ends = np.nonzero(steps == 1), np.nonzero(steps == -1)
    return int((ends[1] - starts[1]).max()) if len(starts[1]) else 0


@pytest.mark.parametrize("number, dpi, angle", CASES)
def test_level_finds_the_turn(number, dpi, angle):
    image, turned = levelled(number, dpi, angle)
    assert abs(turned + angle) <= ANGLE_TOL, (turned, angle)
    if angle == 0.0:  # nothing to turn: the scan itself comes back, not resampled
        assert turned == 0.0 and image is plan_scan(number, dpi, angle)


@pytest.mark.parametrize("number, dpi, angle", CASES)
def test_the_rulings_give_the_vector_pages_cells(number, dpi, angle):
    page = plan()[number]
    width, height = page.get_size()
    want = page_tables(page)
    edges = rulings(levelled(number, dpi, angle)[0], dpi)
    assert {e["object_type"] for e in edges} == {"line"}  # no grey fill on the plan's pages
    got = lattice_tables(edges, width, height)
    assert [len(t) for t in got] == [len(t) for t in want]
    for cells, boxes in zip(got, want, strict=True):
        distances = matched([(b.x0, b.top, b.x1, b.bottom) for b in boxes], cells)
        assert max(distances) <= CELL_TOL[dpi], max(distances)


@pytest.mark.parametrize("number, dpi, angle", [(8, 300, 0.3), (1, 200, -0.7)])
def test_erase_takes_the_rules_and_leaves_the_text(number, dpi, angle):
    image, turned = levelled(number, dpi, angle)
    edges = rulings(image, dpi)
    erased = erase(image, edges, dpi)
    assert rulings(erased, dpi) == []
    dark, band = ink(erased) > 0, round(ERASE * dpi / 72)
    for e in edges:
        k = dpi / 72
        at = round((e["top"] if e["orientation"] == "h" else e["x0"]) * k)
        if e["orientation"] == "h":
            strip = dark[at - band : at + band + 1, round(e["x0"] * k) : round(e["x1"] * k)]
        else:
            strip = dark[round(e["top"] * k) : round(e["bottom"] * k), at - band : at + band + 1].T
        assert longest_run(strip) < MIN_RULE * k, e
    # the text: the same page without its rules, scanned and levelled the same way
    letters = ink(turn(scanned(render(text_only(pdfium.PdfDocument(PLAN)[number]), dpi), angle), turned)) > 0
    before = letters & (ink(image) > 0)
    lost = before & ~dark
    assert lost.sum() <= 0.01 * before.sum(), (lost.sum(), before.sum())


def plan_rules(edges: list[dict]) -> list[tuple[float, float, float]]:
    """The vector page's horizontal rules at least MIN_RULE long as (centre, x0, x1), by centre: a
    rule drawn as a thin filled rectangle gives two edges, its top and bottom sides, for one rule."""
    rules: list[dict] = []
    for e in sorted(
        (e for e in edges if e["orientation"] == "h" and e["width"] >= MIN_RULE), key=lambda e: e["top"]
    ):
        for rule in rules:
            if abs(rule["tops"][-1] - e["top"]) <= 1.5 and e["x0"] <= rule["x1"] and rule["x0"] <= e["x1"]:
                rule["tops"].append(e["top"])
                rule["x0"], rule["x1"] = min(rule["x0"], e["x0"]), max(rule["x1"], e["x1"])
                break
        else:
            rules.append({"tops": [e["top"]], "x0": e["x0"], "x1": e["x1"]})
    return sorted((float(np.mean(r["tops"])), r["x0"], r["x1"]) for r in rules)


@pytest.fixture(scope="module")
def lightly_ruled(tmp_path_factory, gold) -> dict[tuple[str, str], pdfium.PdfPage]:
    folder = tmp_path_factory.mktemp("lightly-ruled")
    pages = {}
    for rules in ("horizontal", "booktabs"):
        for borders in ("lines", "rects"):
            path = typeset(
                gold_rows(gold)[:8], Style(rules=rules, borders=borders), folder / f"{rules}-{borders}.pdf"
            )
            pages[rules, borders] = pdfium.PdfDocument(path)[0]
    return pages


@pytest.mark.parametrize(
    "rules, borders, dpi, angle",
    [("horizontal", "lines", 300, 0.4), ("horizontal", "rects", 200, -0.6),
     ("booktabs", "lines", 200, 1.0), ("booktabs", "rects", 300, -0.3)],
)  # fmt: skip
def test_a_lightly_ruled_page_gives_its_horizontal_rules(lightly_ruled, rules, borders, dpi, angle):
    page = lightly_ruled[rules, borders]
    image, turned = level(scanned(render(page, dpi), angle))
    assert abs(turned + angle) <= ANGLE_TOL
    found = rulings(image, dpi)
    assert [e for e in found if e["orientation"] == "v"] == []
    want = plan_rules(page_edges(page))
    got = sorted((e["top"], e["x0"], e["x1"]) for e in found)
    assert len(got) == len(want) >= 3
    for (c, x0, x1), (top, left, right) in zip(want, got, strict=True):
        assert (
            abs(top - c) <= CELL_TOL[dpi] / 2
            and abs(left - x0) <= CELL_TOL[dpi]
            and abs(right - x1) <= CELL_TOL[dpi]
        )


def text_page() -> pdfium.PdfPage:
    """A page of text: a bold heading, lines of words, every fourth word underlined."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape(A4), invariant=1)
    page.setFont("Times-Bold", 24)
    page.drawString(72, 520, "NATIONAL ACTION PLAN 2019-2020")
    words = ["Strengthen", "the", "identification", "of", "victims", "and", "the", "prosecution", "of",
             "traffickers", "through", "training"]  # fmt: skip
    page.setFont("Times-Roman", 11)
    page.setLineWidth(0.6)
    for line in range(12):
        x, y = 72, 480 - 16 * line
        for i, word in enumerate(words):
            page.drawString(x, y, word)
            width = page.stringWidth(word, "Times-Roman", 11)
            if (i + line) % 4 == 0:
                page.line(x, y - 1.5, x + width, y - 1.5)
            x += width + page.stringWidth(" ", "Times-Roman", 11)
    page.save()
    return pdfium.PdfDocument(buffer.getvalue())[0]


@pytest.mark.parametrize("dpi, angle", [(300, 0.3), (200, -0.8)])
def test_text_underlines_and_dust_are_no_rules(dpi, angle):
    page = text_page()
    assert any(e["width"] >= MIN_RULE for e in page_edges(page))  # the underlines are drawn rules
    image, turned = level(scanned(render(page, dpi), angle, seed=dpi))
    assert abs(turned + angle) <= ANGLE_TOL  # from the text lines: the page has no long rule
    assert rulings(image, dpi) == []


@pytest.mark.parametrize("number, dpi, angle", [(0, 300, -0.5), (8, 200, 0.9)])
def test_without_rules_the_turn_comes_from_the_text_lines(number, dpi, angle):
    letters = render(text_only(pdfium.PdfDocument(PLAN)[number]), dpi)
    assert rulings(letters, dpi) == []
    assert abs(skew(scanned(letters, angle)) - angle) <= ANGLE_TOL


@settings(max_examples=8, deadline=None, derandomize=True)
@given(st.floats(-1.0, 1.0))
def test_any_small_turn_is_found(angle):
    assert abs(skew(scanned(render(plan()[4], 150), angle)) - angle) <= ANGLE_TOL


def test_a_blank_page_has_no_turn_and_no_rules():
    blank = np.full((1654, 2339), 255, np.uint8)
    image, turned = level(blank)
    assert image is blank and turned == 0.0
    assert rulings(blank, 200) == []


def test_a_turn_under_the_skip_is_left_alone():
    scan = scanned(render(plan()[4], 200), SKIP_TURN / 2)
    assert 0 < skew(scan) < SKIP_TURN
    image, turned = level(scan)
    assert image is scan and turned == 0.0


def test_a_300_dpi_page_is_read_in_well_under_a_third_of_a_second():
    """Processor time (all threads), the fastest of three: what the work costs, whatever else
    shares the machine. Measured at about 0.08 s for `level` and 0.05 s for `rulings`."""
    scan, image = plan_scan(8, 300, 0.3), levelled(8, 300, 0.3)[0]
    fastest = {}
    for name, step in (("level", lambda: level(scan)), ("rulings", lambda: rulings(image, 300))):
        times = []
        for _ in range(3):
            start = time.process_time()
            step()
            times.append(time.process_time() - start)
        fastest[name] = min(times)
    print(fastest)  # (shown by pytest -s)
    assert fastest["level"] + fastest["rulings"] < 0.3, fastest


def page_of(draw) -> pdfium.PdfPage:
    """A landscape A4 page drawn by `draw(canvas)` with reportlab."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=landscape(A4), invariant=1)
    draw(page)
    page.save()
    return pdfium.PdfDocument(buffer.getvalue())[0]


def same_sides(want: list[dict], got: list[dict], tol: float) -> None:
    """The found edges are the vector page's, MIN_RULE long or longer, within `tol` points: the
    horizontal ones as rules (a fill's bottom and the top of the fill under it are one rule), the
    vertical ones side by side."""
    rules = [plan_rules(edges) for edges in (want, got)]
    assert len(rules[0]) == len(rules[1]) >= 2, rules
    for a, b in zip(*rules, strict=True):
        assert max(abs(x - y) for x, y in zip(a, b, strict=True)) <= tol, (a, b)
    downs = [
        sorted(
            (
                (e["x0"], e["top"], e["bottom"])
                for e in edges
                if e["orientation"] == "v" and e["height"] >= MIN_RULE
            ),
            key=lambda d: (d[1], d[0]),
        )
        for edges in (want, got)
    ]
    assert len(downs[0]) == len(downs[1]), downs
    for a, b in zip(*downs, strict=True):
        assert max(abs(x - y) for x, y in zip(a, b, strict=True)) <= tol, (a, b)


@pytest.fixture(scope="module")
def shaded(tmp_path_factory, gold) -> dict[str, Path]:
    """The gold's first activities typeset "shaded" by both producers: on the first page the
    header, goal and objective rows on touching grey fills, one objective lower down on its own."""
    folder = tmp_path_factory.mktemp("shaded")
    paths = {}
    for producer in ("reportlab", "fpdf2"):
        style = Style(rules="shaded", producer=producer, columns=BODY, **SECTIONS)
        paths[producer] = typeset(plain(gold_rows(gold)[:8]), style, folder / f"{producer}.pdf")
    return paths


@pytest.mark.parametrize(
    "producer, dpi, angle", [("reportlab", 300, 0.5), ("fpdf2", 300, -0.5), ("reportlab", 200, -0.7)]
)
def test_a_shaded_page_gives_its_fills_sides(shaded, producer, dpi, angle):
    page = pdfium.PdfDocument(shaded[producer])[0]
    want = page_edges(page)
    assert {e["orientation"] for e in want} == {"h", "v"} and len(plan_rules(want)) >= 5
    image, turned = level(scanned(render(page, dpi), angle, seed=dpi))
    assert abs(turned + angle) <= ANGLE_TOL
    found = rulings(image, dpi)
    assert {e["object_type"] for e in found} == {"rect_edge"}
    same_sides(want, found, 1.5)


def test_ocr_reads_the_text_on_a_fill_as_on_paper(shaded):
    """The fills' sides erase nothing, and the cleaned page OCR reads is white on the fills where
    the page without its fills (the same text, scanned and levelled alike) prints nothing, and
    keeps the text printed on them."""
    dpi, angle, k = 300, 0.5, 300 / 72
    image, turned = level(scanned(render(pdfium.PdfDocument(shaded["reportlab"])[0], dpi), angle))
    edges = rulings(image, dpi)
    assert np.array_equal(erase(image, edges, dpi), image)
    cleaned = clean(erase(image, edges, dpi), dpi)
    text = text_only(pdfium.PdfDocument(shaded["reportlab"])[0])
    letters = ink(turn(scanned(render(text, dpi), angle), turned)) > 0
    inside = np.zeros(image.shape, bool)
    for x0, top, x1, bottom in fills(image, dpi):  # a point in from the sides
        rows, cols = (
            slice(round((top + 1) * k), round((bottom - 1) * k)),
            slice(round((x0 + 1) * k), round((x1 - 1) * k)),
        )
        inside[rows, cols] = True
    near = cv2.dilate(letters.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    assert inside.sum() > 0 and (letters & inside).sum() > 0
    assert (cleaned[inside & ~near] < 255).mean() <= 1e-4  # a speck of dust or so: the grey is gone
    kept = letters & inside & (ink(cleaned) > 0)
    assert kept.sum() >= 0.99 * (letters & inside).sum()


def two_greys(page: canvas.Canvas) -> None:
    """A header on a darker grey right above a section row on a lighter one, a cell-wide fill
    further down, text on each."""
    for grey, top, height in ((0.7, 60, 20), (0.88, 80, 18)):
        page.setFillGray(grey)
        page.rect(60, 595 - top - height, 700, height, stroke=0, fill=1)
    page.rect(300, 595 - 200 - 16, 90, 16, stroke=0, fill=1)
    page.setFillGray(0)
    page.setFont("Times-Roman", 10)
    texts = ((70, 74, "Activity"), (400, 74, "Responsible agency"), (70, 92, "Goal 1: victims"),
             (306, 211, "Shaded cell"), (70, 150, "Text between the fills, on the paper"))  # fmt: skip
    for x, y, text in texts:
        page.drawString(x, 595 - y, text)


@pytest.mark.parametrize("dpi, angle", [(300, 0.3), (200, -0.6)])
def test_touching_fills_of_two_greys_part_where_the_grey_changes(dpi, angle):
    page = page_of(two_greys)
    image, turned = level(scanned(render(page, dpi), angle, seed=dpi))
    assert abs(turned + angle) <= ANGLE_TOL
    same_sides(page_edges(page), rulings(image, dpi), 1.5)


def greys_that_are_no_fills(page: canvas.Canvas) -> None:
    """A grey photo (smooth random shades), a photo shading from top to bottom, a grey disc, a grey
    logo in big bold letters and a black bar, beside lines of text."""
    rng = np.random.default_rng(7)
    field = cv2.resize(rng.normal(size=(20, 30)), (600, 400), interpolation=cv2.INTER_CUBIC)
    photo = np.interp(field, (field.min(), field.max()), (110, 235)).astype(np.uint8)
    sky = np.repeat(np.linspace(130, 235, 300)[:, None], 400, axis=1).astype(np.uint8)
    page.drawImage(ImageReader(Image.fromarray(photo)), 60, 300, 300, 200)
    page.drawImage(ImageReader(Image.fromarray(sky)), 420, 300, 200, 150)
    page.setFillGray(0.75)
    page.circle(720, 480, 50, stroke=0, fill=1)
    page.setFont("Helvetica-Bold", 72)
    page.drawString(60, 200, "NAP LOGO")
    page.setFillGray(0)
    page.rect(450, 200, 250, 24, stroke=0, fill=1)
    page.setFont("Times-Roman", 11)
    for line in range(6):
        page.drawString(
            60, 150 - 16 * line, "Strengthen the identification of victims and the prosecution of traffickers"
        )


@pytest.mark.parametrize("dpi, angle", [(300, 0.4), (200, -0.8)])
def test_a_grey_photo_or_logo_is_no_fill(dpi, angle):
    page = page_of(greys_that_are_no_fills)
    image, _ = level(scanned(render(page, dpi), angle, seed=dpi))
    assert fills(image, dpi) == []
    assert [e for e in rulings(image, dpi) if e["object_type"] == "rect_edge"] == []


@pytest.mark.parametrize("dpi", [300, 200])
def test_the_plans_pages_have_no_fill(dpi):
    """Every page of the shipped plan (ruled, no shading) gives the rulings it gave before fills
    were looked for: the fills add none."""
    for number in range(len(plan())):
        assert fills(render(plan()[number], dpi), dpi) == [], number
