"""datapackage.json: the Frictionless Data Package (v2) describing the output CSVs.

Resources are the tables of `publish.tables`, each with its size, hash and inline Table Schema.
Pure: a function of the file bytes and the source's identity, no clock.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

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


def datapackage_dict(
    files: dict[str, bytes], source_name: str, source_sha256: str, source_bytes: int, title: str
) -> dict[str, Any]:
    missing = [file_name(t) for t in TABLES if file_name(t) not in files]
    if missing:
        raise ValueError(f"cannot describe the package: no {', '.join(missing)}")
    stem = source_name.rsplit("/", 1)[-1]
    stem = stem[: -len(".pdf")] if stem.lower().endswith(".pdf") else stem
    return {
        "$schema": DATAPACKAGE_PROFILE,
        "name": slug(stem),
        "title": title,
        "description": (
            f"The action-plan table of {source_name}, extracted by nap: activities, the agencies "
            "responsible for them (resolved against a registry), indicators, and every repair made. "
            "The README.md beside this file is the codebook."
        ),
        "resources": [resource_descriptor(t, files[file_name(t)]) for t in TABLES],
        "sources": [
            {
                "title": source_name,
                "path": source_name,
                "hash": f"sha256:{source_sha256}",
                "bytes": source_bytes,
            }
        ],
    }


def datapackage_json(
    files: dict[str, bytes], source_name: str, source_sha256: str, source_bytes: int, title: str
) -> str:
    """datapackage.json (Data Package v2) describing the five CSVs of `files` (name -> bytes).

    Deterministic: keys sorted, 2-space indent, no timestamps; ends with a newline.
    """
    package = datapackage_dict(files, source_name, source_sha256, source_bytes, title)
    return json.dumps(package, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def package_title(preamble: list[str], stem: str) -> str:
    """A title for the package: the first preamble line naming a plan, else the PDF stem."""
    return next((line.strip() for line in preamble if re.search(r"\bplan\b", line, re.I)), stem)
