"""Where an output folder comes from: the source PDF, the extraction, and the terms of the data.

Shared by datapackage.json and the README. Deterministic so reruns stay byte-identical: the
extraction is dated by `SOURCE_DATE_EPOCH` when it is set, else by the PDF's own dates (its ModDate,
else its CreationDate), else not at all; never by the clock.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import PurePath

from schema.models import Licence, OcrInfo, Plan, SourceInfo
from schema.names import quoted

EPOCH = "SOURCE_DATE_EPOCH"
SIDECAR_SUFFIX = ".source.yaml"  # a PDF's sidecar: `<stem>.source.yaml` beside it (nap/sidecar.py)
DEFAULT_LICENCE = Licence(title="the source's terms are the publisher's; this extraction adds no rights")
DATED_BY = {"modified": "the PDF's ModDate", "created": "the PDF's CreationDate"}


@dataclass(frozen=True)
class Origin:
    source: SourceInfo
    title: str  # as printed: the preamble's title line, else the PDF's stem
    engine: str
    version: str  # nap's
    date: str | None  # ISO 8601
    dated_by: str | None  # SOURCE_DATE_EPOCH, the PDF's ModDate or CreationDate
    ocr: OcrInfo | None = None  # the pages read by OCR, and with what; None when none was

    @property
    def sidecar(self) -> str:
        """The name of the PDF's sidecar, where its publication and terms are set."""
        return PurePath(self.source.name).stem + SIDECAR_SUFFIX

    @property
    def licence(self) -> Licence:
        publication = self.source.publication
        return (publication.licence if publication else None) or DEFAULT_LICENCE


def package_title(preamble: list[str], stem: str) -> str:
    """A title for the package: the first preamble line naming a plan, else the PDF stem."""
    return next((line.strip() for line in preamble if re.search(r"\bplan\b", line, re.I)), stem)


def nap_version() -> str:
    try:
        return metadata.version("nap")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"


def epoch_date(environ: Mapping[str, str]) -> str | None:
    """SOURCE_DATE_EPOCH as an ISO 8601 UTC time, None when unset or empty; ValueError when it is
    not a whole number of seconds since 1970 (reproducible-builds.org's rule: refuse, do not guess)."""
    value = environ.get(EPOCH, "").strip()
    if not value:
        return None
    try:
        if not value.isdigit():
            raise ValueError
        return datetime.fromtimestamp(int(value), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, OverflowError, OSError):
        said = quoted(value[:40])
        raise ValueError(f"{EPOCH} must be a whole number of seconds since 1970, not {said}") from None


def extraction_date(source: SourceInfo, environ: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(date, what dated it): SOURCE_DATE_EPOCH, else the PDF's ModDate, else its CreationDate."""
    epoch = epoch_date(environ)
    if epoch:
        return epoch, EPOCH
    for field, said in DATED_BY.items():
        if getattr(source, field):
            return getattr(source, field), said
    return None, None


def origin_of(plan: Plan, environ: Mapping[str, str] | None = None) -> Origin:
    stem = PurePath(plan.source.name).stem
    date, dated_by = extraction_date(plan.source, os.environ if environ is None else environ)
    title = package_title(plan.preamble, stem)
    return Origin(plan.source, title, plan.engine, nap_version(), date, dated_by, plan.ocr)
