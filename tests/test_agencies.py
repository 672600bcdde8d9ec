"""Agency cells -> mentions: role labels, list separators, comma lists, notes, repairs."""

from __future__ import annotations

import pytest
from documents import SHIPPED

from normalize.agencies import Item, Repair, clean_item, role_segments, split_agencies, split_commas
from normalize.config import Layout
from normalize.registry import Registry
from schema.names import quoted

GOLD = SHIPPED.load_gold()
ROWS = {row["activity_id"]: row for row in GOLD["rows"]}

LAYOUT = Layout.load()
REGISTRY = Registry.load()

MOJ_UNITS = (
    "Ministry of Justice of Georgia (Public Service Development Agency, Training Center of Justice, "
    "Crime Prevention Center; Public Service Hall)"
)
MOH = (
    "Ministry of Internally Displaced Persons from the Occupied Territories, Labor, Health and Social "
    "Affairs of Georgia"
)
MES = "Ministry of Education, Science, Culture and Sport of Georgia"


def split(text: str, column: str) -> tuple[list[tuple[str, str, str | None]], list[str]]:
    items, repairs = split_agencies(text, column, LAYOUT, REGISTRY)
    return [(i.role, i.mention, i.note) for i in items], [r.kind for r in repairs]


def cell(activity_id: str, column: str) -> str:
    return ROWS[activity_id]["cells"][column]


# ---------------------------------------------------------------- role labels


def test_labels_in_partner_column() -> None:
    text = cell("3.2.2", "partner")
    assert text == (
        "Leading: International Organization of Migration (IOM) "
        "Supporting: Interested local NGOs and international organizations"
    )
    assert split(text, "partner") == (
        [
            ("leading", "International Organization of Migration (IOM)", None),
            ("supporting", "Interested local NGOs and international organizations", None),
        ],
        [],
    )


def test_labels_in_responsible_column() -> None:
    items, kinds = split(cell("2.1.1", "responsible"), "responsible")
    assert items == [
        ("leading", "TIP council (Ministry of Justice of Georgia)", None),
        ("supporting", "All members of the TIP Council", None),
    ]
    assert kinds == []


def test_label_holds_until_next_label() -> None:
    items, _ = split(cell("2.1.5", "responsible"), "responsible")
    assert [role for role, _, _ in items] == ["leading"] * 2 + ["supporting"] * 3
    assert [mention for _, mention, _ in items] == [
        "The Ministry of Internal Affairs of Georgia",
        "The State Fund",
        MOJ_UNITS,
        "The Ministry of Foreign Affairs of Georgia",
        "Ministry of Economy and Sustainable Development of Georgia "
        "(Georgian National Tourism Administration)",
    ]


def test_cell_starting_with_supporting_label() -> None:
    items, _ = split(cell("3.2.2", "responsible"), "responsible")
    assert items == [
        ("supporting", "The Ministry of Internal Affairs of Georgia", None),
        ("supporting", "The State Fund", None),
        ("supporting", "The Ministry of Foreign Affairs of Georgia", None),
    ]


def test_label_without_separator_before_it() -> None:
    # 2.1.3: "... (within a social advertising) Supporting: ..." has no ';' before the label
    items, _ = split(cell("2.1.3", "responsible"), "responsible")
    assert items == [
        ("leading", "The State Fund", "within a social advertising"),
        ("supporting", "The Ministry of Internal Affairs of Georgia", None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lead agency: MIA; Co-implementers: MFA", [("leading", "MIA"), ("supporting", "MFA")]),
        ("leading: MIA; SUPPORTING: MFA", [("leading", "MIA"), ("supporting", "MFA")]),
        ("Lead: MIA Support: MFA", [("leading", "MIA"), ("supporting", "MFA")]),
        ("Leading : MIA", [("leading", "MIA")]),
    ],
)
def test_label_variants_from_layout(text: str, expected: list[tuple[str, str]]) -> None:
    items, _ = split(text, "partner")
    assert [(role, mention) for role, mention, _ in items] == expected


def test_colon_inside_parentheses_is_not_a_label() -> None:
    segments = role_segments("Ministry of Justice of Georgia (Leading: x)", "responsible", LAYOUT)
    assert segments == [("leading", "Ministry of Justice of Georgia (Leading: x)")]
    segments = role_segments("The State Fund (Supporting: x)", "partner", LAYOUT)
    assert segments == [("partner", "The State Fund (Supporting: x)")]


def test_label_word_inside_a_word_is_not_a_label() -> None:
    segments = role_segments("Misleading: text", "partner", LAYOUT)
    assert segments == [("partner", "Misleading: text")]


# ---------------------------------------------------------------- default roles


def test_unlabelled_responsible_cell_is_leading() -> None:
    assert split(cell("4.2.1", "responsible"), "responsible") == (
        [("leading", "The Ministry of Internal Affairs of Georgia", None)],
        [],
    )


@pytest.mark.parametrize(
    ("activity_id", "mention"),
    [
        ("2.1.7", "ICMPD"),
        ("6.2.2", "Interested local NGOs"),
        ("5.2.1", "Interested international organizations"),
        ("1.1.2", "Interested local NGOs and international organizations"),
    ],
)
def test_unlabelled_partner_cell_is_partner(activity_id: str, mention: str) -> None:
    assert split(cell(activity_id, "partner"), "partner") == ([("partner", mention, None)], [])


def test_default_roles_come_from_layout() -> None:
    assert LAYOUT.default_roles == {
        "responsible": "leading",
        "lead": "leading",
        "supporting": "supporting",
        "partner": "partner",
    }


# ---------------------------------------------------------------- ';' lists


def test_semicolon_inside_parentheses_does_not_split() -> None:
    items, kinds = split(MOJ_UNITS, "responsible")
    assert items == [("leading", MOJ_UNITS, None)]
    assert kinds == []


def test_semicolon_list_splits_at_top_level() -> None:
    items, kinds = split(cell("6.1.1", "responsible"), "responsible")
    assert [mention for _, mention, _ in items] == [
        "TIP council (Ministry of Justice of Georgia)",
        MOJ_UNITS,
        "The Ministry of Internal Affairs of Georgia",
        "The Ministry of Foreign Affairs of Georgia",
        MOH,
        MES,
        "The General Prosecutor's Office of Georgia",
        "The State Fund",
        "The Ministry of Economy and Sustainable Development (Georgian National Tourism Administration)",
    ]
    assert kinds == []


def test_trailing_stop_and_separator_are_dropped() -> None:
    items, kinds = split(cell("1.1.2", "responsible"), "responsible")
    assert items[-1] == ("leading", "LELP Social Service Agency", None)
    assert items[-2] == ("leading", "LELP Crime Prevention Center", None)
    assert len(items) == 7
    assert kinds == []


def test_double_semicolon_gives_an_empty_item_repair() -> None:
    items, kinds = split(cell("3.2.1", "responsible"), "responsible")
    assert items == [
        ("leading", "Ministry of Justice of Georgia (Public Service Development Agency)", None),
        ("supporting", "The Ministry of Internal Affairs of Georgia", None),
        ("supporting", "The General Prosecutor's Office of Georgia", None),
        ("supporting", "The State Fund", None),
    ]
    assert kinds == ["empty_list_item"]


def test_empty_items_at_the_ends_are_not_repairs() -> None:
    assert split(";The State Fund;", "responsible") == ([("leading", "The State Fund", None)], [])


# ---------------------------------------------------------------- comma lists


def test_comma_list_of_known_bodies_splits() -> None:
    items, kinds = split(cell("6.4.1", "responsible"), "responsible")
    assert items == [
        ("leading", "TIP council (Ministry of Justice of Georgia)", None),
        ("supporting", "All Governmental Agencies members of the TIP Council", None),
        ("supporting", "Public Defender's Office of Georgia", None),
        ("supporting", "Invited members of Parliament", None),
        ("supporting", "US State Department", None),
        ("supporting", "NGOs and International organizations", None),
    ]
    assert kinds == ["comma_list_split"]


def test_comma_list_split_repair_counts_items() -> None:
    _, repairs = split_agencies(cell("6.4.1", "responsible"), "responsible", LAYOUT, REGISTRY)
    assert len(repairs) == 1
    assert "split into 5 items" in repairs[0].detail


@pytest.mark.parametrize("name", [MES, MOH, f"Leading: {MES}"])
def test_name_holding_commas_does_not_split(name: str) -> None:
    items, kinds = split(name, "responsible")
    assert [mention for _, mention, _ in items] == [name.removeprefix("Leading: ")]
    assert kinds == []


def test_split_commas_needs_known_pieces() -> None:
    assert split_commas("MIA, MFA", REGISTRY) == ["MIA", "MFA"]
    assert split_commas("Alpha Club, Beta Club, Gamma Club", REGISTRY) == [
        "Alpha Club, Beta Club, Gamma Club"
    ]
    # one known piece is not enough
    assert split_commas("MIA, Alpha Club, Beta Club", REGISTRY) == ["MIA, Alpha Club, Beta Club"]
    # unknown pieces may not outnumber the known ones
    assert split_commas("MIA, MFA, Alpha Club, Beta Club, Gamma Club", REGISTRY) == [
        "MIA, MFA, Alpha Club, Beta Club, Gamma Club"
    ]


def test_split_commas_keeps_name_of_a_known_body() -> None:
    assert split_commas(MOH, REGISTRY) == [MOH]


# ---------------------------------------------------------------- notes


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        (
            "Leading: The State Fund (within a social advertising)",
            "responsible",
            ("leading", "The State Fund", "within a social advertising"),
        ),
        (
            "Public Defender of Georgia is requested to monitor the shelters",
            "partner",
            ("partner", "Public Defender of Georgia", "is requested to monitor the shelters"),
        ),
        (
            "Interested local NGOs and international organizations in agreement and coordination with "
            "government agencies",
            "partner",
            (
                "partner",
                "Interested local NGOs and international organizations",
                "in agreement and coordination with government agencies",
            ),
        ),
    ],
)
def test_note_is_separated(text: str, column: str, expected: tuple) -> None:
    assert split(text, column) == ([expected], ["note_separated"])


def test_note_repair_names_note_and_mention() -> None:
    _, repairs = split_agencies(cell("3.1.1", "partner"), "partner", LAYOUT, REGISTRY)
    assert repairs == [
        Repair(
            "note_separated",
            '"is requested to monitor the shelters" kept as a note on "Public Defender of Georgia"',
        )
    ]


def test_marker_after_unknown_body_is_not_a_note() -> None:
    text = "Some Local Association is requested to help"
    assert split(text, "partner") == ([("partner", text, None)], [])


@pytest.mark.parametrize(
    "mention",
    [
        "International Organization of Migration (IOM)",
        "Interagency Coordination Council on Combating Trafficking in Persons (hereinafter TIP council) "
        "(Ministry of Justice of Georgia)",
        "The State Fund for Protection and Assistance of (Statutory) Victims of Trafficking in Persons "
        "(hereinafter – State Fund)",
        "TIP council (Ministry of Justice of Georgia)",
        "Ministry of Internally Displaced Persons from the Occupied Territories, Labor, Health and Social "
        "Affairs of Georgia (Labor Inspection Department and LEPL Social Service Agency)",
        "The Ministry of Internal Affairs of Georgia (the Central Criminal Police Department)",
    ],
)
def test_organisation_parentheses_stay_in_mention(mention: str) -> None:
    assert split(mention, "responsible") == ([("leading", mention, None)], [])


def test_hereinafter_definition_alone_stays_in_mention() -> None:
    text = "Interagency Coordination Council on Combating Trafficking in Persons (hereinafter TIP council)"
    assert split(text, "responsible") == ([("leading", text, None)], [])


# ---------------------------------------------------------------- wrapping parentheses


def test_wrapping_parentheses_are_trimmed() -> None:
    items, kinds = split(cell("2.2.1", "responsible"), "responsible")
    assert items == [
        ("leading", MOH, None),
        ("leading", "LELP Social Service Agency", None),
        ("supporting", "LELP Public Service Development Agency", None),
    ]
    assert kinds == ["parentheses_unwrapped"]


def test_wrapped_item_before_a_label() -> None:
    # 2.2.5: "(LELP Social Service Agency.) Supporting: ..." with no ';' after the group
    items, kinds = split(cell("2.2.5", "responsible"), "responsible")
    assert items == [
        ("leading", MOH, None),
        ("leading", "LELP Social Service Agency", None),
        ("supporting", "The Ministry of Internal Affairs of Georgia", None),
        ("supporting", "The General Prosecutor's Office of Georgia", None),
    ]
    assert kinds == ["parentheses_unwrapped"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" (LELP Social Service Agency.) ", "LELP Social Service Agency"),
        ("LELP Crime Prevention Center;", "LELP Crime Prevention Center"),
        ("The State Fund.", "The State Fund"),
        ("TIP council (Ministry of Justice of Georgia)", "TIP council (Ministry of Justice of Georgia)"),
        ("  ;  ", ""),
    ],
)
def test_clean_item(text: str, expected: str) -> None:
    assert clean_item(text) == expected


# ---------------------------------------------------------------- no agency


@pytest.mark.parametrize(
    ("text", "column"),
    [("0", "responsible"), ("-", "partner"), ("N/A", "partner"), (" 0 ", "responsible"), ("–", "partner")],
)
def test_no_agency_cells(text: str, column: str) -> None:
    items, repairs = split_agencies(text, column, LAYOUT, REGISTRY)
    assert items == []
    assert [r.kind for r in repairs] == ["no_agency"]
    assert column in repairs[0].detail
    assert quoted(text.strip()) in repairs[0].detail


def test_gold_zero_cell_gives_no_agency() -> None:
    assert cell("4.1.3", "responsible") == "0"
    assert split(cell("4.1.3", "responsible"), "responsible") == ([], ["no_agency"])


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_cell_gives_nothing(text: str) -> None:
    assert split_agencies(text, "partner", LAYOUT, REGISTRY) == ([], [])


def test_zero_inside_a_list_is_an_item_not_a_no_agency_cell() -> None:
    items, kinds = split("0; The State Fund", "responsible")
    assert "no_agency" not in kinds
    assert ("leading", "The State Fund", None) in items


# ---------------------------------------------------------------- repair kinds


@pytest.mark.parametrize(
    ("activity_id", "kinds"),
    [
        ("1.1.1", []),
        ("2.1.3", ["note_separated"]),
        ("2.2.1", ["parentheses_unwrapped", "note_separated"]),
        ("2.2.4", ["parentheses_unwrapped"]),
        ("3.1.1", ["note_separated"]),
        ("3.2.1", ["empty_list_item"]),
        ("4.1.3", ["no_agency"]),
        ("6.4.1", ["comma_list_split"]),
    ],
)
def test_repair_kinds_of_gold_rows(activity_id: str, kinds: list[str]) -> None:
    got = []
    for column in ("responsible", "partner"):
        got += split(cell(activity_id, column), column)[1]
    assert got == kinds


# ---------------------------------------------------------------- the whole shipped plan


def gold_cases() -> list:
    return [pytest.param(row, id=row["activity_id"]) for row in GOLD["rows"]]


@pytest.mark.parametrize("row", gold_cases())
def test_gold_agencies(row: dict) -> None:
    got = []
    for column in ("responsible", "partner"):
        items, _ = split_agencies(row["cells"][column], column, LAYOUT, REGISTRY)
        assert all(isinstance(i, Item) for i in items)
        got += [{"column": column, "role": i.role, "mention": i.mention, "note": i.note} for i in items]
    expected = [{k: a[k] for k in ("column", "role", "mention", "note")} for a in row["agencies"]]
    assert got == expected


def test_gold_covers_all_rows_and_both_columns() -> None:
    assert len(GOLD["rows"]) == 57
    columns = {a["column"] for row in GOLD["rows"] for a in row["agencies"]}
    assert columns == {"responsible", "partner"}


def test_a_bulleted_agency_list_is_split_like_a_semicolon_list() -> None:
    items, repairs = split_agencies(
        "Leading: • The Ministry of Internal Affairs of Georgia • The State Fund "
        "Supporting: • LEPL Social Service Agency",
        "responsible",
        LAYOUT,
        REGISTRY,
    )
    assert [(i.role, i.mention) for i in items] == [
        ("leading", "The Ministry of Internal Affairs of Georgia"),
        ("leading", "The State Fund"),
        ("supporting", "LEPL Social Service Agency"),
    ]
    assert repairs == []


# ---------------------------------------------------------------- role columns and labelled combined cells

ROMANIA = "Responsible: NATIP Partners: MFA, MRA, NGO"  # Romania's 2018-2020 plan, one combined cell


def test_romanias_combined_cell_labels_mid_line_and_a_comma_list() -> None:
    assert split(ROMANIA, "responsible") == (
        [
            ("leading", "NATIP", None),
            ("partner", "MFA", None),
            ("partner", "MRA", None),
            ("partner", "NGO", None),
        ],
        ["comma_list_split"],
    )


def test_a_comma_list_of_named_bodies_after_a_partner_label() -> None:
    items, kinds = split(
        "Responsible: The Ministry of Internal Affairs of Georgia; The State Fund Partners: IOM, ICMPD",
        "responsible",
    )
    assert items == [
        ("leading", "The Ministry of Internal Affairs of Georgia", None),
        ("leading", "The State Fund", None),
        ("partner", "IOM", None),
        ("partner", "ICMPD", None),
    ]
    assert kinds == ["comma_list_split"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Lead: MIA; Co-executors: MFA; ICMPD",
            [("leading", "MIA"), ("supporting", "MFA"), ("supporting", "ICMPD")],
        ),
        ("Implementing: MIA In cooperation with: IOM", [("leading", "MIA"), ("partner", "IOM")]),
        (
            "Responsible: MIA; Supporting: MFA Partners: IOM",
            [("leading", "MIA"), ("supporting", "MFA"), ("partner", "IOM")],
        ),
        (
            "Leading: MIA Partner organizations: IOM; ICMPD",
            [("leading", "MIA"), ("partner", "IOM"), ("partner", "ICMPD")],
        ),
    ],
)
def test_combined_cell_labels(text: str, expected: list[tuple[str, str]]) -> None:
    items, _ = split(text, "responsible")
    assert [(role, mention) for role, mention, _ in items] == expected


@pytest.mark.parametrize(("column", "role"), [("lead", "leading"), ("supporting", "supporting")])
def test_role_column_gives_unlabelled_items_its_role(column: str, role: str) -> None:
    items, _ = split("The Ministry of Internal Affairs of Georgia; The State Fund;", column)
    assert items == [
        (role, "The Ministry of Internal Affairs of Georgia", None),
        (role, "The State Fund", None),
    ]


def test_a_label_in_a_role_column_still_wins() -> None:
    items, _ = split(cell("3.2.2", "partner"), "supporting")  # "Leading: IOM Supporting: NGOs ..."
    assert [role for role, _, _ in items] == ["leading", "supporting"]
    items, _ = split("The State Fund Partners: ICMPD", "lead")
    assert items == [("leading", "The State Fund", None), ("partner", "ICMPD", None)]


def lead_first(text: str) -> list[tuple[str, str]]:
    items, _ = split_agencies(text, "responsible", LAYOUT, REGISTRY, lead_first=True)
    return [(i.role, i.mention) for i in items]


def test_lead_agency_first_ranks_unlabelled_items() -> None:
    assert lead_first("The Ministry of Internal Affairs of Georgia; The State Fund; ICMPD") == [
        ("leading", "The Ministry of Internal Affairs of Georgia"),
        ("supporting", "The State Fund"),
        ("supporting", "ICMPD"),
    ]
    assert lead_first("IOM, ICMPD") == [("leading", "IOM"), ("supporting", "ICMPD")]


def test_lead_agency_first_leaves_labelled_items_alone() -> None:
    assert lead_first(cell("2.1.5", "responsible")) == [
        (i.role, i.mention)
        for i in split_agencies(cell("2.1.5", "responsible"), "responsible", LAYOUT, REGISTRY)[0]
    ]
    assert lead_first("The State Fund Partners: IOM; ICMPD") == [
        ("leading", "The State Fund"),
        ("partner", "IOM"),
        ("partner", "ICMPD"),
    ]


def test_a_list_of_acronyms_splits_but_a_name_with_commas_does_not() -> None:
    assert split_commas("MFA, MRA, NGOs", REGISTRY) == ["MFA", "MRA", "NGOs"]
    assert split_commas(MES, REGISTRY) == [MES]
    assert split_commas("UNDP, Local authorities", REGISTRY) == ["UNDP, Local authorities"]


@pytest.mark.parametrize("empty", ["-", "N/A", "None"])
def test_a_labelled_run_that_names_no_agency(empty: str) -> None:
    items, kinds = split(f"Responsible: NATIP; Partners: {empty}", "responsible")
    assert items == [("leading", "NATIP", None)]
    assert kinds == ["no_agency"]
