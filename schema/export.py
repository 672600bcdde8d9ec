"""Export the models' JSON Schema into schema/: `python -m schema.export` (or `make schema`).

The exported files document the data contract for people and other tools; a test fails when
they drift from the models.
"""

from __future__ import annotations

import json
from pathlib import Path

from schema.models import ExtractedDocument, Plan

HERE = Path(__file__).parent
SCHEMAS = {"plan.schema.json": Plan, "extracted.schema.json": ExtractedDocument}


def render(model: type) -> str:
    return json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    for name, model in SCHEMAS.items():
        (HERE / name).write_text(render(model), encoding="utf-8")
        print(f"wrote schema/{name}")


if __name__ == "__main__":
    main()
