"""Numbers that open goal, objective and activity cells: split, depth and parent."""

from __future__ import annotations

import pytest
from documents import SHIPPED
from helpers import page_table, row
from hypothesis import given
from hypothesis import strategies as st

from normalize.config import Layout
from normalize.numbering import (
    gaps,
    level,
    ordinal,
    parent,
    parse_number,
    resolve,
    split_activity,
    split_heading,
    split_number,
)
from normalize.plan import Config, build_plan, numbering_gaps
from normalize.rows import Assembly, assemble, is_outline_number
from schema.models import ExtractedDocument, SourceInfo

GOLD = SHIPPED.load_gold()


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


# ---------------------------------------------------------------- other numbering styles

LABELS = Layout.load().heading_labels


@pytest.mark.parametrize(
    ("text", "field", "number", "title"),
    [
        # Albania 2005-2007
        ("STRATEGIC AIM 2: Prevention of trafficking", "goal", "2", "Prevention of trafficking"),
        ("SPECIFIC OBJECTIVE (a): Awareness raising", "objective", "a", "Awareness raising"),
        ("(i) Public information campaigns", None, "i", "Public information campaigns"),
        ("(ii) Training of teachers", None, "ii", "Training of teachers"),
        # Romania 2006
        ("A. Prevention", None, "A", "Prevention"),
        ("A.1. Reducing vulnerability", None, "A.1", "Reducing vulnerability"),
        ("3. Information campaigns in schools", None, "3", "Information campaigns in schools"),
        # Romania 2018-2020
        ("General Objective 1: Prevention", "goal", "1", "Prevention"),
        ("Specific Objective 1.1: Informing the public", "objective", "1.1", "Informing the public"),
        # Ukraine: tasks and measures
        ("1. Preventing trafficking", None, "1", "Preventing trafficking"),
        ("2) Conducting information campaigns", None, "2", "Conducting information campaigns"),
        # roman
        ("I. Prevention", None, "I", "Prevention"),
        ("II. Protection", None, "II", "Protection"),
        ("I.1 Public awareness", None, "I.1", "Public awareness"),
        ("I.1.1 Training", None, "I.1.1", "Training"),
        ("IV.2.10. Monitoring", None, "IV.2.10", "Monitoring"),
        # labels, any case
        ("strategic aim 3 - Protection", "goal", "3", "Protection"),
        ("Goal A: Prevention", "goal", "A", "Prevention"),
        ("Measure 1.1.1 Conducting a survey", "activity", "1.1.1", "Conducting a survey"),
        ("Activity 1.1.1: Conducting a survey", "activity", "1.1.1", "Conducting a survey"),
        ("Action 2.3.1 Drafting amendments", "activity", "2.3.1", "Drafting amendments"),
    ],
)
def test_numbering_styles_split_into_label_number_and_title(text, field, number, title) -> None:
    assert split_heading(text, LABELS) == (field, number, title)


@pytest.mark.parametrize(
    "text",
    [
        "A campaign for schools",
        "I will report",
        "In 2019 the council",
        "2019 Annual report",
        "2019. Annual report",
        "U.S. Embassy grants",
        "e.g. shelters",
        "(IOM) and partners",
        "Action plan for 2019",
        "Measure 2019 budget",
        "Goals matter",
        "X-ray scanners at the border",
    ],
)
def test_words_and_years_that_open_a_title_are_not_numbers(text: str) -> None:
    assert split_heading(text, LABELS) == (None, None, text)
    assert split_activity(text, LABELS) == (None, text)


def test_activity_title_drops_its_label_and_number() -> None:
    assert split_activity("Measure 1.1.1 Conducting a survey", LABELS) == ("1.1.1", "Conducting a survey")
    assert split_activity("(iii) In case of necessity", LABELS) == ("iii", "In case of necessity")
    assert split_activity("1) Hotline", LABELS) == ("1", "Hotline")


@pytest.mark.parametrize(
    ("part", "previous", "value"),
    [
        ("I", None, 1),  # first of its sequence: roman one ("I.", "II.")
        ("I", "H", 9),  # after H: the ninth letter
        ("i", "h", 9),
        ("V", "U", 22),
        ("V", "IV", 5),
        ("X", "IX", 10),
        ("x", "w", 24),
        ("C", "B", 3),
        ("ii", "i", 2),
        ("a", None, 1),
        ("12", "11", 12),
    ],
)
def test_roman_or_letter_is_decided_by_the_sequence(part, previous, value) -> None:
    assert ordinal(part, previous) == value


@given(st.integers(1, 39), st.booleans())
def test_roman_numerals_round_trip(n: int, small: bool) -> None:
    text = to_roman(n).lower() if small else to_roman(n)
    printed, title = parse_number(f"{text}. Title")
    assert (printed.number, title) == (text, "Title")
    previous = (to_roman(n - 1).lower() if small else to_roman(n - 1)) if n > 1 else None
    assert ordinal(printed.parts[0], previous) == n


@given(st.integers(1, 26), st.sampled_from(["{}.", "({})", "{})"]), st.booleans())
def test_letters_in_sequence_round_trip(n: int, shape: str, small: bool) -> None:
    letter = chr((ord("a") if small else ord("A")) + n - 1)
    printed, title = parse_number(shape.format(letter) + " Title")
    assert (printed.number, title) == (letter, "Title")
    previous = chr(ord(letter) - 1) if n > 1 else None
    assert ordinal(letter, previous) == n


@given(st.lists(st.lists(st.integers(1, 12), min_size=1, max_size=5), min_size=1, max_size=5))
def test_relative_ids_are_unique_and_nest_under_their_parent(tree: list[list[int]]) -> None:
    """Numbering restarting in every section ("(a)", "(i)") never repeats an id."""
    ids = []
    for g, objectives in enumerate(tree, 1):
        for o, count in enumerate(objectives, 1):
            objective = resolve(chr(ord("a") + o - 1), str(g))
            assert parent(objective) == str(g)
            for a in range(1, count + 1):
                activity = resolve(to_roman(a).lower(), objective)
                assert parent(activity) == objective and level(activity) == 3
                ids.append(activity)
    assert len(ids) == len(set(ids))


def test_absolute_numbers_are_not_resolved_again() -> None:
    assert resolve("A.1.3", "A.1") == "A.1.3"
    assert resolve("3", "A.1") == "A.1.3"
    assert resolve("1", None) == "1"


def to_roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


# ---------------------------------------------------------------- in the assembled table

FIVE = ["Activity", "Responsible Agency", "Partners", "Performance Indicator", "Timeframe"]


def section(page: int, index: int, text: str) -> list:
    return [
        c.model_copy(update={"col_span": 5, "bbox": c.bbox.model_copy(update={"x1": 615.2})})
        for c in row(page, index, {0: text})
    ]


def activity(page: int, index: int, text: str) -> list:
    return row(page, index, {0: text, 1: "Ministry of Justice", 3: "Number of trainings", 4: "2019"})


def assembled(*rows_: list) -> tuple[Assembly, list[tuple[str, str, str]]]:
    """The assembly of one page, and (id, goal id, objective id) of each activity."""
    asm = assemble([page_table(1, [c for r in rows_ for c in r])], Layout.load())
    return asm, [(a.number, a.goal.number if a.goal else "", a.objective.number if a.objective else "")
                 for a in asm.activities]  # fmt: skip


def test_albania_aims_objectives_and_activities_nest() -> None:
    asm, got = assembled(
        row(1, 0, dict(enumerate(FIVE))),
        section(1, 1, "STRATEGIC AIM 2: Prevention of trafficking"),
        section(1, 2, "SPECIFIC OBJECTIVE (a): Awareness raising"),
        activity(1, 3, "(i) Public information campaigns"),
        activity(1, 4, "(ii) Training of teachers"),
        section(1, 5, "SPECIFIC OBJECTIVE (b): Reducing vulnerability"),
        activity(1, 6, "(i) Vocational training"),
    )
    assert got == [("2.a.i", "2", "2.a"), ("2.a.ii", "2", "2.a"), ("2.b.i", "2", "2.b")]
    assert asm.review == []


def test_romania_2006_sections_with_activities_numbered_in_the_objective() -> None:
    asm, got = assembled(
        row(1, 0, dict(enumerate(FIVE))),
        section(1, 1, "A. Prevention"),
        section(1, 2, "A.1. Reducing vulnerability"),
        activity(1, 3, "1. Information campaigns"),
        activity(1, 4, "2. Training"),
        section(1, 5, "A.2. Awareness"),
        activity(1, 6, "1. School lessons"),
        section(1, 7, "B. Protection"),
        section(1, 8, "B.1. Assistance"),
        activity(1, 9, "1. Shelters"),
    )
    assert got == [("A.1.1", "A", "A.1"), ("A.1.2", "A", "A.1"), ("A.2.1", "A", "A.2"), ("B.1.1", "B", "B.1")]
    assert asm.review == []


def test_ukraine_tasks_and_measures() -> None:
    """Task "1." and measure "2)" make 1.2; measures restart under task 2 without duplicates."""
    asm, got = assembled(
        row(1, 0, dict(enumerate(FIVE))),
        section(1, 1, "1. Preventing trafficking"),
        activity(1, 2, "1) Information campaigns"),
        activity(1, 3, "2) Hotline"),
        section(1, 4, "2. Protecting victims"),
        activity(1, 5, "1) Shelters"),
    )
    assert got == [("1.1", "1", ""), ("1.2", "1", ""), ("2.1", "2", "")]
    assert asm.review == []


def test_lettered_goals_reach_i_and_roman_goals_reach_v() -> None:
    letters = "ABCDEFGHIJ"
    rows_ = [row(1, 0, dict(enumerate(FIVE)))]
    for i, letter in enumerate(letters):
        rows_ += [section(1, 1 + 2 * i, f"{letter}. Goal"), activity(1, 2 + 2 * i, f"{letter}.1 Activity")]
    asm, got = assembled(*rows_)
    assert [g.number for g in asm.goals] == list(letters)
    romans = ["I", "II", "III", "IV", "V", "VI"]
    rows_ = [row(1, 0, dict(enumerate(FIVE)))]
    for i, r in enumerate(romans):
        rows_ += [section(1, 1 + 2 * i, f"{r}. Goal"), activity(1, 2 + 2 * i, f"{r}.1 Activity")]
    asm, got = assembled(*rows_)
    assert [g.number for g in asm.goals] == romans
    assert [a for a, _, _ in got] == [f"{r}.1" for r in romans]


def test_a_lettered_objective_section_opens_under_a_numbered_goal() -> None:
    asm, got = assembled(
        row(1, 0, dict(enumerate(FIVE))),
        section(1, 1, "2. Prevention"),
        section(1, 2, "a) Awareness"),
        activity(1, 3, "1. Campaigns"),
        section(1, 4, "b) Education"),
        activity(1, 5, "1. Lessons"),
        section(1, 6, "3. Protection"),
    )
    assert [o.number for o in asm.objectives] == ["2.a", "2.b"]
    assert [g.number for g in asm.goals] == ["2", "3"]
    assert got == [("2.a.1", "2", "2.a"), ("2.b.1", "2", "2.b")]


def test_a_line_starting_with_a_number_out_of_sequence_continues_the_activity() -> None:
    """Under activity 1.1.1 (absolute), a row whose text starts "2." is no relative activity 2."""
    asm, got = assembled(
        row(1, 0, dict(enumerate(FIVE))),
        section(1, 1, "Goal 1: Prevention"),
        section(1, 2, "Objective 1.1: Research"),
        activity(1, 3, "1.1.1 Studying the trends of TIP in"),
        row(1, 4, {0: "2. the regions"}),
    )
    assert got == [("1.1.1", "1", "1.1")]
    assert [r.kind for r in asm.review] == ["unnumbered_row_merged"]


def test_a_relative_number_printed_twice_under_one_parent_is_kept_twice() -> None:
    rows_ = [
        row(1, 0, dict(enumerate(FIVE))),
        section(1, 1, "A. Prevention"),
        section(1, 2, "A.1. Awareness"),
        activity(1, 3, "1. Campaigns"),
        activity(1, 4, "1. Lessons"),
    ]
    asm, got = assembled(*rows_)
    assert [a for a, _, _ in got] == ["A.1.1", "A.1.1"]
    doc = ExtractedDocument(
        source=SourceInfo(name="x.pdf", sha256="0" * 64, bytes=1, pages=1),
        engine="pdfium",
        tables=[page_table(1, [c for r in rows_ for c in r])],
    )
    plan = build_plan(doc, Config.load())
    assert [a.activity_id for a in plan.activities()] == ["A.1.1", "A.1.1#2"]
    assert [r.activity_id for r in plan.review if r.kind == "duplicate_number"] == ["A.1.1#2"]


def test_outline_numbers_make_a_number_column() -> None:
    assert all(is_outline_number(t) for t in ["1.1.2", "A.1.1", "I.1", "(ii)", "3)", "B.", "1.1.2."])
    assert not any(is_outline_number(t) for t in ["12", "2019", "A", "10,000", "N/A", "Ongoing", "(IOM)"])


# ---------------------------------------------------------------- gaps among siblings


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        (["6.1.1", "6.1.2", "6.1.3"], []),
        (["6.1.1", "6.1.3"], [("6.1.1", "6.1.3", "6.1.2")]),
        (["6.1.2", "6.1.3"], [(None, "6.1.2", "6.1.1")]),
        (["6.1", "6.4"], [("6.1", "6.4", "6.2"), ("6.1", "6.4", "6.3")]),
        (["A.1", "A.2", "A.2#2", "A.3"], []),  # a repeat is another review's concern
        (["1.a", "1.c"], [("1.a", "1.c", "1.b")]),
        (["2.a.i", "2.a.ii", "2.a.iii"], []),  # roman parts, read in their sequence
        (["2.a.i", "2.a.iii"], [("2.a.i", "2.a.iii", "2.a.2")]),
        (["1.1.1", "1.1.3", "1.1.2"], []),  # out of order: not a skip
        (["1.1.1", "1.1.4"], [("1.1.1", "1.1.4", "1.1.2"), ("1.1.1", "1.1.4", "1.1.3")]),
        ([], []),
    ],
)
def test_gaps_among_siblings(numbers, expected):
    assert gaps(numbers) == expected


def test_a_plan_printed_whole_has_no_gap(default_run):
    _, plan = default_run
    assert not [r for r in plan.review if r.kind == "numbering_gap"]


def test_a_missing_row_is_a_numbering_gap(default_run):
    _, plan = default_run
    goals = [g.model_copy(deep=True) for g in plan.goals]
    objective = next(o for g in goals for o in g.objectives if len(o.activities) >= 3)
    dropped = objective.activities.pop(1)
    found = numbering_gaps(goals)
    assert [(r.kind, r.text) for r in found] == [("numbering_gap", dropped.activity_id)]
