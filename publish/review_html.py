"""`review.html`: every review item beside a crop of the PDF where its value was printed.

One self-contained page (CSS inline, crops as PNG data URIs, no script, no external URL): a
summary of the plan (activities, mentions by match method, review items by kind), then one entry
per row of `review.csv`, in order, showing the crop(s) of the cell(s) the value came from (from
the provenance boxes), the value the pipeline produced and the reason. A reviewer confirms each
page-break join (bottom of page N above top of page N+1) and each agency resolution by looking.
An item about text read by OCR that carries the scan of its words (`crop`) shows that scan beside
its reason, so the reviewer sees what the machine saw.

Deterministic: each needed page is rendered once with pypdfium2 at a fixed scale, cropped with
PIL and saved as PNG with fixed options (no timestamps), so the same plan and PDF give the same
bytes on every run.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Literal

import pypdfium2 as pdfium
from PIL import Image

from normalize.registry import DECISIONS_HEADER, mention_key
from publish.ocr_facts import page_span
from schema.models import Activity, AgencyMention, BBox, Candidate, Plan, Provenance, ReviewItem
from schema.review_kinds import AGENCY_MATCH_KINDS, BY_NAME

SCALE = 2.0  # pixels per PDF point of the rendered pages
PAD = 2.0  # points added around each box, so the cell's rules show
RULE = 1.5  # points inside a box's edge where its rules are drawn: not text
TRIM = 10.0  # points: blank space above or below a cell's text is trimmed when larger than this
INK = 160  # grey level (0-255) below which a rendered pixel is ink
MAX_CROP_HEIGHT = 220.0  # points; a taller box is cut, keeping the end nearest the page break
PAGE_PREVIEW_WIDTH = 1000  # pixels: a whole page (page-level items) is downscaled to this width
MATCHES = ("exact", "alias", "fuzzy", "unmatched")  # most to least certain
AGENCY_FIELDS = ("responsible", "lead", "supporting", "partner")
HEADING_FIELDS = ("goal", "objective")
HEADING_REF = re.compile(r"^(goal|objective) (\d+(?:\.\d+)*)\b")

Keep = Literal["top", "bottom"]


@dataclass(frozen=True)
class Crop:
    """A region to show: a box of a page (points, top-left origin), or the whole page."""

    page: int
    bbox: BBox | None  # None: the whole page, downscaled
    keep: Keep = "top"  # which end of a box taller than MAX_CROP_HEIGHT is shown
    caption: str = ""


@dataclass(frozen=True)
class Part:
    """One field of an entry: where it was printed, and what the pipeline made of it."""

    label: str
    crops: list[Crop]
    value: str  # HTML, already escaped


# ---------------------------------------------------------------------------------------------
# Rendering


KEEP_PAGES = 8  # parsed pages held open at once: review rows revisit recent pages
PNG_LEVEL = 1  # zlib level for the crops: 9 is ~5x slower for ~25% smaller files


class PageImages:
    """The PDF opened once; each crop rendered on its own, at SCALE, in the provenance's coordinates.

    Only the pixels a crop shows are rendered (PDFium renders a page region straight into a small
    bitmap: what the whole page shows there, but for the shading of a rule lying on the region's
    very edge): rendering whole pages to cut a few cells out of them cost most of this step's time.
    """

    def __init__(self, pdf_path: Path, password: str | None = None):
        self.doc = pdfium.PdfDocument(str(pdf_path), password=password)
        self.pages: dict[int, Rendered] = {}
        self.encoded: dict[tuple, tuple[str, int, int, str]] = {}

    def close(self) -> None:
        for page in self.pages.values():
            page.page.close()
        self.doc.close()

    def page(self, number: int) -> Rendered:
        """The parsed page; only the last few are kept open, so memory stays flat on long plans."""
        if number in self.pages:
            self.pages[number] = self.pages.pop(number)  # most recently used last
        else:
            while len(self.pages) >= KEEP_PAGES:
                self.pages.pop(next(iter(self.pages))).page.close()
            page = self.doc[number - 1]
            # pdfplumber measures from the top-left of the media box, after /Rotate; pdfium renders
            # the crop box, after /Rotate. Render the media box (this copy of the document only).
            page.set_cropbox(*page.get_mediabox())
            self.pages[number] = Rendered(page)
        return self.pages[number]

    def png(self, crop: Crop) -> tuple[str, int, int, str]:
        """The crop as a data URI, its pixel width and height, and a note when it was cut."""
        key = (crop.page, crop.bbox and tuple(crop.bbox.model_dump().values()), crop.keep)
        if key not in self.encoded:
            page = self.page(crop.page)
            note = ""
            if crop.bbox is None:
                image = page.region((0, 0, *page.size))
                width = min(PAGE_PREVIEW_WIDTH, image.width)
                height = round(image.height * width / image.width)
                region = image.resize((width, height), Image.Resampling.LANCZOS)
            else:
                box, cut = page.pixel_box(crop.bbox, crop.keep)
                region = page.region(box)
                note = f" ({crop.keep} {MAX_CROP_HEIGHT:g} pt of its text shown)" if cut else ""
            buf = io.BytesIO()
            region.save(buf, format="PNG", optimize=False, compress_level=PNG_LEVEL)
            uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
            self.encoded[key] = (uri, region.width, region.height, note)
        return self.encoded[key]


class Rendered:
    """A parsed page, rendered region by region (pixel = SCALE x provenance point)."""

    def __init__(self, page: pdfium.PdfPage):
        self.page = page
        width, height = page.get_size()
        self.size = (math.ceil(width * SCALE), math.ceil(height * SCALE))  # as pypdfium2 sizes it
        self.last: tuple[tuple[int, int, int, int], Image.Image] | None = None

    def region(self, box: tuple[int, int, int, int]) -> Image.Image:
        """The pixels `box` (left, top, right, bottom; clamped to the page) of the page rendered
        whole, rendered alone or cut from the last region rendered when they lie inside it."""
        w, h = self.size
        x0, y0, x1, y1 = max(0, box[0]), max(0, box[1]), min(w, box[2]), min(h, box[3])
        if x1 <= x0 or y1 <= y0:  # a box on the page's edge, or beyond it: nothing to render
            return Image.new("L", (max(0, x1 - x0), max(0, y1 - y0)), 255)
        if self.last is not None:
            (lx0, ly0, lx1, ly1), image = self.last
            if lx0 <= x0 and ly0 <= y0 and x1 <= lx1 and y1 <= ly1:
                return image.crop((x0 - lx0, y0 - ly0, x1 - lx0, y1 - ly0))
        # pypdfium2 cuts ceil(c * SCALE) pixels from each side: ask a hair under the pixel count
        cut = [max(0.0, (px - 1e-6) / SCALE) for px in (x0, h - y1, w - x1, y0)]
        image = self.page.render(scale=SCALE, crop=tuple(cut), grayscale=True).to_pil()  # grey: 1/3 of RGB
        self.last = ((x0, y0, x1, y1), image)
        return image

    def ink_box(self, box: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
        """The bounding box of the ink (pixels darker than INK) inside `box`, relative to it."""
        return self.region(box).point(lambda v: 255 if v < INK else 0).getbbox()

    @staticmethod
    def px(v: float, limit: int) -> int:
        return max(0, min(limit, round(v * SCALE)))

    def pixel_box(self, bbox: BBox, keep: Keep) -> tuple[tuple[int, int, int, int], bool]:
        """The padded box in pixels, blank space above and below the text trimmed (a merged cell is
        mostly blank), cut to MAX_CROP_HEIGHT keeping `keep`; and whether it was cut."""
        w, h = self.size
        top, bottom = bbox.top - PAD, bbox.bottom + PAD
        # render the padded box once: the ink is looked for inside it, and the crop lies within it
        self.region(
            (self.px(bbox.x0 - PAD, w), self.px(top, h), self.px(bbox.x1 + PAD, w), self.px(bottom, h))
        )
        inner = (
            self.px(bbox.x0 + RULE, w),
            self.px(bbox.top + RULE, h),
            self.px(bbox.x1 - RULE, w),
            self.px(bbox.bottom - RULE, h),
        )
        found = self.ink_box(inner) if inner[2] > inner[0] and inner[3] > inner[1] else None
        if found:
            ink_top = inner[1] / SCALE + found[1] / SCALE
            ink_bottom = inner[1] / SCALE + found[3] / SCALE
            if ink_top - PAD - top > TRIM:
                top = ink_top - 2 * PAD
            if bottom - (ink_bottom + PAD) > TRIM:
                bottom = ink_bottom + 2 * PAD
        cut = bottom - top > MAX_CROP_HEIGHT
        if cut and keep == "bottom":
            top = bottom - MAX_CROP_HEIGHT
        elif cut:
            bottom = top + MAX_CROP_HEIGHT
        x0 = min(self.px(bbox.x0 - PAD, w), w - 1)
        y0 = min(self.px(top, h), h - 1)
        return (
            x0,
            y0,
            max(x0 + 1, self.px(bbox.x1 + PAD, w)),
            max(y0 + 1, self.px(bottom, h)),
        ), cut


# ---------------------------------------------------------------------------------------------
# What each review item points at


def mention_method(mention: AgencyMention) -> str:
    """A mention counts under the least certain match among its links ("A and B": alias + exact)."""
    matches = {link.match for link in mention.links} or {"unmatched"}
    return max(matches, key=MATCHES.index)


def fragment_crops(provs: list[Provenance], item: ReviewItem, label: str) -> list[Crop]:
    """Crops of a value's fragments. For a page-break join: the fragment on the item's page and the
    one printed before it (bottom of page N, then top of page N+1)."""
    if item.kind == "page_break_stitched" and item.page is not None:
        before = [p.page for p in provs if p.page < item.page]
        pages = {item.page, max(before)} if before else {item.page}
        provs = [p for p in provs if p.page in pages] or provs
    crops = []
    for p in provs:
        keep: Keep = "bottom" if item.page is not None and p.page < item.page else "top"
        crops.append(Crop(p.page, p.bbox, keep=keep, caption=f"{label}, page {p.page}"))
    return crops


def union_by_page(provs: Iterable[Provenance]) -> list[Provenance]:
    boxes: dict[int, list[BBox]] = {}
    for p in provs:
        boxes.setdefault(p.page, []).append(p.bbox)
    return [
        Provenance(page=page, bbox=BBox.around(bs)) for page, bs in sorted(boxes.items())
    ]


class Index:
    """Activities by id, and goals/objectives by number, with what was printed for each."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.activities: dict[str, list[Activity]] = {}
        self.headings: dict[tuple[str, str], tuple[str, list[Provenance]]] = {}
        for g in plan.goals:
            self.headings.setdefault(("goal", g.goal_id), (g.text, g.provenance))
            for o in g.objectives:
                self.headings.setdefault(("objective", o.objective_id), (o.text, o.provenance))
                for a in o.activities:
                    self.activities.setdefault(a.activity_id, []).append(a)

    def activities_for(self, item: ReviewItem) -> list[Activity]:
        found = self.activities.get(item.activity_id, []) if item.activity_id else []
        if len(found) > 1 and item.page is not None:  # a duplicated number: the one(s) on that page
            found = [a for a in found if item.page in a.pages] or found
        return found

    def parts(self, item: ReviewItem) -> list[Part]:
        """What to show for an item; never empty, so every entry has at least one crop."""
        fields = [f for f in item.field.split(",") if f]
        acts = self.activities_for(item)
        parts: list[Part] = []
        if any(f in HEADING_FIELDS for f in fields):
            parts += self.heading_parts(item, acts)
        for a in acts:
            for name in fields:
                if name not in HEADING_FIELDS and a.provenance.get(name):
                    label = f"{a.activity_id} {name}"
                    parts.append(Part(label, fragment_crops(a.provenance[name], item, label), value(a, name)))
        if parts:
            return parts
        for a in acts:  # a field with no cell of its own ("row", a missing objective): the whole row
            provs = [p for ps in a.provenance.values() for p in ps]
            on_page = [p for p in provs if p.page == item.page] or provs
            label = f"{a.activity_id} row"
            crops = [Crop(p.page, p.bbox, caption=f"{label}, page {p.page}") for p in union_by_page(on_page)]
            if crops:
                parts.append(Part(label, crops, row_value(a)))
        if parts:
            return parts
        known = item.page is not None and 1 <= item.page <= self.plan.source.pages
        page = item.page if known else 1
        caption = f"page {page}" if known else f"page {item.page or 'not'} recorded: page 1 shown"
        return [Part(f"page {page}", [Crop(page, None, caption=caption)], text_block(item.detail))]

    def heading_parts(self, item: ReviewItem, acts: list[Activity]) -> list[Part]:
        """The goal or objective the item names ("objective 2.1 continues ..."), else the activity's."""
        ref = HEADING_REF.match(item.detail)
        if ref:
            keys = [(ref.group(1), ref.group(2))]
        else:
            keys = [(f, a.goal_id if f == "goal" else a.objective_id) for a in acts for f in HEADING_FIELDS]
            keys = [k for k in keys if k[0] in item.field.split(",")]
        parts = []
        for kind, number in dict.fromkeys(keys):
            text, provs = self.headings.get((kind, number), ("", []))
            if provs:
                label = f"{kind} {number}"
                parts.append(Part(label, fragment_crops(provs, item, label), text_block(text)))
        return parts


# ---------------------------------------------------------------------------------------------
# Values, as HTML


def text_block(text: str) -> str:
    return f'<p class="text">{escape(text)}</p>' if text else '<p class="text empty">(empty)</p>'


def value(a: Activity, name: str) -> str:
    text = a.cells.get(name, a.extra.get(name, ""))
    out = [text_block(text)]
    if name in AGENCY_FIELDS:
        rows = []
        for m in a.mentions:
            if m.column != name:
                continue
            links = (
                "; ".join(
                    f'<span class="match-{escape(link.match)}">{escape(link.agency_id or "—")} '
                    f"({escape(link.match)}"
                    + (f" {link.score:g}" if link.score is not None else "")
                    + ")</span>"
                    for link in m.links
                )
                or '<span class="match-unmatched">no link</span>'
            )
            note = f'<br><span class="note">note: {escape(m.note)}</span>' if m.note else ""
            rows.append(
                f'<tr data-match="{escape(mention_method(m))}"><td>{m.seq}</td><td>{escape(m.role)}</td>'
                f"<td>{escape(m.mention)}{note}</td><td>{links}</td></tr>"
            )
        if rows:
            out.append(
                '<table class="mentions"><tr><th>#</th><th>role</th><th>mention</th><th>resolved to</th></tr>'
                + "".join(rows)
                + "</table>"
            )
    elif name == "indicator":
        items = "".join(f"<li>{escape(i)}</li>" for i in a.indicators)
        out.append(f'<p class="sub">indicators ({len(a.indicators)}):</p><ol class="indicators">{items}</ol>')
    elif name == "timeline":
        start = a.timeline.start.isoformat() if a.timeline.start else "—"
        end = a.timeline.end.isoformat() if a.timeline.end else "—"
        out.append(f'<p class="sub">dates: {escape(start)} to {escape(end)}</p>')
    return "".join(out)


def row_value(a: Activity) -> str:
    cells = "".join(
        f"<tr><th>{escape(name)}</th><td>{escape(text)}</td></tr>" for name, text in a.cells.items() if text
    )
    return f'<table class="cells">{cells}</table>'


# ---------------------------------------------------------------------------------------------
# The page

CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;padding:16px 24px;
max-width:1400px;color:#1b1b1b;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:24px 0 8px;border-bottom:2px solid #333}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
.summary{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.summary td.n{text-align:right}
.entry{border:1px solid #bbb;border-radius:4px;margin:16px 0;page-break-inside:avoid}
.entry>header{background:#f1f3f5;padding:6px 10px;border-bottom:1px solid #bbb}
.entry>header h3{display:inline;font-size:15px;margin:0 12px 0 0}.kind{font-weight:600;color:#8a3b00}
.detail{margin:4px 0 0}.detail b{font-weight:600}
.part{display:grid;grid-template-columns:fit-content(62%) minmax(0,1fr);border-top:1px solid #e3e3e3}
.part:first-of-type{border-top:0}.crops,.value{padding:8px 10px;min-width:0}
.value{border-left:1px solid #e3e3e3}
.value h4{margin:0 0 4px;font-size:13px;color:#555}.text{margin:0 0 6px;white-space:pre-wrap}
.empty{color:#888}.sub{margin:4px 0;color:#555}.indicators{margin:0;padding-left:22px}
figure{margin:0 0 6px}figure+figure{border-top:2px dashed #d9480f;padding-top:6px}
img{display:block;max-width:100%;height:auto;border:1px solid #999}
figcaption{font-size:12px;color:#555}
.mentions{font-size:13px;margin-top:4px}.cells{font-size:13px}.note{color:#555;font-style:italic}
.match-exact{color:#2b8a3e}.match-alias{color:#1864ab}.match-fuzzy{color:#e67700;font-weight:600}
.match-unmatched{color:#c92a2a;font-weight:700}
[hidden]{display:none!important}
nav.jump{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid #ccc;padding:6px 0;
margin-bottom:8px}
nav.jump a{margin-right:14px}
.todo td.n{text-align:right}.todo td{font-size:13px}.todo code{word-break:normal}
.filters{display:flex;flex-wrap:wrap;gap:8px 18px;align-items:center;position:sticky;top:34px;z-index:1;
background:#f8f9fa;border:1px solid #ccc;border-radius:4px;padding:6px 10px;margin:8px 0}
.entry>header a.top{float:right;font-size:12px}
fieldset.decide{margin:0;border:0;border-bottom:1px solid #bbb;background:#fff9db;padding:6px 10px}
fieldset.decide legend{font-weight:600;padding:0;float:left;margin-right:12px}
fieldset.decide label{display:inline-block;margin-right:14px}
#decisions pre{background:#f8f9fa;border:1px solid #ccc;padding:8px;white-space:pre-wrap}
"""


def figure(images: PageImages, crop: Crop) -> str:
    try:
        uri, width, height, note = images.png(crop)
    except pdfium.PdfiumError as exc:  # a page lost to --keep-going: PDFium cannot load it here either
        caption = f"{crop.caption}: cannot be shown (PDFium: {str(exc).rstrip('.')})"
        return f'<figure data-page="{crop.page}"><figcaption>{escape(caption)}</figcaption></figure>'
    caption = crop.caption + note
    alt = f"crop of the PDF: {caption}" if crop.bbox else f"the whole of {caption}"
    return (
        f'<figure data-page="{crop.page}"><img alt="{escape(alt)}" width="{width}" height="{height}" '
        f'src="{uri}"><figcaption>{escape(caption)}</figcaption></figure>'
    )


PNG_URI = "data:image/png;base64,"
# Only on a page showing the scan of an OCR'd item: a page without one keeps its bytes.
SCAN_CSS = """
.scanned{display:flex;flex-wrap:wrap;gap:4px 14px;align-items:flex-start;margin-top:4px}
.scanned .detail{margin:0;flex:1 1 20em}figure.scan{margin:0;max-width:100%;min-width:0}
figure.scan img{border-color:#d9480f}
"""


def png_size(uri: str) -> tuple[int, int] | None:
    """The pixel size of a PNG data URI; None for anything else (then no image is shown: the page
    loads nothing from elsewhere)."""
    if not uri.startswith(PNG_URI):
        return None
    try:
        data = base64.b64decode(uri[len(PNG_URI) :], validate=True)
        with Image.open(io.BytesIO(data)) as image:
            return image.size if image.format == "PNG" else None
    except (ValueError, OSError):  # binascii.Error is a ValueError, a PIL.UnidentifiedImageError an OSError
        return None


def scan(item: ReviewItem) -> str:
    """The scan of what an OCR'd item is about (`crop`), at its natural width (shrunk to fit, never
    enlarged), its alt text the words OCR read: the reviewer sees what the machine saw."""
    if not item.crop:
        return ""
    read = item.text or item.detail
    size = png_size(item.crop)
    if size is None:
        return f'<p class="scan">The scan of “{escape(read)}” cannot be shown: it is not a PNG image.</p>'
    width, height = size
    page = "" if item.page is None else f' data-page="{item.page}"'
    where = "" if item.page is None else f", page {item.page}"
    return (
        f'<figure class="scan"{page}><img alt="{escape(read)}" width="{width}" height="{height}" '
        f'src="{escape(item.crop)}"><figcaption>the scan OCR read{where}: “{escape(read)}”</figcaption>'
        "</figure>"
    )


def detail(item: ReviewItem) -> str:
    """The item's reason, beside the scan OCR read when it has one."""
    reason = f'<p class="detail"><b>reason:</b> {escape(item.detail)}</p>'
    shown = scan(item)
    return f'<div class="scanned">{shown}{reason}</div>' if shown else reason


def candidate_label(c: Candidate) -> str:
    name = f" — {c.name}" if c.name else ""
    return f"{c.agency_id}{name} ({c.score:.0f})"


def decision(n: int, item: ReviewItem) -> str:
    """The control recording a reviewer's decision on an agency mention (kinds with agency_match):
    one of its candidates, or no registry entity; the page's script gathers them into decisions.yaml.
    A mention already reviewed as naming no registry entity starts with that choice."""
    if item.kind not in AGENCY_MATCH_KINDS or not item.text:
        return ""
    reviewed = item.kind == "unmatched_agency_reviewed"
    undecided = ("not decided (left out of decisions.yaml)", None, not reviewed)
    choices: list[tuple[str, list[str] | None, bool]] = [undecided]
    choices += [(candidate_label(c), [c.agency_id], False) for c in item.candidates]
    choices.append(("names no registry entity", [], reviewed))
    radios = "".join(
        f'<label><input type="radio" name="d{n}" value="{i}"'
        + ("" if ids is None else f' data-ids="{escape(json.dumps(ids))}"')
        + (" checked" if checked else "")
        + f"> {escape(label)}</label>"
        for i, (label, ids, checked) in enumerate(choices)
    )
    return (
        f'<fieldset class="decide" data-mention="{escape(item.text)}">'
        f"<legend>Decision on “{escape(item.text)}”:</legend>{radios}"
        f'<label>note <input type="text" size="36" data-note="" name="n{n}"></label></fieldset>'
    )


def entry(images: PageImages, index: Index, n: int, total: int, item: ReviewItem) -> str:
    """One review item: its header (the pages named are those of the crops shown), its decision
    control when it is about an agency mention's match, and each part's crops beside its value."""
    parts = index.parts(item)
    body = "".join(
        f'<div class="part"><div class="crops">{"".join(figure(images, c) for c in p.crops)}</div>'
        f'<div class="value"><h4>{escape(p.label)}: value produced</h4>{p.value}</div></div>'
        for p in parts
    )
    page = "" if item.page is None else str(item.page)
    scanned = [item.page] if item.crop and item.page is not None else []
    shown = sorted({c.page for p in parts for c in p.crops} | set(scanned))
    where = f"activity {item.activity_id}" if item.activity_id else "outside any activity"
    title = BY_NAME[item.kind].title if item.kind in BY_NAME else ""
    return (
        f'<article class="entry" id="r{n}" data-row="{n}" data-kind="{escape(item.kind)}" '
        f'data-activity="{escape(item.activity_id)}" data-field="{escape(item.field)}" data-page="{page}" '
        f'data-pages="{" ".join(map(str, shown))}">'
        f'<header><a class="top" href="#top">↑ top</a><h3>{n}/{total} · {escape(where)}</h3>'
        f'<span class="kind" title="{escape(title)}">{escape(item.kind)}</span>'
        f' · field <code>{escape(item.field)}</code> · <span class="pages">{page_span(shown)}</span>'
        f"{detail(item)}</header>"
        f"{decision(n, item)}{body}</article>"
    )


def count_table(
    title: str, attr: str, counts: Iterable[tuple[str, int]], link: dict[str, int] | None = None
) -> str:
    rows = []
    for key, n in counts:
        name = f'<a href="#r{link[key]}">{escape(key)}</a>' if link and key in link else escape(key)
        rows.append(f'<tr {attr}="{escape(key)}"><td>{name}</td><td class="n">{n}</td></tr>')
    return f"<table><caption>{escape(title)}</caption>{''.join(rows)}</table>"


def summary(plan: Plan) -> str:
    acts = plan.activities()
    mentions = [m for a in acts for m in a.mentions]
    by_method = Counter(mention_method(m) for m in mentions)
    links = Counter(link.match for m in mentions for link in m.links)
    kinds = Counter(r.kind for r in plan.review)
    first = {}
    for n, r in enumerate(plan.review, start=1):
        first.setdefault(r.kind, n)
    totals = [
        ("activities", len(acts)),
        ("goals", sum(1 for g in plan.goals if g.goal_id)),
        ("objectives", sum(1 for g in plan.goals for o in g.objectives if o.objective_id)),
        ("agency mentions", len(mentions)),
        ("agency links", sum(links.values())),
        ("indicators", sum(len(a.indicators) for a in acts)),
        ("review items", len(plan.review)),
    ]
    s = plan.source
    return (
        '<section id="summary"><h2>Summary</h2>'
        f'<p>Source <b data-source="name">{escape(s.name)}</b>, {s.pages} pages, sha256 '
        f'<code data-source="sha256">{escape(s.sha256)}</code>; table engine {escape(plan.engine)}.</p>'
        '<div class="summary">'
        + count_table("Counts", "data-count", totals)
        + count_table(
            "Mentions by match method (a mention with several links counts under its least certain)",
            "data-match",
            [(m, by_method.get(m, 0)) for m in MATCHES],
        )
        + count_table("Agency links by match", "data-link-match", [(m, links.get(m, 0)) for m in MATCHES])
        + count_table(
            "Review items by kind",
            "data-review-kind",
            sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
            first,
        )
        + "</div></section>"
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


ACTION_CHECK = (
    "look at the crop and the value produced; a wrong value is reported, or fixed in the layout or registry"
)
ACTION_DECIDE = (
    "choose the registry entity the mention names, or “names no registry entity”, in the entry's "
    "decision control; then download decisions.yaml (the Decisions section)"
)


def what_to_do(plan: Plan) -> str:
    """What each kind of item present asks of the reviewer, from schema.review_kinds."""
    kinds = Counter(r.kind for r in plan.review)
    first: dict[str, int] = {}
    for n, r in enumerate(plan.review, start=1):
        first.setdefault(r.kind, n)
    rows = "".join(
        f'<tr><td><a href="#r{first[k.name]}"><code>{escape(k.name)}</code></a></td>'
        f"<td>{escape(k.title)}</td>"
        f'<td class="n">{kinds[k.name]}</td><td>{escape(k.description)}</td>'
        f"<td>{ACTION_DECIDE if k.agency_match else ACTION_CHECK}</td></tr>"
        for k in BY_NAME.values()
        if kinds[k.name]
    )
    table = (
        '<table class="todo"><tr><th>kind</th><th>title</th><th>items</th><th>what it means</th>'
        f"<th>what to do</th></tr>{rows}</table>"
        if rows
        else ""
    )
    return (
        '<section id="what-to-do"><h2>What to do</h2>'
        "<p>Each entry below is a repair the pipeline made, or something it could not resolve, beside a "
        "crop of the PDF where the value was printed (the pages named in its header are those of its crops). "
        "Most ask only to confirm by looking; an entry about an agency mention's match to the registry asks "
        "for a decision, which this page records and downloads as <code>decisions.yaml</code> for "
        "<code>nap extract PDF --decisions decisions.yaml</code>. Filter the entries by kind or activity "
        "with the bar above them.</p>" + table + "</section>"
    )


def activity_order(plan: Plan) -> list[str]:
    """The activity ids review items name, in document order (ids no activity has, after)."""
    named = {r.activity_id for r in plan.review}
    order = [a.activity_id for a in plan.activities() if a.activity_id in named]
    ordered = list(dict.fromkeys(order))
    return ordered + sorted(named - set(ordered) - {""}) + ([""] if "" in named else [])


def filters(plan: Plan) -> str:
    """The filter bar; hidden until the page's script shows it (without a script it would do nothing)."""
    kinds = Counter(r.kind for r in plan.review)
    per_activity = Counter(r.activity_id for r in plan.review)
    kind_options = "".join(
        f'<option value="{escape(k)}">{escape(k)} ({kinds[k]})</option>' for k in BY_NAME if kinds[k]
    )
    activity_options = "".join(
        f'<option value="{escape(a)}">{escape(a or "outside any activity")} ({per_activity[a]})</option>'
        for a in activity_order(plan)
    )
    return (
        '<form id="filters" class="filters" hidden>'
        f'<label>kind <select id="filter-kind"><option value="">all kinds ({len(plan.review)})</option>'
        f"{kind_options}</select></label>"
        '<label>activity <select id="filter-activity"><option value="*">all activities</option>'
        f"{activity_options}</select></label>"
        '<label><input type="checkbox" id="filter-decide"> only mentions to decide</label>'
        '<output id="filter-count"></output></form>'
    )


def decisions_section(plan: Plan) -> str:
    mentions = {mention_key(r.text) for r in plan.review if r.kind in AGENCY_MATCH_KINDS and r.text}
    head = '<section id="decisions"'
    if not mentions:
        return head + "><h2>Decisions</h2><p>No agency mention needs a decision in this plan.</p></section>"
    source = f"{plan.source.name} (sha256 {plan.source.sha256})"
    header = DECISIONS_HEADER + f"#\n# Recorded in review.html of {source}.\n"
    return (
        f'{head} data-header="{escape(header)}"><h2>Decisions ({len(mentions)} mentions)</h2>'
        "<p>Each entry about an agency mention has a decision control: one of the registry's closest "
        "entries, or “names no registry entity”. A mention printed in several places is decided once. "
        "The file holds the decisions taken on this page only: add its entries to your decisions file, "
        "or pass it alone to <code>nap extract PDF --decisions decisions.yaml</code>.</p>"
        "<noscript><p>Recording decisions needs JavaScript. Without it: <code>nap registry unmatched DIR "
        "--write decisions.yaml</code>, then fill in the ids by hand.</p></noscript>"
        '<p><button type="button" id="download" hidden>Download decisions.yaml</button> '
        '<output id="decided"></output></p>'
        '<details id="preview" hidden><summary>decisions.yaml as it stands</summary>'
        '<pre id="decisions-yaml"></pre></details></section>'
    )


NAV = (
    '<nav class="jump"><a href="#what-to-do">What to do</a><a href="#summary">Summary</a>'
    '<a href="#decisions">Decisions</a><a href="#review">Review items</a>'
    '<a href="summary.html">Charts (summary.html)</a></nav>'
)

# The page's only script: the filters, and the decisions gathered into decisions.yaml. The page
# reads and works without it (every entry shown; the decision controls then record nothing).
SCRIPT = r"""<script>
(() => {
  "use strict";
  const $ = (s) => document.querySelector(s);
  const $$ = (s, el = document) => [...el.querySelectorAll(s)];
  const entries = $$("article.entry");
  const form = $("#filters");
  function applyFilters() {
    const kind = $("#filter-kind").value, act = $("#filter-activity").value;
    const decide = $("#filter-decide").checked;
    let shown = 0;
    for (const e of entries) {
      const ok = (!kind || e.dataset.kind === kind) && (act === "*" || e.dataset.activity === act)
        && (!decide || e.querySelector("fieldset.decide") !== null);
      e.hidden = !ok;
      shown += ok ? 1 : 0;
    }
    $("#filter-count").value = `showing ${shown} of ${entries.length}`;
  }
  form.hidden = false;
  form.addEventListener("change", applyFilters);
  applyFilters();

  const section = $("#decisions"), button = $("#download");
  if (!button) return;
  const fold = (s) => s.split(/\s+/).filter(Boolean).join(" ");
  // a YAML double-quoted scalar: JSON's escapes, every character outside printable ASCII as \u or \U
  function quote(s) {
    let out = '"';
    for (const ch of s) {
      const c = ch.codePointAt(0);
      if (ch === '"' || ch === "\\") out += "\\" + ch;
      else if (c >= 0x20 && c < 0x7f) out += ch;
      else if (c <= 0xffff) out += "\\u" + c.toString(16).padStart(4, "0");
      else out += "\\U" + c.toString(16).padStart(8, "0");
    }
    return out + '"';
  }
  const fieldsets = $$("fieldset.decide");
  const state = new Map();  // folded mention -> {mention, ids (null: not decided), note}
  function record(fs) {
    const radio = fs.querySelector("input[type=radio]:checked");
    const ids = radio && radio.dataset.ids !== undefined ? JSON.parse(radio.dataset.ids) : null;
    const note = fs.querySelector("input[data-note]").value.trim();
    state.set(fold(fs.dataset.mention), {mention: fs.dataset.mention, ids, note});
  }
  function sync(from) {  // the other entries of the same mention show the same choice
    const key = fold(from.dataset.mention), d = state.get(key);
    const want = d.ids === null ? null : JSON.stringify(d.ids);
    for (const fs of fieldsets) {
      if (fs === from || fold(fs.dataset.mention) !== key) continue;
      for (const r of $$("input[type=radio]", fs)) {
        r.checked = (r.dataset.ids === undefined ? null : JSON.stringify(JSON.parse(r.dataset.ids))) === want;
      }
      fs.querySelector("input[data-note]").value = d.note;
    }
  }
  function decisionsYaml() {
    const items = [];
    for (const d of state.values()) {
      if (d.ids === null) continue;
      items.push(`- mention: ${quote(d.mention)}\n  agency_ids: [${d.ids.map(quote).join(", ")}]\n`
        + `  note:${d.note ? " " + quote(d.note) : ""}\n`);
    }
    const head = section.dataset.header.replace(/\n+$/, "") + "\n\n";
    return {text: head + (items.length ? items.join("\n") : "[]\n"), decided: items.length};
  }
  function refresh() {
    const {text, decided} = decisionsYaml();
    $("#decisions-yaml").textContent = text;
    $("#decided").value = `${decided} of ${state.size} mentions decided`;
  }
  for (const fs of fieldsets) if (!state.has(fold(fs.dataset.mention))) record(fs);
  function changed(ev) {
    const fs = ev.target.closest("fieldset.decide");
    if (!fs) return;
    record(fs);
    sync(fs);
    refresh();
  }
  document.addEventListener("change", changed);
  document.addEventListener("input", changed);
  button.addEventListener("click", () => {
    const blob = new Blob([decisionsYaml().text], {type: "application/yaml"});
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "decisions.yaml";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
  });
  button.hidden = false;
  $("#preview").hidden = false;
  refresh();
})();
</script>"""


def review_html(plan: Plan, pdf_path: Path, password: str | None = None) -> str:
    """The review page of `plan`, with crops from `pdf_path` (the PDF the plan was read from).

    Raises ValueError when the PDF's sha256 is not the plan's: crops of another file would mislead.
    """
    pdf_path = Path(pdf_path)
    if sha256(pdf_path) != plan.source.sha256:
        raise ValueError(f"{pdf_path}: not the PDF this plan was read from (sha256 differs)")
    index = Index(plan)
    images = PageImages(pdf_path, password)
    try:
        total = len(plan.review)
        entries = "".join(entry(images, index, n, total, r) for n, r in enumerate(plan.review, start=1))
    finally:
        images.close()
    title = f"Review of {plan.source.name}"
    css = CSS + (SCAN_CSS if any(r.crop for r in plan.review) else "")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{css}</style></head><body>"
        f'<h1 id="top">{escape(title)}</h1>{NAV}'
        "<p>Every repair the pipeline made and everything it could not resolve (the rows of "
        "<code>review.csv</code>, in order), each beside a crop of the PDF where the value was printed. "
        "A row joined across a page break shows the bottom of page N above the top of page N+1.</p>"
        + what_to_do(plan)
        + summary(plan)
        + decisions_section(plan)
        + f'<section id="review"><h2>Review items ({total})</h2>'
        + filters(plan)
        + (entries or "<p>Nothing to review.</p>")
        + "</section>"
        + SCRIPT
        + "</body></html>\n"
    )
