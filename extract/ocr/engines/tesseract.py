"""Tesseract through tesserocr: the reference engine for printed documents.

tesserocr's manylinux wheels bundle libtesseract, and the `tessdata.*` distributions install the
language files into `<sys.prefix>/share/tessdata`, so OCR needs nothing outside pip. Recognition
releases the GIL, so pages OCR'd in threads run in parallel (one engine per thread).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

from extract.errors import OcrUnavailable
from extract.ocr import Glyph, Word

DATA = Path(sys.prefix) / "share" / "tessdata"  # where the tessdata.* wheels put their files


class Tesseract:
    """One Tesseract instance (not thread-safe: one per thread)."""

    name = "tesseract"

    def __init__(self, languages: list[str], data: dict[str, str]):
        try:
            import tesserocr
        except ImportError as exc:  # the dependency is declared; this is a broken install
            raise OcrUnavailable(f"tesserocr cannot be imported ({exc})") from exc
        missing = [lang for lang in languages if not (DATA / f"{lang}.traineddata").is_file()]
        if missing:
            dists = ", ".join(data.get(lang, "?") for lang in missing)
            files = ", ".join(f"{lang}.traineddata" for lang in missing)
            raise OcrUnavailable(
                f"has pages to OCR, but the language data {', '.join(missing)} is not installed "
                f"(pip install {dists}, or put {files} into {DATA})"
            )
        self._tess = tesserocr
        self.version = tesserocr.tesseract_version().split()[1]
        self._api = tesserocr.PyTessBaseAPI(path=str(DATA), lang="+".join(languages))

    def read(
        self, image: Image.Image, dpi: int, region: tuple[int, int, int, int] | None = None
    ) -> list[Word]:
        api, ril = self._api, self._tess.RIL
        api.SetImage(image)
        api.SetSourceResolution(dpi)
        # the whole page: find its blocks and lines; one region (a cell): read it as one block of text
        api.SetPageSegMode(self._tess.PSM.AUTO if region is None else self._tess.PSM.SINGLE_BLOCK)
        if region is not None:
            x0, top, x1, bottom = region
            api.SetRectangle(x0, top, x1 - x0, bottom - top)
        api.Recognize()
        words: list[Word] = []
        line, glyphs = -1, []
        line_box, baseline = (0, 0, 0, 0), ((0, 0), (1, 0))
        for it in self._tess.iterate_level(api.GetIterator(), ril.SYMBOL):
            if it.Empty(ril.SYMBOL):
                continue
            if it.IsAtBeginningOf(ril.TEXTLINE):
                line += 1
                line_box = it.BoundingBox(ril.TEXTLINE)
                baseline = it.Baseline(ril.TEXTLINE) or baseline
            if it.IsAtBeginningOf(ril.WORD):
                glyphs = []
                word = it.GetUTF8Text(ril.WORD) or ""
                words.append(Word(word, it.BoundingBox(ril.WORD), it.Confidence(ril.WORD), line,
                                  line_box, _base_at(baseline, it.BoundingBox(ril.WORD)), ()))  # fmt: skip
            glyphs.append(Glyph(it.GetUTF8Text(ril.SYMBOL) or "", it.BoundingBox(ril.SYMBOL)))
            if it.IsAtFinalElement(ril.WORD, ril.SYMBOL) and words:
                last = words[-1]
                words[-1] = Word(last.text, last.box, last.confidence, last.line, last.line_box,
                                 last.baseline, tuple(glyphs))  # fmt: skip
        return [w for w in words if w.text.strip()]

    def close(self) -> None:
        self._api.End()


def _base_at(baseline, box) -> float:
    """The baseline's y under the middle of `box` (Tesseract gives the line's baseline as two points)."""
    (x1, y1), (x2, y2) = baseline
    x = (box[0] + box[2]) / 2
    return y1 if x2 == x1 else y1 + (y2 - y1) * (x - x1) / (x2 - x1)


def open_engine(languages: list[str], data: dict[str, str]) -> Tesseract:
    return Tesseract(languages, data)
