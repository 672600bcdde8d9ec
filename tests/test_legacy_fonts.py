"""Georgian typeset in a legacy font (AcadNusx: Georgian letters drawn on Latin code points) comes
out as Unicode Georgian; text in other fonts, digits and punctuation are untouched (extract/legacy.py)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import matplotlib
import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTFont as FontFile
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import registerFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from extract.legacy import LATIN_TO_GEORGIAN, font_name, is_legacy, to_georgian
from extract.pdfium_reader import legacy_fonts, page_chars
from nap.pipeline import run
from schema.models import Plan

DEJAVU = Path(matplotlib.__file__).parent / "mpl-data/fonts/ttf/DejaVuSans.ttf"

# The mapping as the issue states it (a→ა, b→ბ ... h→ჰ): the 33 Mkhedruli letters in alphabet order.
ISSUE_KEYS = "abgdevzTiklmnopJrstufqRySCcZwWxjh"  # the Latin key of each, in the same order
MKHEDRULI = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"

LEGACY = "AcadNusx"
SIZE, LEADING, PAD = 9.0, 11.0, 4.0
HEADER = ["Strategic Goal", "Objective", "Activity", "Responsible Agency", "Partner", "Indicator", "Timeline"]
WIDTHS = [100, 100, 150, 150, 100, 110, 80]  # points: each line of the cells below fits its column


def test_the_table_is_the_issues_mapping():
    assert len(MKHEDRULI) == len(ISSUE_KEYS) == 33
    assert dict(zip(ISSUE_KEYS, MKHEDRULI, strict=True)) == LATIN_TO_GEORGIAN
    assert to_georgian("saqarTvelos iusticiis saministro") == "საქართველოს იუსტიციის სამინისტრო"


def test_digits_punctuation_and_unnamed_letters_keep_their_code_points():
    kept = "0123456789 .,;:()-–/№ ABDEFGHIKLMNOPQUVXY"
    assert to_georgian(kept) == kept
    assert to_georgian("2019-2020 wlis I naxevari.") == "2019-2020 წლის I ნახევარი."


@pytest.mark.parametrize(
    ("base_font", "legacy", "name"),
    [
        ("AcadNusx", True, "AcadNusx"),
        ("AAAAAA+AcadNusx", True, "AcadNusx"),
        ("BCDEFG+AcadNusx-Bold", True, "AcadNusx-Bold"),
        ("LitNusx", True, "LitNusx"),
        ("Acad Mtavr", True, "Acad Mtavr"),
        ("AcadMtavrBold", True, "AcadMtavrBold"),
        ("Helvetica", False, "Helvetica"),
        ("AAAAAA+DejaVuSans", False, "DejaVuSans"),
        ("Nusx", False, "Nusx"),  # only the named families: not any font with a like name
    ],
)
def test_legacy_fonts_are_known_by_name(base_font, legacy, name):
    assert is_legacy(base_font) is legacy
    assert font_name(base_font) == name


def register_legacy(folder: Path) -> None:
    """DejaVu Sans (it has Latin glyphs) renamed and registered as a legacy font: its text layer is
    Latin, as an AcadNusx PDF's is. (reportlab names the embedded font by the file's own PostScript
    name, so the file is renamed, not just registered under the name.)"""
    font = FontFile(str(DEJAVU))
    for record in font["name"].names:
        if record.nameID in (1, 3, 4, 6, 16):  # family, unique id, full name, PostScript name, family
            record.string = LEGACY
    path = folder / f"{LEGACY}.ttf"
    font.save(str(path))
    registerFont(TTFont(LEGACY, str(path)))


# One activity. Each cell is its lines; a line is its runs (text, font): the responsible cell and the
# timeline in the legacy font, one line mixing both fonts, the rest in Helvetica (Latin, untouched).
ROW = [
    [[("1. Prevention", "Helvetica")]],
    [[("1.1 Awareness raising", "Helvetica")]],
    [[("1.1.1 Training of judges", "Helvetica")], [("on trafficking cases", "Helvetica")]],
    [[("saqarTvelos iusticiis", LEGACY)], [("saministro", LEGACY)]],
    [[("IOM", "Helvetica")]],
    [[("Judges trained: 20;", "Helvetica")], [("Teacher ", "Helvetica"), ("trenerebi", LEGACY)]],
    [[("2019-2020 ww.", LEGACY)]],
]


def draw_row(canvas: Canvas, top: float, cells: list[list[list[tuple[str, str]]]]) -> float:
    """Draw one ruled row of cells from `top` (PDF y, downwards); returns its bottom."""
    height = max(len(lines) for lines in cells) * LEADING + 2 * PAD
    x = 40.0
    for width, lines in zip(WIDTHS, cells, strict=True):
        canvas.rect(x, top - height, width, height, stroke=1, fill=0)
        for k, runs in enumerate(lines):
            text = canvas.beginText(x + PAD, top - PAD - SIZE - k * LEADING)
            for chunk, font in runs:
                assert len(simpleSplit(chunk, font, SIZE, width - 2 * PAD)) == 1  # no line overflows
                text.setFont(font, SIZE)
                text.textOut(chunk)
            canvas.drawText(text)
        x += width
    return top - height


def legacy_plan(path: Path) -> Path:
    register_legacy(path.parent)
    canvas = Canvas(str(path), pagesize=(842, 595), invariant=1)
    bottom = draw_row(canvas, 555, [[[(h, "Helvetica-Bold")]] for h in HEADER])
    draw_row(canvas, bottom, ROW)
    canvas.showPage()
    canvas.save()
    return path


@pytest.fixture(scope="module")
def typeset(tmp_path_factory) -> Path:
    return legacy_plan(tmp_path_factory.mktemp("legacy") / "acadnusx.pdf")


def test_the_pdf_names_the_legacy_font_and_its_text_layer_is_latin(typeset):
    raw = typeset.read_bytes()
    assert re.search(rb"/BaseFont /(?:[A-Z]{6}\+)?AcadNusx\b", raw)
    doc = pdfium.PdfDocument(str(typeset))
    try:
        page = doc[0]
        textpage = page.get_textpage()
        assert "saqarTvelos iusticiis" in textpage.get_text_range()  # what a reader without the rule sees
        textpage.close()
        assert legacy_fonts(page) == {LEGACY}
        counted: dict[str, int] = {}
        text = "".join(c.text for c in page_chars(page, counted))
        assert counted == {LEGACY: legacy_letters()}
        assert "საქართველოს" in text and "saqarTvelos" not in text
    finally:
        doc.close()


def legacy_letters() -> int:
    """The letters ROW draws in the legacy font that the mapping names."""
    runs = [run for cell in ROW for line in cell for run in line]
    return sum(c in LATIN_TO_GEORGIAN for text, font in runs if font == LEGACY for c in text)


@pytest.fixture(scope="module", params=["pdfium", "pdfplumber"])
def extracted(request, typeset, tmp_path_factory, config):
    """The plan as each engine reads it: all share one reader of the page's characters."""
    out = tmp_path_factory.mktemp(f"legacy-{request.param}") / "acadnusx"
    return run(typeset, out, request.param, config), out


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_legacy_text_comes_out_as_unicode_georgian_and_other_fonts_untouched(extracted):
    plan, out = extracted
    [activity] = plan.activities()
    assert activity.title == "Training of judges on trafficking cases"
    assert [m.mention for m in activity.mentions if m.column == "responsible"] == [
        "საქართველოს იუსტიციის სამინისტრო"
    ]
    assert [m.mention for m in activity.mentions if m.column == "partner"] == ["IOM"]
    assert activity.indicators == ["Judges trained: 20", "Teacher ტრენერები"]
    assert activity.timeline.text == "2019-2020 წწ."
    [row] = read_rows(out / "activities.csv")
    assert row["timeline"] == "2019-2020 წწ."


def test_one_review_item_and_plan_json_record_the_conversion(extracted):
    plan, out = extracted
    items = [r for r in read_rows(out / "review.csv") if r["kind"] == "legacy_encoding"]
    assert len(items) == 1
    assert f"{LEGACY} ({legacy_letters()} characters, page 1)" in items[0]["detail"]
    assert items[0]["page"] == "1"
    recorded = json.loads((out / "plan.json").read_text(encoding="utf-8"))["legacy_fonts"]
    assert recorded == [{"name": LEGACY, "pages": [1], "characters": legacy_letters()}]
    assert Plan.model_validate_json((out / "plan.json").read_text(encoding="utf-8")) == plan


def test_a_plan_without_legacy_fonts_records_none(default_run):
    out, plan = default_run
    assert plan.legacy_fonts == []
    assert "legacy_fonts" not in json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert not [r for r in plan.review if r.kind == "legacy_encoding"]
