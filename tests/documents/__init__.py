"""The test documents: one folder per plan under tests/documents/, the one place their paths are built.

    from documents import DOCUMENTS, SHIPPED, document

A folder `tests/documents/<name>/` holds what the tests know of one plan (README.md beside this
file): its PDF (`<name>.pdf`, or `pdf:` in `document.yaml`, or `typeset:` to print it from another
document's gold), its gold (`gold.json`), its verified agency ids (`agency-ids.yaml`) and where its
expected outputs are (`expected:`). Paths in document.yaml are relative to the repository root.

This module imports nothing of nap's and only PyYAML beside the standard library, so that
bench/bench.py can use it too; typesetting imports tests/typeset/ when asked to.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SPEC = "document.yaml"
GOLD = "gold.json"
AGENCY_IDS = "agency-ids.yaml"
KEYS = {"pdf", "typeset", "expected", "engines", "known_problems"}
FONT_KEYS = ("font_path", "bold_font_path")  # style keys naming a font file


@dataclass(frozen=True)
class Typeset:
    """How to print a document: the rows and preamble of another document's gold, in a Style."""

    printed_from: str  # the document whose gold is printed
    style: dict[str, Any]


@dataclass(frozen=True)
class Document:
    """One test document: where its PDF comes from and what it must give."""

    name: str
    folder: Path
    pdf: Path | None  # a PDF kept in the repository; None for a typeset document
    typeset: Typeset | None
    gold: Path | None
    agency_ids: Path | None
    expected: Path | None  # the committed output folder the pipeline must reproduce
    engines: tuple[str, ...] | None  # the engines to score it with; None: every engine
    # gold problems the pipeline is known to have on it ("2.2.2 indicators"), each with the reason:
    # left out of the exact checks, and a test fails once one no longer occurs (so it is removed)
    known_problems: tuple[tuple[str, str], ...] = ()

    def unknown(self, problems: list[str]) -> list[str]:
        """The problems that are not known ones."""
        return [p for p in problems if not any(p.startswith(k) for k, _ in self.known_problems)]

    def source(self, folder: Path) -> Path:
        """The PDF to run: the stored one, or this document typeset into `folder` (once)."""
        if self.pdf is not None:
            return self.pdf
        path = folder / f"{self.name}.pdf"
        if not path.exists():
            typeset_document(self, path)
        return path

    def load_gold(self) -> dict:
        if self.gold is None:
            raise ValueError(f"{self.name} has no gold")
        return load_json(self.gold)

    def load_agency_ids(self) -> dict[str, list[str]]:
        if self.agency_ids is None:
            raise ValueError(f"{self.name} has no verified agency ids")
        return load_yaml(self.agency_ids)


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _in_repo(value: str | None, where: str, key: str) -> Path | None:
    """A path of document.yaml (relative to the repository root), which must exist."""
    if value is None:
        return None
    path = ROOT / value
    if not path.exists():
        raise FileNotFoundError(f"{where}: {key}: {value} does not exist")
    return path


def _own(folder: Path, filename: str) -> Path | None:
    path = folder / filename
    return path if path.exists() else None


def _typeset(spec: dict, where: str, base: Path) -> Typeset | None:
    """The `typeset:` of document.yaml; the document it prints from must have a gold."""
    printed = spec.get("typeset")
    if not printed:
        return None
    if not (base / printed["from"] / GOLD).exists():
        raise ValueError(f"{where}: typeset: from: {printed['from']} has no {GOLD}")
    return Typeset(printed["from"], printed.get("style") or {})


def _read(folder: Path) -> Document:
    name, where = folder.name, f"tests/documents/{folder.name}/{SPEC}"
    spec = (load_yaml(folder / SPEC) if (folder / SPEC).exists() else None) or {}
    if set(spec) - KEYS:
        raise ValueError(f"{where}: unknown keys {sorted(set(spec) - KEYS)}")
    pdf = _in_repo(spec.get("pdf"), where, "pdf") or _own(folder, f"{name}.pdf")
    if (pdf is None) == (not spec.get("typeset")):
        raise ValueError(f"{where}: give one of a PDF ({name}.pdf in the folder, or pdf:) or typeset:")
    typeset = _typeset(spec, where, folder.parent)
    origin = folder.parent / typeset.printed_from if typeset else folder
    engines = spec.get("engines")
    return Document(
        name=name,
        folder=folder,
        pdf=pdf,
        typeset=typeset,
        gold=_own(origin, GOLD),
        agency_ids=_own(origin, AGENCY_IDS),
        expected=_in_repo(spec.get("expected"), where, "expected"),
        engines=tuple(engines) if engines else None,
        known_problems=tuple((k["problem"], k["because"]) for k in spec.get("known_problems") or []),
    )


def discover(base: Path = HERE) -> list[Document]:
    """Every document folder under `base`, by name."""
    return [_read(f) for f in sorted(base.iterdir()) if f.is_dir() and not f.name.startswith(("_", "."))]


def document(name: str) -> Document:
    return _read(HERE / name)


def font_file(value: str) -> str:
    """A font file of a style: "<package>:<path>" inside an installed package's folder (e.g.
    "matplotlib:mpl-data/fonts/ttf/DejaVuSans.ttf"), else a path relative to the repository root."""
    package, sep, inside = value.partition(":")
    if sep and package.isidentifier():
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError(f"font {value}: package {package} is not installed")
        path = Path(next(iter(spec.submodule_search_locations))) / inside
    else:
        path = ROOT / value
    if not path.is_file():
        raise FileNotFoundError(f"font {value}: {path} does not exist")
    return str(path)


def typeset_style(doc: Document):
    """The typeset.Style of a typeset document, with its gold's preamble and its font files found."""
    from typeset import Style
    from typeset.gold import gold_preamble

    style = dict(doc.typeset.style)
    if "columns" in style:
        style["columns"] = [tuple(c) for c in style["columns"]]
    style.update({k: font_file(style[k]) for k in FONT_KEYS if style.get(k)})
    return dataclasses.replace(Style(**style), preamble=gold_preamble(doc.load_gold()))


def typeset_document(doc: Document, path: Path) -> Path:
    """Print the rows and preamble of the source document's gold in the document's style at `path`."""
    from typeset import typeset
    from typeset.gold import gold_rows

    return typeset(gold_rows(doc.load_gold()), typeset_style(doc), path)


DOCUMENTS = discover()
SHIPPED = document("georgia-nap-2019-2020")
