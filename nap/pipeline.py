"""Wire the stages together: extract -> normalise -> write. No logic of its own."""

from __future__ import annotations

from pathlib import Path

from extract import extract_document
from nap.writers import write_outputs
from normalize.plan import Config, build_plan
from schema.models import Plan


def run(pdf: Path, out_dir: Path, engine: str, config: Config) -> Plan:
    plan = build_plan(extract_document(pdf, engine), config)
    write_outputs(plan, out_dir)
    return plan
