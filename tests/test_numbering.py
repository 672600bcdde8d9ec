"""Numbers that open goal, objective and activity cells: split, depth and parent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalize.numbering import level, parent, split_number

GOLD = json.loads(
    (Path(__file__).parent / "fixtures" / "georgia-nap-2019-2020.gold.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize(
    ("text", "number", "title"),
    [
        ("1.", "1", ""),
        ("1", "1", ""),
        (
            "1. Development of the policy on combating trafficking in persons",
            "1",
            "Development of the policy on combating trafficking in persons",
        ),
        ("1.1 Conducting of the research", "1.1", "Conducting of the research"),
        ("2.1. Raising public awareness", "2.1", "Raising public awareness"),
        ("1.1.2. Elaboration of the annual report", "1.1.2", "Elaboration of the annual report"),
        ("6.1.1Providing the Secretariat", "6.1.1", "Providing the Secretariat"),
        ("4.1.2.Efficient implementation", "4.1.2", "Efficient implementation"),
        ("5.10.1 Capacity building", "5.10.1", "Capacity building"),
        ("  3.2.1   Return of victims ", "3.2.1", "Return of victims"),
    ],
)
def test_split_number(text: str, number: str, title: str) -> None:
    assert split_number(text) == (number, title)


@pytest.mark.parametrize(
    "text",
    [
        "2019-2020 Action Plans",
        "2019 plan",
        "Teaching of TIP",
        "Teaching of TIP at schools and higher educational institutions",
        "",
    ],
)
def test_unnumbered_text_has_no_number(text: str) -> None:
    assert split_number(text) == (None, text.strip())


def test_unnumbered_title_is_stripped() -> None:
    assert split_number("  Teaching of TIP  ") == (None, "Teaching of TIP")


def test_year_inside_a_numbered_title_is_title() -> None:
    assert split_number("2.1.1 Elaboration of the 2019-2020 Action Plans") == (
        "2.1.1",
        "Elaboration of the 2019-2020 Action Plans",
    )


def test_goal_number_before_a_year_title() -> None:
    assert split_number("1. 2019-2020 Action Plans") == ("1", "2019-2020 Action Plans")


@pytest.mark.parametrize(
    ("number", "depth"),
    [("1", 1), ("1.1", 2), ("2.1", 2), ("1.1.2", 3), ("5.10.1", 3), ("6.1.1.4", 4), (None, 0), ("", 0)],
)
def test_level(number: str | None, depth: int) -> None:
    assert level(number) == depth


@pytest.mark.parametrize(
    ("number", "expected"),
    [("1.1.2", "1.1"), ("5.10.1", "5.10"), ("5.10", "5"), ("2.1", "2"), ("1", ""), ("10", "")],
)
def test_parent(number: str, expected: str) -> None:
    assert parent(number) == expected


@pytest.mark.parametrize(
    ("text", "number", "depth", "up"),
    [
        ("1.", "1", 1, ""),
        ("2.1. Raising", "2.1", 2, "2"),
        ("6.1.1Providing the Secretariat", "6.1.1", 3, "6.1"),
        ("5.10.1 Capacity", "5.10.1", 3, "5.10"),
    ],
)
def test_split_then_level_and_parent(text: str, number: str, depth: int, up: str) -> None:
    got, _ = split_number(text)
    assert got == number
    assert level(got) == depth
    assert parent(got) == up


def test_unnumbered_text_has_level_zero() -> None:
    number, _ = split_number("Teaching of TIP")
    assert level(number) == 0


# ---------------------------------------------------------------- the shipped plan

NUMBERED_CELLS = [
    pytest.param(row["cells"][field], row[f"{field}_id"], row[field], id=f"{row['activity_id']}-{field}")
    for row in GOLD["rows"]
    for field in ("goal", "objective", "activity")
    if row["cells"][field]
]


@pytest.mark.parametrize(("text", "number", "title"), NUMBERED_CELLS)
def test_gold_cells_split_into_number_and_title(text: str, number: str, title: str) -> None:
    assert split_number(text) == (number, title)


@pytest.mark.parametrize("row", GOLD["rows"], ids=[r["activity_id"] for r in GOLD["rows"]])
def test_gold_ids_nest(row: dict) -> None:
    assert level(row["goal_id"]) == 1
    assert level(row["objective_id"]) == 2
    assert level(row["activity_id"]) == 3
    assert parent(row["activity_id"]) == row["objective_id"]
    assert parent(row["objective_id"]) == row["goal_id"]
