"""review.html: one entry per review row, each with a crop of the PDF where its value was printed,
a summary that agrees with the plan, and a page that renders in headless Chromium."""

from __future__ import annotations

import base64
import csv
import html as htmllib
import io
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from click.testing import CliRunner
from documents import SHIPPED
from PIL import Image

from nap.cli import main
from nap.pipeline import run
from normalize.config import DATA
from normalize.plan import Config
from normalize.registry import Decision, Decisions, Registry, mention_key
from publish.review_html import PAGE_PREVIEW_WIDTH, SCALE, Rendered, mention_method, review_html
from schema.models import BBox, Candidate, Plan, ReviewItem
from schema.review_kinds import AGENCY_MATCH_KINDS, BY_NAME

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
# Put first in the <head> of a test copy of the page: every uncaught error and console.error is kept,
# and probeDone(result) writes the probe's result (and the errors) into the DOM that is dumped.
ERRORS = """<script>
window.probeErrors = [];
addEventListener("error", (e) => probeErrors.push(String(e.message)));
addEventListener("unhandledrejection", (e) => probeErrors.push(String(e.reason)));
const consoleError = console.error.bind(console);
console.error = (...args) => { probeErrors.push(args.map(String).join(" ")); consoleError(...args); };
function probeDone(result) {
  const pre = document.createElement("pre");
  pre.id = "probe-result";
  pre.textContent = JSON.stringify({result, errors: probeErrors});
  document.body.append(pre);
  document.title = "probe done";
}
</script>"""
# Appended to a test copy of the page: on load, record what the browser actually rendered.
PROBE = """<script>
addEventListener("load", () => {
  const imgs = [...document.images];
  const entries = [...document.querySelectorAll("article.entry")];
  probeDone({
    images: imgs.length,
    decoded: imgs.filter((i) => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0).length,
    laidOut: imgs.filter((i) => i.getBoundingClientRect().width > 0).length,
    entries: entries.length,
    entriesWithImage: entries
      .filter((e) => [...e.querySelectorAll("img")].some((i) => i.naturalWidth > 0)).length,
    filtersShown: document.getElementById("filters").getBoundingClientRect().height > 0,
  });
});
</script>"""
# Sets each filter in turn and lists the rows of the entries left on screen.
FILTER_PROBE = """<script>
addEventListener("load", () => {
  const kind = document.getElementById("filter-kind"), act = document.getElementById("filter-activity");
  const shown = () => [...document.querySelectorAll("article.entry")]
    .filter((e) => e.getBoundingClientRect().height > 0).map((e) => Number(e.dataset.row));
  const set = (el, v) => { el.value = v; el.dispatchEvent(new Event("change", {bubbles: true})); };
  const result = {all: shown(), kinds: {}, activities: {}};
  for (const o of kind.options) { set(kind, o.value); result.kinds[o.value] = shown(); }
  set(kind, "");
  for (const o of act.options) { set(act, o.value); result.activities[o.value] = shown(); }
  const first = document.querySelector("article.entry");
  set(kind, first.dataset.kind);
  set(act, first.dataset.activity);
  result.both = [first.dataset.kind, first.dataset.activity, shown()];
  set(kind, "");
  set(act, "*");
  document.getElementById("filter-decide").click();
  result.decide = shown();
  result.count = document.getElementById("filter-count").value;
  probeDone(result);
});
</script>"""
# Clicks the choices PICKS names ([mention, ids, note]) as a reviewer would, then the download button.
DECIDE_PROBE = """<script>
addEventListener("load", () => {
  for (const [mention, ids, note] of PICKS) {
    const fs = [...document.querySelectorAll("fieldset.decide")].find((f) => f.dataset.mention === mention);
    const radio = [...fs.querySelectorAll("input[type=radio]")]
      .find((r) => r.dataset.ids !== undefined && r.dataset.ids === JSON.stringify(ids));
    radio.click();
    const input = fs.querySelector("input[data-note]");
    input.value = note;
    input.dispatchEvent(new Event("input", {bubbles: true}));
  }
  document.getElementById("download").click();
  probeDone({
    yaml: document.getElementById("decisions-yaml").textContent,
    decided: document.getElementById("decided").value,
    synced: [...document.querySelectorAll("fieldset.decide")].map((f) => [f.dataset.mention,
      (f.querySelector("input[type=radio]:checked") || {dataset: {}}).dataset.ids ?? null]),
  });
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
    """Crops inline, in-page anchors, and the one sibling file summary.html; one inline script."""
    assert page.links
    assert all(link.startswith((PNG_PREFIX, "#")) or link == "summary.html" for link in page.links)
    assert "summary.html" in page.links
    assert page.tags["script"] == 1 and not re.search(r"<script[^>]*\bsrc=", html)
    assert not page.tags["link"] and not page.tags["iframe"]
    assert not re.search(r"url\(|@import|https?://", html)


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


def browse(page_html: str, tmp_path: Path, probe: str) -> tuple[object, Path]:
    """Open a copy of the page with `probe` in headless Chromium (HOME in tmp_path, so a download
    lands in tmp_path/home/Downloads); the probe's result, and the downloads folder."""
    browser = find_chromium()
    if browser is None:
        pytest.skip(
            "Chromium is not installed: none of chromium, chromium-browser, google-chrome on PATH "
            "(.ci/install-chromium installs Debian's chromium)"
        )
    copy = tmp_path / "review.html"
    probed = page_html.replace("<head>", "<head>" + ERRORS, 1).replace("</body>", probe + "</body>")
    copy.write_text(probed, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    cmd = [browser, *BROWSER_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", copy.as_uri()]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=60, env={**os.environ, "HOME": str(home)}
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{browser} did not finish within 60 s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    found = re.search(r'<pre id="probe-result">(.*?)</pre>', proc.stdout, re.S)
    assert found, f"the probe did not finish; stderr: {proc.stderr[-2000:]}"
    out = json.loads(htmllib.unescape(found.group(1)))
    assert out["errors"] == [], "errors in the browser console"
    return out["result"], home / "Downloads"


def test_renders_in_headless_chromium(plan, html, tmp_path):
    probe, _ = browse(html, tmp_path, PROBE)
    n_images = sum(len(e["figures"]) for e in Page(html).entries)
    assert probe == {
        "images": n_images,
        "decoded": n_images,
        "laidOut": n_images,
        "entries": len(plan.review),
        "entriesWithImage": len(plan.review),
        "filtersShown": True,  # hidden in the HTML, shown by the page's script
    }, probe


def test_filter_bar_is_hidden_without_the_script(html):
    form = re.search(r"<form [^>]*>", html).group(0)
    assert 'id="filters"' in form and " hidden" in form
    assert "[hidden]{display:none!important}" in html  # the bar's display:flex does not undo it


def pages_named(text: str) -> set[int]:
    """The pages a header names: 'page 5', 'pages 5–6', 'pages 2, 5–6'."""
    found: set[int] = set()
    for a, b in re.findall(r"(\d+)(?:–(\d+))?", text):
        found |= set(range(int(a), int(b or a) + 1))
    return found


def test_pages_named_are_the_pages_of_the_crops_shown(plan, html, page):
    named = re.findall(r'<span class="pages">([^<]*)</span>', html)
    assert len(named) == len(page.entries) == len(plan.review)
    spanning = 0
    for text, e, item in zip(named, page.entries, plan.review, strict=True):
        crops = {int(f["page"]) for f in e["figures"]}
        assert pages_named(text) == crops, (item, text, crops)
        assert text.startswith("pages " if len(crops) > 1 else "page ")
        assert e["attrs"]["data-pages"] == " ".join(map(str, sorted(crops)))
        spanning += item.page is not None and crops != {item.page}
    assert spanning >= 10  # the page-break joins, and an item on page 5 whose cell runs onto page 6


def test_what_to_do_says_what_each_kind_present_asks(plan, html):
    section = re.search(r'<section id="what-to-do">(.*?)</section>', html, re.S).group(1)
    rows = re.findall(r"<tr><td><a href=\"#r(\d+)\"><code>([^<]+)</code></a></td>(.*?)</tr>", section, re.S)
    kinds = Counter(r.kind for r in plan.review)
    assert [k for _, k, _ in rows] == [k for k in BY_NAME if kinds[k]]
    for row, kind, cells in rows:
        assert plan.review[int(row) - 1].kind == kind  # linked to the first item of the kind
        info = BY_NAME[kind]
        assert htmllib.escape(info.title) in cells and htmllib.escape(info.description) in cells
        assert f'<td class="n">{kinds[kind]}</td>' in cells
        assert ("decision" in cells) == info.agency_match
    assert 'href="summary.html"' in html


# ---------------------------------------------------------------------------------------------
# Decisions: a run whose registry lacks some entries has mentions to decide

CHIEF = "The Chief Prosecutor's Office of Georgia"  # 4.2.6: gpo only through the alias removed below
HIGH_SCHOOL = "High School of Justice"  # 5.2.1: fuzzy, the registry below says "Higher School of Justice"
JUDICIARY = "Judiciary"  # 4.1.1: no registry entry below
# no PDF prints this: any text must round-trip through the page and the YAML it writes
ODD = 'Office "A\\\\B" – ქართული\u2028😀\tpart: #1 - <b>&amp; {x}, [y]'


@pytest.fixture(scope="module")
def reduced(tmp_path_factory) -> tuple[Path, Plan]:
    """The packaged registry without the Chief Prosecutor's alias and the judiciary, and with the
    High School of Justice under another name; the shipped plan run with it."""
    data = yaml.safe_load((DATA / "registry.yaml").read_text(encoding="utf-8"))
    agencies = {a["id"]: a for a in data["agencies"]}
    agencies["gpo"]["aliases"] = [a for a in agencies["gpo"]["aliases"] if "Chief" not in str(a)]
    agencies["hsj"]["name"] = "Higher School of Justice"
    data["agencies"] = [a for a in data["agencies"] if a["id"] != "judiciary"]
    folder = tmp_path_factory.mktemp("reduced")
    registry = folder / "registry.yaml"
    registry.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    plan = run(PDF, folder / "out", "pdfplumber", Config.load(registry=registry))
    odd = [
        ReviewItem(
            activity_id="",
            field="responsible",
            kind="unmatched_agency",
            detail="an odd mention",
            page=1,
            text=text,
            candidates=[Candidate(agency_id="moj", name="Ministry of Justice of Georgia", score=40.0)],
        )
        for text in (ODD, ODD.replace(" ", "  "))  # the same mention, spaced differently
    ]
    return registry, with_review(plan, *odd)


@pytest.fixture(scope="module")
def reduced_html(reduced) -> str:
    return review_html(reduced[1], PDF)


def agency_items(plan: Plan) -> list[tuple[int, ReviewItem]]:
    return [(n, r) for n, r in enumerate(plan.review, start=1) if r.kind in AGENCY_MATCH_KINDS and r.text]


def test_a_decision_control_per_agency_mention(reduced, reduced_html):
    plan = reduced[1]
    fieldset = r'<fieldset class="decide" data-mention="([^"]*)">(.*?)</fieldset>'
    fieldsets = re.findall(fieldset, reduced_html, re.S)
    items = agency_items(plan)
    assert {r.text for _, r in items} >= {CHIEF, HIGH_SCHOOL, JUDICIARY}
    assert [htmllib.unescape(m) for m, _ in fieldsets] == [r.text for _, r in items]
    for (_, body), (_, item) in zip(fieldsets, items, strict=True):
        ids = [json.loads(htmllib.unescape(v)) for v in re.findall(r'data-ids="([^"]*)"', body)]
        assert ids == [[c.agency_id] for c in item.candidates] + [[]]  # each candidate, then none
        assert re.search(r'<input type="radio"[^>]* checked>', body).group(0).count("data-ids") == 0


def test_filters_in_headless_chromium(reduced, reduced_html, tmp_path):
    plan = reduced[1]
    got, _ = browse(reduced_html, tmp_path, FILTER_PROBE)
    rows = list(range(1, len(plan.review) + 1))
    assert got["all"] == rows
    def rows_where(attr: str) -> dict[str, list[int]]:
        values = {getattr(r, attr) for r in plan.review}
        return {v: [n for n, r in enumerate(plan.review, 1) if getattr(r, attr) == v] for v in values}

    assert got["kinds"] == {"": rows, **rows_where("kind")}
    assert got["activities"] == {"*": rows, **rows_where("activity_id")}
    kind, act, shown = got["both"]
    assert shown == [n for n, r in enumerate(plan.review, 1) if r.kind == kind and r.activity_id == act]
    assert got["decide"] == [n for n, _ in agency_items(plan)]
    assert got["count"] == f"showing {len(got['decide'])} of {len(plan.review)}"


def links_of(out: Path, mention: str) -> list[tuple[str, str]]:
    with (out / "activity_agencies.csv").open(encoding="utf-8", newline="") as f:
        return [(r["agency_id"], r["match"]) for r in csv.DictReader(f) if r["mention"] == mention]


def test_decisions_round_trip_through_headless_chromium(reduced, reduced_html, tmp_path):
    """A reviewer clicks choices and downloads decisions.yaml; `nap extract --decisions` reads it
    and resolves each mention as chosen."""
    registry, plan = reduced
    picks = [
        [CHIEF, ["gpo"], 'renamed "2018" – see #4'],
        [JUDICIARY, [], ""],
        [HIGH_SCHOOL, ["hsj"], ""],
        [ODD.replace(" ", "  "), ["moj"], ODD.replace("\u2028", " ").replace("\t", " ")],
    ]
    probe = DECIDE_PROBE.replace("PICKS", json.dumps(picks))
    got, downloads = browse(reduced_html, tmp_path, probe)
    saved = downloads / "decisions.yaml"
    assert saved.is_file(), f"no decisions.yaml downloaded into {downloads}"
    text = saved.read_text(encoding="utf-8")
    assert text == got["yaml"]  # the file downloaded is the one the page shows
    # both entries of the odd mention show the choice made on one; the file decides it once
    assert [ids for m, ids in got["synced"] if mention_key(m) == mention_key(ODD)] == ['["moj"]', '["moj"]']
    mentions = {mention_key(r.text) for _, r in agency_items(plan)}
    assert got["decided"] == f"4 of {len(mentions)} mentions decided"

    decisions = Decisions.load(saved, Registry.load(registry))
    order = list(dict.fromkeys(mention_key(r.text) for _, r in agency_items(plan)))
    expected = {mention_key(m): Decision(mention_key(m), tuple(ids), note or None) for m, ids, note in picks}
    assert decisions.entries == {k: expected[k] for k in order if k in expected}  # in document order

    out = tmp_path / "second"
    args = ["extract", PDF, "--out", out, "--registry", registry, "--decisions", saved, "--quiet"]
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    assert links_of(out, CHIEF) == [("gpo", "alias")]
    assert links_of(out, HIGH_SCHOOL) == [("hsj", "alias")]
    assert links_of(out, JUDICIARY) == [("", "unmatched")]
    second = Plan.model_validate_json((out / "plan.json").read_bytes())
    assert [(r.kind, r.text) for _, r in agency_items(second)] == [("unmatched_agency_reviewed", JUDICIARY)]
    # the next review page starts the reviewed mention at "names no registry entity"
    fieldset = re.search(r'<fieldset class="decide".*?</fieldset>', review_html(second, PDF), re.S).group(0)
    assert re.search(r'<input type="radio"[^>]*data-ids="\[\]" checked>', fieldset)
