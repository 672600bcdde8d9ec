"""Load the YAML data files that hold layout and registry knowledge."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

DATA = resources.files("normalize") / "data"


def load_yaml(path: Path | None, default: str) -> dict:
    """Read a YAML mapping, from `path` or from the packaged default file."""
    source = Path(path) if path else DATA / default
    with source.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected a YAML mapping")
    return data


@dataclass(frozen=True)
class Layout:
    fields: dict[str, list[str]]
    header_min_fields: int
    header_fuzzy_threshold: float
    role_labels: dict[str, list[str]]
    default_roles: dict[str, str]
    no_agency: list[str]
    note_markers: list[str]
    heading_labels: dict[str, list[str]]
    header_search_rows: int

    @classmethod
    def load(cls, path: Path | None = None) -> Layout:
        d = load_yaml(path, "layout.yaml")
        return cls(
            fields=d["fields"],
            header_min_fields=int(d["header_min_fields"]),
            header_fuzzy_threshold=float(d["header_fuzzy_threshold"]),
            role_labels=d["role_labels"],
            default_roles=d["default_roles"],
            no_agency=[str(x) for x in d["no_agency"]],
            note_markers=[str(x) for x in d["note_markers"]],
            heading_labels=d.get("heading_labels", {}),
            header_search_rows=int(d.get("header_search_rows", 1)),
        )
