"""Resource limits (`schema.models.Limits`), checked before PDFium parses what they bound.

PDFium parses a page's whole content when the page is loaded, and its text page grows with the
page's area, so these checks run first: page sizes from the page tree (`get_page_size` does not
load the page), and the decompressed length of every page's content read by a light parser,
inflating Flate streams a chunk at a time and stopping at the limit, so that a stream that inflates
to a gigabyte costs a megabyte. Path segments are counted from PDFium's page objects, once the page
is parsed and before the project's own Python reads them (`check_paths`).

The light parser is pdfminer's: already a dependency (the pdfplumber engine's parser), objects
read lazily from the xref, decryption built in, and its parser modules import in about 50 ms where
pypdf takes 300 ms or more (measured in this venv; the whole run of the shipped plan is about 1 s).
A file it cannot parse is not refused here: PDFium's own errors say what is wrong with it.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pypdfium2 as pdfium

from extract.errors import LimitExceeded
from extract.pdfium_reader import count_segments
from schema.models import Limits

MB = 1 << 20
CHUNK = 1 << 20  # bytes inflated at a time: the memory a stream's check costs, whatever it inflates to
FLATE = {"FlateDecode", "Fl"}
TRUST = "raise the limit if the file is trusted"


def check_document(
    path: Path, doc: pdfium.PdfDocument, limits: Limits, password: str | None
) -> dict[int, str]:
    """Refuse the file before any page is parsed: a page too large, or too much content.

    Returns the pages whose content is damaged (page number -> what is wrong), found on the way:
    PDFium reads such a page as far as it can and says nothing, so text would be lost unseen.
    """
    check_page_sizes(doc, limits)
    damaged, held = check_content(path, limits, password)
    for n in range(len(doc) + 1, held + 1):  # pages the page tree holds past its own count
        damaged[n] = f"the page tree counts {len(doc)} pages but holds this one: PDFium does not read it"
    return damaged


def check_page_sizes(doc: pdfium.PdfDocument, limits: Limits) -> None:
    """Every page's width and height (its crop box, as PDFium sizes it) within `max_page_size`.

    A box far from the origin but of ordinary size costs nothing (measured: ±1e9 origins load like
    0): only the size is bounded.
    """
    limit = limits.max_page_size
    for index in range(len(doc)):
        try:
            width, height = doc.get_page_size(index)
        except pdfium.PdfiumError:
            continue  # a page PDFium cannot size: loading it says what is wrong
        if not (width <= limit and height <= limit):  # (NaN fails too)
            raise LimitExceeded(
                f"page {index + 1}: it measures {width:g} x {height:g} points, larger than {limit:g} "
                f"(--max-page-size {limit:g}); {TRUST}"
            )


def check_paths(number: int, page: pdfium.PdfPage, limits: Limits) -> None:
    """The page draws at most `max_paths` path segments (its forms' included)."""
    count = count_segments(page, limits.max_paths)
    if count > limits.max_paths:
        raise LimitExceeded(
            f"page {number}: it draws more than {limits.max_paths} path segments "
            f"(--max-paths {limits.max_paths}); {TRUST}"
        )


def check_render(number: int, size: tuple[float, float], dpi: int, limits: Limits) -> None:
    """The page's image at `dpi` (for OCR) holds at most `max_ocr_megapixels`."""
    megapixels = size[0] * size[1] * (dpi / 72) ** 2 / 1e6
    if megapixels > limits.max_ocr_megapixels:
        raise LimitExceeded(
            f"page {number}: its image for OCR at {dpi} dpi holds {megapixels:.0f} megapixels, more than "
            f"{limits.max_ocr_megapixels:g} (--max-ocr-megapixels {limits.max_ocr_megapixels:g}); lower "
            f"--ocr-dpi, or {TRUST}"
        )


def check_content(path: Path, limits: Limits, password: str | None) -> tuple[dict[int, str], int]:
    """Each page's decompressed content (its content streams and the forms its resources hold)
    within `max_page_content_mb`, all pages' (each stream counted once) within `max_content_mb`.

    Returns the damaged pages (a content stream that does not inflate cleanly, or page contents
    that do not resolve to streams), and how many pages the page tree holds (0 when unread)."""
    page_limit, doc_limit = limits.max_page_content_mb * MB, limits.max_content_mb * MB
    sizes: dict[int, tuple[int, str | None]] = {}  # stream -> (inflated length, damage): read once
    total = 0
    damaged: dict[int, str] = {}
    number = 0
    with closing(_page_streams(path, password)) as pages:
        for number, (streams, broken) in pages:
            page = 0
            for stream in streams:  # a stream the page lists twice is parsed twice: counted twice
                key = id(stream)  # (pdfminer keeps each object it resolved: one object per stream)
                if key not in sizes:
                    sizes[key] = _length(stream, page_limit - page)
                    total += sizes[key][0]
                page += sizes[key][0]
                broken = broken or sizes[key][1]
                if page > page_limit:
                    raise _too_much(f"page {number}: its content", page_limit, "--max-page-content")
            if total > doc_limit:
                raise _too_much(f"page {number}: the content so far", doc_limit, "--max-content")
            if broken:
                damaged[number] = broken
    return damaged, number


def _too_much(what: str, limit: float, option: str) -> LimitExceeded:
    mb = f"{limit / MB:g}"
    return LimitExceeded(f"{what} inflates past {mb} MB ({option} {mb}); {TRUST}")


def _length(stream, limit: float) -> tuple[int, str | None]:
    """The stream's decoded length, counted up to just past `limit`, and what is wrong with it
    (None when it decodes cleanly or cannot be judged: pdfminer cannot read it)."""
    try:
        return _decoded_length(stream, limit)
    except Exception:  # (a broken filter list: PDFium says what is wrong, or reads nothing)
        return 0, None


def _decoded_length(stream, limit: float) -> tuple[int, str | None]:
    """The stream's decoded length, counted up to just past `limit`.

    Flate as the first filter (how PDF writers compress content) is inflated a chunk at a time
    and counted. Any other first filter (LZW, RunLength, ASCIIHex, ASCII85, or Flate behind one of
    those) is counted at its raw, encoded length, not decoded: cheap and right for the ASCII
    filters alone, but an LZW or RunLength stream, or Flate behind an ASCII filter, can expand past
    the limit unmeasured (rare in real files; the segment limit still bounds what PDFium parses
    of paths).
    """
    data = _raw(stream)
    filters = stream.get_filters()
    name = getattr(filters[0][0], "name", None) if filters else None
    if name not in FLATE:
        return len(data), None
    return _inflated(data, limit)


def _inflated(data: bytes, limit: float) -> tuple[int, str | None]:
    """The inflated length (counted up to just past `limit`), and the damage zlib reports.

    A stream cut short (no end marker) is not called damaged: writers that drop the checksum are
    common and lose nothing. A zlib error (bad data, a wrong checksum) is: PDFium then shows
    only what came before it, or text decoded from corrupt bytes.
    """
    inflate = zlib.decompressobj()
    count = 0
    try:
        while data and count <= limit:
            chunk = inflate.decompress(data, CHUNK)
            count += len(chunk)
            data = inflate.unconsumed_tail
        while not inflate.eof and count <= limit and (chunk := inflate.decompress(b"", CHUNK)):
            count += len(chunk)
    except zlib.error as exc:
        return count, f"a content stream is damaged (zlib: {exc})"
    return count, None


def _raw(stream) -> bytes:
    data = stream.get_rawdata() or b""
    if stream.decipher:  # an encrypted file: the bytes as the stream holds them, decrypted
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    return data


def _page_streams(path: Path, password: str | None) -> Iterator[tuple[int, tuple[list, str | None]]]:
    """(page number, (the page's content streams and forms, damage)) for each page pdfminer can read.

    Stops quietly where pdfminer fails: PDFium then reads the file or says why it cannot.
    """
    from pdfminer.pdfdocument import PDFDocument  # loaded only here: the pdfium engine needs no pdfminer
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    with _quiet(), path.open("rb") as file:
        try:
            pages = PDFPage.create_pages(PDFDocument(PDFParser(file), password=password or ""))
            for number, page in enumerate(pages, 1):
                yield number, _streams_of(page)
        except Exception:  # (pdfminer raises many kinds on broken files)
            return


def _streams_of(page) -> tuple[list, str | None]:
    """The page's content streams and forms, and whether its contents name something else."""
    from pdfminer.pdftypes import PDFStream, resolve1

    named = page.attrs.get("Contents")
    contents = resolve1(named)
    streams = [resolve1(c) for c in (contents if isinstance(contents, list) else [contents])]
    found = [s for s in streams if isinstance(s, PDFStream)]
    broken = None
    if named is not None and len(found) < len(streams):
        broken = "its contents refer to an object that is missing or not a content stream"
    return found + _forms(resolve1(page.attrs.get("Resources")), set()), broken


def _forms(resources, seen: set[int]) -> list:
    """The form XObjects `resources` holds, and the forms theirs hold (each once)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    if not isinstance(resources, dict):
        return []
    xobjects = resolve1(resources.get("XObject"))
    found = []
    for ref in xobjects.values() if isinstance(xobjects, dict) else []:
        form = resolve1(ref)
        if not isinstance(form, PDFStream) or id(form) in seen:
            continue
        if getattr(resolve1(form.get("Subtype")), "name", None) == "Form":
            seen.add(id(form))
            found.append(form)
            found.extend(_forms(resolve1(form.get("Resources")), seen))
    return found


@contextmanager
def _quiet():
    """pdfminer logs its repairs as warnings; the CLI's one-line contract has no room for them."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)
