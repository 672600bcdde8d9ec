"""Grey filled rectangles of a scanned page (shaded header and section rows), read from its image.

A "shaded" table prints no rules: its header and section rows lie on grey fills. On a vector page
the fills' sides are edges (`pdfium_reader.page_edges` reports every side of a filled path, and
the stream step takes the top and bottom ones for rules); on a scan the grey is lighter than
Otsu's level, so `image_rulings` finds no rule there. This finds the fills themselves, on the page
shrunk to about FILL_SCALE px per point, and gives their four sides as the vector page does.

A fill is a solid area of no paper (its grey and the text printed on it) at least FILL_WIDTH wide
and a line of text tall, whose background is one plain mid-grey: clearly darker than the paper,
clearly lighter than ink (a black bar is no fill), and even (a photo's greys vary; a gradient
steps from row to row). Fills of one grey that touch (a header row on a section row) show no seam
in the image: the rows of such a band are told apart by the gaps between their text, as wide as
the band's own padding above and below its text, wider than the leading between a cell's lines.
Everything here is a pure function of the image, lengths are set in points and scaled by the dpi.
"""

from __future__ import annotations

import cv2
import numpy as np

FILL_SCALE = 2.0  # px per point: fills are looked for on the page shrunk to about this (as 144 dpi)
NOT_PAPER = 8  # grey levels: a pixel this much darker than the paper is none (a fill, ink, a fill's edge)
MIN_DEPTH = 16  # grey levels: a fill is at least this much darker than the paper
MAX_DEPTH = 0.6  # share of the paper's level: what is darker than the paper by more is ink, no fill
FLAT = 12  # grey levels: a fill's plain pixels lie this close to its level (grain, JPEG)
FLAT_SHARE = 0.6  # this share of a fill's pixels at least is plain grey (its text covers the rest)
INK = 32  # grey levels: text on a fill is darker than its grey by more than this (grain is not)
TEXT = 2  # pixels: a row of a fill with this many pixels of text holds text (a speck of dust does not)
BACKGROUND = 80  # percentile: a row's or column's level across a fill (its text is darker)
FILL_WIDTH = 30.0  # points: as wide as the shortest rule the stream step takes for a table's
FILL_HEIGHT = 6.0  # points: about a line of text, the least a shaded row holds
SOLID = 0.9  # a fill covers at least this share of its bounding box (a disc, a logo's shape does not)
REACH = 2  # px (shrunk): the level either side of a fill's side is read on this many rows (columns)
STEADY = 3  # grey levels: a row's (column's) level steps by no more than this to its neighbours inside
# a fill (grain and text hardly move it), by more where a side of a fill runs through it
EDGE = 1.0  # points: text is not looked for this close to a band's top and bottom (a side's blur)
PADS = 0.7  # a gap in a band's text parts two rows if this share of the band's padding above and below
LEADING = 0.3  # ... and this share of its lines' height wide at least (a cell's lines lie closer)

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def _shrunk(image: np.ndarray, dpi: float) -> tuple[np.ndarray, float]:
    """(the image shrunk by a whole factor to about FILL_SCALE px per point and freed of grain and
    dust by a 3 x 3 median, its px per point)."""
    scale = dpi / 72
    shrink = max(1, int(scale // FILL_SCALE))
    if shrink > 1:
        h, w = image.shape
        image = cv2.resize(image[: h - h % shrink, : w - w % shrink], (w // shrink, h // shrink),
                           interpolation=cv2.INTER_AREA)  # fmt: skip
    return cv2.medianBlur(image, 3), scale / shrink


def _paper(small: np.ndarray) -> float:
    """The paper's level: the page's median grey (most of a page is paper)."""
    counts = np.cumsum(cv2.calcHist([small], [0], None, [256], [0, 256]).ravel())
    return float(np.searchsorted(counts, counts[-1] / 2))


def _solid_areas(small: np.ndarray, paper: float, scale: float) -> list[tuple[int, int, int, int]]:
    """(x, y, w, h) of each solid area of no paper wide and tall enough to be a fill: an opening with
    a square a line tall takes text strokes and rules off (and off a fill they touch)."""
    mask = ((small < paper - NOT_PAPER) * 255).astype(np.uint8)
    side = max(1, round(FILL_HEIGHT * scale))
    opened = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))
    areas = []
    for outline in cv2.findContours(opened, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)[0]:
        x, y, w, h = cv2.boundingRect(outline)
        if w >= FILL_WIDTH * scale and cv2.contourArea(outline) >= SOLID * (w - 1) * (h - 1):
            areas.append((x, y, w, h))
    return areas


def _steady(profile: np.ndarray) -> np.ndarray:
    """The rows (columns) whose level steps by no more than STEADY to either neighbour: no side of
    a fill runs through them (a side is a step, a gradient steps little by little)."""
    steps = np.abs(np.diff(profile)) <= STEADY
    return np.concatenate(([True], steps)) & np.concatenate((steps, [True]))


def _segments(levels: np.ndarray, steady: np.ndarray, least: int) -> list[tuple[int, int, float]]:
    """(start, end, level) of the steady runs of rows at least `least` long, those of one level
    parted by a few unsteady rows (text printed dark across much of a narrow fill) joined."""
    out: list[tuple[int, int, float]] = []
    for a, b in _runs(steady):
        if b - a < least:
            continue
        level = float(np.median(levels[a:b]))
        if out and a - out[-1][1] < least and abs(level - out[-1][2]) < MIN_DEPTH / 2:
            a = out.pop()[0]
            level = float(np.median(levels[a:b]))
        out.append((a, b, level))
    return out


def _outward(steady: np.ndarray, at: int, step: int) -> int:
    """From the boundary `at` between two rows (columns), stepping by `step` (-1 or 1), the
    boundary where the unsteady rows (columns) on that side end."""
    side = (step - 1) // 2  # the row next to the boundary on that side: at - 1, or at
    while 0 <= at + side < len(steady) and not steady[at + side]:
        at += step
    return at


def _side(profile: np.ndarray, lo: int, hi: int) -> float:
    """Where the level before the unsteady rows (columns) [lo, hi) turns into the level after them,
    to a fraction of a pixel: each counted by how much of the level before shows in it."""
    if hi <= lo:
        return float(lo)
    before = float(np.median(profile[max(0, lo - REACH) : lo])) if lo > 0 else float(profile[0])
    after = float(np.median(profile[hi : hi + REACH])) if hi < len(profile) else float(profile[-1])
    if abs(before - after) < MIN_DEPTH / 2:
        return (lo + hi) / 2
    return lo + float(np.clip((profile[lo:hi] - after) / (before - after), 0, 1).sum())


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of set flags."""
    steps = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(steps == 1), np.flatnonzero(steps == -1), strict=True))


def _row_cuts(clear: np.ndarray, top: float, bottom: float, start: int) -> list[float]:
    """Where the rows of one band of grey part: in the wide gaps between its text lines, split as
    the padding above and below the band's text is (each row is padded alike). `clear` flags the
    band's text-free rows from row `start`; `top` and `bottom` are its sides."""
    lines = [(a + start, b + start) for a, b in _runs(~clear)]
    if len(lines) < 2:
        return []
    above, below = lines[0][0] - top, bottom - lines[-1][1]
    pads, height = above + below, float(np.median([b - a for a, b in lines]))
    cuts = []
    for (_, end), (begin, _) in zip(lines, lines[1:], strict=False):
        gap = begin - end
        if gap >= PADS * pads and gap >= LEADING * height:
            cuts.append(end + gap * (below / pads if pads > 0 else 0.5))
    return cuts


def _band(sub: np.ndarray, top: float, bottom: float, level: float, scale: float) -> list[Box]:
    """The fills of one band of grey `level` between rows `top` and `bottom` of `sub` (which holds
    REACH * 2 px of what lies around it): none where it is too narrow or uneven (a photo)."""
    rows = slice(int(np.ceil(top)), int(bottom))
    across = np.percentile(sub[rows], BACKGROUND, axis=0)
    steady = _steady(across)
    inside = np.flatnonzero((np.abs(across - level) <= FLAT) & steady)
    if len(inside) == 0:
        return []
    first, end = int(inside[0]), int(inside[-1]) + 1
    left = _side(across, _outward(steady, first, -1), first)
    right = _side(across, end, _outward(steady, end, 1))
    band = sub[rows, int(np.ceil(left)) : int(right)].astype(np.int16)
    if (
        right - left < FILL_WIDTH * scale
        or band.size == 0
        or (np.abs(band - level) <= FLAT).mean() < FLAT_SHARE
    ):
        return []
    at = np.arange(rows.start, rows.stop)
    blurred = (at < top + EDGE * scale) | (at >= bottom - EDGE * scale)  # by the side: no text looked for
    clear = ((band < level - INK).sum(axis=1) < TEXT) | blurred
    edges = [top, *_row_cuts(clear, top, bottom, rows.start), bottom]
    return [(left, a, right, b) for a, b in zip(edges, edges[1:], strict=False)]


def _fills_of(small: np.ndarray, area: tuple[int, int, int, int], paper: float, scale: float) -> list[Box]:
    """The fills of one solid area (in px of `small`): its bands of one grey each, split into rows."""
    x, y, w, h = area
    pad = 2 * REACH
    x0, y0 = max(0, x - pad), max(0, y - pad)
    sub = small[y0 : y + h + pad, x0 : x + w + pad]
    levels = np.percentile(sub[:, x - x0 : x - x0 + w], BACKGROUND, axis=1)
    steady = _steady(levels)
    out = []
    for start, end, level in _segments(levels, steady, max(1, round(FILL_HEIGHT * scale))):
        if paper * (1 - MAX_DEPTH) <= level <= paper - MIN_DEPTH:
            top = _side(levels, _outward(steady, start, -1), start)
            band = _band(sub, top, _side(levels, end, _outward(steady, end, 1)), level, scale)
            out += [(a + x0, b + y0, c + x0, d + y0) for a, b, c, d in band]
    return out


def fills(image: np.ndarray, dpi: float) -> list[Box]:
    """The grey fills of a levelled grayscale image as (x0, top, x1, bottom) in PDF points, top-left
    origin: one per shaded row, rows of one grey that touch parted where their text is."""
    small, scale = _shrunk(image, dpi)
    paper = _paper(small)
    boxes = [b for area in _solid_areas(small, paper, scale) for b in _fills_of(small, area, paper, scale)]
    return sorted(
        (float(a) / scale, float(b) / scale, float(c) / scale, float(d) / scale) for a, b, c, d in boxes
    )


def fill_edges(image: np.ndarray, dpi: float) -> list[dict]:
    """Each fill's four sides as pdfplumber edge records, as `pdfium_reader.page_edges` gives a
    filled rectangle's (object_type "rect_edge", as pdfplumber names a rectangle's sides: there is
    no ink along them to erase)."""
    return [edge for box in fills(image, dpi) for edge in _sides(box)]


def _sides(box: Box) -> list[dict]:
    x0, top, x1, bottom = box
    kind = {"object_type": "rect_edge"}
    across = {"x0": x0, "x1": x1, "width": x1 - x0, "height": 0.0, "orientation": "h", **kind}
    down = {"top": top, "bottom": bottom, "width": 0.0, "height": bottom - top, "orientation": "v", **kind}
    return [
        {**across, "top": top, "bottom": top},
        {**across, "top": bottom, "bottom": bottom},
        {**down, "x0": x0, "x1": x0},
        {**down, "x0": x1, "x1": x1},
    ]
