"""The facts of the pages read by OCR, phrased once for summary.html, README.md and datapackage.json,
so the three say the same thing in the same words (from `schema.models.OcrInfo`)."""

from __future__ import annotations

from collections.abc import Iterable

from schema.models import OcrInfo
from schema.review_kinds import BY_NAME

LOW_CONFIDENCE = BY_NAME["low_confidence_ocr"].name  # the review kind of a value holding unsure words


def page_span(pages: Iterable[int]) -> str:
    """'page 5', 'pages 5–6', 'pages 2, 5–6': the pages given, consecutive ones as a range."""
    runs: list[list[int]] = []
    for p in sorted(set(pages)):
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    text = ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
    return f"{'pages' if sum(map(len, runs)) > 1 else 'page'} {text or '—'}"


def ocr_pages(ocr: OcrInfo) -> str:
    """Which pages were read by OCR, in words ("pages 2–3"); "no page" when none was."""
    return page_span(p.page for p in ocr.pages) if ocr.pages else "no page"


def engine_phrase(ocr: OcrInfo) -> str:
    """What read them: 'tesseract 5.3.0, language data eng (tesseract-ocr-eng 4.1.0), at 300 dpi'."""
    languages = "+".join(ocr.languages) or "none named"
    return f"{ocr.engine} {ocr.version}, language data {languages} ({ocr.language_data}), at {ocr.dpi} dpi"


def uncertain_words(ocr: OcrInfo) -> int:
    """The words read with a confidence below the threshold, on every page read."""
    return sum(p.uncertain for p in ocr.pages)


def words(n: int) -> str:
    return "1 word" if n == 1 else f"{n} words"


def uncertain_phrase(ocr: OcrInfo) -> str:
    """'7 words were read with a confidence below 60 (of 0-100)'."""
    n = uncertain_words(ocr)
    verb = "was" if n == 1 else "were"
    return f"{words(n)} {verb} read with a confidence below {ocr.min_confidence:g} (of 0-100)"


MODES = {
    "auto": "the pages without a usable text layer",
    "always": "every page, as asked",
    "never": "no page, as asked",
}


def mode_phrase(ocr: OcrInfo) -> str:
    """Why these pages: 'OCR mode auto: the pages without a usable text layer'."""
    return f"OCR mode {ocr.mode}: {MODES[ocr.mode]}"


def sentence(phrase: str) -> str:
    """The phrase opening a sentence: its first letter upper case, the rest as it is."""
    return phrase[:1].upper() + phrase[1:]
