"""extract.chars: which characters form a line, how it is spelled, and where its first word ends."""

from __future__ import annotations

import random

import pytest

from extract.chars import Char, group_lines, line_text, lines_in, make_line
from schema.models import BBox

SIZE = 10.0
W = 5.0  # glyph width used by the builders below


def word_chars(
    text: str, x0: float = 100.0, top: float = 50.0, gap: float = 0.0, size: float = SIZE
) -> list[Char]:
    """One Char per character, each W wide, `gap` points of empty space between glyphs.

    Spaces in `text` become space glyphs (as most PDFs print them).
    """
    out, x = [], x0
    for ch in text:
        out.append(Char(ch, x, x + W, top, top + size, size))
        x += W + gap
    return out


def glyphs(*words: tuple[str, float], top: float = 50.0) -> list[Char]:
    """Words without space glyphs, each given with its x0: the gaps alone separate them."""
    return [c for text, x0 in words for c in word_chars(text, x0=x0, top=top)]


# --- line_text -----------------------------------------------------------------------------


def test_gap_wider_than_a_fifth_of_the_size_becomes_a_space() -> None:
    # "Number" ends at 130; "of" starts 2.5 pt later (> 0.2 * 10)
    assert line_text(glyphs(("Number", 100), ("of", 132.5))) == "Number of"


def test_gap_narrower_than_a_fifth_of_the_size_is_no_space() -> None:
    # 1.5 pt of kerning is not a word space
    assert line_text(glyphs(("Number", 100), ("of", 131.5))) == "Numberof"


def test_space_glyph_followed_by_a_gap_gives_one_space() -> None:
    chars = word_chars("TIP ", x0=100) + word_chars("council", x0=130)  # space glyph, then a 10 pt gap
    assert line_text(chars) == "TIP council"


def test_runs_of_spaces_and_edges_are_folded() -> None:
    chars = word_chars("  The   State Fund  ")
    assert line_text(chars) == "The State Fund"


def test_tracking_inside_a_word_stays_one_word() -> None:
    assert line_text(word_chars("Timeline", gap=1.0)) == "Timeline"


# --- make_line -----------------------------------------------------------------------------


def test_make_line_measures_the_first_word_up_to_a_space_glyph() -> None:
    line = make_line(word_chars("Number of meetings", x0=100))
    assert line is not None
    assert line.text == "Number of meetings"
    assert line.first_word_width == pytest.approx(6 * W)
    assert (line.x0, line.x1) == (100.0, pytest.approx(100 + 18 * W))
    assert (line.top, line.bottom) == (50.0, 60.0)


def test_make_line_measures_the_first_word_up_to_a_gap() -> None:
    line = make_line(glyphs(("Elaborated", 100), ("Strategy;", 160)))
    assert line is not None
    assert line.text == "Elaborated Strategy;"
    assert line.first_word_width == pytest.approx(10 * W)
    assert line.x1 == pytest.approx(160 + 9 * W)


def test_make_line_skips_leading_spaces_for_the_first_word_and_the_box() -> None:
    line = make_line(word_chars("  ICMPD", x0=100))
    assert line is not None
    assert line.text == "ICMPD"
    assert line.x0 == 110.0
    assert line.first_word_width == pytest.approx(5 * W)


def test_make_line_of_blanks_is_none() -> None:
    assert make_line(word_chars("   ")) is None
    assert make_line([]) is None


# --- group_lines / lines_in ----------------------------------------------------------------


def test_lines_are_ordered_top_to_bottom_and_left_to_right() -> None:
    first = word_chars("Second half", top=100)
    second = word_chars("of 2020", top=112)
    chars = first + second
    random.Random(7).shuffle(chars)
    groups = group_lines(chars)
    assert ["".join(c.text for c in g) for g in groups] == ["Second half", "of 2020"]
    assert [ln.text for ln in lines_in(chars)] == ["Second half", "of 2020"]


def test_small_baseline_jitter_stays_on_one_line() -> None:
    chars = word_chars("Elaborated", top=100) + word_chars("Guidelines", x0=160, top=102.5)  # < 0.4 * size
    groups = group_lines(chars)
    assert len(groups) == 1
    assert line_text(groups[0]) == "Elaborated Guidelines"


def test_a_line_half_a_size_lower_is_a_new_line() -> None:
    chars = word_chars("Leading:", top=100) + word_chars("TIP", x0=100, top=105.0)  # 0.5 * size below
    assert [line_text(g) for g in group_lines(chars)] == ["Leading:", "TIP"]


def test_lines_in_drops_blank_lines() -> None:
    chars = word_chars("2019-2020", top=100) + word_chars("   ", top=130)
    assert [ln.text for ln in lines_in(chars)] == ["2019-2020"]


# --- which cell a glyph belongs to --------------------------------------------------------

BOX = BBox(x0=100, top=100, x1=200, bottom=150)


@pytest.mark.parametrize(
    ("x0", "x1", "top", "bottom", "expected"),
    [
        (150, 155, 120, 130, 0),  # well inside
        (196, 206, 120, 130, None),  # overlaps the right rule, centre (201) outside the pad
        (190, 208, 120, 130, 0),  # sticks out to the right, centre (199) inside
        (94, 104, 120, 130, None),  # overlaps the left rule, centre (99) outside the pad
        (150, 155, 145, 157, None),  # centre (151) below the bottom
        (150, 155, 95, 106, 0),  # touches the top rule, centre (100.5) inside
        (200.2, 200.6, 120, 130, 0),  # centre (200.4) within the 0.5 pad
        (200.6, 201.0, 120, 130, None),  # centre (200.8) beyond the pad
    ],
)
def test_a_glyph_belongs_to_the_cell_holding_its_centre(x0, x1, top, bottom, expected) -> None:
    from extract.document import owners
    from extract.grid import grid_positions

    assert owners([Char("x", x0, x1, top, bottom, SIZE)], grid_positions([BOX]), [0]) == [expected]


# --- the PDFium reader ---------------------------------------------------------------------


def test_pdfium_reads_the_printed_glyphs_and_the_line_end_hyphen() -> None:
    import pypdfium2
    from conftest import PDF

    from extract.pdfium_reader import page_chars

    doc = pypdfium2.PdfDocument(str(PDF))
    first = [ln.text for ln in lines_in(page_chars(doc[0]))]
    assert first[:3] == [
        "Approved by the Interagency Council on Combatting Trafficking in Persons",
        "On 24 December, 2018",
        "2019-2020 National Action Plan on Combating Trafficking in Persons",
    ]
    fourth = [ln.text for ln in lines_in(page_chars(doc[3]))]
    assert any(line.endswith("Anti-") for line in fourth)  # PDFium reports this hyphen as code 2


def test_a_word_overflowing_its_column_stays_in_the_cell_it_starts_in():
    from extract.chars import word_anchors

    # "Developmen" ends at the column edge (100); its "t" overflows past it; the next cell's text
    # starts at 106 after a gap.
    word = [Char(c, 60 + 4 * i, 64 + 4 * i, 10, 20, 10) for i, c in enumerate("Development")]
    other = [Char(c, 106 + 4 * i, 110 + 4 * i, 10, 20, 10) for i, c in enumerate("of")]
    anchors = word_anchors(word + other, edges=[50.0, 100.0, 150.0])
    assert anchors[: len(word)] == [0] * len(word)
    assert anchors[len(word) :] == [len(word)] * 2


def test_text_touching_a_rule_on_both_sides_is_two_words():
    from extract.chars import word_anchors

    left = [Char(c, 90 + 4 * i, 94 + 4 * i, 10, 20, 10) for i, c in enumerate("ab")]  # ends at 98
    right = [
        Char(c, 99 + 4 * i, 103 + 4 * i, 10, 20, 10) for i, c in enumerate("cd")
    ]  # 1 pt gap over edge 98.5
    assert word_anchors(left + right, edges=[98.5]) == [0, 0, 2, 2]
