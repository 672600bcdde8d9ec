"""normalize.header: recognising the header row and naming its columns."""

from __future__ import annotations

import re

import pytest
from helpers import HEADER, cell, row

from normalize.config import Layout
from normalize.header import column_name, header_fields, header_key, is_lead_first, map_header, snake_case

LAYOUT = Layout.load()
STANDARD = ["goal", "objective", "activity", "responsible", "partner", "indicator", "timeline"]


@pytest.mark.parametrize(("text", "field"), list(zip(HEADER, STANDARD, strict=True)))
def test_real_headers(text: str, field: str) -> None:
    assert map_header(text, LAYOUT) == field


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Implementing Agency", "responsible"),
        ("Lead Agency", "lead"),
        ("Responsible Agency (lead)", "lead"),
        ("Leading agency", "lead"),
        ("Supporting Agencies", "supporting"),
        ("Co-implementers", "supporting"),
        ("Co-executors", "supporting"),
        ("Supporting institutions", "supporting"),
        ("Partner Organizations", "partner"),
        ("Responsible/Partners", "responsible"),
        ("Responsible / Partners", "responsible"),
        ("Responsible and partners", "responsible"),
        ("Responsible Agencies (Lead Agency first)", "responsible"),
        ("Time frame", "timeline"),
        ("Time-frame", "timeline"),
        ("Timeframe", "timeline"),
        ("Deadline", "timeline"),
        ("Indicators", "indicator"),
        ("Indicator(s)", "indicator"),
        ("Performance Indicator", "indicator"),
        ("Partners", "partner"),
        ("Actions", "activity"),
        ("Measures", "activity"),
        ("Tasks", "objective"),
        ("Priority", "goal"),
        # case, line breaks and spacing do not matter
        ("RESPONSIBLE GOVERNMENTAL\nAGENCY", "responsible"),
        ("  strategic   goal ", "goal"),
    ],
)
def test_synonyms(text: str, field: str) -> None:
    assert map_header(text, LAYOUT) == field


# Header rows of real plans (shared/research/real-plan-layouts.md): Romania 2006 and 2018-2020, Albania
# 2005-2007, Georgia's Association Agreement plan. Unmapped cells (None) are carried as extra columns.
REAL_ROWS = [
    (["Specific Objectives", "Activities", "Responsible", "Partners", "Deadline", "Assessment Indicators"],
     ["objective", "activity", "responsible", "partner", "timeline", "indicator"]),
    (["Activity", "Indicators", "Timetable", "Responsible/Partners", "Resources"],
     ["activity", "indicator", "timeline", "responsible", None]),
    (["Activities", "Responsible Agencies (Lead Agency first)", "Timelines", "Output Indicators",
      "Resources"],
     ["activity", "responsible", "timeline", "indicator", None]),
    (["Planned Activity", "Responsible Institution", "Implementation Timeframe", "Source of Funding",
      "Comment"],
     ["activity", "responsible", "timeline", None, None]),
]  # fmt: skip


@pytest.mark.parametrize(("texts", "fields"), REAL_ROWS)
def test_header_rows_of_real_plans(texts: list[str], fields: list[str | None]) -> None:
    assert [map_header(t, LAYOUT) for t in texts] == fields


def test_near_miss_spelling_is_matched_fuzzily() -> None:
    assert map_header("Responsible Governmental Agencys", LAYOUT) == "responsible"


@pytest.mark.parametrize(
    "text",
    ["Source of Funding", "Budget", "", "  ", "2019-2020", "Elaborated Strategy;", "Second half of 2019"],
)
def test_unknown_texts_map_to_nothing(text: str) -> None:
    assert map_header(text, LAYOUT) is None


def test_header_key_and_snake_case() -> None:
    assert header_key("Indicator(s)") == "indicators"
    assert header_key("Partner  Organization:") == "partner organization"
    assert snake_case("Source of Funding") == "source_of_funding"


def test_real_header_row_maps_every_column() -> None:
    cells = row(1, 0, dict(enumerate(HEADER)))
    assert header_fields(cells, LAYOUT) == dict(enumerate(STANDARD))


def test_header_printed_on_two_lines_per_cell() -> None:
    texts = [
        ["Strategic Goal"],
        ["Objective"],
        ["Activity"],
        ["Responsible Governmental", "Agency"],
        ["Partner", "Organization"],
        ["Indicator"],
        ["Timeline"],
    ]
    cells = [cell(1, 0, col, lines) for col, lines in enumerate(texts)]
    assert header_fields(cells, LAYOUT) == dict(enumerate(STANDARD))


def test_data_row_is_not_a_header() -> None:
    # the second row of the plan's first page (activity 1.1.2), as printed
    cells = row(
        1,
        2,
        {
            2: "1.1.2. Elaboration of the Governmental Strategy aiming at protection of children",
            3: "Leading: TIP council (Ministry of Justice of Georgia);",
            4: "Interested local NGOs and international organizations",
            5: "Elaborated Strategy;",
            6: "Second half of 2019",
        },
    )
    assert header_fields(cells, LAYOUT) is None


def test_row_without_an_activity_column_is_not_a_header() -> None:
    cells = row(1, 0, {0: "Strategic Goal", 1: "Objective", 2: "Indicator", 3: "Timeline"})
    assert header_fields(cells, LAYOUT) is None


def test_too_few_known_columns_is_not_a_header() -> None:
    # "activity" alone plus one other field: below header_min_fields (3)
    cells = row(1, 0, {0: "Activity", 1: "Timeline", 2: "Notes"})
    assert LAYOUT.header_min_fields == 3
    assert header_fields(cells, LAYOUT) is None


def test_extra_columns_are_named_in_snake_case() -> None:
    cells = row(1, 0, dict(enumerate(HEADER)))
    cells.append(cell(1, 0, 6, "Source of Funding").model_copy(update={"col": 7}))  # an eighth column
    fields = header_fields(cells, LAYOUT)
    assert fields == {**dict(enumerate(STANDARD)), 7: "source_of_funding"}


def test_extra_column_without_text_gets_a_positional_name() -> None:
    cells = row(1, 0, dict(enumerate(HEADER)))
    cells.append(cell(1, 0, 6, None).model_copy(update={"col": 7}))
    assert header_fields(cells, LAYOUT)[7] == "column_8"


def test_a_lone_lead_agency_column_is_the_responsible_column() -> None:
    cells = row(1, 0, {0: "Activity", 1: "Lead agency", 2: "Partners", 3: "Indicator", 4: "Timeline"})
    fields = ["activity", "responsible", "partner", "indicator", "timeline"]
    assert header_fields(cells, LAYOUT) == dict(enumerate(fields))


def test_role_columns_keep_their_own_fields() -> None:
    texts = ["Activity", "Lead Agency", "Co-executors", "Partner Organizations", "Indicator", "Timeline"]
    cells = row(1, 0, dict(enumerate(texts)))
    assert header_fields(cells, LAYOUT) == dict(
        enumerate(["activity", "lead", "supporting", "partner", "indicator", "timeline"])
    )


def test_responsible_beside_a_lead_column_keeps_both() -> None:
    cells = row(1, 0, dict(enumerate(["Activity", "Responsible Agency", "Lead Agency", "Timeline"])))
    assert header_fields(cells, LAYOUT) == dict(enumerate(["activity", "responsible", "lead", "timeline"]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Responsible Agencies (Lead Agency first)", True),
        ("RESPONSIBLE AGENCIES\n(lead agency first)", True),
        ("Responsible Agencies", False),
        ("Lead Agency", False),
        ("Responsible/Partners", False),
    ],
)
def test_lead_first_headers(text: str, expected: bool) -> None:
    assert is_lead_first(text, LAYOUT) is expected


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Budget (GEL)", "budget_gel"),
        ("Coût total", "cout_total"),  # accents folded
        ("Notes #", "notes"),
        ("2019 Budget", ""),  # would start with a digit: the caller names it column_N
        ("ბიუჯეტი", ""),  # nothing of another script is left
        ("oot ògfbhµ4", "oot_ogfbh4"),  # a header garbled by a damaged file (fuzz seed 230)
    ],
)
def test_an_unknown_header_becomes_a_plain_column_name(header, name):
    from publish.tables import EXTRA_COLUMN_PATTERN

    assert snake_case(header) == name
    assert name == "" or re.fullmatch(EXTRA_COLUMN_PATTERN, name)


@pytest.mark.parametrize("text", ["Source of Funding", "Budget (GEL)", "Coût", "Status", "Comment"])
def test_column_name_of_a_latin_header_is_its_snake_case(text: str) -> None:
    assert column_name(text, LAYOUT) == snake_case(text) != ""


@pytest.mark.parametrize("name", ["source_of_funding", "budget"])
def test_column_names_of_layout_name_headers_in_other_scripts(name: str) -> None:
    for header in LAYOUT.column_names[name]:
        assert snake_case(header) == ""
        assert column_name(header, LAYOUT) == name
