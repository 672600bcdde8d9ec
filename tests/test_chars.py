"""extract.chars: which characters form a line, how it is spelled, and where its first word ends."""

from __future__ import annotations

import random

import pytest

from extract.char import Char
from extract.chars import group_lines, line_text, lines_in, make_line
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
    from documents import SHIPPED

    from extract.pdfium_reader import page_chars

    doc = pypdfium2.PdfDocument(str(SHIPPED.pdf))
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


# --- ligatures and private-use bullets (extract/glyphs.py) -----------------------------------


def test_a_ligature_glyph_reads_as_its_letters_sharing_its_box() -> None:
    from extract.glyphs import fold_glyph

    parts = fold_glyph(Char("\ufb03", 100, 115, 50, 60, SIZE, 58))
    assert [(c.text, c.x0, c.x1, c.top, c.bottom, c.base) for c in parts] == [
        ("f", 100, 105, 50, 60, 58),
        ("f", 105, 110, 50, 60, 58),
        ("i", 110, 115, 50, 60, 58),
    ]


@pytest.mark.parametrize(
    ("glyph", "letters"),
    [("\ufb00", "ff"), ("\ufb01", "fi"), ("\ufb02", "fl"), ("\ufb03", "ffi"), ("\ufb04", "ffl")],
)
def test_a_word_printed_with_a_ligature_is_one_word_of_letters(glyph: str, letters: str) -> None:
    from extract.glyphs import fold_glyph

    # "e" + ligature (drawn as one glyph two or three letters wide) + "ort", no gaps: one word
    lig = Char(glyph, 105, 105 + W * len(letters), 50, 60, SIZE)
    chars = word_chars("e", x0=100) + fold_glyph(lig) + word_chars("ort", x0=lig.x1)
    chars += word_chars(" data", x0=lig.x1 + 3 * W)
    assert [ln.text for ln in lines_in(chars)] == [f"e{letters}ort data"]


@pytest.mark.parametrize("code", ["\uf0b7", "\uf0a7", "\uf076", "\uf0d8", "\uf0fc"])
def test_a_private_use_bullet_reads_as_a_bullet_and_opens_a_list_item(code: str) -> None:
    from extract.glyphs import fold_glyph
    from normalize.text import bullets_to_separators

    line = fold_glyph(Char(code, 100, 104, 50, 60, SIZE)) + word_chars("The State Fund", x0=112)
    assert line_text(line) == "• The State Fund"
    assert bullets_to_separators("Ministry A " + line_text(line)) == "Ministry A; The State Fund"


def test_letters_reported_with_one_shared_box_share_it_out() -> None:
    from extract.glyphs import share_boxes

    # PDFium reads a ligature glyph "ﬃ" (15 pt wide) as "f", "f", "i", each with the whole box
    ligature = [Char(t, 100, 115, 50, 60, SIZE) for t in "ffi"]
    chars = word_chars("e", x0=95) + ligature + word_chars("x", x0=115)
    assert [(c.text, c.x0, c.x1) for c in share_boxes(chars)] == [
        ("e", 95, 100), ("f", 100, 105), ("f", 105, 110), ("i", 110, 115), ("x", 115, 120)
    ]  # fmt: skip
    apart = word_chars("eff")  # boxes side by side: left alone
    assert [(c.text, c.x0, c.x1) for c in share_boxes(apart)] == [(c.text, c.x0, c.x1) for c in apart]


def test_other_glyphs_are_not_folded() -> None:
    from extract.glyphs import fold_glyph

    ch = Char("·", 100, 104, 50, 60, SIZE)
    assert fold_glyph(ch) == [ch]


# --- footnote markers (extract/superscripts.py) ----------------------------------------------

SMALL = 6.0


def raised(text: str, x0: float, rise: float = 4.0, size: float = SMALL, top: float = 50.0) -> list[Char]:
    """Glyphs `size` high whose baseline is `rise` above the body's (the body's baseline is at its
    box bottom in these builders: top + SIZE)."""
    base = top + SIZE - rise
    return [Char(c, x0 + 3 * i, x0 + 3 * (i + 1), base - size, base, size, base) for i, c in enumerate(text)]


def test_a_raised_small_letter_after_a_word_is_a_marker_not_part_of_the_word() -> None:
    word = word_chars("improved", x0=100)
    [line] = lines_in(word + raised("e", word[-1].x1) + word_chars(" access", x0=word[-1].x1 + 3))
    assert line.text == "improved access"
    assert [(m.word, m.marker) for m in line.markers] == [("improved", "e")]


def test_a_marker_before_punctuation_leaves_the_punctuation_in_the_text() -> None:
    word = word_chars("victims", x0=100)
    tail = word_chars(", and", x0=word[-1].x1 + 6)
    [line] = lines_in(word + raised("12", word[-1].x1) + tail)
    assert line.text == "victims, and"
    assert [(m.word, m.marker) for m in line.markers] == [("victims", "12")]


def test_the_line_box_still_covers_the_marker_printed() -> None:
    word = word_chars("Number", x0=100)
    [line] = lines_in(word + raised("1", word[-1].x1))
    assert (line.text, line.x0, line.x1) == ("Number", 100, 133)


@pytest.mark.parametrize(
    ("mark", "why"),
    [
        (raised("e", 140, rise=0.0), "small but on the body's baseline"),
        (raised("e", 140, rise=-2.0), "small and lowered: a subscript"),
        (raised("e", 140, size=9.5), "raised but hardly smaller"),
        (raised("e", 145), "raised and small but after a gap: it stands alone"),
    ],
)
def test_small_or_raised_glyphs_that_are_no_marker_stay_in_the_text(mark: list[Char], why: str) -> None:
    [line] = lines_in(word_chars("improved", x0=100) + mark)
    assert line.markers == [], why
    assert line.text.replace(" ", "") == "improvede", why


def test_a_raised_ordinal_after_a_digit_stays_with_its_number() -> None:
    day = word_chars("18", x0=100)
    [line] = lines_in(day + raised("th", day[-1].x1) + word_chars(" October", x0=day[-1].x1 + 6))
    assert (line.text, line.markers) == ("18th October", [])


def test_a_line_in_one_size_is_left_as_it_is() -> None:
    from extract.superscripts import split_markers

    chars = word_chars("improved e")
    assert split_markers(chars) == (chars, [])


def test_text_outside_a_table_keeps_its_markers_in_place() -> None:
    from extract.chars import printed_lines

    word = word_chars("improved", x0=100)
    assert printed_lines(word + raised("e", word[-1].x1) + word_chars("   ", top=80)) == ["improvede"]
