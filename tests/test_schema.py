"""The committed JSON Schema files are exactly what the models export."""

from __future__ import annotations

import pytest

from schema import export


@pytest.mark.parametrize("name", sorted(export.SCHEMAS))
def test_committed_schema_matches_models(name):
    committed = (export.HERE / name).read_text(encoding="utf-8")
    assert committed == export.render(export.SCHEMAS[name]), f"schema/{name} is stale: run `make schema`"
