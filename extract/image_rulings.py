"""Ruling lines of a scanned page, read from its image (a scan has no vector rules to read).

The rules come out as the pdfplumber edge records `extract.pdfium_reader.page_edges` gives for a
vector page, in PDF points, so the lattice and stream steps read a scanned table as they read a
vector one.

A scan lies a little turned on the glass (0.1-1 degree): `level` measures the turn on the page's
long rules (or, without rules, on its text lines) and turns the image back. `rulings` keeps the
dark runs that survive an erosion with a long thin kernel (text strokes and noise do not), joins
the pieces of one rule and drops what is too short, too thick, or short and alone (a word's
underline); the sides of grey fills (shaded rows, `extract.image_fills`) come with them, as a
vector page's filled rectangles give theirs. `erase` paints the rules white so OCR does not read
them as | or _.
Everything here is a pure function of the image; lengths are set in points and scaled by the dpi.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extract.image_fills import fill_edges
from extract.rulings import MIN_RULE

OPEN = 5.0  # points: the straight run a piece of rule keeps through the erosion; text strokes break sooner
GAP = 2.0  # points: pieces of one rule (broken by noise or faint toner) lie at most this far apart
ACROSS = 1.0  # points: pieces of one rule lie this close across it
THICK = 3.0  # points: a thicker run is a filled area or a bold stroke, not a rule
LONE = 72.0  # points: a rule shorter than this must meet a long rule across it (an underline meets none)
MEET = 3.0  # points: how close a short rule must come to a long one to meet it
ERASE = 2.0  # points: how far either side of a rule's centre line its ink is painted white
FRINGE = 0.5  # points: the grey edge of a rule, painted white with it
LEVEL_RULE = 100.0  # points: the rules (or text lines) that measure the turn are at least this long
MAX_TURN = 3.0  # degrees: a long run more slanted than this is no rule of the page
SKIP_TURN = 0.02  # degrees: a smaller turn is left alone
LETTER = (2.0, 20.0)  # points: a letter is this tall (and no wider), what is not is no letter
MIN_LETTERS = 20  # fewer letters than this do not tell a turn
# (step, either side of the best so far: degrees; bin height: points): coarse, then fine
TEXT_SEARCH = ((0.1, MAX_TURN, 1.0), (0.01, 0.1, 0.25))
MEASURE_SCALE = 2.0  # px per point: the turn is measured on the ink shrunk to about this (as 144 dpi)
A4_LONG_SIDE = 842.0  # points: `level` does not know the dpi and sizes its kernels as for A4


@dataclass(frozen=True)
class Run:
    """A straight dark run in pixels: its centre line `across`, its extent [start, end) along,
    its mean thickness."""

    across: float
    start: float
    end: float
    thick: float

    @property
    def length(self) -> float:
        return self.end - self.start


def _px(points: float, scale: float) -> int:
    """Points as a whole number of pixels (at least one), `scale` px per point."""
    return max(1, round(points * scale))


def ink(image: np.ndarray) -> np.ndarray:
    """Dark pixels as 255 (Otsu's threshold); none on a page without contrast (a blank scan)."""
    low, high = cv2.minMaxLoc(image)[:2]
    if high - low < 32:
        return np.zeros_like(image)
    return cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]


def _line_kernel(length: int, horizontal: bool) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))


def _outlines(mask: np.ndarray) -> list[np.ndarray]:
    """Each 8-connected shape's outline as an (n, 2) array of (x, y) pixels (tracing outlines is
    far faster than labelling every pixel of a 300 dpi page)."""
    return [c.reshape(-1, 2) for c in cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)[0]]


def _axes(outline: np.ndarray, horizontal: bool) -> tuple[np.ndarray, np.ndarray]:
    """(along, across) coordinates of an outline's pixels."""
    return (outline[:, 0], outline[:, 1]) if horizontal else (outline[:, 1], outline[:, 0])


def _run(outline: np.ndarray, horizontal: bool, grow: int) -> Run:
    """An eroded shape as the run it came from: `grow` px longer at each end, its centre line the
    mean of its outline across (a band's outline is its top and bottom rows), its thickness its
    area over its length (the outline passes through the edge pixels' centres, hence the + 1)."""
    x, y, w, h = cv2.boundingRect(outline)
    start, length = (x, w) if horizontal else (y, h)
    across = float(outline[:, 1 if horizontal else 0].mean())
    thick = cv2.contourArea(outline) / max(1, length - 1) + 1
    return Run(across, float(start - grow), float(start + length + grow), thick)


def _slope(across: np.ndarray, along: np.ndarray) -> float:
    """Least-squares slope of the across coordinate on the along one."""
    along = along - along.mean()
    return float((along * (across - across.mean())).sum() / (along * along).sum())


def _turns(mask: np.ndarray, horizontal: bool, long: int, thick: int) -> list[tuple[float, int]]:
    """(turn in degrees, counter-clockwise positive; weight) of each shape at least `long` px
    along the direction and no thicker across than `thick` px plus its slant at MAX_TURN."""
    out = []
    for outline in _outlines(mask):
        along, across = (a.astype(float) for a in _axes(outline, horizontal))
        length = along.max() - along.min()
        if length < long or across.max() - across.min() > length * np.tan(np.radians(MAX_TURN)) + thick:
            continue
        slope = _slope(across, along)  # turned counter-clockwise, a rule's right end rises: y falls
        out.append((float(np.degrees(np.arctan(-slope if horizontal else slope))), int(length)))
    return out


def _weighted_median(turns: list[tuple[float, int]]) -> float:
    turns = sorted(turns)
    weights = np.cumsum([w for _, w in turns])
    return float(turns[int(np.searchsorted(weights, weights[-1] / 2))][0])


def skew(image: np.ndarray) -> float:
    """The page's turn in degrees, counter-clockwise positive (as Pillow's `rotate` turns), read
    from its long horizontal rules, else its long vertical ones, else its text lines; 0.0 when
    none is found. Each long shape gives its least-squares slope; their length-weighted median wins.

    The dpi is not known here: kernels are sized as if the image's long side were A4's (Letter's
    is 6% shorter, which no size below minds).
    """
    mask, scale = ink(image), max(image.shape) / A4_LONG_SIDE
    shrink = max(1, int(scale // MEASURE_SCALE))
    if shrink > 1:  # any ink in a block inks its pixel: thin rules stay whole, a quarter of the work
        h, w = mask.shape
        small = cv2.resize(mask, (w // shrink, h // shrink), interpolation=cv2.INTER_AREA)
        mask, scale = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY)[1], scale / shrink
    long, piece, thick = (_px(v, scale) for v in (LEVEL_RULE, OPEN, THICK))
    for horizontal in (True, False):
        opened = cv2.morphologyEx(mask, cv2.MORPH_OPEN, _line_kernel(piece, horizontal))
        turns = _turns(opened, horizontal, long, thick)
        if turns:
            return _weighted_median(turns)
    return _text_turn(mask, scale)


def _text_turn(mask: np.ndarray, scale: float) -> float:
    """The turn that lines up the feet of the page's letters best (the sharpest histogram of
    their heights along the turned axis: baselines, with stray descenders), coarse then fine;
    0.0 without letters."""
    feet = []
    for outline in _outlines(mask):
        x, y, w, h = cv2.boundingRect(outline)
        if LETTER[0] * scale <= h <= LETTER[1] * scale and w <= LETTER[1] * scale:
            feet.append((x + w / 2, y + h))
    if len(feet) < MIN_LETTERS:
        return 0.0
    xs, ys = np.array(feet).T
    best = 0.0
    for step, span, grain in TEXT_SEARCH:
        angles = best + step * np.arange(-round(span / step), round(span / step) + 1)
        best = max(angles, key=lambda a: _sharpness(ys + xs * np.tan(np.radians(a)), grain * scale))
    return float(best)


def _sharpness(heights: np.ndarray, grain: float) -> float:
    """How much the heights pile up in bins `grain` px tall (the sum of the bins' squared counts)."""
    counts = np.bincount(((heights - heights.min()) / grain).astype(int))
    return float((counts.astype(float) ** 2).sum())


def turn(image: np.ndarray, angle: float) -> np.ndarray:
    """The image turned by `angle` degrees counter-clockwise about its centre, same size, white fill."""
    h, w = image.shape
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def level(image: np.ndarray) -> tuple[np.ndarray, float]:
    """(the grayscale uint8 image turned so its long rulings are level, the angle in degrees it was
    turned by, counter-clockwise positive as Pillow's `rotate`: minus the scan's `skew`).

    The same image and 0.0 when the turn is under SKIP_TURN: resampling blurs and gains nothing.
    """
    angle = -skew(image)
    if abs(angle) < SKIP_TURN:
        return image, 0.0
    return turn(image, angle), angle


def _merge(runs: list[Run], gap: float, across: float) -> list[Run]:
    """Pieces of one rule (chained at most `across` apart across, `gap` apart along) as one run."""
    out: list[Run] = []
    band: list[Run] = []
    for run in sorted(runs, key=lambda r: r.across):
        if band and run.across - band[-1].across > across:
            out += _merge_along(band, gap)
            band = []
        band.append(run)
    return out + _merge_along(band, gap)


def _merge_along(band: list[Run], gap: float) -> list[Run]:
    groups: list[list[Run]] = []
    end = -np.inf
    for run in sorted(band, key=lambda r: r.start):
        if groups and run.start - end <= gap:
            groups[-1].append(run)
            end = max(end, run.end)
        else:
            groups.append([run])
            end = run.end
    return [_joined(group) for group in groups]


def _joined(group: list[Run]) -> Run:
    """The pieces as one run: its centre line and thickness the length-weighted means of theirs."""
    if len(group) == 1:
        return group[0]
    total = sum(r.length for r in group)
    return Run(
        sum(r.across * r.length for r in group) / total,
        min(r.start for r in group),
        max(r.end for r in group),
        sum(r.thick * r.length for r in group) / total,
    )


def _meets(run: Run, other: Run, tol: float) -> bool:
    """Whether `run` comes within `tol` of `other`, a run across it."""
    return (
        other.start - tol <= run.across <= other.end + tol
        and run.start - tol <= other.across <= run.end + tol
    )


def _anchored(runs: list[Run], across_runs: list[Run], long: float, tol: float) -> list[Run]:
    """The long runs, and the short ones that meet a long run across them (an underline meets none)."""
    anchors = [r for r in across_runs if r.length >= long]
    return [r for r in runs if r.length >= long or any(_meets(r, a, tol) for a in anchors)]


def _candidates(mask: np.ndarray, scale: float, horizontal: bool) -> list[Run]:
    """The straight runs of one direction long and thin enough to be rules.

    An erosion with an odd kernel 2r + 1 long keeps a run's centre line and shortens it by r at
    each end, which `_run` gives back; no dilation is needed to read the run.
    """
    reach = _px(OPEN, scale) // 2
    eroded = cv2.erode(mask, _line_kernel(2 * reach + 1, horizontal))
    runs = _merge([_run(o, horizontal, reach) for o in _outlines(eroded)], GAP * scale, ACROSS * scale)
    return [r for r in runs if r.length >= MIN_RULE * scale and r.thick <= THICK * scale]


def _edge(run: Run, horizontal: bool, scale: float) -> dict:
    """A run as a pdfplumber edge record in points (a pixel's centre is half a pixel in)."""
    at, start, end = (run.across + 0.5) / scale, run.start / scale, run.end / scale
    if horizontal:
        return {"x0": start, "x1": end, "top": at, "bottom": at, "width": end - start, "height": 0.0,
                "orientation": "h", "object_type": "line"}  # fmt: skip
    return {"x0": at, "x1": at, "top": start, "bottom": end, "width": 0.0, "height": end - start,
            "orientation": "v", "object_type": "line"}  # fmt: skip


def rulings(image: np.ndarray, dpi: float) -> list[dict]:
    """The horizontal and vertical rules of a levelled grayscale image as pdfplumber edge records,
    in PDF points (px * 72 / dpi), top-left origin, with the keys `pdfium_reader.page_edges` gives.

    A rule is a thin straight dark run at least MIN_RULE long; one shorter than LONE counts only
    where it meets a long rule across it, so text strokes, a word's underline and noise do not
    come out. A rule a few pixels thick gives one edge, at its centre line. A grey fill gives its
    four sides (object_type "rect_edge"), as `page_edges` gives a filled rectangle's.
    """
    mask, scale = ink(image), dpi / 72
    hs, vs = _candidates(mask, scale, True), _candidates(mask, scale, False)
    long, tol = LONE * scale, MEET * scale
    hs, vs = _anchored(hs, vs, long, tol), _anchored(vs, hs, long, tol)
    return [_edge(r, True, scale) for r in hs] + [_edge(r, False, scale) for r in vs] + fill_edges(image, dpi)


def _window(edge: dict, scale: float, band: int, pad: int) -> tuple[slice, slice]:
    """(rows, columns) of the image within `band` px across an edge's centre line, `pad` px past its ends."""
    horizontal = edge["orientation"] == "h"
    at = round((edge["top"] if horizontal else edge["x0"]) * scale - 0.5)
    start = round((edge["x0"] if horizontal else edge["top"]) * scale)
    end = round((edge["x1"] if horizontal else edge["bottom"]) * scale)
    across, along = slice(max(0, at - band), at + band + 1), slice(max(0, start - pad), end + pad)
    return (across, along) if horizontal else (along, across)


def erase(image: np.ndarray, edges: list[dict], dpi: float) -> np.ndarray:
    """A copy of the image with the found rules painted white, so OCR does not read them as | or _.

    Only the rule's own pixels go (the straight dark run along it within ERASE of its centre line,
    grown by its grey FRINGE): a letter touching the rule keeps the rest of its strokes. A fill's
    sides ("rect_edge") have no ink along them: the text printed near them stays.
    """
    out, mask, scale = image.copy(), ink(image), dpi / 72
    piece, band = _px(OPEN, scale), _px(ERASE, scale)
    fringe = cv2.getStructuringElement(cv2.MORPH_RECT, (2 * _px(FRINGE, scale) + 1,) * 2)
    for edge in (e for e in edges if e["object_type"] != "rect_edge"):
        horizontal = edge["orientation"] == "h"
        rows, cols = _window(edge, scale, band, piece)
        rule = cv2.morphologyEx(mask[rows, cols], cv2.MORPH_OPEN, _line_kernel(piece, horizontal))
        out[rows, cols][cv2.dilate(rule, fringe) > 0] = 255
    return out
