"""Joining a cell's printed lines: the hyphen and slash rule, whitespace folding, no respelling."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.text import fold, glue, is_glued, join_lines


def non_space(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # line-wrap artefacts of the Georgian 2019-2020 plan
        (["Anti-", "Trafficking"], "Anti-Trafficking"),
        (["rehabilitation-", "reintegration"], "rehabilitation-reintegration"),
        (["e-", "mail"], "e-mail"),
        (["victims/", "statutory victims"], "victims/statutory victims"),
        (["investigations/", "prosecutions"], "investigations/prosecutions"),
        # a browser breaks "2019-2020" after its hyphen, as it does "Anti-Trafficking"
        (["2019-", "2020"], "2019-2020"),
        # a hyphen that stands alone keeps the line break's space
        (["trainee -", "prosecutors"], "trainee - prosecutors"),
        (["2019 -", "2020"], "2019 - 2020"),
        (["-", "x"], "- x"),
        # trailing whitespace after the hyphen or slash does not hide it
        (["Anti- ", "Trafficking"], "Anti-Trafficking"),
        (["investigations/ ", "prosecutions"], "investigations/prosecutions"),
        # any letter counts, not only ASCII
        (["Ä-", "b"], "Ä-b"),
        (["(e-", "mail)"], "(e-mail)"),
        # an ordinary break is a space
        (["LELP Crime Prevention", "Center;"], "LELP Crime Prevention Center;"),
        (
            ["Leading: The State Fund", "(within a social advertising)"],
            "Leading: The State Fund (within a social advertising)",
        ),
    ],
)
def test_join_lines(lines: list[str], expected: str) -> None:
    assert join_lines(lines) == expected


def test_join_lines_folds_whitespace_inside_and_between_lines() -> None:
    assert join_lines(["  Ministry of\tJustice  ", "\n of   Georgia "]) == "Ministry of Justice of Georgia"


def test_join_lines_skips_blank_lines() -> None:
    assert join_lines(["", "   ", "Judiciary", "\t", "of Georgia", ""]) == "Judiciary of Georgia"


def test_join_lines_of_nothing_is_empty() -> None:
    assert join_lines([]) == ""
    assert join_lines(["", "  \n"]) == ""


def test_blank_line_between_hyphen_and_word_still_glues() -> None:
    assert join_lines(["Anti-", "   ", "Trafficking"]) == "Anti-Trafficking"


def test_hyphen_at_end_of_last_line_is_kept() -> None:
    assert join_lines(["Anti-"]) == "Anti-"
    assert join_lines(["A-", ""]) == "A-"


@pytest.mark.parametrize(
    "lines",
    [
        ["LELP", "Social Service Agency"],
        ["stuff", "and things"],
        ["The Chief Prosecutor's Office", "of Georgia"],
        ['LELP "Training center of', 'Justice of Georgia"'],
    ],
)
def test_join_lines_never_changes_spelling(lines: list[str]) -> None:
    assert join_lines(lines) == " ".join(lines)


def test_join_lines_keeps_lelp_misspelling() -> None:
    assert join_lines(["LELP"]) == "LELP"
    assert join_lines(["stuff"]) == "stuff"


@pytest.mark.parametrize(
    ("left", "expected"),
    [
        ("Anti-", ""),
        ("e-", ""),
        ("victims/", ""),
        ("a/ ", ""),
        ("Anti- ", ""),
        ("trainee -", " "),
        ("2019-", ""),
        ("-", " "),
        ("x", " "),
        ("", " "),
        ("LELP", " "),
    ],
)
def test_glue(left: str, expected: str) -> None:
    assert glue(left, "next") == expected


@pytest.mark.parametrize(
    ("left", "expected"),
    [
        ("Anti-", True),
        ("victims/", True),
        ("e-", True),
        ("trainee -", False),
        ("2019-", True),
        ("Georgia;", False),
        ("", False),
    ],
)
def test_is_glued(left: str, expected: bool) -> None:
    assert is_glued(left) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  a \t\n b\xa0 c  ", "a b c"),
        ("Ministry   of Justice", "Ministry of Justice"),
        ("\n\n", ""),
        ("", ""),
        ("already clean", "already clean"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_does_not_touch_punctuation_or_spelling() -> None:
    assert fold(" trainee  -  prosecutors ") == "trainee - prosecutors"
    assert fold("LELP  stuff") == "LELP stuff"


# ---------------------------------------------------------------- properties

lines_strategy = st.lists(st.text(max_size=30), max_size=8)
line_alphabet = st.sampled_from(list("ab-/ Z9\t\n.(),;"))
rule_lines = st.lists(st.text(alphabet=line_alphabet, max_size=12), max_size=8)


@given(lines_strategy)
def test_join_lines_keeps_non_space_characters(lines: list[str]) -> None:
    assert non_space(join_lines(lines)) == non_space("".join(lines))


@given(rule_lines)
def test_join_lines_keeps_non_space_characters_around_hyphens(lines: list[str]) -> None:
    assert non_space(join_lines(lines)) == non_space("".join(lines))


@given(lines_strategy)
def test_join_lines_output_is_folded(lines: list[str]) -> None:
    out = join_lines(lines)
    assert fold(out) == out


def rule_separator(left: str) -> str:
    """The rule as documented: no space after a slash or after a hyphen that follows a letter or digit."""
    if left.endswith("/") or (left.endswith("-") and len(left) >= 2 and left[-2].isalnum()):
        return ""
    return " "


@given(rule_lines)
def test_join_lines_joins_folded_lines_by_the_hyphen_rule(lines: list[str]) -> None:
    folded = [fold(x) for x in lines if fold(x)]
    expected = "".join(
        line if i == 0 else rule_separator(folded[i - 1]) + line for i, line in enumerate(folded)
    )
    assert join_lines(lines) == expected


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_keeps_non_space_characters_and_leaves_single_spaces(text: str) -> None:
    out = fold(text)
    assert non_space(out) == non_space(text)
    assert "  " not in out
    assert out == out.strip()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("• Ministry A • Ministry B", "; Ministry A; Ministry B"),
        ("Ministry A; • Ministry B", "Ministry A; Ministry B"),
        ("▪ Number of visits ▪ Number of reports", "; Number of visits; Number of reports"),
        (
            "Ministry of Education, Science, Culture and Sport",
            "Ministry of Education, Science, Culture and Sport",
        ),
        ("trainee - prosecutors", "trainee - prosecutors"),  # a dash is no bullet
        ("· Ministry A · Ministry B", "; Ministry A; Ministry B"),  # a middle dot standing alone
        ("Ministry A; · Ministry B", "Ministry A; Ministry B"),
        ("Col·legi d'Advocats", "Col·legi d'Advocats"),  # a middle dot inside a word is no bullet
    ],
)
def test_bullets_read_as_list_separators(text: str, expected: str) -> None:
    from normalize.text import bullets_to_separators

    assert bullets_to_separators(text) == expected
