"""Command-line options shared by several `nap` commands."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click

from extract.ocr import OcrSettings
from schema.models import Limits

YAML_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)

registry_option = click.option(
    "--registry", type=YAML_FILE, default=None,
    help="Agency registry YAML (default: the packaged registry.yaml).",
)  # fmt: skip
decisions_option = click.option(
    "--decisions", type=YAML_FILE, default=None,
    help="Reviewers' decisions on agency mentions (default: the packaged decisions.yaml).",
)  # fmt: skip


def _limit(flag: str, field: str, kind: click.ParamType, metavar: str, unit: str = ""):
    default = Limits.model_fields[field].default
    what = Limits.model_fields[field].description + (f", in {unit}" if unit else "")
    return click.option(
        flag, field, type=kind, default=default, metavar=metavar,
        help=f"Limit on the {what} (default {default:g}): a PDF past it is refused; raise it for a "
        "trusted file.",
    )  # fmt: skip


_POSITIVE = click.FloatRange(min=0, min_open=True)
_LIMITS = (
    _limit("--max-page-content", "max_page_content_mb", _POSITIVE, "MB", "MB"),
    _limit("--max-content", "max_content_mb", _POSITIVE, "MB", "MB"),
    _limit("--max-paths", "max_paths", click.IntRange(min=1), "N"),
    _limit("--max-page-size", "max_page_size", _POSITIVE, "PT", "points"),
    _limit("--max-ocr-megapixels", "max_ocr_megapixels", _POSITIVE, "MPX", "megapixels"),
)


def limits_options(command: Callable) -> Callable:
    """The resource-limit options (`schema.models.Limits`), given to `command` as `limits`."""

    @functools.wraps(command)
    def with_limits(*args, **kwargs):
        fields = {name: kwargs.pop(name) for name in Limits.model_fields}
        return command(*args, limits=Limits(**fields), **kwargs)

    for option in reversed(_LIMITS):
        with_limits = option(with_limits)
    return with_limits


def ocr_options(command: Callable) -> Callable:
    """--ocr and --ocr-dpi, given to `command` as `ocr` (OcrSettings over extract/data/ocr.yaml)."""
    defaults = OcrSettings.load()

    @click.option(
        "--ocr", "ocr_mode", type=click.Choice(["auto", "always", "never"]), default="auto",
        show_default=True,
        help="Which pages are read by OCR: auto, those without a usable text layer (scans); always, every "
        "page (a text layer wrong in ways nap cannot see); never, none (a scan is then an error). "
        "OCR costs seconds per page; --jobs reads that many pages at once.",
    )  # fmt: skip
    @click.option(
        "--ocr-dpi", type=click.IntRange(min=72, max=1200), default=defaults.dpi, show_default=True,
        help="Resolution pages are rendered at for OCR (Tesseract reads 10 pt text best at 300).",
    )  # fmt: skip
    @functools.wraps(command)
    def with_ocr(*args, ocr_mode: str, ocr_dpi: int, **kwargs):
        return command(*args, ocr=replace(defaults, mode=ocr_mode, dpi=ocr_dpi), **kwargs)

    return with_ocr
