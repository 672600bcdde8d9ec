"""Timeline cells -> (start, end, flag), on the plan's own cell texts and on generated expressions."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.timeline import parse_start_end, parse_timeline

D = date
PERIOD = (D(2019, 1, 1), D(2020, 12, 31))
OPEN = "open-ended timeline: whole plan period"


def ok(start: date, end: date) -> tuple[date, date, None]:
    return start, end, None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # real cells of the Georgian 2019-2020 plan
        ("Second half of 2020", ok(D(2020, 7, 1), D(2020, 12, 31))),
        ("Second half of 2019", ok(D(2019, 7, 1), D(2019, 12, 31))),
        ("First half of 2019", ok(D(2019, 1, 1), D(2019, 6, 30))),
        ("First and second half of 2019", ok(D(2019, 1, 1), D(2019, 12, 31))),
        ("2019-2020", ok(D(2019, 1, 1), D(2020, 12, 31))),
        ("2019 - 2020", ok(D(2019, 1, 1), D(2020, 12, 31))),
    ],
)
def test_real_plan_cells(text: str, expected: tuple) -> None:
    assert parse_timeline(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019\u20132020", ok(D(2019, 1, 1), D(2020, 12, 31))),  # en dash
        ("2019\u20142020", ok(D(2019, 1, 1), D(2020, 12, 31))),  # em dash
        ("2019/2020", ok(D(2019, 1, 1), D(2020, 12, 31))),
        ("2019 to 2020", ok(D(2019, 1, 1), D(2020, 12, 31))),
        ("2021", ok(D(2021, 1, 1), D(2021, 12, 31))),
        ("2019 and 2020", ok(D(2019, 1, 1), D(2020, 12, 31))),
    ],
)
def test_years(text: str, expected: tuple) -> None:
    assert parse_timeline(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1st half 2019", ok(D(2019, 1, 1), D(2019, 6, 30))),
        ("H1 2019", ok(D(2019, 1, 1), D(2019, 6, 30))),
        ("H2 2019", ok(D(2019, 7, 1), D(2019, 12, 31))),
        ("II half of 2020", ok(D(2020, 7, 1), D(2020, 12, 31))),
        ("I-II half of 2020", ok(D(2020, 1, 1), D(2020, 12, 31))),
        ("first and second halves of 2019", ok(D(2019, 1, 1), D(2019, 12, 31))),
        ("the second half-year of 2020", ok(D(2020, 7, 1), D(2020, 12, 31))),
        ("Second half of 2019 - first half of 2020", ok(D(2019, 7, 1), D(2020, 6, 30))),
        ("H2 2019 - H1 2020", ok(D(2019, 7, 1), D(2020, 6, 30))),
        ("Second half of 2019 - 2020", ok(D(2019, 7, 1), D(2020, 12, 31))),
    ],
)
def test_halves(text: str, expected: tuple) -> None:
    assert parse_timeline(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q1 2021", ok(D(2021, 1, 1), D(2021, 3, 31))),
        ("Q3-Q4 2021", ok(D(2021, 7, 1), D(2021, 12, 31))),
        ("I quarter of 2021", ok(D(2021, 1, 1), D(2021, 3, 31))),
        ("I-II quarter of 2021", ok(D(2021, 1, 1), D(2021, 6, 30))),
        ("first quarter of 2021", ok(D(2021, 1, 1), D(2021, 3, 31))),
        ("First and second quarters of 2021", ok(D(2021, 1, 1), D(2021, 6, 30))),
        ("IV quarter 2020", ok(D(2020, 10, 1), D(2020, 12, 31))),
        ("3rd quarter 2020", ok(D(2020, 7, 1), D(2020, 9, 30))),
        ("last quarter of 2020", ok(D(2020, 10, 1), D(2020, 12, 31))),
        ("Q4 2020 - Q1 2021", ok(D(2020, 10, 1), D(2021, 3, 31))),
    ],
)
def test_quarters(text: str, expected: tuple) -> None:
    assert parse_timeline(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("January-June 2022", ok(D(2022, 1, 1), D(2022, 6, 30))),
        ("March 2021", ok(D(2021, 3, 1), D(2021, 3, 31))),
        ("February 2020", ok(D(2020, 2, 1), D(2020, 2, 29))),  # leap year, from the calendar
        ("February 2021", ok(D(2021, 2, 1), D(2021, 2, 28))),
        ("September 2019 - March 2020", ok(D(2019, 9, 1), D(2020, 3, 31))),
        ("Jan 2021", ok(D(2021, 1, 1), D(2021, 1, 31))),
        ("Sept 2019", ok(D(2019, 9, 1), D(2019, 9, 30))),
        ("Sept. 2019 - Jan. 2020", ok(D(2019, 9, 1), D(2020, 1, 31))),
        ("April of 2020", ok(D(2020, 4, 1), D(2020, 4, 30))),
    ],
)
def test_months(text: str, expected: tuple) -> None:
    assert parse_timeline(text) == expected


@pytest.mark.parametrize(
    "text",
    ["  Second   half\n of 2020 ", "SECOND HALF OF 2020", "second half of 2020", "Second half of 2020."],
)
def test_whitespace_case_and_final_stop_do_not_matter(text: str) -> None:
    assert parse_timeline(text) == ok(D(2020, 7, 1), D(2020, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021, annually", (D(2021, 1, 1), D(2021, 12, 31), "recurring: annually")),
        ("2019-2020 annually", (D(2019, 1, 1), D(2020, 12, 31), "recurring: annually")),
        ("Annually, 2019-2020", (D(2019, 1, 1), D(2020, 12, 31), "recurring: annually")),
        ("2019-2020 (annually)", (D(2019, 1, 1), D(2020, 12, 31), "recurring: annually")),
        ("Annually", (None, None, "recurring: annually")),
    ],
)
def test_annually_without_period(text: str, expected: tuple) -> None:
    assert parse_timeline(text) == expected


def test_annually_alone_takes_the_plan_period() -> None:
    assert parse_timeline("Annually", PERIOD) == (*PERIOD, "recurring: annually")


def test_annually_with_years_keeps_its_years_over_the_period() -> None:
    assert parse_timeline("2020, annually", PERIOD) == (D(2020, 1, 1), D(2020, 12, 31), "recurring: annually")


@pytest.mark.parametrize(
    "text",
    ["Ongoing", "Permanent", "Permanently", "Continuous", "Constantly", "Throughout the period", "ONGOING."],
)
def test_open_ended(text: str) -> None:
    assert parse_timeline(text, PERIOD) == (*PERIOD, OPEN)
    assert parse_timeline(text) == (None, None, OPEN)


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty(text: str) -> None:
    assert parse_timeline(text) == (None, None, "empty timeline")
    assert parse_timeline(text, PERIOD) == (None, None, "empty timeline")


@pytest.mark.parametrize(
    "text",
    [
        "2019-2020 subject to funding",  # a part left unexplained
        "By the end of 2020",  # no start stated
        "2019-20",  # short end year: not guessed
        "Spring 2020",
        "January - June",  # no year at all
        "January - 2021",  # a bare year does not lend itself to a month
        "Second half",
        "first half of 2019 and second",
        "Q1 2021 -",
        "Third half of 2020",
        "Q5 2021",
        "V quarter of 2021",
        "First and third quarter of 2021",  # not contiguous
        "2019 and 2021",
        "Ongoing, 2019-2020",
        "2019-2020 (annually",
    ],
)
def test_unparsed(text: str) -> None:
    assert parse_timeline(text, PERIOD) == (None, None, f"unparsed timeline: {text}")


@pytest.mark.parametrize(
    "text", ["2020-2019", "Q3-Q2 2021", "June-January 2021", "Second half of 2020 - first half of 2020"]
)
def test_backward_range_is_unparsed(text: str) -> None:
    assert parse_timeline(text) == (None, None, f"unparsed timeline: {text}")


def test_unparsed_flag_shows_folded_text() -> None:
    assert parse_timeline("  subject to\nfunding ") == (None, None, "unparsed timeline: subject to funding")


# -- property: any generated half / quarter / month expression gives whole months inside its years --

YEARS = st.integers(1990, 2100)
HALF_WORDS = {1: ["First", "1st", "I"], 2: ["Second", "2nd", "II"]}
QUARTER_WORDS = {
    1: ["First", "1st", "I"],
    2: ["Second", "2nd", "II"],
    3: ["Third", "3rd", "III"],
    4: ["Fourth", "4th", "IV"],
}
MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
MONTH_WORDS = {i: [name, name[:3]] + (["Sept"] if i == 9 else []) for i, name in enumerate(MONTH_NAMES, 1)}


@st.composite
def halves(draw: st.DrawFn, year: int) -> str:
    n = draw(st.sampled_from([1, 2]))
    word = draw(st.sampled_from(HALF_WORDS[n]))
    return draw(st.sampled_from([f"{word} half of {year}", f"{word} half {year}", f"H{n} {year}"]))


@st.composite
def quarters(draw: st.DrawFn, year: int) -> str:
    a = draw(st.integers(1, 4))
    b = draw(st.integers(a, 4))
    wa, wb = draw(st.sampled_from(QUARTER_WORDS[a])), draw(st.sampled_from(QUARTER_WORDS[b]))
    forms = [f"Q{a} {year}", f"{wa} quarter of {year}", f"Q{a}-Q{b} {year}", f"{wa}-{wb} quarter of {year}"]
    forms += [f"{year} Q{a}", f"Quarter {a}, {year}", f"{wa} quarter {year}"]
    if b == a + 1:
        forms.append(f"{wa} and {wb} quarters of {year}")
    return draw(st.sampled_from(forms))


@st.composite
def months(draw: st.DrawFn, year: int) -> str:
    a = draw(st.integers(1, 12))
    b = draw(st.integers(a, 12))
    ma, mb = draw(st.sampled_from(MONTH_WORDS[a])), draw(st.sampled_from(MONTH_WORDS[b]))
    forms = [f"{ma} {year}", f"{ma}-{mb} {year}", f"{ma} - {mb} {year}", f"{a:02d}.{year}"]
    return draw(st.sampled_from(forms))


@st.composite
def expressions(draw: st.DrawFn) -> tuple[str, int, int]:
    """An expression and the first and last year it states; sometimes a range across two years."""
    parts = st.sampled_from([halves, quarters, months])
    y1 = draw(YEARS)
    left = draw(draw(parts)(y1))
    if not draw(st.booleans()) or y1 == 2100:
        return left, y1, y1
    y2 = draw(st.integers(y1 + 1, 2100))
    right = draw(draw(parts)(y2))
    dash = draw(st.sampled_from([" - ", "-", " \u2013 ", " to "]))
    return f"{left}{dash}{right}", y1, y2


@given(expressions(), st.sampled_from([str, str.lower, str.upper]))
def test_generated_expressions_give_whole_months_within_their_years(
    expr: tuple, case: Callable[[str], str]
) -> None:
    text, y1, y2 = expr
    start, end, flag = parse_timeline(case(text))
    assert flag is None, text
    assert start is not None and end is not None
    assert start <= end
    assert y1 <= start.year <= y2 and y1 <= end.year <= y2
    assert start.day == 1
    assert end.day == calendar.monthrange(end.year, end.month)[1]


@given(st.text(max_size=40))
def test_any_text_is_dated_cleanly_or_flagged(text: str) -> None:
    start, end, flag = parse_timeline(text)
    if flag is None:
        assert start is not None and end is not None and start <= end
    elif flag.startswith(("unparsed", "empty")):
        assert start is None and end is None


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("In 2020", date(2020, 1, 1), date(2020, 12, 31)),
        ("During 2021", date(2021, 1, 1), date(2021, 12, 31)),
        ("Throughout 2021-2022", date(2021, 1, 1), date(2022, 12, 31)),
        ("in the first half of 2020", date(2020, 1, 1), date(2020, 6, 30)),
    ],
)
def test_framing_preposition_before_dates(text: str, start: date, end: date) -> None:
    assert parse_timeline(text) == (start, end, None)


@pytest.mark.parametrize("text", ["In", "during the plan", "instead 2021"])
def test_framing_preposition_alone_is_unparsed(text: str) -> None:
    assert parse_timeline(text)[2] == f"unparsed timeline: {text}"


# -- the period forms of Start / End columns, also read in a single timeline cell --


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q3 2019", ok(D(2019, 7, 1), D(2019, 9, 30))),
        ("III quarter 2019", ok(D(2019, 7, 1), D(2019, 9, 30))),
        ("2019 Q3", ok(D(2019, 7, 1), D(2019, 9, 30))),
        ("2019 H2", ok(D(2019, 7, 1), D(2019, 12, 31))),
        ("07.2019", ok(D(2019, 7, 1), D(2019, 7, 31))),
        ("02.2020", ok(D(2020, 2, 1), D(2020, 2, 29))),
        ("7/2019", ok(D(2019, 7, 1), D(2019, 7, 31))),
        ("July 2019", ok(D(2019, 7, 1), D(2019, 7, 31))),
        ("2019", ok(D(2019, 1, 1), D(2019, 12, 31))),
        ("3rd quarter 2019", ok(D(2019, 7, 1), D(2019, 9, 30))),
        ("Quarter 3, 2019", ok(D(2019, 7, 1), D(2019, 9, 30))),
        ("Quarter III 2019", ok(D(2019, 7, 1), D(2019, 9, 30))),
        ("Half 2, 2020", ok(D(2020, 7, 1), D(2020, 12, 31))),
        ("I half 2019", ok(D(2019, 1, 1), D(2019, 6, 30))),
        ("Q1, 2020", ok(D(2020, 1, 1), D(2020, 3, 31))),
        ("January 2005", ok(D(2005, 1, 1), D(2005, 1, 31))),  # Albania 2005-2007 "Timelines"
    ],
)
def test_period_forms_of_start_and_end_columns(text: str, expected: tuple) -> None:
    assert parse_timeline(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30 June 2015 - 30 June 2017", ok(D(2015, 6, 30), D(2017, 6, 30))),  # OGP template's example
        ("30.06.2015", ok(D(2015, 6, 30), D(2015, 6, 30))),
        ("1.7.2019 - 31.12.2020", ok(D(2019, 7, 1), D(2020, 12, 31))),
        ("June 30, 2015", ok(D(2015, 6, 30), D(2015, 6, 30))),
        ("1 March - 30 June 2020", ok(D(2020, 3, 1), D(2020, 6, 30))),  # the year lent leftwards
        ("07.2019 - 12.2020", ok(D(2019, 7, 1), D(2020, 12, 31))),
        ("2019 Q3 - 2020 Q1", ok(D(2019, 7, 1), D(2020, 3, 31))),
        ("III quarter 2019 \u2013 IV quarter 2020", ok(D(2019, 7, 1), D(2020, 12, 31))),
    ],
)
def test_days_and_mixed_ranges(text: str, expected: tuple) -> None:
    assert parse_timeline(text) == expected


@pytest.mark.parametrize(
    "text",
    ["31.02.2019", "13.2019", "00.2019", "Quarter 5 2019", "Quarter 0 2019", "Quarter 2019", "2019-12",
     "1 - 15 June 2020", "15 2020", "2019 Q5", "32 May 2020", "30.06.2015 - 01.01.2015"],
)  # fmt: skip
def test_period_forms_not_explained_are_unparsed(text: str) -> None:
    assert parse_timeline(text) == (None, None, f"unparsed timeline: {text}")


# -- Start and End cells read side by side --


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("Q3 2019", "Q4 2020", ("Q3 2019 \u2013 Q4 2020", D(2019, 7, 1), D(2020, 12, 31), [])),
        ("07.2019", "2020", ("07.2019 \u2013 2020", D(2019, 7, 1), D(2020, 12, 31), [])),
        ("2019", "2019", ("2019 \u2013 2019", D(2019, 1, 1), D(2019, 12, 31), [])),
        (
            "July  2019\n",
            " II half 2019",
            ("July 2019 \u2013 II half 2019", D(2019, 7, 1), D(2019, 12, 31), []),
        ),
        ("", "IV quarter 2020", ("IV quarter 2020", None, D(2020, 12, 31), ["no start printed"])),
        ("2019 Q3", "", ("2019 Q3", D(2019, 7, 1), None, ["no end printed"])),
        ("", "", ("", None, None, ["empty timeline"])),
    ],
)
def test_start_and_end_cells(start: str, end: str, expected: tuple) -> None:
    assert parse_start_end(start, end) == expected


def test_a_start_after_its_end_gives_no_dates() -> None:
    assert parse_start_end("2020", "Q1 2019") == (
        "2020 \u2013 Q1 2019",
        None,
        None,
        ["start after end: 2020 \u2013 Q1 2019"],
    )


def test_each_side_is_flagged_on_its_own() -> None:
    text, start, end, flags = parse_start_end("Ongoing", "sometime", PERIOD)
    assert (text, start, end) == ("Ongoing \u2013 sometime", PERIOD[0], None)
    assert flags == ["start: open-ended timeline: whole plan period", "end: unparsed timeline: sometime"]
