"""Budget cells -> amount and currency: real forms, the plan's decimal mark, and what is no amount."""

from __future__ import annotations

import pytest

from normalize.amounts import (
    AmountColumns,
    Money,
    decimal_mark,
    format_amount,
    header_currency,
    is_amount_column,
    is_amount_header,
    read_amount,
)
from normalize.config import Layout

LAYOUT = Layout.load()


def amount(text: str, mark: str | None = None, header: str | None = None) -> Money:
    return read_amount(text, header, mark, LAYOUT)


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("15,000", 15000, None),
        ("120 000", 120000, None),
        ("120\u00a0000", 120000, None),  # a no-break space groups thousands
        ("1,500.50", 1500.5, None),
        ("GEL 15,000", 15000, "GEL"),
        ("15 000 EUR", 15000, "EUR"),
        ("Php 150000", 150000, "PHP"),  # Philippine local plan, "Form 1"
        ("75,000", 75000, None),
        ("\u20ac 2,500", 2500, "EUR"),
        ("$1,200.75", 1200.75, "USD"),
        ("US$ 300", 300, "USD"),
        ("5,000 lari", 5000, "GEL"),
        ("5000 \u20be", 5000, "GEL"),
        ("1,000,000", 1000000, None),
        ("25 500", 25500, None),
        ("10,000.", 10000, None),
        ("0", None, None),  # "0": listed as no amount
    ],
)
def test_amounts_with_no_decimal_mark_decided(text: str, value: float | None, currency: str | None) -> None:
    assert amount(text) == Money(value, currency)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("240,9", 240.9),  # Ukrainian plan, "forecast funding, thousand hryvnias"
        ("15.000,50", 15000.5),
        ("15.000", 15000),
        ("120 000,25", 120000.25),
        ("1.000.000", 1000000),
        ("15,000", 15),  # in a comma-decimal plan, "15,000" is fifteen
        ("0,500", 0.5),
    ],
)
def test_amounts_in_a_comma_decimal_plan(text: str, value: float) -> None:
    assert amount(text, ",") == Money(value, None)


def test_currency_from_the_header_unless_the_cell_names_one() -> None:
    assert amount("15,000", header="GEL") == Money(15000, "GEL")
    clash = amount("EUR 15,000", header="GEL")
    assert (clash.value, clash.currency) == (15000, "EUR")
    assert clash.problem == "currency EUR printed in a column headed in GEL: the cell's kept"


@pytest.mark.parametrize(
    "text",
    ["", "N/A", "n/a", "-", "Not required", "Existing", "Within the agency's budget", "State budget",
     "Donor funding", "Existing, new and donor", "NATIP funds", "Non-reimbursable external financing",
     "not applicable."],
)  # fmt: skip
def test_text_that_names_no_amount_is_empty_and_quiet(text: str) -> None:
    assert amount(text) == Money()
    assert amount(text, ",") == Money()


@pytest.mark.parametrize(
    "text",
    ["15,000 GEL annually", "2019-2020", "15,00,000", "1.5.2", "10 000 EUR and 5 000 USD", "about 5,000",
     "15,000,5", "1.000,000.5"],
)  # fmt: skip
def test_digits_that_do_not_read_as_one_amount_are_reported(text: str) -> None:
    got = amount(text)
    assert got.value is None and got.currency is None
    assert got.problem == f"unparsed amount: {text}"


def test_an_amount_against_the_plans_decimal_mark_is_reported() -> None:
    got = amount("1,500.50", ",")
    assert got == Money(problem="amount 1,500.50 does not read with this plan's decimal mark \",\"")


@pytest.mark.parametrize(
    ("texts", "mark"),
    [
        (["15.000,50", "15,000", "120 000"], ","),
        (["240,9", "1 043,5", "N/A"], ","),
        (["1,500.50", "15.000", "2,000"], "."),
        (["1,000,000"], "."),  # a repeated comma groups thousands, so the point is decimal
        (["15,000", "120 000", "State budget"], None),  # nothing shows the mark
        (["240,9", "1.5"], None),  # a tie decides nothing
        ([], None),
    ],
)
def test_the_decimal_mark_is_decided_by_the_whole_plan(texts: list[str], mark: str | None) -> None:
    assert decimal_mark(texts, LAYOUT) == mark


@pytest.mark.parametrize(
    ("header", "money", "currency"),
    [
        ("Budget", True, None),
        ("Budget (GEL)", True, "GEL"),
        ("Estimated cost (EUR)", True, "EUR"),
        ("Cost", True, None),
        ("Estimated budget", True, None),
        ("Forecast funding, thousand hryvnias", True, "UAH"),
        ("Source of Funding", False, None),
        ("Funding source", False, None),
        ("Resources", False, None),
        ("Status", False, None),
        ("Costing notes", False, None),
    ],
)
def test_amount_headers(header: str, money: bool, currency: str | None) -> None:
    assert is_amount_header(header, LAYOUT) is money
    assert header_currency(header, LAYOUT) == currency


def test_a_text_column_holds_money_when_most_of_its_cells_are_amounts() -> None:
    assert is_amount_column("Resources", ["10,000 GEL", "25 500", "Existing", ""], LAYOUT)
    assert not is_amount_column("Resources", ["Existing, new and donor", "State budget", "10,000"], LAYOUT)
    assert not is_amount_column("Year", ["2019", "2020", "2020"], LAYOUT)  # years are no money
    assert not is_amount_column("Source of Funding", ["State budget", "Donor funding"], LAYOUT)
    assert is_amount_column("Budget", ["State budget", "Not required"], LAYOUT)  # by its header


def test_amount_columns_of_a_plan() -> None:
    columns = [("budget_gel", "Budget (GEL)"), ("source_of_funding", "Source of Funding"), ("cost", "Cost")]
    cells = {"budget_gel": ["15.000,50", "N/A"], "source_of_funding": ["State budget"], "cost": ["1.500"]}
    money = AmountColumns(columns, cells, LAYOUT)
    assert money.currency == {"budget_gel": "GEL", "cost": None}
    assert money.mark == ","
    assert money.read("cost", "1.500") == Money(1500, None)
    assert money.read("budget_gel", "15.000,50") == Money(15000.5, "GEL")


def test_derived_names_the_plan_already_prints_are_not_derived() -> None:
    columns = [("budget", "Budget"), ("budget_amount", "Budget amount")]
    money = AmountColumns(columns, {"budget": ["10"], "budget_amount": ["10"]}, LAYOUT)
    assert money.clashes == ["budget"]
    assert "budget" not in money.currency


@pytest.mark.parametrize(
    ("value", "text"),
    [(15000.0, "15000"), (15000.5, "15000.5"), (0.25, "0.25"), (1e7, "10000000"), (None, "")],
)
def test_format_amount(value: float | None, text: str) -> None:
    assert format_amount(value) == text
