"""Read money from budget cells ("15,000", "120 000", "15.000,50", "GEL 15,000", "Php 150000").

Which mark is the decimal one is decided per document, not per cell: "15,000" alone may be fifteen
thousand or fifteen, but "240,9" or "15.000,50" in the same plan settles it. Cells that name no
amount ("State budget", "Not required") give no number and no review item; a cell with digits that
do not read as one amount is left empty and reported, never guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from normalize.config import Layout
from normalize.header import header_key
from normalize.text import fold
from schema.names import quoted

MARKS = (".", ",")  # the two marks that may be decimal; either may also group thousands
GROUP_SPACES = " '\u2019\u00a0\u202f\u2009"  # never decimal: space, apostrophe, (narrow) no-break, thin
_NUMBER = re.compile(rf"^\d[\d{re.escape(GROUP_SPACES)}.,]*$")
UNPARSED = "unparsed amount: {}"
AGAINST_MARK = "amount {} does not read with this plan's decimal mark {}"
CURRENCY_CLASH = "currency {} printed in a column headed in {}: the cell's kept"


@dataclass(frozen=True)
class Money:
    """What one cell says: a number and an ISO currency, or a reason it was not read."""

    value: float | None = None
    currency: str | None = None
    problem: str | None = None


def _currency_pattern(layout: Layout) -> re.Pattern[str]:
    """Currency names and symbols, longest first; a word only as a whole word ("lei", not "leisure")."""
    names = sorted({n for ns in layout.currencies.values() for n in ns}, key=len, reverse=True)
    parts = [rf"(?<!\w){re.escape(n)}(?!\w)" if n[-1].isalnum() else re.escape(n) for n in names]
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


def _codes(layout: Layout) -> dict[str, str]:
    return {n.casefold(): code for code, ns in layout.currencies.items() for n in ns}


def currencies_in(text: str, layout: Layout) -> tuple[list[str], str]:
    """The ISO codes named in text, and the text without them."""
    pattern, codes = _currency_pattern(layout), _codes(layout)
    found = [codes[m.group(0).casefold()] for m in pattern.finditer(text)]
    return list(dict.fromkeys(found)), fold(pattern.sub(" ", text))


def header_currency(header: str, layout: Layout) -> str | None:
    """The one currency a header names ("Budget (GEL)", "Estimated cost, EUR"), else None."""
    found, _ = currencies_in(header, layout)
    return found[0] if len(found) == 1 else None


def is_amount_header(header: str, layout: Layout) -> bool:
    """A header that says the column holds money: an `amount_headers` entry, alone or with a tail."""
    key = header_key(header)
    return any(key == h or key.startswith(h + " ") for h in map(header_key, layout.amount_headers))


def _number_text(text: str, layout: Layout) -> str | None:
    """The bare number of a cell (currency and spacing removed), or None when it holds no digit."""
    if not any(ch.isdigit() for ch in text):
        return None
    _, rest = currencies_in(text, layout)
    return rest[:-1].rstrip() if rest.endswith(".") else rest  # a full stop after the amount


def read_number(text: str, mark: str) -> Decimal | None:
    """The value of a bare number with `mark` as its decimal mark, or None when it does not fit:
    every group after the first of the integer part has three digits, the decimal mark is printed
    at most once and last."""
    if not _NUMBER.match(text) or text[-1] in GROUP_SPACES:
        return None
    whole, decimal, fraction = text.partition(mark)
    if mark in fraction or not whole or (decimal and not fraction.isdigit()):
        return None
    groups = re.split(rf"[{re.escape(GROUP_SPACES)}{re.escape(MARKS[1 - MARKS.index(mark)])}]", whole)
    if not groups[0].isdigit() or (len(groups) > 1 and not 1 <= len(groups[0]) <= 3):
        return None
    if any(len(g) != 3 or not g.isdigit() for g in groups[1:]):
        return None
    if len(groups) > 1 and groups[0] == "0":
        return None
    try:
        return Decimal("".join(groups) + (f".{fraction}" if fraction else ""))
    except InvalidOperation:
        return None


def readings(text: str) -> dict[str, Decimal]:
    """Decimal mark -> value, for each mark the bare number reads with."""
    out = {}
    for mark in MARKS:
        value = read_number(text, mark)
        if value is not None:
            out[mark] = value
    return out


def _vote(number: str) -> str | None:
    """The decimal mark a number shows unambiguously ("240,9" -> ","), else None ("15,000", "150")."""
    found = readings(number)
    return next(iter(found)) if len(found) == 1 and any(m in number for m in MARKS) else None


def decimal_mark(texts: Iterable[str], layout: Layout) -> str | None:
    """The plan's decimal mark, by the majority of its amounts that show one; None when none does
    (or as many show each): then a lone mark before three digits groups thousands."""
    votes = Counter(v for t in texts if (n := _number_text(fold(t), layout)) and (v := _vote(n)))
    ranked = votes.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _value(shown: str, number: str, mark: str | None) -> Decimal | str:
    """The number's value under the plan's mark, or the problem (a str) when it has none."""
    found = readings(number)
    if not found:
        return UNPARSED.format(shown)
    if mark is not None:
        return found[mark] if mark in found else AGAINST_MARK.format(number, quoted(mark))
    return max(found.values())  # undecided: "15,000" and "15.000" group thousands


def read_amount(text: str, header_code: str | None, mark: str | None, layout: Layout) -> Money:
    """The amount a cell states. Text that is no amount gives an empty Money without a problem."""
    shown = fold(text)
    if not shown or shown.casefold().rstrip(".") in {n.casefold() for n in layout.no_amount}:
        return Money()
    number = _number_text(shown, layout)
    if number is None:
        return Money()  # "State budget", "Within the agency's budget": no amount printed
    codes, _ = currencies_in(shown, layout)
    if len(codes) > 1:
        return Money(problem=UNPARSED.format(shown))
    value = _value(shown, number, mark)
    if isinstance(value, str):
        return Money(problem=value)
    if not codes:
        return Money(value=float(value), currency=header_code)
    clash = header_code not in (None, codes[0])
    return Money(float(value), codes[0], CURRENCY_CLASH.format(codes[0], header_code) if clash else None)


def looks_like_amount(text: str, layout: Layout) -> bool:
    """A cell that reads as money on its own: a number with a currency, a separator or 5+ digits
    (so a column of years or codes is not taken for money)."""
    shown = fold(text)
    number = _number_text(shown, layout)
    if number is None or not readings(number):
        return False
    return bool(currencies_in(shown, layout)[0]) or any(not c.isdigit() for c in number) or len(number) >= 5


def is_amount_column(header: str, cells: list[str], layout: Layout) -> bool:
    """Money by its header, or by its cells: most non-empty cells that say something read as amounts."""
    if is_amount_header(header, layout):
        return True
    no = {n.casefold() for n in layout.no_amount}
    said = [c for c in map(fold, cells) if c and c.casefold().rstrip(".") not in no]
    hits = sum(looks_like_amount(c, layout) for c in said)
    return bool(said) and hits > layout.amount_column_share * len(said)


def format_amount(value: float | None) -> str:
    """A number for a CSV cell: no exponent, no trailing ".0" ("15000", "15000.5")."""
    if value is None:
        return ""
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class AmountColumns:
    """The plan's amount columns with their headers' currencies, and the plan's decimal mark.

    columns: (name, header as printed) of each extra column; cells: every cell text by column name.
    A column whose derived names (`<name>_amount`, `<name>_currency`) the plan already prints is not
    derived; it is listed in `clashes` for review.
    """

    def __init__(self, columns: list[tuple[str, str]], cells: dict[str, list[str]], layout: Layout):
        self.layout = layout
        names = {name for name, _ in columns}
        money = [(n, h) for n, h in columns if is_amount_column(h, cells.get(n, []), layout)]
        self.clashes = [n for n, _ in money if {derived(n, "amount"), derived(n, "currency")} & names]
        self.currency = {n: header_currency(h, layout) for n, h in money if n not in self.clashes}
        self.mark = decimal_mark((t for n in self.currency for t in cells.get(n, [])), layout)

    def read(self, name: str, text: str) -> Money:
        return read_amount(text, self.currency[name], self.mark, self.layout)


def derived(column: str, what: str) -> str:
    """The name of a column derived from an amount column: `budget_gel_amount`, `budget_gel_currency`."""
    return f"{column}_{what}"
