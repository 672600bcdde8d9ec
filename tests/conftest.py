"""Shared fixtures: the test documents (tests/documents/), the shipped plan's gold, pipeline runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import conservation
import pytest
from documents import SHIPPED, Document

import nap.pipeline
from extract import DEFAULT_ENGINE, ENGINES
from nap.pipeline import run
from normalize.plan import Config
from schema.models import Plan

Run = tuple[Path, Plan]  # (output folder, plan)


def document_engines(docs: list[Document]) -> list:
    """Test parameters (document, engine) for every engine each document is scored with."""
    return [pytest.param(d, e, id=f"{d.name}-{e}") for d in docs for e in d.engines or ENGINES]


def documents(docs: list[Document]) -> list:
    return [pytest.param(d, id=d.name) for d in docs]


@pytest.fixture(scope="session")
def gold() -> dict:
    """The shipped plan's gold (tests about one document take it from documents.SHIPPED)."""
    return SHIPPED.load_gold()


@pytest.fixture(scope="session")
def config() -> Config:
    return Config.load()


@pytest.fixture(scope="session")
def typeset_to(tmp_path_factory) -> Path:
    """Where typeset documents are printed, once per session (Document.source)."""
    return tmp_path_factory.mktemp("documents")


@pytest.fixture(scope="session")
def runs(tmp_path_factory, typeset_to, config) -> Callable[[Document, str], Run]:
    """runs(document, engine): one pipeline run of a document with an engine per session."""
    done: dict[tuple[str, str], Run] = {}

    def get(doc: Document, engine: str) -> Run:
        if (doc.name, engine) not in done:
            pdf = doc.source(typeset_to)
            out = tmp_path_factory.mktemp(f"{doc.name}-{engine}") / pdf.stem
            done[doc.name, engine] = out, run(pdf, out, engine, config)
        return done[doc.name, engine]

    return get


@pytest.fixture(scope="session")
def default_run(runs) -> Run:
    """The shipped plan run with the default engine."""
    return runs(SHIPPED, DEFAULT_ENGINE)


@pytest.fixture(scope="module", autouse=True)
def conservation_checked(request):
    """In the round-trip modules every plan the pipeline builds must account for each character
    printed in its table (tests/conservation.py): placed in a value or in a review item."""
    if not request.module.__name__.startswith("test_roundtrip_"):
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(nap.pipeline, "build_plan", conservation.checked(nap.pipeline.build_plan))
        yield


def pytest_terminal_summary(terminalreporter) -> None:
    """The figures the OCR tests measured (character accuracy, agency scores, rows exact)."""
    from accuracy import FIGURES

    if FIGURES:
        terminalreporter.write_sep("-", "OCR figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
