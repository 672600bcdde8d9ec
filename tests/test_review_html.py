"""review.html: one entry per review row, each with a crop of the PDF where its value was printed,
a summary that agrees with the plan, and a page that renders in headless Chromium."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser

import pypdfium2 as pdfium
import pytest
from documents import SHIPPED
from PIL import Image

from publish.review_html import PAGE_PREVIEW_WIDTH, SCALE, Rendered, mention_method, review_html
from schema.models import BBox, Plan, ReviewItem

PDF = SHIPPED.pdf
PNG_PREFIX = "data:image/png;base64,"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--virtual-time-budget=5000",
]
# Appended to a test copy of the page: on load, record what the browser actually rendered.
PROBE = """<script>
addEventListener("load", () => {
  const imgs = [...document.images];
  const b = document.body.dataset;
  b.images = imgs.length;
  b.decoded = imgs.filter((i) => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0).length;
  b.laidOut = imgs.filter((i) => i.getBoundingClientRect().width > 0).length;
  b.entries = document.querySelectorAll("article.entry").length;
  b.entriesWithImage = [...document.querySelectorAll("article.entry")]
    .filter((e) => [...e.querySelectorAll("img")].some((i) => i.naturalWidth > 0)).length;
  document.title = "probe done";
});
</script>"""


class Page(HTMLParser):
    """The entries (attributes, figures with their page and image) and the summary's counts."""

    def __init__(self, html: str):
        super().__init__()
        self.entries: list[dict] = []
        self.counts: dict[str, dict[str, int]] = {}
        self.links: list[str] = []
        self.tags: Counter = Counter()
        self._figure_page: str | None = None
        self._row: tuple[str, str] | None = None
        self._cells: list[str] = []
        self._in_td = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] += 1
        self.links += [v for k, v in attrs if k in ("src", "href") and v is not None]
        if tag == "article":
            self.entries.append({"attrs": a, "figures": []})
        elif tag == "figure":
            self._figure_page = a.get("data-page")
        elif tag == "img" and self.entries:
            self.entries[-1]["figures"].append(
                {"page": self._figure_page, "src": a["src"], "alt": a.get("alt")}
            )
        elif tag == "tr":
            key = next(((k, v) for k, v in attrs if k.startswith("data-")), None)
            self._row, self._cells = (key, []) if key and not self.entries else (None, [])
        elif tag == "td" and self._row:
            self._in_td = True
            self._cells.append("")

    def handle_endtag(self, tag):
        if tag == "td":
            self._in_td = False
        elif tag == "tr" and self._row:
            attr, key = self._row
            self.counts.setdefault(attr, {})[key] = int(self._cells[-1])
            self._row = None

    def handle_data(self, data):
        if self._in_td:
            self._cells[-1] += data


def decode_png(src: str) -> tuple[bytes, Image.Image]:
    assert src.startswith(PNG_PREFIX), src[:40]
    data = base64.b64decode(src[len(PNG_PREFIX) :], validate=True)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    image.load()
    return data, image


@pytest.fixture(scope="module")
def plan(default_run) -> Plan:
    """The plan of a fresh pipeline run on the shipped PDF (conftest: run(PDF, tmp, "pdfplumber"))."""
    return default_run[1]


@pytest.fixture(scope="module")
def html(plan) -> str:
    return review_html(plan, PDF)


@pytest.fixture(scope="module")
def page(html) -> Page:
    return Page(html)


def with_review(plan: Plan, *items: ReviewItem) -> Plan:
    return plan.model_copy(update={"review": [*plan.review, *items]})


def test_one_entry_per_review_row_in_order(plan, page):
    assert len(plan.review) > 20
    got = [
        (e["attrs"]["data-activity"], e["attrs"]["data-field"], e["attrs"]["data-kind"]) for e in page.entries
    ]
    assert got == [(r.activity_id, r.field, r.kind) for r in plan.review]
    assert [e["attrs"]["data-page"] for e in page.entries] == [
        "" if r.page is None else str(r.page) for r in plan.review
    ]


def test_every_entry_has_a_png_crop_with_ink(page):
    for e in page.entries:
        assert e["figures"], f"entry {e['attrs']} has no crop"
        for fig in e["figures"]:
            data, image = decode_png(fig["src"])
            assert fig["alt"], "every crop has alt text"
            assert len(data) > 300 and image.width >= 40 and image.height >= 16, (e["attrs"], image.size)
            low, _ = image.convert("L").getextrema()
            assert low < 100, f"blank crop in {e['attrs']}: the box is not where the text was printed"


def test_crops_come_from_the_rows_page(plan, page):
    for item, e in zip(plan.review, page.entries, strict=True):
        pages = {int(f["page"]) for f in e["figures"]}
        if item.page is not None:
            assert item.page in pages, (item, pages)


def test_page_break_rows_show_both_sides_of_the_break(plan, page):
    stitched = [
        (r, e) for r, e in zip(plan.review, page.entries, strict=True) if r.kind == "page_break_stitched"
    ]
    assert len(stitched) >= 10
    for item, e in stitched:
        pages = [int(f["page"]) for f in e["figures"]]
        assert {item.page - 1, item.page} <= set(pages), (item, pages)
        fields = [f for f in item.field.split(",")]
        # each stitched field of a row (or the goal/objective) has a crop on both pages
        assert len(pages) >= 2 * len(fields), (item, pages)


def test_summary_counts_agree_with_the_plan(plan, page):
    acts = plan.activities()
    mentions = [m for a in acts for m in a.mentions]
    counts = page.counts
    assert counts["data-count"]["activities"] == len(acts) == 57
    assert counts["data-count"]["agency mentions"] == len(mentions)
    assert counts["data-count"]["agency links"] == sum(len(m.links) for m in mentions)
    assert counts["data-count"]["indicators"] == sum(len(a.indicators) for a in acts)
    assert counts["data-count"]["review items"] == len(plan.review)
    by_method = Counter(mention_method(m) for m in mentions)
    assert counts["data-match"] == {m: by_method.get(m, 0) for m in ("exact", "alias", "fuzzy", "unmatched")}
    assert sum(counts["data-match"].values()) == len(mentions)
    links = Counter(link.match for m in mentions for link in m.links)
    assert counts["data-link-match"] == {m: links.get(m, 0) for m in ("exact", "alias", "fuzzy", "unmatched")}
    assert counts["data-review-kind"] == dict(Counter(r.kind for r in plan.review))


def test_source_is_named_with_its_hash(plan, html):
    assert f'data-source="sha256">{plan.source.sha256}<' in html
    assert f'data-source="name">{plan.source.name}<' in html


def test_self_contained(page, html):
    assert page.links and all(link.startswith((PNG_PREFIX, "#")) for link in page.links)
    assert not page.tags["script"] and not page.tags["link"] and not page.tags["iframe"]
    assert not re.search(r"url\(|@import", html)


def test_deterministic(plan, html):
    assert review_html(plan, PDF) == html


def test_values_shown_beside_the_crops(plan, page, html):
    acts = {a.activity_id: a for a in plan.activities()}
    split = next(r for r in plan.review if r.kind == "indicator_split")
    for indicator in acts[split.activity_id].indicators:
        assert f"<li>{indicator}</li>".replace("'", "&#x27;") in html
    alias = next(r for r in plan.review if r.kind == "alias_out_of_period")
    assert "gpo (alias 100)" in html and alias.detail.replace("'", "&#x27;").replace('"', "&quot;") in html


@pytest.mark.parametrize("index", [0, 2, 5])
@pytest.mark.parametrize("box", [(150, 150, 1500, 1000), (0, 0, 300, 1191), (901, 1001, 1683, 1190)])
def test_a_region_rendered_alone_shows_the_pixels_of_the_whole_page(index, box):
    """Crops render only their region: it must be the pixels of the page rendered whole. PDFium may
    shade a rule on the region's very edge a little differently (at most an edge's worth of pixels);
    a region shifted by one pixel differs in thousands."""
    doc = pdfium.PdfDocument(str(PDF))
    try:
        page = doc[index]
        whole = page.render(scale=SCALE, grayscale=True).to_pil().crop(box)
        alone = Rendered(page).region(box)
        assert alone.size == whole.size
        differing = sum(abs(a - b) > 8 for a, b in zip(alone.tobytes(), whole.tobytes(), strict=True))
        assert differing <= alone.width + alone.height
    finally:
        doc.close()


@pytest.mark.parametrize("top", [590.0, 596.0, 598.0, 640.0])
def test_a_box_at_or_below_the_page_bottom_still_gets_a_crop(top):
    """A box reaching past the page (a row taller than its page) is clamped, never an error."""
    doc = pdfium.PdfDocument(str(PDF))
    try:
        page = Rendered(doc[0])  # 595 pt high
        box, _ = page.pixel_box(BBox(x0=100, top=top, x1=200, bottom=top + 6), "top")
        image = page.region(box)
        assert image.width > 0 and image.height > 0
        assert box[3] <= page.size[1]
    finally:
        doc.close()


def test_a_region_past_the_page_is_clamped_and_a_later_cut_from_it_is_not_shifted():
    doc = pdfium.PdfDocument(str(PDF))
    try:
        page = Rendered(doc[0])
        w = page.size[0]
        assert page.region((-40, 100, 400, 300)).size == (400, 200)
        assert page.region((w - 50, 100, w + 10, 300)).size == (50, 200)
        page.region((-40, 100, 400, 300))
        cached = page.region((0, 120, 360, 280))  # inside the last region: cut from it
        fresh = Rendered(doc[0]).region((0, 120, 360, 280))
        assert cached.tobytes() == fresh.tobytes()
    finally:
        doc.close()


def test_page_level_duplicate_and_rowless_items_get_crops(plan):
    extra = [
        ReviewItem(activity_id="", field="page", kind="text_outside_table", detail="Stray <b>&amp;", page=3),
        ReviewItem(activity_id="1.1.1", field="row", kind="unnumbered_row_merged", detail="x", page=1),
        ReviewItem(activity_id="2.1.2", field="activity", kind="duplicate_number", detail="twice", page=None),
        ReviewItem(
            activity_id="",
            field="objective",
            kind="numbering_mismatch",
            detail="objective 3.2 under goal 2",
            page=5,
        ),
        ReviewItem(activity_id="", field="row", kind="orphan_row", detail="no page", page=None),
    ]
    page = Page(review_html(with_review(plan, *extra), PDF))
    assert len(page.entries) == len(plan.review) + len(extra)
    tail = page.entries[-len(extra) :]
    for e in tail:
        assert e["figures"], e["attrs"]
        for fig in e["figures"]:
            decode_png(fig["src"])
    whole_page = decode_png(tail[0]["figures"][0]["src"])[1]
    assert whole_page.width == PAGE_PREVIEW_WIDTH and whole_page.width > whole_page.height  # landscape A4
    assert [f["page"] for f in tail[3]["figures"]] == ["5", "6"]  # objective 3.2 spans pages 5-6
    assert [f["page"] for f in tail[4]["figures"]] == ["1"]  # no page, no activity: page 1, said so


def test_text_is_escaped(plan):
    item = ReviewItem(
        activity_id="", field="page", kind="text_outside_table", detail='<img src="x">&', page=2
    )
    out = review_html(with_review(plan, item), PDF)
    assert '<img src="x">' not in out and "&lt;img src=&quot;x&quot;&gt;&amp;" in out


def test_refuses_another_pdf(plan, tmp_path):
    other = tmp_path / "other.pdf"
    other.write_bytes(PDF.read_bytes() + b"\n% another file\n")
    with pytest.raises(ValueError, match="sha256"):
        review_html(plan, other)


def find_chromium() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def test_renders_in_headless_chromium(plan, html, tmp_path):
    browser = find_chromium()
    if browser is None:
        pytest.skip(
            "Chromium is not installed: none of chromium, chromium-browser, google-chrome on PATH "
            "(.ci/install-chromium installs Debian's chromium)"
        )
    copy = tmp_path / "review.html"
    copy.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    cmd = [browser, *BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", copy.as_uri()]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{browser} did not finish within 60 s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    body = re.search(r"<body([^>]*)>", proc.stdout)
    assert body, f"no DOM dumped; stderr: {proc.stderr[-2000:]}"
    probe = dict(re.findall(r'data-([\w-]+)="(\d+)"', body.group(1)))
    n_images = sum(len(e["figures"]) for e in Page(html).entries)
    assert probe == {
        "images": str(n_images),
        "decoded": str(n_images),
        "laid-out": str(n_images),
        "entries": str(len(plan.review)),
        "entries-with-image": str(len(plan.review)),
    }, probe
    dom = Page(proc.stdout)
    assert [e["attrs"]["data-kind"] for e in dom.entries] == [r.kind for r in plan.review]
    assert all(e["figures"] for e in dom.entries)
