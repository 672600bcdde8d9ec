"""Publishing a plan whose pages were read by OCR: review.html shows the scan of each unsure word
beside its reason, summary.html, README.md and datapackage.json say which pages were read and with
what, review.csv stays free of images, `nap validate` accepts the folder; and a plan read without
OCR renders exactly as the committed output of the shipped plan."""

from __future__ import annotations

import base64
import copy
import io
import json
import re
from html.parser import HTMLParser

import frictionless
import pytest
from documents import SHIPPED
from PIL import Image, ImageDraw
from test_golden import comparable
from test_review_html import browse

from publish.codebook import codebook_markdown
from publish.datapackage import datapackage_dict, datapackage_json
from publish.folder import write_outputs
from publish.ocr_facts import LOW_CONFIDENCE, page_span
from publish.origin import origin_of
from publish.outputs import OUTPUTS, render_outputs
from publish.review_html import review_html
from publish.rows import table_csv
from publish.summary_html import summary_html
from publish.tables import TABLES, file_name
from publish.validate import validate_folder
from schema.models import OcrInfo, OcrPage, Plan, ReviewItem

PDF = SHIPPED.pdf
COMMITTED = SHIPPED.expected
PNG_URI = "data:image/png;base64,"
NO_EPOCH: dict[str, str] = {}  # the committed folder is dated by the PDF's own date
LISTING = [(o.name, o.summary) for o in OUTPUTS]


def png(width: int, height: int, word: str) -> str:
    """A real PNG, as a data URI: a word drawn on white, as a scan of it would be."""
    image = Image.new("L", (width, height), 255)
    ImageDraw.Draw(image).text((2, 1), word, fill=0)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return PNG_URI + base64.b64encode(buf.getvalue()).decode("ascii")


def png_size(uri: str) -> tuple[int, int]:
    with Image.open(io.BytesIO(base64.b64decode(uri[len(PNG_URI) :]))) as image:
        return image.size


@pytest.fixture(scope="module")
def shipped() -> Plan:
    """The committed plan of the shipped PDF (read from its text layer: no OCR)."""
    return Plan.model_validate_json((COMMITTED / "plan.json").read_bytes())


def first_activity_on(plan: Plan, page: int) -> tuple[str, str]:
    """(activity id, field) of the first value printed on `page`."""
    return next(
        (a.activity_id, name)
        for a in plan.activities()
        for name, provs in a.provenance.items()
        if any(p.page == page for p in provs)
    )


def ocr_items(plan: Plan) -> list[ReviewItem]:
    """Review items about words read by OCR: with scans of two sizes, without one, with one that is
    not a PNG data URI (nothing may be loaded from elsewhere)."""
    (a2, f2), (a3, f3) = first_activity_on(plan, 2), first_activity_on(plan, 3)
    return [
        ReviewItem(activity_id=a2, field=f2, kind=LOW_CONFIDENCE, detail="“Minstry” (41)", page=2,
                   text="Minstry", crop=png(61, 14, "Minstry")),
        ReviewItem(activity_id=a3, field=f3, kind="ocr_corrected", detail="“Justlce” read as “Justice”",
                   page=3, text="Justlce", crop=png(47, 12, "Justlce")),
        ReviewItem(activity_id=a3, field=f3, kind=LOW_CONFIDENCE, detail="“<&>” (12)", page=3,
                   text='<&"x">', crop=png(23, 9, "<&>")),
        ReviewItem(activity_id=a3, field=f3, kind=LOW_CONFIDENCE, detail="no scan kept", page=3),
        ReviewItem(activity_id=a3, field=f3, kind=LOW_CONFIDENCE, detail="not an image", page=3,
                   text="elsewhere", crop="https://example.org/scan.png"),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def read_by_ocr(shipped) -> Plan:
    """The shipped plan as if pages 2 and 3 had been scans read by OCR: a few of its review items
    (to keep the crops few) and the OCR items."""
    ocr = OcrInfo(
        mode="auto",
        engine="tesseract",
        version="5.3.0",
        languages=["eng"],
        language_data="tesseract-ocr-eng 1:4.1.0-2",
        dpi=300,
        min_confidence=60,
        pages=[
            OcrPage(page=2, dpi=300, skew=0.42, words=812, uncertain=3, mean_confidence=91.27),
            OcrPage(page=3, dpi=300, skew=-1.05, words=640, uncertain=9, mean_confidence=87.5),
        ],
    )
    return shipped.model_copy(update={"ocr": ocr, "review": shipped.review[:3] + ocr_items(shipped)})


# ---------------------------------------------------------------- review.html


VOID = {"img", "br", "input", "meta", "hr", "link"}


class Entries(HTMLParser):
    """Per review entry: the scans (images of a figure.scan) and whether its reason is beside them."""

    def __init__(self, html: str):
        super().__init__()
        self.entries: list[dict] = []
        self.sources: list[str] = []
        self._open: list[tuple[str, str]] = []  # (tag, class) of the elements open inside the entries
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.sources += [v for k, v in attrs if k == "src" and v]
        if tag == "article":
            self.entries.append({"scans": [], "detail_beside": False, "notes": 0})
        if not self.entries:
            return
        inside = {f"{t}.{c}" for t, c in self._open}
        if tag == "img" and "figure.scan" in inside:
            assert {"header.", "div.scanned"} <= inside, self._open  # in the entry's header
            self.entries[-1]["scans"].append(a)
        if tag == "p" and a.get("class") == "detail" and "div.scanned" in inside:
            self.entries[-1]["detail_beside"] = True
        if tag == "p" and a.get("class") == "scan":
            self.entries[-1]["notes"] += 1
        if tag not in VOID:
            self._open.append((tag, a.get("class") or ""))

    def handle_endtag(self, tag):
        while self._open and self._open.pop()[0] != tag:
            pass


@pytest.fixture(scope="module")
def review_page(read_by_ocr) -> str:
    return review_html(read_by_ocr, PDF)


def test_each_scan_is_shown_beside_its_reason_at_its_natural_size(read_by_ocr, review_page):
    entries = Entries(review_page).entries
    assert len(entries) == len(read_by_ocr.review)
    for item, entry in zip(read_by_ocr.review, entries, strict=True):
        if item.crop and item.crop.startswith(PNG_URI):
            width, height = png_size(item.crop)
            want = {"alt": item.text, "width": str(width), "height": str(height), "src": item.crop}
            assert entry["scans"] == [want], item
        else:
            assert entry["scans"] == [], item
        assert entry["detail_beside"] == bool(item.crop), item  # the scan, or why it cannot be shown
        assert entry["notes"] == (1 if item.crop and not item.crop.startswith(PNG_URI) else 0), item


def test_the_scan_shrinks_to_fit_and_nothing_is_loaded_from_elsewhere(review_page):
    css = re.search(r"<style>(.*?)</style>", review_page, re.S).group(1)
    assert re.search(r"(^|[}\s])img\{[^}]*max-width:100%", css)
    assert re.search(r"figure\.scan\{[^}]*max-width:100%", css)
    sources = Entries(review_page).sources
    assert sources and all(s.startswith(PNG_URI) for s in sources)
    assert "example.org" not in review_page  # a crop that is no PNG data URI is not shown


def test_the_scans_render_in_headless_chromium(read_by_ocr, review_page, tmp_path):
    """Chromium decodes each scan and lays it out at its natural width: nothing (a
    Content-Security-Policy without `img-src data:`, a style) keeps it from showing."""
    probe = """<script>
addEventListener("load", () => probeDone([...document.querySelectorAll("figure.scan img")].map((i) =>
  [i.alt, i.complete && i.naturalWidth, i.naturalHeight, Math.round(i.getBoundingClientRect().width)])));
</script>"""
    result, _ = browse(review_page, tmp_path, probe)
    want = []
    for item in read_by_ocr.review:
        if item.crop and item.crop.startswith(PNG_URI):
            width, height = png_size(item.crop)
            want.append([item.text, width, height, width + 2])  # its 1px border on each side
    assert result == want


# ---------------------------------------------------------------- review.csv


def test_review_csv_keeps_its_columns_and_no_image(shipped, read_by_ocr):
    csv_text = table_csv(read_by_ocr, "review")
    committed = (COMMITTED / "review.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0] == committed.splitlines()[0]
    assert len(csv_text.splitlines()) == 1 + len(read_by_ocr.review)
    assert "base64" not in csv_text and "data:image" not in csv_text
    assert csv_text.count(f",{LOW_CONFIDENCE},") == sum(r.kind == LOW_CONFIDENCE for r in read_by_ocr.review)


# ---------------------------------------------------------------- summary.html


def test_summary_says_which_pages_were_read_and_how_surely(read_by_ocr):
    html = summary_html(read_by_ocr)
    ocr = read_by_ocr.ocr
    section = re.search(r'<section id="ocr">.*?</section>', html, re.S).group(0)
    pages = [p.page for p in ocr.pages]
    assert f'data-ocr-pages="{" ".join(map(str, pages))}"' in section
    assert page_span(pages).capitalize() in section
    for said in (ocr.engine, ocr.version, ocr.language_data, *ocr.languages, f"{ocr.dpi} dpi"):
        assert said in section, said
    for p in ocr.pages:
        row = re.search(rf'<tr data-page="{p.page}">.*?</tr>', section).group(0)
        assert f'data-ocr="words">{p.words}<' in row and f'data-ocr="uncertain">{p.uncertain}<' in row
        assert f'data-ocr="mean_confidence">{p.mean_confidence:.1f}<' in row
    uncertain = sum(p.uncertain for p in ocr.pages)
    assert f"{uncertain} words were read with a confidence below {ocr.min_confidence:g}" in section
    items = sum(r.kind == LOW_CONFIDENCE for r in read_by_ocr.review)
    assert f'data-low-confidence-items="{items}"' in section
    assert '<a href="#ocr">' in html


def test_summary_without_ocr_is_the_page_with_ocr_less_its_section(read_by_ocr):
    with_ocr = summary_html(read_by_ocr)
    without = summary_html(read_by_ocr.model_copy(update={"ocr": None}))
    assert 'id="ocr"' not in without and "OCR" not in without
    stripped = re.sub(r'<section id="ocr">.*?</section>|<a href="#ocr">[^<]*</a>', "", with_ocr, flags=re.S)
    assert stripped == without


# ---------------------------------------------------------------- datapackage.json and README.md


def csv_files(plan: Plan) -> dict[str, bytes]:
    files = {file_name(t): table_csv(plan, t).encode() for t in TABLES}
    return files | {"plan.json": (plan.model_dump_json(indent=2) + "\n").encode()}


def test_the_package_records_ocr_under_the_extraction(read_by_ocr):
    files = csv_files(read_by_ocr)
    with_ocr = datapackage_dict(files, origin_of(read_by_ocr, NO_EPOCH))
    without = datapackage_dict(files, origin_of(read_by_ocr.model_copy(update={"ocr": None}), NO_EPOCH))
    assert with_ocr["provenance"]["extraction"]["ocr"] == read_by_ocr.ocr.model_dump(mode="json")
    assert "provenance.extraction.ocr" in with_ocr["description"]
    assert with_ocr["description"].startswith(without["description"])
    rest = copy.deepcopy(with_ocr)
    del rest["provenance"]["extraction"]["ocr"]
    rest["description"] = without["description"]
    assert rest == without


def test_the_readme_says_which_pages_were_read_and_what_to_check(read_by_ocr):
    files = csv_files(read_by_ocr)
    with_ocr = codebook_markdown(files, origin_of(read_by_ocr, NO_EPOCH), LISTING)
    without = codebook_markdown(
        files, origin_of(read_by_ocr.model_copy(update={"ocr": None}), NO_EPOCH), LISTING
    )
    added = [line for line in with_ocr.splitlines() if line not in without.splitlines()]
    assert len(added) == 1, added  # one paragraph, and nothing else changed
    paragraph = added[0]
    ocr = read_by_ocr.ocr
    for said in (page_span(p.page for p in ocr.pages).capitalize(), ocr.engine, ocr.version,
                 ocr.language_data, "review.csv", "review.html"):  # fmt: skip
        assert said in paragraph, said
    items = sum(r.kind == LOW_CONFIDENCE for r in read_by_ocr.review)
    assert f"The {items} `{LOW_CONFIDENCE}` rows of `review.csv`" in paragraph
    assert with_ocr.replace(paragraph + "\n\n", "", 1) == without


def test_the_folder_of_an_ocr_plan_validates(read_by_ocr, tmp_path):
    """Written whole: plan.json with `ocr` and scans validates against the Plan model, and the
    package (with its `provenance.extraction.ocr`) passes `nap validate` and frictionless."""
    out = tmp_path / "folder"
    write_outputs(render_outputs(read_by_ocr, PDF), out)
    assert validate_folder(out) == []
    assert Plan.model_validate_json((out / "plan.json").read_bytes()) == read_by_ocr
    assert json.loads((out / "plan.json").read_bytes())["ocr"]["pages"][0]["page"] == 2
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])


# ---------------------------------------------------------------- a plan without OCR


@pytest.mark.parametrize("name", ["summary.html", "datapackage.json", "README.md", "review.html"])
def test_a_plan_without_ocr_renders_as_committed(shipped, name):
    """The committed plan (no `ocr`, no scan) renders the committed files byte for byte (review.html's
    PNG crops elided, as the freshness test compares them)."""
    assert shipped.ocr is None and not any(r.crop for r in shipped.review)
    files = {file_name(t): (COMMITTED / file_name(t)).read_bytes() for t in TABLES}
    files["plan.json"] = (COMMITTED / "plan.json").read_bytes()
    origin = origin_of(shipped, NO_EPOCH)
    render = {
        "summary.html": lambda: summary_html(shipped),
        "datapackage.json": lambda: datapackage_json(files, origin),
        "README.md": lambda: codebook_markdown(files, origin, LISTING),
        "review.html": lambda: review_html(shipped, PDF),
    }[name]
    assert comparable(name, render().encode()) == comparable(name, (COMMITTED / name).read_bytes())
