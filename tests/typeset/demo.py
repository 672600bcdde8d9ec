"""Write variants of the gold plan as PDFs: python -m typeset.demo OUT_DIR (from the repo root,
with PYTHONPATH=tests)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

from . import Row, Style, typeset
from .gold import gold_preamble, gold_rows

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "fixtures" / "georgia-nap-2019-2020.gold.json"

FUNDING = ["State budget", "Donor funding", "State budget; international donors", "Within existing budget"]
SECTION_LABELS = {"goal_label": "Strategic Goal {id}: {title}", "objective_label": "Objective {id}: {title}"}
LABELLED = ("goal", "objective", "activity")  # cells whose printed text can come from the Style's labels
RENAMED = [
    ("activity", "Activity"),
    ("responsible", "Implementing Agency"),
    ("partner", "Partners"),
    ("indicator", "Performance Indicator"),
    ("timeline", "Timeframe"),
    ("source_of_funding", "Source of Funding"),
]


def with_funding(rows: list[Row]) -> list[Row]:
    """The rows with an extra "source_of_funding" cell of short deterministic text."""
    return [
        dataclasses.replace(r, cells={**r.cells, "source_of_funding": FUNDING[i % len(FUNDING)]})
        for i, r in enumerate(rows)
    ]


def variants(gold: dict) -> dict[str, tuple[list[Row], Style]]:
    rows, preamble = gold_rows(gold), gold_preamble(gold)
    number_cols = [("number", "No.")] + [c for c in Style().columns if c[0] not in ("goal", "objective")]
    return {
        # the shipped look
        "shipped-reportlab": (rows, Style(preamble=preamble)),
        # the same look from the other producer (Vera is wider than Times: widen the timeline column)
        "shipped-fpdf2": (rows, Style(producer="fpdf2", preamble=preamble, widths={"timeline": 66})),
        # portrait US Letter, section rows, a number column, repeated header, rect borders, open breaks
        "sections-letter-fpdf2": (
            rows,
            Style(
                producer="fpdf2",
                page_size="Letter",
                landscape=False,
                font="sans",
                font_size=8,
                structure="sections",
                columns=number_cols,
                header_repeat=True,
                borders="rects",
                open_breaks=True,
                preamble=preamble,
                **SECTION_LABELS,
            ),
        ),
        # renamed and reordered headers with an extra column
        "renamed-funding-reportlab": (
            with_funding(rows),
            Style(
                font="sans",
                font_size=9,
                structure="sections",
                columns=RENAMED,
                widths={"activity": 170, "source_of_funding": 70},
                header_repeat=True,
                **SECTION_LABELS,
            ),
        ),
        # merged cells continuing across pages with open breaks, rect borders, Letter landscape
        "merged-open-letter-reportlab": (
            rows,
            Style(
                page_size="Letter",
                font="sans",
                font_size=9,
                header_repeat=True,
                borders="rects",
                open_breaks=True,
                margins=36,
            ),
        ),
        # merged goal/objective plus a number column, portrait A4, labels built from ids and titles
        "merged-number-portrait-fpdf2": (
            [
                dataclasses.replace(r, cells={k: v for k, v in r.cells.items() if k not in LABELLED})
                for r in rows
            ],
            Style(
                producer="fpdf2",
                landscape=False,
                font_size=7.5,
                columns=[
                    ("goal", "Goal"),
                    ("objective", "Objective"),
                    ("number", "#"),
                    ("activity", "Activity"),
                    ("responsible", "Responsible"),
                    ("indicator", "Indicators"),
                    ("timeline", "Timeline"),
                ],
                widths={"number": 44, "timeline": 66},
                open_breaks=True,
                margins=30,
            ),
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, help="folder for the PDFs")
    args = parser.parse_args()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (rows, style) in variants(gold).items():
        start = time.perf_counter()
        path = typeset(rows, style, args.out / f"{name}.pdf")
        print(f"{path}  {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
