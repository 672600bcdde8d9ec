"""normalize.indicators: splitting indicator cells on ";", on typed line breaks and at full stops,
in English and in Georgian (a script without capitals)."""

from __future__ import annotations

import pytest
from documents import SHIPPED, document
from helpers import text_line

from extract import extract_document
from normalize.config import Layout
from normalize.indicators import Piece, closers, openers, opens_sentence, sentences, split_indicators
from normalize.plan import block_text
from normalize.rows import assemble
from schema.models import BBox

GOLD = SHIPPED.load_gold()
GOLD_INDICATORS = {r["activity_id"]: r["indicators"] for r in GOLD["rows"]}
GEORGIAN = document("georgia-nap-2019-2020-ka")
KA_GOLD = GEORGIAN.load_gold()
KA_INDICATORS = {r["activity_id"]: r["indicators"] for r in KA_GOLD["rows"]}
KA_CELLS = [r["cells"]["indicator"] for r in KA_GOLD["rows"]]

# the indicator column of the real plan: box 615.2-734.2, text from 620.7, 10 pt lines
BOX = BBox(x0=615.2, top=118.55, x1=734.2, bottom=320.0)
LEFT = 620.7
# right margin of the text: 734.2 - (620.7 - 615.2) = 728.7; a word fits when
# prev.x1 + 2.5 (a space) + its width < 728.2


def piece(*lines: tuple[str, float, float]) -> Piece:
    """A one-page indicator cell; each line is (text, x1, first_word_width)."""
    return Piece(
        bbox=BOX,
        lines=[
            text_line(text, x0=LEFT, top=BOX.top + 13.3 * i, x1=x1, first_word_width=fww)
            for i, (text, x1, fww) in enumerate(lines)
        ],
    )


def one_line(text: str) -> Piece:
    return piece((text, 700.0, 30.0))


# --- ";" separators ------------------------------------------------------------------------


def test_split_on_semicolons_and_drop_trailing_separators() -> None:
    found, reasons = split_indicators([one_line("Examined TIP cases; The Document of Analysis;")], set())
    assert found == ["Examined TIP cases", "The Document of Analysis"]
    assert reasons == []


def test_semicolon_inside_parentheses_does_not_split() -> None:
    text = "Number of participating students (min: 24; max: 40); Territorial coverage."
    found, _ = split_indicators([one_line(text)], set())
    assert found == ["Number of participating students (min: 24; max: 40)", "Territorial coverage"]


def test_line_ending_in_semicolon_splits_without_a_geometry_reason() -> None:
    p = piece(("Elaborated Strategy;", 700.0, 47.0), ("Number of meetings", 700.0, 32.72))
    found, reasons = split_indicators([p], set())
    assert found == ["Elaborated Strategy", "Number of meetings"]
    assert reasons == []


def test_cell_over_two_pages_is_read_as_one_text() -> None:
    page2 = piece(("Number of discussions,", 710.0, 32.72))
    page3 = Piece(
        bbox=BBox(x0=615.2, top=51.0, x1=734.2, bottom=198.0),
        lines=[
            text_line("information meetings and", x0=LEFT, top=51.0, x1=720.0, first_word_width=45.0),
            text_line("conferences;", x0=LEFT, top=64.0, x1=670.0, first_word_width=49.0),
            text_line("Territorial coverage;", x0=LEFT, top=77.0, x1=700.0, first_word_width=41.0),
        ],
    )
    found, _ = split_indicators([page2, page3], set())
    assert found == ["Number of discussions, information meetings and conferences", "Territorial coverage"]


def test_opener_at_the_top_of_the_next_page_splits() -> None:
    page1 = piece(("Number of meetings", 650.0, 32.72))
    page2 = Piece(
        bbox=BBox(x0=615.2, top=51.0, x1=734.2, bottom=198.0),
        lines=[text_line("Number of visits", x0=LEFT, top=51.0, x1=690.0, first_word_width=32.72)],
    )
    found, reasons = split_indicators([page1, page2], {"Number"})
    assert found == ["Number of meetings", "Number of visits"]
    assert len(reasons) == 1
    assert '"Number"' in reasons[0]


def test_no_typed_break_is_read_across_a_page_break() -> None:
    # the lines share no box, so a short last line on page 1 says nothing: only openers split
    page1 = piece(("Number of meetings", 650.0, 32.72))
    page2 = Piece(
        bbox=BBox(x0=615.2, top=51.0, x1=734.2, bottom=198.0),
        lines=[text_line("Territorial coverage", x0=LEFT, top=51.0, x1=690.0, first_word_width=41.0)],
    )
    found, reasons = split_indicators([page1, page2], {"Number"})
    assert found == ["Number of meetings Territorial coverage"]
    assert reasons == []


def test_empty_cell_has_no_indicators() -> None:
    assert split_indicators([], {"Number"}) == ([], [])
    assert split_indicators([Piece(bbox=BOX, lines=[])], {"Number"}) == ([], [])


# --- line geometry -------------------------------------------------------------------------

# "Number" is 32.72 pt wide (as measured in the real PDF)
TYPED = piece(
    ("Number and type of", 700.0, 32.72),
    ("informative meetings", 680.0, 46.0),  # 680 + 2.5 + 32.72 = 715.2: "Number" fits -> typed break
    ("Number of participating", 715.0, 32.72),
    ("children", 650.0, 33.0),
)
WRAPPED = piece(
    ("Number and type of", 700.0, 32.72),
    ("informative meetings", 700.0, 46.0),  # 700 + 2.5 + 32.72 = 735.2: "Number" would not fit
    ("Number of participating", 715.0, 32.72),
    ("children", 650.0, 33.0),
)
TWO = ["Number and type of informative meetings", "Number of participating children"]


def test_typed_line_break_before_a_capital_splits() -> None:
    found, reasons = split_indicators([TYPED], set())
    assert found == TWO
    assert len(reasons) == 1
    assert "typed line break" in reasons[0]
    assert "Number of participating" in reasons[0]


def test_wrapped_line_before_a_capital_does_not_split() -> None:
    found, reasons = split_indicators([WRAPPED], set())
    assert found == [" ".join(TWO)]
    assert reasons == []


def test_wrapped_line_opening_with_an_opener_splits() -> None:
    found, reasons = split_indicators([WRAPPED], {"Number"})
    assert found == TWO
    assert len(reasons) == 1
    assert '"Number"' in reasons[0]


def test_the_fit_test_uses_the_cell_right_margin() -> None:
    # threshold: x1 + 3.5 (0.35 x a 10 pt line) + 32.72 < 728.2  <=>  x1 < 691.98
    def split_at(x1: float) -> int:
        p = piece(("Number of meetings", x1, 32.72), ("Number of visits", 690.0, 32.72))
        return len(split_indicators([p], set())[0])

    assert split_at(691.5) == 2
    assert split_at(692.5) == 1


def test_a_wide_space_font_does_not_turn_a_wrap_into_a_typed_break() -> None:
    # fpdf2 / Vera 9 pt: a space is 2.86 pt, and "Georgian" missed the line by 0.07 pt, so the
    # printer wrapped it; a space estimate of 2.25 pt had read the break as typed (found by plangen)
    right = 728.2
    first_word = 40.0
    x1 = right - 2.86 - first_word + 0.07
    p = piece(("Operative", x1, 45.0), ("Georgian concluding", 690.0, first_word))
    assert split_indicators([p], set())[0] == ["Operative Georgian concluding"]


def test_real_capitalised_wrap_is_not_split() -> None:
    # activity 2.1.3 as printed (page 2): "TV channels" wraps, it does not start an indicator
    p = piece(
        ("distribution area of", 696.67, 46.05),
        ("broadcasted video", 693.15, 47.67),
        ("recordings;", 665.64, 44.94),
        ("Number of relevant TV", 714.77, 32.72),
        ("clips with the reference of", 725.04, 18.87),
        ("TV channels and time of", 719.47, 13.32),
        ("launch", 647.29, 26.59),
    )
    found, reasons = split_indicators([p], {"Number", "The"})
    assert found == GOLD_INDICATORS["2.1.3"]
    assert reasons == []


@pytest.mark.parametrize("ending", [",", "-", "–", "/", ":", "("])
def test_capitalised_line_after_a_joiner_is_never_split(ending: str) -> None:
    # the next word both fits (typed) and is an opener: the joiner still wins
    p = piece((f"Number of meetings{ending}", 650.0, 32.72), ("Published information", 700.0, 41.0))
    found, reasons = split_indicators([p], {"Published"})
    assert len(found) == 1
    assert found[0].startswith("Number of meetings")
    assert found[0].endswith("Published information")
    assert reasons == []


def test_hyphen_at_line_end_joins_without_space() -> None:
    p = piece(("Organized activities for World Anti-", 690.0, 40.0), ("Trafficking Day", 690.0, 45.0))
    found, reasons = split_indicators([p], {"Trafficking"})
    assert found == ["Organized activities for World Anti-Trafficking Day"]
    assert reasons == []


@pytest.mark.parametrize("next_line", ["and participants", "(min: 24 and max: 40)", "24 trainings"])
def test_line_not_starting_with_a_capital_is_never_split(next_line: str) -> None:
    p = piece(("Number of meetings", 650.0, 32.72), (next_line, 700.0, 15.0))
    found, reasons = split_indicators([p], {"Number", "and", "min"})
    assert found == [f"Number of meetings {next_line}"]
    assert reasons == []


# --- openers -------------------------------------------------------------------------------


def test_openers_learns_words_opening_two_or_more_indicators() -> None:
    cells = [
        "Number of meetings and participants; Published information on official web-site",
        "Number of identified homeless children; Number of granted identification documents;",
        "Published information on web-site;",
        "Elaborated Strategy;",
        "number of visits; reports developed based on the monitoring",
        "Territorial coverage (Territorial units; Territorial bodies)",
        '"Training center" events; Examined TIP cases',
    ]
    assert openers(cells) == {"Number", "Published"}


def test_opener_counts_across_cells() -> None:
    assert openers(["Elaborated Strategy;", "Elaborated Guidelines"]) == {"Elaborated"}
    assert openers(["Elaborated Strategy;"]) == set()
    assert openers([]) == set()


# --- golden: every activity of the real plan ------------------------------------------------


@pytest.fixture(scope="module")
def real_assembly():
    doc = extract_document(SHIPPED.pdf, engine="pdfplumber")
    return assemble(doc.tables, Layout.load())


def test_real_plan_openers(real_assembly) -> None:
    learned = openers([block_text(b, "indicator") for b in real_assembly.activities])
    assert "Number" in learned
    assert all(w[0].isupper() for w in learned)


def test_split_indicators_matches_gold_for_every_activity(real_assembly) -> None:
    opening = openers([block_text(b, "indicator") for b in real_assembly.activities])
    got = {
        b.number: split_indicators(
            [Piece(f.bbox, f.lines) for f in b.fragments.get("indicator", [])], opening
        )[0]
        for b in real_assembly.activities
    }
    assert list(got) == list(GOLD_INDICATORS)
    assert got == GOLD_INDICATORS


def test_full_stop_before_an_opener_splits_a_reflowed_cell() -> None:
    first, second = "Number of identified and referred alleged cases of labor exploitations", "Number of x"
    assert sentences(f"{first}. {second}", {"Number"}) == (
        [first, second],
        ['split after a full stop before "Number", which opens other indicators'],
    )
    assert sentences("Number of meetings and subject discussed.", {"Number"})[0] == [
        "Number of meetings and subject discussed."
    ]
    assert sentences("Number of reports, e.g. Number of visits", {"Number"})[0] == [
        "Number of reports, e.g. Number of visits"
    ]
    assert sentences("cases exploitations. Number of x", set())[0] == ["cases exploitations. Number of x"]


def test_bulleted_indicators_are_split() -> None:
    lines = ["• Number of visits", "• Number of reports developed", "based on the monitoring"]
    found, _ = split_indicators([piece(*[(t, 650.0, 10.0) for t in lines])], set())
    assert found == ["Number of visits", "Number of reports developed based on the monitoring"]


# --- scripts without capitals (Georgian) ----------------------------------------------------


@pytest.mark.parametrize(
    ("word", "opens"),
    [("Number", True), ("number", False), ("TIP", True), ("24", False), ("(min", False), ("", False),
     ("მონაწილე", True), ("ᲛᲝᲜᲐᲬᲘᲚᲔ", True)],
)  # fmt: skip
def test_a_sentence_opens_with_a_capital_or_with_any_letter_of_a_caseless_script(word, opens) -> None:
    assert opens_sentence(word) is opens


# the indicator column of the Georgian plan as printed (DejaVu Sans 8.5 pt, 9.15 pt line boxes)
KA_BOX = BBox(x0=623.97, top=118.55, x1=737.13, bottom=320.0)
KA_LEFT = 627.97


def ka_piece(*lines: tuple[str, float, float]) -> Piece:
    """A cell of the Georgian plan's indicator column; each line is (text, x1, first_word_width)."""
    return Piece(
        bbox=KA_BOX,
        lines=[
            text_line(text, x0=KA_LEFT, top=KA_BOX.top + 10.2 * i, x1=x1, first_word_width=fww, height=9.15)
            for i, (text, x1, fww) in enumerate(lines)
        ],
    )


def test_typed_line_break_before_a_georgian_word_splits() -> None:
    # 2.2.2 as printed: "მონაწილე" (42.01 pt) would have fitted after "და სახე"
    p = ka_piece(
        ("საინფორმაციო", 690.67, 62.7),
        ("შეხვედრების რაოდენობა", 732.53, 53.04),
        ("და სახე", 659.41, 11.25),
        ("მონაწილე ბავშვების", 712.01, 42.01),
        ("რაოდენობა", 676.79, 48.82),
    )
    found, reasons = split_indicators([p], openers(KA_CELLS), closers(KA_CELLS))
    assert found == KA_INDICATORS["2.2.2"]
    assert len(reasons) == 1
    assert "typed line break" in reasons[0]


def test_a_wrapped_georgian_line_opening_with_an_opener_does_not_split() -> None:
    # 2.1.6 as printed: "შეხვედრებისა" opens other indicators of the plan, but it did not fit on
    # the line before, and without a capital nothing says it starts an indicator
    opening = openers(KA_CELLS)
    assert "შეხვედრებისა" in opening
    p = ka_piece(
        ("დისკუსიების,", 681.58, 53.61),
        ("საინფორმაციო", 690.67, 62.7),
        ("შეხვედრებისა და", 699.27, 57.35),
        ("კონფერენციების", 697.03, 69.06),
        ("რაოდენობა;", 679.65, 51.68),
        ("ტერიტორიული", 690.26, 62.29),
        ("დაფარვა;", 668.82, 40.85),
        ("მონაწილეთა რაოდენობა", 732.6, 53.12),
    )
    found, reasons = split_indicators([p], opening, closers(KA_CELLS))
    assert found == KA_INDICATORS["2.1.6"]
    assert reasons == []


def test_openers_and_closers_of_the_georgian_plan() -> None:
    """Learned from the ';'-separated cells: Georgian opens indicators with lowercase letters, and
    most of them end with the word the plan ends them with most."""
    learned = openers(KA_CELLS)
    assert learned and all(not w[0].isupper() for w in learned)
    endings = [ind.split()[-1] for inds in KA_INDICATORS.values() for ind in inds]
    most = max(set(endings), key=endings.count)
    assert most in closers(KA_CELLS)
    assert closers(["Number of visits; Reports"]) == set()
    assert closers(["Number of visits; Trainings", "Number of visits"]) == {"visits"}
    assert closers(["count (min: 24); count (max: 40)"]) == set()  # a number closes nothing


def test_full_stop_after_a_closer_splits_a_reflowed_cell() -> None:
    # 4.2.4 reflowed: "... რაოდენობა. შრომის ..." where "შრომის" opens no other indicator
    first, second, third = KA_INDICATORS["4.2.4"]
    closing = closers(KA_CELLS)
    assert third.split()[0] not in openers(KA_CELLS)
    assert sentences(f"{second}. {third}", set(), closing) == (
        [second, third],
        [f'split after a full stop after "{second.split()[-1]}", which closes other indicators'],
    )
    # the full stop must be followed by what opens a sentence, and not end an abbreviation
    assert sentences("Number of visits. and more", set(), {"visits"})[0] == ["Number of visits. and more"]
    assert sentences("Number of visits e.g. Reports", set(), {"g"})[0] == ["Number of visits e.g. Reports"]
    assert sentences(f"{second}. {third}", set(), set())[0] == [f"{second}. {third}"]


def test_split_indicators_matches_gold_for_every_georgian_activity(tmp_path) -> None:
    """The Georgian plan as printed (reportlab, DejaVu Sans): every cell split as its gold says."""
    doc = extract_document(GEORGIAN.source(tmp_path), engine="pdfium")
    blocks = assemble(doc.tables, Layout.load()).activities
    cells = [block_text(b, "indicator") for b in blocks]
    opening, closing = openers(cells), closers(cells)
    got = {
        b.number: split_indicators(
            [Piece(f.bbox, f.lines) for f in b.fragments.get("indicator", [])], opening, closing
        )[0]
        for b in blocks
    }
    assert got == KA_INDICATORS
