"""Bracket-aware helpers: top-level splitting, trailing groups, unwrapping, hereinafter definitions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.parens import balanced, drop_hereinafter, split_top, trailing_group, unwrap

MOJ_UNITS = (
    "Ministry of Justice of Georgia (Public Service Development Agency, Training Center of Justice, "
    "Crime Prevention Center; Public Service Hall)"
)


# ---------------------------------------------------------------- split_top


def test_separators_inside_parentheses_do_not_split() -> None:
    assert split_top(MOJ_UNITS, ";") == [MOJ_UNITS]
    assert split_top(MOJ_UNITS, ",") == [MOJ_UNITS]
    assert split_top(MOJ_UNITS, ",;") == [MOJ_UNITS]


def test_split_top_splits_outside_parentheses() -> None:
    text = f"Leading: {MOJ_UNITS}; The Ministry of Internal Affairs of Georgia; The State Fund;"
    assert split_top(text, ";") == [
        f"Leading: {MOJ_UNITS}",
        " The Ministry of Internal Affairs of Georgia",
        " The State Fund",
        "",
    ]


@pytest.mark.parametrize(
    ("text", "seps", "expected"),
    [
        ("A (b, c), D", ",", ["A (b, c)", " D"]),
        ("A, B; C", ",;", ["A", " B", " C"]),
        ("A, B; C", ";", ["A, B", " C"]),
        ("A (b (c, d), e), F", ",", ["A (b (c, d), e)", " F"]),
        ("a,,b", ",", ["a", "", "b"]),
        ("", ",", [""]),
        ("no separator", ",", ["no separator"]),
        (
            "The Ministry of Internal Affairs of Georgia;; The General Prosecutor's Office of Georgia",
            ";",
            [
                "The Ministry of Internal Affairs of Georgia",
                "",
                " The General Prosecutor's Office of Georgia",
            ],
        ),
    ],
)
def test_split_top(text: str, seps: str, expected: list[str]) -> None:
    assert split_top(text, seps) == expected


# ---------------------------------------------------------------- trailing_group


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TIP council (Ministry of Justice of Georgia)", ("TIP council", "Ministry of Justice of Georgia")),
        (
            MOJ_UNITS,
            (
                "Ministry of Justice of Georgia",
                "Public Service Development Agency, Training Center of Justice, Crime Prevention Center; "
                "Public Service Hall",
            ),
        ),
        ("International Organization of Migration (IOM)", ("International Organization of Migration", "IOM")),
        # only the last group is the trailing one
        (
            "Interagency Coordination Council on Combating Trafficking in Persons (hereinafter TIP council) "
            "(Ministry of Justice of Georgia)",
            (
                "Interagency Coordination Council on Combating Trafficking in Persons "
                "(hereinafter TIP council)",
                "Ministry of Justice of Georgia",
            ),
        ),
        # nested parentheses belong to the group
        ("A (b (c))", ("A", "b (c)")),
        ("A (b)  ", ("A", "b")),
        ("A ( b )", ("A", "b")),
    ],
)
def test_trailing_group(text: str, expected: tuple[str, str]) -> None:
    assert trailing_group(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "(LELP Social Service Agency.)",  # the group is the whole text: no head
        "The State Fund",  # no group
        "A (b) x",  # the group is not at the end
        "x)",  # unbalanced
        "",
    ],
)
def test_no_trailing_group(text: str) -> None:
    assert trailing_group(text) is None


# ---------------------------------------------------------------- unwrap


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(LELP Social Service Agency.)", "LELP Social Service Agency."),
        ("  (LELP Social Service Agency.)  ", "LELP Social Service Agency."),
        ("((A))", "A"),
        ("(A (B))", "A (B)"),
        ("(a (b) c)", "a (b) c"),
    ],
)
def test_unwrap_drops_wrapping_parentheses(text: str, expected: str) -> None:
    assert unwrap(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "TIP council (Ministry of Justice of Georgia)",
        "International Organization of Migration (IOM)",
        "(A) (B)",  # two groups: neither wraps the whole item
        "(A) and (B)",
        "(a)(b)",
        "(A",
        "The State Fund",
    ],
)
def test_unwrap_leaves_other_text(text: str) -> None:
    assert unwrap(text) == text


# ---------------------------------------------------------------- drop_hereinafter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Interagency Coordination Council on Combating Trafficking in Persons (hereinafter TIP council) "
            "(Ministry of Justice of Georgia)",
            "Interagency Coordination Council on Combating Trafficking in Persons "
            "(Ministry of Justice of Georgia)",
        ),
        (
            "The State Fund for Protection and Assistance of (Statutory) Victims of Trafficking in Persons "
            "(hereinafter – State Fund)",
            "The State Fund for Protection and Assistance of (Statutory) Victims of Trafficking in Persons",
        ),
        ("X (Hereinafter: Y)", "X"),
        ("X ( hereinafter Y )", "X"),
        ("(hereinafter TIP council)", ""),
    ],
)
def test_drop_hereinafter(text: str, expected: str) -> None:
    assert drop_hereinafter(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "International Organization of Migration (IOM)",
        "The State Fund (within a social advertising)",
        "X (hereinafterX)",  # not the word "hereinafter"
        "The State Fund for Protection and Assistance of (Statutory) Victims of Trafficking in Persons",
    ],
)
def test_drop_hereinafter_keeps_other_parentheses(text: str) -> None:
    assert drop_hereinafter(text) == text


# ---------------------------------------------------------------- balanced


@pytest.mark.parametrize(
    ("text", "expected"),
    [(MOJ_UNITS, True), ("", True), ("(a (b))", True), ("(a", False), ("a)", False), (")(", False)],
)
def test_balanced(text: str, expected: bool) -> None:
    assert balanced(text) is expected


# ---------------------------------------------------------------- properties

texts = st.text(alphabet=st.sampled_from(list("ab ,;()")), max_size=40)


@given(texts, st.sampled_from([",", ";"]))
def test_split_top_parts_join_back_to_input(text: str, sep: str) -> None:
    assert sep.join(split_top(text, sep)) == text


@given(st.text(max_size=40), st.sampled_from([",", ";", "/"]))
def test_split_top_parts_join_back_to_any_input(text: str, sep: str) -> None:
    assert sep.join(split_top(text, sep)) == text


@given(st.text(alphabet=st.sampled_from(list("ab ,;")), max_size=40))
def test_split_top_without_parentheses_is_str_split(text: str) -> None:
    assert split_top(text, ",") == text.split(",")


plain = st.text(alphabet=st.sampled_from(list("ab ,;")), max_size=8)
balanced_texts = st.recursive(
    plain,
    lambda inner: st.tuples(inner, inner, inner).map(lambda t: f"{t[0]}({t[1]}){t[2]}"),
    max_leaves=6,
)


@given(balanced_texts)
def test_split_top_parts_of_balanced_text_are_balanced(text: str) -> None:
    assert balanced(text)
    parts = split_top(text, ",;")
    assert all(balanced(part) for part in parts)
    assert len(parts) == 1 + sum(ch in ",;" and balanced(text[:i]) for i, ch in enumerate(text))
