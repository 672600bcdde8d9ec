"""The shipped plan numbered as other governments number their plans: the same rows come out.

The gold rows are relabelled in several numbering styles (lettered and roman goals, Albania's
"STRATEGIC AIM 2:" / "SPECIFIC OBJECTIVE (a):" / "(i)", "Measure 1.1.1", Romania's "A." / "A.1." /
"3.", activities "1)" restarting in every objective), typeset by reportlab and fpdf2 as merged
columns or section rows, and extracted with no profile. The expected ids are built here from the
printed parts ("A.1.1", "2.a.i"); every other field must equal the gold.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from goldcheck import gold_problems, read_csv
from test_roundtrip_gold import BODY
from typeset import Row, Style, typeset
from typeset.gold import gold_rows

from nap.pipeline import run
from publish.validate import validate_folder

ROMAN = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv"]


def digit(n: int) -> str:
    return str(n)


def upper(n: int) -> str:
    return chr(ord("A") + n - 1)


def lower(n: int) -> str:
    return chr(ord("a") + n - 1)


def roman(n: int) -> str:
    return ROMAN[n].upper()


def small_roman(n: int) -> str:
    return ROMAN[n]


@dataclass(frozen=True)
class Numbering:
    """How each level's part is written, and whether a level prints the whole id or its own part."""

    parts: tuple[Callable[[int], str], Callable[[int], str], Callable[[int], str]]
    own: tuple[bool, bool]  # objective, activity: print only the level's own part ("(a)", "1)")
    goal_label: str
    objective_label: str
    activity_label: str = "{id} {title}"
    number_label: str = "{id}"

    def ids(self, gold_id: str) -> tuple[list[str], list[str]]:
        """(printed ids, full ids) of goal, objective and activity, from a gold activity id "5.10.3"."""
        written = [f(int(n)) for f, n in zip(self.parts, gold_id.split("."), strict=True)]
        full = [".".join(written[: i + 1]) for i in range(3)]
        printed = [
            full[0],
            *(w if own else f for w, f, own in zip(written[1:], full[1:], self.own, strict=True)),
        ]
        return printed, full


STYLES = {
    "lettered": Numbering((upper, digit, digit), (False, False), "{id}. {title}", "{id} {title}"),
    "roman": Numbering(
        (roman, digit, digit), (False, False), "{id}. {title}", "{id}. {title}", "{id}. {title}"
    ),
    "albania": Numbering(
        (digit, lower, small_roman),
        (True, True),
        "STRATEGIC AIM {id}: {title}",
        "SPECIFIC OBJECTIVE ({id}): {title}",
        "({id}) {title}",
        "({id})",
    ),
    "measure": Numbering(
        (digit, digit, digit),
        (False, False),
        "Strategic Goal {id}: {title}",
        "Specific Objective {id}: {title}",
        "Measure {id} {title}",
    ),
    "restarting": Numbering(
        (digit, digit, digit), (False, True), "{id}. {title}", "{id} {title}", "{id}) {title}", "{id})"
    ),
    "romania": Numbering(
        (upper, digit, digit), (False, True), "{id}. {title}", "{id}. {title}", "{id}. {title}"
    ),
}

MERGED = [("goal", "Strategic Goal"), ("objective", "Objective"), *BODY]
NUMBER_COLUMN = [("number", "No."), *BODY]

# (numbering, producer, structure, columns)
CASES = {
    "lettered-merged-reportlab": ("lettered", "reportlab", "merged", MERGED),
    "lettered-sections-fpdf2": ("lettered", "fpdf2", "sections", BODY),
    "roman-sections-reportlab": ("roman", "reportlab", "sections", BODY),
    "roman-merged-fpdf2": ("roman", "fpdf2", "merged", MERGED),
    "albania-sections-reportlab": ("albania", "reportlab", "sections", BODY),
    "albania-merged-fpdf2": ("albania", "fpdf2", "merged", MERGED),
    "albania-number-column-fpdf2": ("albania", "fpdf2", "sections", NUMBER_COLUMN),
    "measure-merged-reportlab": ("measure", "reportlab", "merged", MERGED),
    "measure-sections-fpdf2": ("measure", "fpdf2", "sections", BODY),
    "restarting-merged-fpdf2": ("restarting", "fpdf2", "merged", MERGED),
    "restarting-sections-reportlab": ("restarting", "reportlab", "sections", BODY),
    "restarting-number-column-reportlab": ("restarting", "reportlab", "sections", NUMBER_COLUMN),
    "romania-sections-fpdf2": ("romania", "fpdf2", "sections", BODY),
    "romania-merged-reportlab": ("romania", "reportlab", "merged", MERGED),
}


def relabelled(rows: list[Row], numbering: Numbering) -> list[Row]:
    """The gold rows with their printed ids rewritten; goal, objective and activity cells printed
    from the ids and titles by the Style's labels."""
    out = []
    for r in rows:
        (goal, objective, activity), _ = numbering.ids(r.activity_id)
        cells = {k: v for k, v in r.cells.items() if k not in ("goal", "objective", "activity")}
        out.append(
            dataclasses.replace(r, goal_id=goal, objective_id=objective, activity_id=activity, cells=cells)
        )
    return out


def renumbered_gold(gold: dict, numbering: Numbering) -> dict:
    """The gold with its ids replaced by the full ids the style's printed parts make."""
    out = copy.deepcopy(gold)
    for row in out["rows"]:
        _, (row["goal_id"], row["objective_id"], row["activity_id"]) = numbering.ids(row["activity_id"])
    return out


def test_ids_are_built_from_the_printed_parts():
    """The expected ids themselves, for one activity: aim 5, objective (j), activity (iv)."""
    assert STYLES["albania"].ids("5.10.4") == (["5", "j", "iv"], ["5", "5.j", "5.j.iv"])
    assert STYLES["romania"].ids("1.2.3") == (["A", "A.2", "3"], ["A", "A.2", "A.2.3"])
    assert STYLES["roman"].ids("4.1.9") == (["IV", "IV.1", "IV.1.9"], ["IV", "IV.1", "IV.1.9"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_numbering_style_comes_out_as_the_gold(name, gold, config, tmp_path):
    style_name, producer, structure, columns = CASES[name]
    numbering = STYLES[style_name]
    style = Style(
        producer=producer,
        structure=structure,
        columns=columns,
        font_size=9,
        widths={"timeline": 66},
        goal_label=numbering.goal_label,
        objective_label=numbering.objective_label,
        activity_label=numbering.activity_label,
        number_label=numbering.number_label,
    )
    pdf = typeset(relabelled(gold_rows(gold), numbering), style, tmp_path / f"{name}.pdf")
    run(pdf, tmp_path / "out", "pdfplumber", config)
    problems = gold_problems(tmp_path / "out", renumbered_gold(gold, numbering))
    assert not problems, f"{name}:\n" + "\n".join(problems[:20])
    kinds = {r["kind"] for r in read_csv(tmp_path / "out" / "review.csv")}
    assert not kinds & {"duplicate_number", "numbering_mismatch", "unrecognised_row", "orphan_row"}
    assert validate_folder(tmp_path / "out") == []  # lettered and roman ids fit the package's id pattern
