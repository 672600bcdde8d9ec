"""Read a page's characters and ruling segments through PDFium (pypdfium2).

PDFium parses a page in C: reading every character with its box and every path of the
shipped 13-page plan takes a fraction of the time pdfminer needs. All engines share these
characters; the pdfium engine also takes its ruling lines from here.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from extract.char import Char
from extract.glyphs import FOLDS, fold_glyph, share_boxes
from extract.legacy import LATIN_TO_GEORGIAN, font_name, is_legacy

# PDFium reports a hyphen that ends a line as code 2 (it reads it as a soft hyphen); the PDF
# prints "-", and the line-joining rules decide what it means.
LINE_END_HYPHEN = {"\x02": "-", "\ufffe": "-"}  # (get_text_range gives U+FFFE for it)
NOT_PRINTED = frozenset("\uffff")
AXIS_TOL = 0.01  # points: a segment this close to horizontal or vertical is a rule


def page_chars(page: pdfium.PdfPage, legacy: dict[str, int] | None = None) -> list[Char]:
    """The page's printed characters (not PDFium's generated spaces), top-left origin, with
    ligatures and private-use bullets folded to what they show (extract/glyphs.py) and text drawn
    in a legacy Georgian font (AcadNusx ...) converted to Unicode Georgian (extract/legacy.py):
    `legacy`, when given, counts the characters converted per font name."""
    height = page.get_size()[1]
    textpage = page.get_textpage()
    handle = textpage.raw
    n = raw.FPDFText_CountChars(handle)
    text = textpage.get_text_range(0, n) if n else ""
    if len(text) != n:  # characters beyond the BMP (surrogate pairs): ask one index at a time
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(n))
    if legacy_fonts(page):  # a walk of the page's objects; per character only if it has one
        text = _legacy_to_georgian(handle, text, {} if legacy is None else legacy)
    # bound once: this loop runs for every glyph of the document
    generated, loose_box, font_size, origin = (
        raw.FPDFText_IsGenerated,
        raw.FPDFText_GetLooseCharBox,
        raw.FPDFText_GetFontSize,
        raw.FPDFText_GetCharOrigin,
    )
    box = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    chars = []
    shared = False
    try:
        for i, ch in enumerate(text):
            ch = LINE_END_HYPHEN.get(ch, ch)
            if ch <= " " and (ch != " " or generated(handle, i) == 1) or ch in NOT_PRINTED:
                continue  # PDFium's line breaks and the spaces it infers are not printed glyphs
            loose_box(handle, i, box)
            base = height - oy.value if origin(handle, i, ox, oy) else None
            glyph = Char(ch, box.left, box.right, height - box.top, height - box.bottom,
                         font_size(handle, i) or 10.0, base)  # fmt: skip
            if ch in FOLDS:  # a ligature or a private-use bullet: read as the letters it shows
                chars.extend(fold_glyph(glyph))
                continue
            if chars and glyph.x1 == chars[-1].x1 and glyph.x0 == chars[-1].x0:
                shared = True  # letters PDFium read from one ligature glyph, each with its box
            chars.append(glyph)
        return share_boxes(chars) if shared else chars
    finally:
        textpage.close()


def render(page: pdfium.PdfPage, dpi: int):
    """The page as a grayscale PIL image at `dpi` (what OCR reads; pixels x 72 / dpi are points)."""
    return page.render(scale=dpi / 72, grayscale=True).to_pil()


def legacy_fonts(page: pdfium.PdfPage) -> set[str]:
    """The legacy Georgian fonts (their names, extract/legacy.py) the page's text objects draw in,
    its forms' included. PDFium shares one handle per font, so each font's name is read once: the
    walk costs two C calls per text object (an object of another kind has no font)."""
    found: set[str] = set()
    seen: set[int] = set()
    get_font, get_type, form = raw.FPDFTextObj_GetFont, raw.FPDFPageObj_GetType, raw.FPDF_PAGEOBJ_FORM
    parents = [(raw.FPDFPage_GetObject, page.raw, raw.FPDFPage_CountObjects(page.raw))]
    while parents:
        get, parent, n = parents.pop()
        for i in range(n):
            obj = get(parent, i)
            font = get_font(obj)
            if not font:
                if get_type(obj) == form:
                    parents.append((raw.FPDFFormObj_GetObject, obj, raw.FPDFFormObj_CountObjects(obj)))
                continue
            address = ctypes.cast(font, ctypes.c_void_p).value or 0
            if address not in seen:
                seen.add(address)
                if is_legacy(name := _name(_FONT_NAME, font)):
                    found.add(font_name(name))
    return found


# the font's base name ("AAAAAA+AcadNusx"): PDFium before 2024 called it FPDFFont_GetFontName
_FONT_NAME = getattr(raw, "FPDFFont_GetBaseFontName", None) or raw.FPDFFont_GetFontName


def _name(get, *args) -> str:
    """A name a PDFium getter writes into a buffer it is asked the size of first."""
    size = get(*args, None, 0)
    if size <= 0:
        return ""
    buf = ctypes.create_string_buffer(size)
    get(*args, buf, size)
    return buf.value.decode("latin-1")


def _legacy_to_georgian(handle, text: str, counts: dict[str, int]) -> str:
    """`text` (the text page's characters, one per index) with each Latin letter drawn in a legacy
    Georgian font replaced by the letter it shows; `counts` gains the letters converted per font."""
    out = list(text)
    legacy: dict[str, str | None] = {}  # the font name PDFium gives a character -> its legacy name
    flags = ctypes.c_int()
    for i, ch in enumerate(text):
        if ch not in LATIN_TO_GEORGIAN:
            continue
        base = _char_font(handle, i, flags)
        if base not in legacy:
            legacy[base] = font_name(base) if is_legacy(base) else None
        name = legacy[base]
        if name is not None:
            out[i] = LATIN_TO_GEORGIAN[ch]
            counts[name] = counts.get(name, 0) + 1
    return "".join(out)


def _char_font(handle, index: int, flags: ctypes.c_int) -> str:
    """The base name of the font character `index` is drawn in."""
    size = raw.FPDFText_GetFontInfo(handle, index, None, 0, flags)
    if size <= 0:
        return ""
    buf = ctypes.create_string_buffer(size)
    raw.FPDFText_GetFontInfo(handle, index, buf, size, flags)
    return buf.value.decode("latin-1")


def _matrix(obj) -> tuple[float, float, float, float, float, float]:
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner, outer):
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _path_points(obj, m) -> list[list[tuple[float, float]]]:
    """The path's subpaths as transformed point lists (closed ones repeat their first point)."""
    subpaths: list[list[tuple[float, float]]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        point = _apply(m, x.value, y.value)
        if raw.FPDFPathSegment_GetType(seg) == raw.FPDF_SEGMENT_MOVETO or not subpaths:
            subpaths.append([point])
        else:
            subpaths[-1].append(point)
        if raw.FPDFPathSegment_GetClose(seg):
            subpaths[-1].append(subpaths[-1][0])
    return subpaths


def _edges_of_path(obj, m, height: float) -> list[dict]:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj, fill, stroke)
    if not fill.value and not stroke.value:
        return []  # a clipping path or an invisible one: no rule is drawn
    edges = []
    for points in _path_points(obj, m):
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            if abs(y1 - y0) < AXIS_TOL and abs(x1 - x0) >= AXIS_TOL:
                left, right, top = min(x0, x1), max(x0, x1), height - y0
                edges.append({"x0": left, "x1": right, "top": top, "bottom": top, "width": right - left,
                              "height": 0.0, "orientation": "h", "object_type": "line"})  # fmt: skip
            elif abs(x1 - x0) < AXIS_TOL and abs(y1 - y0) >= AXIS_TOL:
                top, bottom = height - max(y0, y1), height - min(y0, y1)
                edges.append({"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0.0,
                              "height": bottom - top, "orientation": "v", "object_type": "line"})  # fmt: skip
    return edges


def count_segments(page: pdfium.PdfPage, limit: int) -> int:
    """The path segments the page draws (its forms' included), counted in C calls alone, no object
    kept per page object; counting stops once past `limit`."""
    count = 0
    stack = [_children(raw.FPDFPage_GetObject, page.raw, raw.FPDFPage_CountObjects(page.raw))]
    while stack and count <= limit:
        obj = next(stack[-1], _DONE)
        if obj is _DONE:
            stack.pop()
            continue
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            count += max(raw.FPDFPath_CountSegments(obj), 0)
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            stack.append(_children(raw.FPDFFormObj_GetObject, obj, raw.FPDFFormObj_CountObjects(obj)))
    return count


_DONE = object()


def _children(get, parent, n: int):
    return (get(parent, i) for i in range(n))


def page_edges(page: pdfium.PdfPage) -> list[dict]:
    """Horizontal and vertical segments of every drawn path, as pdfplumber edge records.

    Stroked lines and the sides of filled rectangles (borders drawn as thin boxes) alike;
    paths inside form XObjects are placed with their form's matrix.
    """
    height = page.get_size()[1]
    edges: list[dict] = []
    stack = [
        (raw.FPDFPage_GetObject(page.raw, i), (1, 0, 0, 1, 0, 0))
        for i in range(raw.FPDFPage_CountObjects(page.raw))
    ]
    while stack:
        obj, outer = stack.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        m = _compose(_matrix(obj), outer)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            edges.extend(_edges_of_path(obj, m, height))
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            stack.extend(
                (raw.FPDFFormObj_GetObject(obj, i), m) for i in range(raw.FPDFFormObj_CountObjects(obj))
            )
    return edges
