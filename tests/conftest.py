"""Shared fixtures: the shipped PDF, its gold, and one pipeline run per engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import DEFAULT_ENGINE
from nap.pipeline import run
from normalize.plan import Config

ROOT = Path(__file__).resolve().parent.parent
PDF = ROOT / "data" / "raw" / "georgia-nap-2019-2020.pdf"
GOLD = ROOT / "tests" / "fixtures" / "georgia-nap-2019-2020.gold.json"
AGENCY_IDS = ROOT / "tests" / "fixtures" / "georgia-nap-2019-2020.agency-ids.yaml"
COMMITTED = ROOT / "data" / "clean" / PDF.stem


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def config() -> Config:
    return Config.load()


@pytest.fixture(scope="session", params=["pdfium", "pdfplumber", "camelot"])
def engine_run(request, tmp_path_factory, config):
    """(engine, output folder, plan) for a full run of the shipped PDF."""
    out = tmp_path_factory.mktemp(request.param) / PDF.stem
    plan = run(PDF, out, request.param, config)
    return request.param, out, plan


@pytest.fixture(scope="session")
def default_run(tmp_path_factory, config):
    out = tmp_path_factory.mktemp("default") / PDF.stem
    plan = run(PDF, out, DEFAULT_ENGINE, config)
    return out, plan
