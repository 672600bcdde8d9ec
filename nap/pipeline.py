"""Wire the stages together: extract -> normalise -> write. No logic of its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extract import extract_document
from extract.ocr import OcrSettings
from nap.sidecar import load_publication, with_publication
from normalize.plan import Config, build_plan
from publish.folder import write_outputs
from publish.outputs import render_outputs
from schema.models import Limits, Plan


def run(
    pdf: Path,
    out_dir: Path,
    engine: str,
    config: Config,
    password: str | None = None,
    on_page: Callable[[int, int], None] | None = None,
    keep_going: bool = False,
    limits: Limits | None = None,
    ocr: OcrSettings | None = None,
) -> Plan:
    publication = load_publication(pdf)  # the sidecar: what the PDF cannot say of itself
    doc = extract_document(
        pdf, engine, password=password, on_page=on_page, keep_going=keep_going, limits=limits, ocr=ocr
    )
    plan = build_plan(with_publication(doc, publication), config)
    write_outputs(render_outputs(plan, pdf, password), out_dir)
    return plan
