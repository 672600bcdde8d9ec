"""Load the YAML data files that hold layout and registry knowledge."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, when built with it
DATA = resources.files("normalize") / "data"


def load_yaml(path: Path | None, default: str) -> dict:
    """Read a YAML mapping, from `path` or from the packaged default file."""
    source = Path(path) if path else DATA / default
    with source.open(encoding="utf-8") as f:
        data = yaml.load(f, Loader=SAFE_LOADER)
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected a YAML mapping")
    return data


def overlay(base: dict, extra: dict) -> dict:
    """A profile over the defaults: lists are extended, mappings merged key by key, scalars replaced."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = overlay(base[key], value)
        elif isinstance(value, list) and isinstance(base.get(key), list):
            out[key] = base[key] + [v for v in value if v not in base[key]]
        else:
            out[key] = value
    return out


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
    required_fields: list[str]
    lead_first_headers: list[str] = field(default_factory=list)
    amount_headers: list[str] = field(default_factory=list)
    no_amount: list[str] = field(default_factory=list)
    currencies: dict[str, list[str]] = field(default_factory=dict)
    amount_column_share: float = 0.5
    note_markers_last: list[str] = field(default_factory=list)  # a qualifier's marker printed last
    column_names: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, profile: Path | None = None) -> Layout:
        """The packaged layout vocabulary, with a profile's additions and overrides if given."""
        d = load_yaml(None, "layout.yaml")
        if profile:
            d = overlay(d, load_yaml(profile, "layout.yaml"))
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
            required_fields=list(d.get("required_fields", ["activity"])),
            lead_first_headers=[str(x) for x in d.get("lead_first_headers", [])],
            amount_headers=[str(x) for x in d.get("amount_headers", [])],
            no_amount=[str(x) for x in d.get("no_amount", [])],
            currencies={str(k): [str(x) for x in v] for k, v in d.get("currencies", {}).items()},
            amount_column_share=float(d.get("amount_column_share", 0.5)),
            note_markers_last=[str(x) for x in d.get("note_markers_last", [])],
            column_names={str(k): [str(x) for x in v] for k, v in (d.get("column_names") or {}).items()},
        )
