"""datapackage.json: the Frictionless Data Package (v2) describing the output CSVs.

Resources are the tables of `publish.tables`, each with its size, hash and inline Table Schema;
`provenance` holds the source document, the extraction (with the pages read by OCR, when any
was: `provenance.extraction.ocr`) and the terms (publish.origin).
Pure: a function of the file bytes and the source's origin, no clock.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from publish.ocr_facts import LOW_CONFIDENCE, engine_phrase, ocr_pages, sentence
from publish.origin import Origin
from publish.tables import TABLES, csv_header, file_name, table_schema

DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"


def slug(text: str) -> str:
    """A Data Package name: lower case, `[a-z0-9._-]`, runs of anything else as one `-`."""
    out = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")
    return out or "plan"


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def resource_descriptor(table: str, content: bytes) -> dict[str, Any]:
    """The Data Resource of one CSV, with its size, hash and inline Table Schema."""
    schema = table_schema(table, csv_header(content))
    return {
        "name": table,
        "path": file_name(table),
        "type": "table",
        "title": schema["title"],
        "description": schema["description"],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(content),
        "hash": f"sha256:{sha256_hex(content)}",
        "schema": schema,
    }


def source_entry(origin: Origin) -> dict[str, Any]:
    """The PDF as a Data Package source: its file name and hash, and where it was published (`path`)
    when its sidecar says; never a path in the folder, since the PDF is not in it."""
    src, publication = origin.source, origin.source.publication
    entry: dict[str, Any] = {"title": src.name, "hash": f"sha256:{src.sha256}", "bytes": src.bytes}
    if publication and publication.source_url:
        entry["path"] = publication.source_url
    return entry


def provenance(origin: Origin) -> dict[str, Any]:
    """The source document as read from it, the extraction, the terms and the notice of the copy."""
    src, publication = origin.source, origin.source.publication
    source = {
        "file": src.name,
        "sha256": src.sha256,
        "bytes": src.bytes,
        "pages": src.pages,
        "title": origin.title,
        "title_meta": src.title_meta,
        "producer": src.producer,
        "creator": src.creator,
        "created": src.created,
        "modified": src.modified,
    }
    if publication:
        published = {"published_title": publication.title, "publisher": publication.publisher}
        source |= published | {"url": publication.source_url, "retrieved": publication.retrieved}
    extraction = {
        "tool": "nap",
        "version": origin.version,
        "engine": origin.engine,
        "date": origin.date,
        "dated_by": origin.dated_by,
    }
    if origin.ocr is not None:  # under nap's own `provenance`, which frictionless keeps as it is
        extraction["ocr"] = origin.ocr.model_dump(mode="json")
    out = {
        "source": source,
        "extraction": extraction,
        "licence": origin.licence.model_dump(),
        "notice": publication.notice if publication else None,
    }
    return json.loads(json.dumps(without_empty(out), default=str))


def without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_empty(v) for k, v in value.items() if v is not None}
    return value


def ocr_note(origin: Origin) -> str:
    """The description's sentence on the pages read by OCR; empty when none was."""
    if origin.ocr is None:
        return ""
    pages = sentence(ocr_pages(origin.ocr))
    return (
        f" {pages} {'was' if len(origin.ocr.pages) == 1 else 'were'} read by OCR "
        f"({engine_phrase(origin.ocr)}): see `provenance.extraction.ocr`, and the `{LOW_CONFIDENCE}` "
        "rows of review.csv for the values holding words it was unsure of."
    )


RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})")


def datapackage_dict(files: dict[str, bytes], origin: Origin) -> dict[str, Any]:
    missing = [file_name(t) for t in TABLES if file_name(t) not in files]
    if missing:
        raise ValueError(f"cannot describe the package: no {', '.join(missing)}")
    source_name = origin.source.name
    stem = source_name.rsplit("/", 1)[-1]
    stem = stem[: -len(".pdf")] if stem.lower().endswith(".pdf") else stem
    package = {
        "$schema": DATAPACKAGE_PROFILE,
        "name": slug(stem),
        "title": origin.title,
        "description": (
            f"The action-plan table of {source_name}, extracted by nap: activities, the agencies "
            "responsible for them (resolved against a registry), indicators, and every repair made. "
            "The README.md beside this file is the codebook; `provenance` says where the data comes "
            "from and on what terms." + ocr_note(origin)
        ),
        "resources": [resource_descriptor(t, files[file_name(t)]) for t in TABLES],
        "sources": [source_entry(origin)],
        "provenance": provenance(origin),
    }
    licence = origin.licence
    if licence.name or licence.path:  # a Data Package licence needs a name or a path
        package["licenses"] = [without_empty(licence.model_dump())]
    if origin.date and RFC3339.fullmatch(origin.date):
        package["created"] = origin.date
    return package


def datapackage_json(files: dict[str, bytes], origin: Origin) -> str:
    """datapackage.json (Data Package v2) describing the CSVs of `files` (name -> bytes) and where
    they come from (`origin`).

    Deterministic: keys sorted, 2-space indent, no clock (the date is SOURCE_DATE_EPOCH's or the
    PDF's own, publish.origin); ends with a newline.
    """
    package = datapackage_dict(files, origin)
    return json.dumps(package, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
