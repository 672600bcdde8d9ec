"""Command-line options shared by several `nap` commands."""

from __future__ import annotations

from pathlib import Path

import click

YAML_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)

registry_option = click.option(
    "--registry", type=YAML_FILE, default=None,
    help="Agency registry YAML (default: the packaged registry.yaml).",
)  # fmt: skip
decisions_option = click.option(
    "--decisions", type=YAML_FILE, default=None,
    help="Reviewers' decisions on agency mentions (default: the packaged decisions.yaml).",
)  # fmt: skip
