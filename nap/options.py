"""Command-line options shared by several `nap` commands."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import click

from schema.models import Limits

YAML_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)

registry_option = click.option(
    "--registry", type=YAML_FILE, default=None,
    help="Agency registry YAML (default: the packaged registry.yaml).",
)  # fmt: skip
decisions_option = click.option(
    "--decisions", type=YAML_FILE, default=None,
    help="Reviewers' decisions on agency mentions (default: the packaged decisions.yaml).",
)  # fmt: skip


def _limit(flag: str, field: str, kind: click.ParamType, metavar: str, unit: str = ""):
    default = Limits.model_fields[field].default
    what = Limits.model_fields[field].description + (f", in {unit}" if unit else "")
    return click.option(
        flag, field, type=kind, default=default, metavar=metavar,
        help=f"Limit on the {what} (default {default:g}): a PDF past it is refused; raise it for a "
        "trusted file.",
    )  # fmt: skip


_POSITIVE = click.FloatRange(min=0, min_open=True)
_LIMITS = (
    _limit("--max-page-content", "max_page_content_mb", _POSITIVE, "MB", "MB"),
    _limit("--max-content", "max_content_mb", _POSITIVE, "MB", "MB"),
    _limit("--max-paths", "max_paths", click.IntRange(min=1), "N"),
    _limit("--max-page-size", "max_page_size", _POSITIVE, "PT", "points"),
)


def limits_options(command: Callable) -> Callable:
    """The four resource-limit options (`schema.models.Limits`), given to `command` as `limits`."""

    @functools.wraps(command)
    def with_limits(*args, **kwargs):
        fields = {name: kwargs.pop(name) for name in Limits.model_fields}
        return command(*args, limits=Limits(**fields), **kwargs)

    for option in reversed(_LIMITS):
        with_limits = option(with_limits)
    return with_limits
