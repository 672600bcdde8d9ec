"""Georgian vocabulary (issue #14): headers, role labels, heading labels and timelines read as their
English counterparts do, from the same data files, Mtavruli capitals folded to Mkhedruli."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import HEADER, cell

from normalize.agencies import labelled_segments, split_agencies
from normalize.amounts import header_currency, is_amount_header
from normalize.config import Layout, load_yaml
from normalize.header import column_name, header_fields, header_key, map_header
from normalize.numbering import split_activity, split_heading
from normalize.registry import Registry
from normalize.text import fold_georgian
from normalize.timeline import MONTHS, ORDINALS, RECURRENCE, UNITS, parse_timeline

LAYOUT = Layout.load()
PERIOD = (date(2019, 1, 1), date(2020, 12, 31))
MKHEDRULI = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"  # the 33 letters of the modern alphabet


def mtavruli(text: str) -> str:
    """Text with its Mkhedruli letters written as Mtavruli capitals, as headings print them."""
    return "".join(chr(ord(c) + 0xBC0) if "\u10d0" <= c <= "\u10ff" else c for c in text)


# -- fold_georgian ----------------------------------------------------------------------------------


def test_fold_georgian_maps_every_mtavruli_capital_to_its_mkhedruli_letter() -> None:
    capitals = mtavruli(MKHEDRULI)
    assert all("\u1c90" <= c <= "\u1cbf" for c in capitals)
    assert fold_georgian(capitals) == MKHEDRULI


@pytest.mark.parametrize("text", ["Strategic Goal 1: Prevention", "№ 1.1", "ДЕЯТЕЛЬНОСТЬ", "საქართველოს"])
def test_fold_georgian_leaves_other_text_alone(text: str) -> None:
    assert fold_georgian(text) == text


def test_header_key_folds_mtavruli() -> None:
    assert header_key(mtavruli("პასუხისმგებელი უწყება")) == header_key("პასუხისმგებელი უწყება")


# -- headers --------------------------------------------------------------------------------------

# The header list: Georgian header -> the field its English counterpart maps to.
GEORGIAN_HEADERS = {
    "სტრატეგიული მიზანი": "Strategic Goal",
    "მიზანი": "Goal",
    "ამოცანა": "Objective",
    "ამოცანები": "Objectives",
    "აქტივობა": "Activity",
    "აქტივობები": "Activities",
    "ღონისძიება": "Measure",
    "საქმიანობა": "Activity",
    "პასუხისმგებელი უწყება": "Responsible Agency",
    "პასუხისმგებელი ორგანო": "Responsible Body",
    "განმახორციელებელი უწყება": "Implementing Agency",
    "პარტნიორი ორგანიზაცია": "Partner Organization",
    "პარტნიორი უწყება": "Partner Agencies",
    "პარტნიორები": "Partners",
    "ინდიკატორი": "Indicator",
    "ინდიკატორები": "Indicators",
    "შედეგის ინდიკატორი": "Outcome Indicator",
    "შესრულების ვადა": "Deadline",
    "განხორციელების ვადა": "Implementation Period",
    "ვადა": "Term",
    "ვადები": "Timelines",
    "№": "No.",
    "წამყვანი უწყება": "Lead Agency",
    "მხარდამჭერი უწყებები": "Supporting Agencies",
}


@pytest.mark.parametrize(("georgian", "english"), GEORGIAN_HEADERS.items())
def test_georgian_header_maps_as_its_english_counterpart(georgian: str, english: str) -> None:
    assert map_header(english, LAYOUT) is not None
    assert map_header(georgian, LAYOUT) == map_header(english, LAYOUT)
    assert map_header(mtavruli(georgian), LAYOUT) == map_header(english, LAYOUT)
    assert map_header(f" {georgian}\n", LAYOUT) == map_header(english, LAYOUT)


GEORGIAN_ROW = ("სტრატეგიული მიზანი", "ამოცანა", "აქტივობა", "პასუხისმგებელი უწყება", "პარტნიორი ორგანიზაცია",
                "ინდიკატორი", "შესრულების ვადა")  # fmt: skip


def test_the_shipped_header_row_in_georgian_gives_the_same_columns() -> None:
    english = header_fields([cell(1, 0, i, t) for i, t in enumerate(HEADER)], LAYOUT)
    georgian = header_fields([cell(1, 0, i, t) for i, t in enumerate(GEORGIAN_ROW)], LAYOUT)
    assert georgian is not None
    assert georgian == english


@pytest.mark.parametrize(
    ("georgian", "english"),
    [
        ("დაფინანსების წყარო", "Source of Funding"),
        ("ბიუჯეტი", "Budget"),
        ("ბიუჯეტი (ლარი)", "Budget (GEL)"),
        ("ბიუჯეტი (GEL)", "Budget (GEL)"),
        ("სავარაუდო ღირებულება, ევრო", "Estimated cost, EUR"),
        (mtavruli("ბიუჯეტი"), "Budget"),
    ],
)
def test_georgian_extra_column_gets_its_english_counterparts_name(georgian: str, english: str) -> None:
    assert map_header(georgian, LAYOUT) is None
    assert column_name(georgian, LAYOUT) == column_name(english, LAYOUT) != ""


def test_an_unnamed_georgian_extra_column_keeps_its_fallback_name() -> None:
    cells = [cell(1, 0, i, t) for i, t in enumerate(GEORGIAN_ROW[:-1])] + [cell(1, 0, 6, "სხვა ინფორმაცია")]
    assert (header_fields(cells, LAYOUT) or {})[6] == "column_7"


@pytest.mark.parametrize("header", ["ბიუჯეტი", "ბიუჯეტი (ლარი)", "სავარაუდო ბიუჯეტი"])
def test_georgian_budget_headers_are_amount_headers(header: str) -> None:
    assert is_amount_header(header, LAYOUT)
    assert header_currency("ბიუჯეტი (ლარი)", LAYOUT) == header_currency("Budget (GEL)", LAYOUT) == "GEL"


# -- heading labels -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("georgian", "english"),
    [
        ("სტრატეგიული მიზანი 1: ტრეფიკინგის პრევენცია", "Strategic Goal 1: ტრეფიკინგის პრევენცია"),
        ("მიზანი 2. მსხვერპლთა დაცვა", "Goal 2. მსხვერპლთა დაცვა"),
        ("ამოცანა 1.1: კვლევა", "Objective 1.1: კვლევა"),
        ("ამოცანა 1.1 კვლევა", "Task 1.1 კვლევა"),
        ("1. პოლიტიკის განვითარება", "1. პოლიტიკის განვითარება"),
    ],
)
def test_georgian_heading_labels_parse_as_english_ones(georgian: str, english: str) -> None:
    expected = split_heading(english, LAYOUT.heading_labels)
    assert split_heading(georgian, LAYOUT.heading_labels) == expected
    label, number, title = split_heading(mtavruli(georgian), LAYOUT.heading_labels)
    assert (label, number, fold_georgian(title)) == expected


def test_georgian_activity_label() -> None:
    assert split_activity("აქტივობა 1.1.1 კვლევა", LAYOUT.heading_labels) == ("1.1.1", "კვლევა")


# -- role labels and empty agency cells -------------------------------------------------------------


@pytest.mark.parametrize(
    ("georgian", "english"),
    [
        ("წამყვანი: ა; მხარდამჭერი: ბ; გ", "Leading: ა; Supporting: ბ; გ"),
        ("წამყვანი: ა თანაშემსრულებელი: ბ პარტნიორი: გ", "Leading: ა Co-implementer: ბ Partner: გ"),
        ("ა; პარტნიორები: ბ", "ა; Partners: ბ"),
    ],
)
def test_georgian_role_labels_give_the_english_roles(georgian: str, english: str) -> None:
    def roles(text: str) -> list[tuple[str, str, bool]]:
        return [(r, t.strip(), lab) for r, t, lab in labelled_segments(text, "responsible", LAYOUT)]

    assert roles(georgian) == roles(english)
    assert roles(mtavruli(georgian)) == [(r, mtavruli(t), lab) for r, t, lab in roles(english)]


@pytest.mark.parametrize("text", ["არ არის", "0", "-"])
def test_georgian_empty_agency_cell_names_no_agency(text: str) -> None:
    items, repairs = split_agencies(text, "partner", LAYOUT, Registry.load())
    assert items == []
    assert [r.kind for r in repairs] == ["no_agency"]


# -- timelines ------------------------------------------------------------------------------------

TIMELINES = [
    ("2019-2020 წწ.", "2019-2020"),
    ("2019-2020", "2019-2020"),
    ("2019 წელი", "2019"),
    ("2019 წ.", "2019"),
    ("2019წ.", "2019"),
    ("2019 წლის I ნახევარი", "First half of 2019"),
    ("2019 წლის II ნახევარი", "Second half of 2019"),
    ("2020 წლის I და II ნახევარი", "First and second half of 2020"),
    ("2019 წლის II ნახევარი - 2020 წლის I ნახევარი", "II half 2019 - I half 2020"),
    ("2020 წლის I კვარტალი", "Q1 2020"),
    ("2020 წლის II კვარტალი", "Q2 2020"),
    ("2020 წლის III კვარტალი", "Q3 2020"),
    ("2020 წლის IV კვარტალი", "Q4 2020"),
    ("2020 წლის I-II კვარტალი", "I-II quarter of 2020"),
    ("2020 წლის მეორე ნახევარი", "the second half of 2020"),
    ("2020 წლის მარტი", "March 2020"),
    ("მარტი, 2020", "March, 2020"),
    ("2020 წლის მარტი-ივნისი", "March-June 2020"),
    ("2020 წლის 15 მარტი", "15 March 2020"),
    ("2019 წლის განმავლობაში", "During 2019"),
    ("ყოველწლიურად", "annually"),
    ("2019-2020 წწ., ყოველწლიურად", "2019-2020, annually"),
    ("მუდმივად", "ongoing"),
    ("პერმანენტულად", "permanently"),
]


@pytest.mark.parametrize(("georgian", "english"), TIMELINES)
def test_georgian_timeline_dates_as_its_english_counterpart(georgian: str, english: str) -> None:
    expected = parse_timeline(english, PERIOD)
    assert expected[0] is not None
    assert not (expected[2] or "").startswith("unparsed")
    assert parse_timeline(georgian, PERIOD) == expected
    assert parse_timeline(mtavruli(georgian), PERIOD) == expected


MONTH_NAMES_KA = ("იანვარი", "თებერვალი", "მარტი", "აპრილი", "მაისი", "ივნისი", "ივლისი", "აგვისტო",
                  "სექტემბერი", "ოქტომბერი", "ნოემბერი", "დეკემბერი")  # fmt: skip
MONTH_NAMES_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")  # fmt: skip


@pytest.mark.parametrize(("georgian", "english"), list(zip(MONTH_NAMES_KA, MONTH_NAMES_EN, strict=True)))
def test_every_georgian_month_with_its_year(georgian: str, english: str) -> None:
    expected = parse_timeline(f"{english} 2020")
    assert parse_timeline(f"2020 წლის {georgian}") == expected
    assert parse_timeline(f"{georgian}, 2020") == expected


@pytest.mark.parametrize(
    "text",
    [
        "წლის 2019",
        "2019 წლის 2020",
        "2019 წლის I ნახევარი 2020",
        "2020 წლის V კვარტალი",
        "ნახევარი",
        "და 2019",
    ],
)
def test_georgian_forms_the_grammar_does_not_explain_are_unparsed(text: str) -> None:
    start, end, flag = parse_timeline(text, PERIOD)
    assert (start, end) == (None, None)
    assert flag == f"unparsed timeline: {text}"


# -- the timeline vocabulary file -------------------------------------------------------------------


def test_timeline_words_each_have_one_meaning() -> None:
    """A word listed under two meanings (two months, an ordinal and a unit...) would be read as
    whichever the code looks for first: the data file must not hold one."""
    words = load_yaml(None, "timeline.yaml")
    seen: dict[str, str] = {}
    for key in ("months", "ordinals", "units", "recurrence"):
        for meaning, names in words[key].items():
            for name in map(str, names):
                assert seen.setdefault(fold_georgian(name).lower(), f"{key}:{meaning}") == f"{key}:{meaning}"


def test_the_parser_knows_every_word_of_the_data_file() -> None:
    words = load_yaml(None, "timeline.yaml")
    known_by_key = {"months": MONTHS, "ordinals": ORDINALS, "units": UNITS, "recurrence": RECURRENCE}
    for key, known in known_by_key.items():
        listed = {str(w).lower() for names in words[key].values() for w in names}
        assert listed == set(known), key
