"""Hypothesis strategies for whole plans and for the look of their printed tables.

`plans()` draws a plan as the typesetter's `Row`s together with what the pipeline should read
back from the printed PDF (`Expected` per activity): ids, titles, cell texts, indicators,
agency mentions with their registry ids, timeline dates (of a timeline cell, or of Start and End
cells), extra columns, a budget cell's amount and currency, and the footnote markers to review.
Every expected value is built here from the drawn parts (dates and amounts by hand, ids from the
registry entry a name was drawn from); nothing is computed with the pipeline's own code. Some plans
print damaged text: ligature glyphs, Word's private-use bullets, footnote markers after words.

`styles()` draws a `Style`: producer, paper, font, structure, header texts, column order (the
timeline in one column or as Start and End columns; a budget column or not) and widths. Widths
are chosen so that the widest word any plan can print in a column fits in it (with a footnote
marker after it, where one may be): the typesetter lets a too-long word overflow into the next
column, which no reader can undo.
"""

from __future__ import annotations

import calendar
import dataclasses
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache

import yaml
from documents import ROOT, SHIPPED
from hypothesis import assume
from hypothesis import strategies as st
from typeset import Row, Style
from typeset.layout import PAD_X, PAGE_SIZES, SUP_SIZE, break_pieces
from typeset.model import DEFAULT_WIDTHS, EXTRA_WIDTH

from schema.names import quoted

REGISTRY = ROOT / "normalize" / "data" / "registry.yaml"
LAYOUT = ROOT / "normalize" / "data" / "layout.yaml"



def latin(text: str) -> bool:
    """Printable by the generated plans' fonts: no letter beyond Latin (the vocabulary files hold
    Georgian too, which has its own round trip, tests/test_georgian_roundtrip.py)."""
    return all(ord(c) < 0x250 or not unicodedata.category(c).startswith("L") for c in text)


def _latin_only(data):
    """The vocabulary as loaded, without the entries written in another script."""
    if isinstance(data, dict):
        return {k: _latin_only(v) for k, v in data.items()}
    if isinstance(data, list):
        kept = [v for v in data if not isinstance(v, str) or latin(v)]
        kept = [v for v in kept if not isinstance(v, dict) or latin(str(v.get("name", "")))]
        return [_latin_only(v) for v in kept]
    return data


_LAYOUT = _latin_only(yaml.safe_load(LAYOUT.read_text(encoding="utf-8")))
_REGISTRY = _latin_only(yaml.safe_load(REGISTRY.read_text(encoding="utf-8")))

# ---------------------------------------------------------------- vocabulary

# A real word: letters (and apostrophes), optionally joined by "-" or "/" to more letters.
_WORD = re.compile(r"[A-Za-z][A-Za-z']*(?:[-/][A-Za-z][A-Za-z']*)*")
# Words that open a heading ("Goal 1.", "Task 1.1", "Strategic Objective 2.1:") stay out of
# titles, with their plurals.
_LABEL_WORDS = {
    w.casefold() for names in _LAYOUT["heading_labels"].values() for n in names for w in n.split()
}
_LABEL_WORDS |= {w + "s" for w in _LABEL_WORDS}


def _gold_words() -> list[str]:
    gold = SHIPPED.load_gold()
    words: set[str] = set()
    for row in gold["rows"]:
        for text in row["cells"].values():
            for token in text.split():
                token = token.strip('"“”(),;:.')
                if _WORD.fullmatch(token) and token.casefold() not in _LABEL_WORDS:
                    words.add(token)
    return sorted(words)


WORDS = _gold_words()
CAPITALISED = [w for w in WORDS if w[0].isupper()]
# Narrowed on purpose: indicators open with a capitalised common word ("Number", "Trainings"), and
# only such words open them; inside an indicator the capitalised words are acronyms and proper
# names ("TIP", "Georgia"). Plans leave out ";" between indicators, so a line that opens with a word
# opening other indicators of the plan starts a new one (README, indicators.csv). A wrapped line
# starting "Number of ..." in the middle of an indicator is, to any reader, a new indicator whose
# ";" was left out: random words put capitalised common words anywhere, real indicators do not.
PROPER = {"Georgia", "Georgian", "European", "Diaspora"}
OPENERS = [w for w in CAPITALISED if not w.isupper() and w not in PROPER]
INNER = [w for w in WORDS if w not in OPENERS]
assert "Anti-Trafficking" in WORDS and "victims/statutory" in WORDS

# ---------------------------------------------------------------- agencies


@dataclass(frozen=True)
class Name:
    """An organisation name to print, and how the registry should resolve it."""

    text: str
    agency_id: str  # "" for a name the registry does not have
    match: str  # "exact" (canonical or short name), "alias", or "unmatched"


def _registry_names() -> list[Name]:
    out: dict[str, Name] = {}
    for entry in _REGISTRY["agencies"]:
        out.setdefault(entry["name"], Name(entry["name"], entry["id"], "exact"))
        if entry.get("short_name"):
            out.setdefault(entry["short_name"], Name(entry["short_name"], entry["id"], "exact"))
        for alias in entry.get("aliases", []):
            text = alias if isinstance(alias, str) else alias["name"]
            out.setdefault(text, Name(text, entry["id"], "alias"))
    return list(out.values())


REGISTRY_NAMES = _registry_names()
# Real bodies the registry does not list: they must come out unmatched, never with a wrong id.
NEW_NAMES = [
    Name(text, "", "unmatched")
    for text in (
        "Ministry of Finance of Georgia",
        "Georgian Red Cross Society",
        "Tbilisi City Hall",
        "World Vision Georgia",
        "Ministry of Regional Development and Infrastructure of Georgia",
        "Ministry of Environmental Protection and Agriculture of Georgia",
        "Georgian Young Lawyers' Association",
        "Public Broadcaster of Georgia",
        "Batumi City Hall",
        "Council of Europe",
    )
]
assert not {n.text.casefold() for n in NEW_NAMES} & {n.text.casefold() for n in REGISTRY_NAMES}

# Qualifiers printed after a registry name: (printed suffix, expected note).
NOTES = [
    (" (within a social advertising)", "within a social advertising"),
    (" (if necessary)", "if necessary"),
    (" (upon request)", "upon request"),
    (" is requested to monitor the shelters", "is requested to monitor the shelters"),
    (" is invited to participate", "is invited to participate"),
]
ROLE_LABELS: dict[str, list[str]] = _LAYOUT["role_labels"]
DEFAULT_ROLES: dict[str, str] = _LAYOUT["default_roles"]

# ---------------------------------------------------------------- other cells

FUNDING = ["State budget", "Donor funding", "State budget; international donors", "Within existing budget"]
STATUS = ["Ongoing", "Planned", "Completed", "Not started", "In progress"]
EXTRA_VALUES = {"source_of_funding": FUNDING, "status": STATUS}
EXTRA_HEADERS = {"source_of_funding": "Source of Funding", "status": "Status"}
EXTRA_FIELDS = [*EXTRA_VALUES, "budget"]  # extra cells a row may hold: the budget's header is drawn
MONTHS = list(calendar.month_name)[1:]
ORDINAL = {1: "First", 2: "Second"}

# A budget column: header as printed -> (the activities.csv column it makes, the currency it names).
# The typesetter prints it from the cells' "budget" field, whatever its header.
BUDGET_HEADERS = {
    "Budget (GEL)": ("budget_gel", "GEL"),
    "Estimated cost (EUR)": ("estimated_cost_eur", "EUR"),
    "Cost": ("cost", ""),
    "Budget": ("budget", ""),
    "Estimated Budget": ("estimated_budget", ""),
}
# Currencies a budget cell prints beside its amount: (before the number, after it, ISO code).
CELL_CURRENCIES = [("GEL ", "", "GEL"), ("", " GEL", "GEL"), ("", " lari", "GEL"), ("EUR ", "", "EUR"),
                   ("", " EUR", "EUR"), ("$", "", "USD"), ("USD ", "", "USD")]  # fmt: skip
# Budget cells that state no amount: empty amount and currency, no review item.
NO_AMOUNT = ["Within the agency's budget", "N/A", "Not required", "State budget", "Within existing budget"]
# Digit grouping by decimal mark: a plan prints its amounts in one convention ("1,500.50" or "1.500,50").
GROUPINGS = {".": [",", " ", ""], ",": [".", " ", ""]}

# ---------------------------------------------------------------- text damage

# Letters some plans print as one ligature glyph, longest first; they must read back as the letters.
LIGATURES = [("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02")]
# Word's private-use bullets (Symbol, Wingdings): a bulleted list reads back with "•" for each.
PUA_BULLETS = ["\uf0b7", "\uf0a7", "\uf076", "\uf0d8", "\uf0fc"]
# Footnote markers, printed small and raised after a plain word ("word^{e}" is the typesetter's markup);
# each is left out of the text and listed for review.
MARKERS = [*"123456789", *"abcde"]
MARKED = re.compile(r"([A-Za-z]{4,})([;]?)")  # a word a marker may follow, before its ";"
SUPERSCRIPT = re.compile(r"\^\{[^}]*\}")
MARKED_FIELDS = ("activity", "indicator")  # the cells a marker is printed in


def ligatured(text: str) -> str:
    for letters, glyph in LIGATURES:
        text = text.replace(letters, glyph)
    return text


def marker_note(field: str, marker: str, word: str) -> tuple[str, str]:
    """(field, detail) of the review item a marker printed after `word` must give."""
    return field, f"footnote marker {quoted(marker)} after {quoted(word)} left out of the text"


@st.composite
def with_marker(draw, text: str) -> tuple[str, str, str] | None:
    """The text with a marker after one of its plain words: (text, marker, word); None without one."""
    tokens = text.split(" ")
    places = [i for i, t in enumerate(tokens) if MARKED.fullmatch(t)]
    if not places:
        return None
    i, marker = draw(st.sampled_from(places)), draw(st.sampled_from(MARKERS))
    word, tail = MARKED.fullmatch(tokens[i]).groups()
    tokens[i] = f"{word}^{{{marker}}}{tail}"
    return " ".join(tokens), marker, word


# ---------------------------------------------------------------- the expected outputs


@dataclass(frozen=True)
class Mention:
    column: str
    role: str
    mention: str
    note: str
    agency_id: str
    match: str


@dataclass
class Expected:
    """What the pipeline should read back for one activity."""

    activity_id: str
    goal_id: str
    goal: str
    objective_id: str
    objective: str
    activity: str
    responsible: str
    partner: str
    indicator: str
    timeline: str
    timeline_start: str
    timeline_end: str
    indicators: list[str]
    mentions: list[Mention]
    extra: dict[str, str] = field(default_factory=dict)  # extra field -> value ("" if not drawn)
    # Agencies by role in columns of their own (a style with lead and supporting columns prints these
    # instead of the responsible cell): the two cells, and the mentions then read.
    lead: str = ""
    supporting: str = ""
    role_mentions: list[Mention] = field(default_factory=list)
    # The timeline as a style with Start and End columns prints it instead of the timeline cell:
    # "START – END" as printed, the first day of START and the last of END.
    dated: tuple[str, str, str] = ("", "", "")
    # The budget cell's amount as activities.csv writes it ("15000.5") and the currency the cell
    # itself names ("" when none: the header's then applies to an amount).
    amount: str = ""
    currency: str = ""
    markers: list[tuple[str, str]] = field(default_factory=list)  # (field, detail) of footnote markers


@dataclass
class Plan:
    rows: list[Row]
    expected: list[Expected]


# ---------------------------------------------------------------- strategies: cell parts


def title(
    min_words: int = 3, max_words: int = 30, first: list[str] = CAPITALISED, rest: list[str] = WORDS
) -> st.SearchStrategy[str]:
    """A title of real words, opening with a capitalised one.

    The words after the first come from a seeded generator: a text costs Hypothesis three choices
    (first word, length, seed), not one per word, so that a failing plan shrinks in reasonable time
    (every attempt typesets and extracts a PDF).
    """
    return st.builds(
        lambda head, n, seed: " ".join([head, *random.Random(seed).choices(rest, k=n)]),
        st.sampled_from(first),
        st.integers(min_words - 1, max_words - 1),
        st.integers(0, 2**32 - 1),
    )


@st.composite
def timelines(draw) -> tuple[str, date, date]:
    """(printed text, first day, last day)."""
    form = draw(st.sampled_from(["years", "half", "quarter", "months", "halves", "period", "periods"]))
    if form == "years":
        first = draw(st.integers(2019, 2029))
        last = draw(st.integers(first + 1, 2030))
        sep = draw(st.sampled_from(["-", " - "]))
        return f"{first}{sep}{last}", date(first, 1, 1), date(last, 12, 31)
    year = draw(st.integers(2019, 2030))
    if form == "half":
        half = draw(st.sampled_from([1, 2]))
        first = 1 if half == 1 else 7
        return f"{ORDINAL[half]} half of {year}", date(year, first, 1), _month_end(year, first + 5)
    if form == "quarter":
        q = draw(st.integers(1, 4))
        return f"Q{q} {year}", date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
    if form == "months":
        m1, m2 = draw(st.sampled_from([(1, 6), (1, 6), (7, 12), (3, 9), (2, 11), (1, 12), (4, 5)]))
        return f"{MONTHS[m1 - 1]}-{MONTHS[m2 - 1]} {year}", date(year, m1, 1), _month_end(year, m2)
    if form == "period":
        return draw(periods(year))
    if form == "periods":  # as a Start and an End column would print them, in one cell
        left, first, _ = draw(periods(year))
        right, _, last = draw(periods(draw(st.integers(year + 1, 2031))))
        return f"{left} \u2013 {right}", first, last
    return f"First and second half of {year}", date(year, 1, 1), date(year, 12, 31)


ROMAN_PARTS = ["I", "II", "III", "IV"]


@st.composite
def periods(draw, year: int) -> tuple[str, date, date]:
    """One period in the forms of Start / End columns: "2019 Q3", "III quarter 2019", "07.2019", ..."""
    q = draw(st.integers(1, 4))
    m = draw(st.integers(1, 12))
    quarter = date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
    month = date(year, m, 1), _month_end(year, m)
    forms = [
        (f"Q{q} {year}", *quarter),
        (f"{year} Q{q}", *quarter),
        (f"{ROMAN_PARTS[q - 1]} quarter {year}", *quarter),
        (f"Quarter {q}, {year}", *quarter),
        (f"{m:02d}.{year}", *month),
        (f"{MONTHS[m - 1]} {year}", *month),
        (f"{year}", date(year, 1, 1), date(year, 12, 31)),
    ]
    return draw(st.sampled_from(forms))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@st.composite
def start_end(draw) -> tuple[str, str, date, date]:
    """(Start cell, End cell, first day of START, last day of END): both sides printed, END not
    before START."""
    year = draw(st.integers(2019, 2029))
    left, first, left_last = draw(periods(year))
    right, right_first, last = draw(periods(draw(st.integers(year, year + 2))))
    if last < first:  # "12.2019" to "2019 Q1": the two periods the other way round
        left, first, right, last = right, right_first, left, left_last
    return left, right, first, last


def _grouped(whole: int, group: str) -> str:
    """An integer with its thousands grouped by `group` ("15,000", "120 000", "1500" with none)."""
    return f"{whole:,}".replace(",", group)


@st.composite
def budget_cell(draw, mark: str) -> tuple[str, str, str]:
    """(printed text, amount as activities.csv writes it, currency the cell names) of a budget cell,
    with `mark` as the plan's decimal mark; a text that names no amount gives "" and ""."""
    if draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(NO_AMOUNT)), "", ""
    whole = draw(st.integers(1, 999_999))
    cents = draw(st.sampled_from([None, None, 50, 5, 75, 10]))
    group = draw(st.sampled_from(GROUPINGS[mark]))
    number = _grouped(whole, group)
    amount = str(whole)
    if cents is not None:
        number += f"{mark}{cents:02d}" if cents != 5 else f"{mark}5"  # "1,500.50", "240,5"
        amount += "." + (f"{cents:02d}" if cents != 5 else "5").rstrip("0")
    before, after, code = draw(st.sampled_from([("", "", "")] * 4 + CELL_CURRENCIES))
    return f"{before}{number}{after}", amount, code


# Words per indicator by cell size: most cells are short, some run over a page break, and a few
# are taller than a page, so that a whole page holds nothing but the middle of one row.
INDICATOR_WORDS = {"short": (1, 12), "long": (15, 30), "page": (90, 120)}
CELL_SIZES = ["short"] * 8 + ["long"] * 3 + ["page"]


@st.composite
def indicator_cell(draw, size: str = "short") -> tuple[list[str], list[str]]:
    """(paragraph parts, indicators): each part is one indicator with its separator."""
    n = draw(st.integers(1, 4) if size != "page" else st.just(4))
    words = INDICATOR_WORDS[size]
    indicators = [draw(title(1 + words[0], 1 + words[1], OPENERS, INNER)) for _ in range(n)]
    trailing = draw(st.booleans())
    parts = [ind + (";" if i < n - 1 or trailing else "") for i, ind in enumerate(indicators)]
    return parts, indicators


@st.composite
def agency_cell(draw, column: str) -> tuple[list[str], list[Mention]]:
    """(paragraph parts, mentions) of an agency cell: labelled or unlabelled segments of items.

    Without a label, items take the column's default role (leading in the responsible column,
    partner in the partner column); a label ("Leading:", "Supporting:", "Partners:", any of
    `role_labels`) sets the role of the items after it, in either column: a responsible cell may
    read "Responsible: A; B Partners: C".
    """
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    names = iter(
        draw(
            st.lists(
                st.sampled_from(REGISTRY_NAMES + NEW_NAMES),
                min_size=sum(sizes),
                max_size=sum(sizes),
                unique_by=lambda n: n.text,
            )
        )
    )
    first_labelled = draw(st.booleans())
    parts: list[str] = []
    mentions: list[Mention] = []
    for s, size in enumerate(sizes):
        if s == 0 and not first_labelled:
            label, role = None, DEFAULT_ROLES[column]
        else:
            role = draw(st.sampled_from(["leading", "supporting", "partner"]))
            label = draw(st.sampled_from(ROLE_LABELS[role]))
        for i in range(size):
            name = next(names)
            suffix, note = "", ""
            if name.agency_id:  # a qualifier after one registry name in five or so
                suffix, note = draw(st.sampled_from([("", "")] * 4 * len(NOTES) + NOTES))
            item = name.text + suffix
            if i == 0 and label:
                item = f"{label}: {item}"
            parts.append(item)
            mentions.append(Mention(column, role, name.text, note, name.agency_id, name.match))
    trailing = draw(st.booleans())
    parts = [p + (";" if i < len(parts) - 1 or trailing else "") for i, p in enumerate(parts)]
    return parts, mentions


# ---------------------------------------------------------------- strategies: plans


@dataclass
class _Activity:
    """An activity's drawn parts, before it is numbered and placed in the plan."""

    title: str
    cells: dict[str, str]
    paragraphs: dict[str, list[str]]
    indicators: list[str]
    mentions: list[Mention]
    start: date
    end: date
    role_mentions: list[Mention] = field(default_factory=list)
    dated: tuple[str, str, str] = ("", "", "")
    money: tuple[str, str] = ("", "")
    reads: dict[str, str] = field(default_factory=dict)  # cells as they read back, where not as printed
    markers: list[tuple[str, str]] = field(default_factory=list)


@st.composite
def activities(draw, mark: str = ".", bullet: str = "", markers: bool = False) -> _Activity:
    """An activity's cells; its budget cell in the plan's decimal convention `mark`. With a `bullet`,
    lists printed one item per line are bulleted with it; with `markers`, a footnote marker may
    follow a word of the title or of the first indicator."""
    text = draw(title())
    ind_parts, indicators = draw(indicator_cell(draw(st.sampled_from(CELL_SIZES))))
    notes, reads = [], {}
    if markers and draw(st.booleans()) and (marked := draw(with_marker(text))):
        reads["activity"], (text, marker, word) = text, marked
        notes.append(marker_note("activity", marker, word))
    if markers and draw(st.booleans()) and (marked := draw(with_marker(ind_parts[0]))):
        ind_parts = [marked[0], *ind_parts[1:]]
        notes.append(marker_note("indicator", *marked[1:]))
    resp_parts, resp_mentions = draw(agency_cell("responsible"))
    part_parts, part_mentions = draw(st.one_of(st.just(([], [])), agency_cell("partner")))
    lead_parts, lead_mentions = draw(agency_cell("lead"))
    supp_parts, supp_mentions = draw(st.one_of(st.just(([], [])), agency_cell("supporting")))
    timeline, start, end = draw(timelines())
    first_side, last_side, first, last = draw(start_end())
    budget, amount, currency = draw(budget_cell(mark))
    cells = {
        "responsible": " ".join(resp_parts),
        "lead": " ".join(lead_parts),
        "supporting": " ".join(supp_parts),
        "partner": " ".join(part_parts),
        "indicator": " ".join(ind_parts),
        "timeline": timeline,
        "start": first_side,
        "end": last_side,
        **{f: draw(st.sampled_from(values)) for f, values in EXTRA_VALUES.items()},
        "budget": budget,
    }
    # a list cell prints each item on a line of its own, or runs them on
    lists = {"indicator": ind_parts, "responsible": resp_parts, "partner": part_parts}
    lists.update(lead=lead_parts, supporting=supp_parts)
    own_lines = {f: draw(st.booleans()) for f in lists}
    paragraphs = {f: parts for f, parts in lists.items() if len(parts) > 1 and own_lines[f]}
    for f, parts in paragraphs.items() if bullet else ():  # bulleted items, their ";" left out
        items = [p.removesuffix(";") for p in parts]
        paragraphs[f] = [f"{bullet} {item}" for item in items]
        cells[f] = " ".join(paragraphs[f])
        reads[f] = " ".join(f"\u2022 {item}" for item in items)
    if any(f == "indicator" for f, _ in notes):
        reads["indicator"] = SUPERSCRIPT.sub("", reads.get("indicator", cells["indicator"]))
    roles = lead_mentions + supp_mentions + part_mentions  # numbered lead, supporting, partner
    dated = (f"{first_side} \u2013 {last_side}", first.isoformat(), last.isoformat())
    mentions = resp_mentions + part_mentions
    money = (amount, currency)
    return _Activity(
        text, cells, paragraphs, indicators, mentions, start, end, roles, dated, money, reads, notes
    )


_ROMAN = ["", "i", "ii", "iii"]
# How each level's part is printed (plans have at most 3 of each): digits ("2.1.3"), lettered
# goals ("B.1.3"), roman goals ("II.1.3"), aims with lettered objectives and roman activities
# ("2.a.iii"). Ids print whole, so each keeps a digit part.
NUMBERINGS = {
    "digits": (str, str, str),
    "lettered": (lambda n: "_ABC"[n], str, str),
    "roman": (lambda n: _ROMAN[n].upper(), str, str),
    "aims": (str, lambda n: "_abc"[n], lambda n: _ROMAN[n]),
}
# The widest id each level can print, by numbering (for the column widths).
WIDEST_IDS = (("3", "C", "III"), ("3.3", "C.3", "III.3", "3.c"), ("3.3.3", "C.3.3", "III.3.3", "3.c.iii"))


@st.composite
def plans(draw) -> Plan:
    """1-3 goals of 1-3 objectives of 1-3 activities, numbered "2", "2.1", "2.1.3" (or "B.1.3",
    "II.1.3", "2.a.iii": `NUMBERINGS`).

    Drawn as nested lists, so that shrinking can drop a goal, an objective or an activity and
    keep the rest as they were.
    """
    extras = [f for f in EXTRA_VALUES if draw(st.booleans())]
    extras += ["budget"] if draw(st.integers(0, 3)) else []  # most plans fill a budget column printed
    mark = draw(st.sampled_from(list(GROUPINGS)))  # one decimal convention per plan
    # text damage, each in one plan of four: ligature glyphs, Word's bullets, footnote markers
    ligatures, bulleted, markers = (draw(st.integers(0, 3)) == 0 for _ in range(3))
    bullet = draw(st.sampled_from(PUA_BULLETS)) if bulleted else ""
    glyphs = ligatured if ligatures else str
    goal_part, objective_part, activity_part = NUMBERINGS[draw(st.sampled_from(list(NUMBERINGS)))]
    objectives = st.tuples(title(), st.lists(activities(mark, bullet, markers), min_size=1, max_size=3))
    goals = draw(
        st.lists(st.tuples(title(), st.lists(objectives, min_size=1, max_size=3)), min_size=1, max_size=3)
    )
    rows: list[Row] = []
    expected: list[Expected] = []
    for g, (goal, objs) in enumerate(goals, 1):
        for o, (objective, acts) in enumerate(objs, 1):
            for a, act in enumerate(acts, 1):
                ids = (goal_part(g), f"{goal_part(g)}.{objective_part(o)}")
                ids = (*ids, f"{ids[1]}.{activity_part(a)}")
                cells = {k: v for k, v in act.cells.items() if k not in EXTRA_FIELDS or k in extras}
                money = act.money if "budget" in extras else ("", "")
                reads = cells | act.reads
                rows.append(
                    Row(
                        ids[0],
                        glyphs(goal),
                        ids[1],
                        glyphs(objective),
                        ids[2],
                        glyphs(act.title),
                        cells={k: glyphs(v) for k, v in cells.items()},
                        paragraphs={k: [glyphs(p) for p in ps] for k, ps in act.paragraphs.items()},
                    )
                )
                expected.append(
                    Expected(
                        activity_id=ids[2],
                        goal_id=ids[0],
                        goal=goal,
                        objective_id=ids[1],
                        objective=objective,
                        activity=reads.get("activity", act.title),
                        responsible=reads["responsible"],
                        partner=reads["partner"],
                        indicator=reads["indicator"],
                        timeline=cells["timeline"],
                        timeline_start=act.start.isoformat(),
                        timeline_end=act.end.isoformat(),
                        indicators=act.indicators,
                        mentions=act.mentions,
                        extra={f: cells.get(f, "") for f in EXTRA_FIELDS},
                        lead=reads["lead"],
                        supporting=reads["supporting"],
                        role_mentions=act.role_mentions,
                        dated=act.dated,
                        amount=money[0],
                        currency=money[1],
                        markers=act.markers,
                    )
                )
    return Plan(rows, expected)


# ---------------------------------------------------------------- strategies: styles

LABELS = [  # (goal_label, objective_label)
    ("{id}. {title}", "{id} {title}"),
    ("Strategic Goal {id}: {title}", "Objective {id}: {title}"),
    ("Goal {id}. {title}", "Task {id} {title}"),
]
ACTIVITY_LABELS = ["{id} {title}", "{id}. {title}"]
NUMBER_LABELS = ["{id}", "{id}."]
NUMBER_HEADERS = ["No.", "#", "№"]
BODY = ["activity", "responsible", "partner", "indicator", "timeline"]
FONT_SIZES = [7, 7.5, 8, 8.5, 9, 9.5, 10]
RULES = ["grid", "grid", "horizontal", "booktabs", "shaded"]  # Style.rules, the full grid twice as often
PREAMBLES = [[], ["National Action Plan"], ["Government of Georgia", "Action Plan on Combating Trafficking"]]


def _pieces(texts) -> set[str]:
    return {p.rstrip(" ") for t in texts for p in break_pieces(t)} - {""}


def _label_pieces(label: str, ids: tuple[str, ...]) -> set[str]:
    return _pieces(w for i in ids for w in label.format(id=i, title="").split())


@cache
def _column_words(
    labels: tuple[str, str], activity_label: str, number_label: str
) -> dict[str, frozenset[str]]:
    """Every word (line-break piece) a plan can print in each column."""
    agency = [n.text + s for n in REGISTRY_NAMES for s in ("", *(s for s, _ in NOTES))]
    agency += [n.text for n in NEW_NAMES]
    labels_ = [f"{label}:" for names in ROLE_LABELS.values() for label in names]
    timelines = [f"{y} - {y}" for y in ("2030",)] + ["2030-2030", "First and second half of", "Q4"]
    timelines += [f"{m}-{m}" for m in MONTHS]
    timelines += ["2030 Q4", "IV quarter", "III quarter", "Quarter 4, 2030", "12.2030", "2030 \u2013 2031"]
    sides = [f"{p} 2031" for p in (*MONTHS, "Q4", "IV quarter", "III quarter", "Quarter 4,", "12.2031")]
    money = [f"{b}{n}{a}" for b, a, _ in CELL_CURRENCIES for n in ("999,999.99", "999.999,99", "999 999,99")]
    titles = _pieces(WORDS)
    words = {
        "goal": titles | _label_pieces(labels[0], WIDEST_IDS[0]),
        "objective": titles | _label_pieces(labels[1], WIDEST_IDS[1]),
        "activity": titles | _label_pieces(activity_label, WIDEST_IDS[2]),
        "number": _pieces(number_label.format(id=i) for i in WIDEST_IDS[2]),
        **{f: _pieces([*(a + ";" for a in agency), *labels_]) for f in ("responsible", "lead", "supporting")},
        "partner": _pieces([*(a + ";" for a in agency), *labels_]),
        "indicator": titles | _pieces(w + ";" for w in WORDS),
        "timeline": _pieces(timelines),
        **{f: _pieces(v + ";" for v in values) for f, values in EXTRA_VALUES.items()},
        **dict.fromkeys(("start", "end"), _pieces(sides)),
        "budget": _pieces([*money, *NO_AMOUNT]),
    }
    return {f: frozenset(w | {ligatured(x) for x in w}) for f, w in words.items()}


@cache
def _measure(producer: str, font: str, size: float):
    from typeset import _backend

    style = Style(producer=producer, font=font, font_size=size)
    measure = _backend(style).measure_for(style)
    widths: dict[tuple[str, bool], float] = {}

    def cached(text: str, bold: bool) -> float:
        if (text, bold) not in widths:
            widths[text, bold] = measure(text, bold)
        return widths[text, bold]

    return cached


@cache
def _widest(producer: str, font: str, size: float, words: frozenset[str], bold: bool = False) -> float:
    measure = _measure(producer, font, size)
    return max((measure(w, bold) for w in words), default=0.0)


def min_widths(
    producer: str, font: str, size: float, columns: list[tuple[str, str]], words: dict[str, frozenset[str]]
) -> dict[str, float]:
    """The narrowest column that holds its widest word (and its header's, in bold), with padding; in
    the columns that may print a footnote marker after a word, with the widest marker after it."""
    marker = SUP_SIZE * _widest(producer, font, size, frozenset(MARKERS))
    return {
        f: max(
            _widest(producer, font, size, words[f]) + (marker if f in MARKED_FIELDS else 0.0),
            _widest(producer, font, size, frozenset(_pieces([header])), True),
        )
        + 2 * PAD_X
        + 1.0
        for f, header in columns
    }


def plain_headers(f: str) -> list[str]:
    """The header synonyms of a field, but those that rank a column's items ("(Lead Agency first)")."""
    ranking = [m.casefold() for m in _LAYOUT.get("lead_first_headers", [])]
    return [h for h in _LAYOUT["fields"][f] if not any(m in h.casefold() for m in ranking)]


@st.composite
def styles(draw, producer: str | None = None) -> Style:
    producer = producer or draw(st.sampled_from(["reportlab", "fpdf2"]))
    structure = draw(st.sampled_from(["merged", "sections"]))
    labels = draw(st.sampled_from(LABELS))
    activity_label = draw(st.sampled_from(ACTIVITY_LABELS))
    number_label = draw(st.sampled_from(NUMBER_LABELS))
    body = list(BODY)
    if draw(st.integers(0, 3)) == 0:  # one plan in four prints its agencies by role: lead, supporting
        body[body.index("responsible") : body.index("responsible") + 1] = ["lead", "supporting"]
    if draw(st.integers(0, 3)) == 0:  # one in four its timeline as Start and End columns
        body[body.index("timeline") : body.index("timeline") + 1] = ["start", "end"]
    if draw(st.booleans()):
        body.append("number")
    body += [f for f in (*EXTRA_HEADERS, "budget") if draw(st.booleans())]
    body = draw(st.permutations(body))
    if "start" in body and body.index("end") < body.index("start"):  # Start prints before End
        i, j = body.index("start"), body.index("end")
        body[i], body[j] = body[j], body[i]
    fields = (["goal", "objective"] if structure == "merged" else []) + body
    columns = []
    for f in fields:
        if f == "number":
            # fpdf2 embeds Vera here, which has no "№" glyph: the header would print empty
            header = draw(st.sampled_from([h for h in NUMBER_HEADERS if producer == "reportlab" or h != "№"]))
        elif f in EXTRA_HEADERS:
            header = EXTRA_HEADERS[f]
        elif f == "budget":
            header = draw(st.sampled_from(list(BUDGET_HEADERS)))
        else:
            header = draw(st.sampled_from(plain_headers(f)))
        columns.append((f, header))
    page_size = draw(st.sampled_from(["A4", "Letter"]))
    font = draw(st.sampled_from(["serif", "sans"]))
    margins = draw(st.sampled_from([30, 36, 42]))
    words = _column_words(labels, activity_label, number_label)
    landscape = draw(st.booleans())
    # the font sizes at which every column can hold its widest word; portrait pages with many
    # columns need a small font, and when even 7 pt does not fit the page turns to landscape
    feasible: list[float] = []
    for turn in (landscape, True):
        width = max(PAGE_SIZES[page_size]) if turn else min(PAGE_SIZES[page_size])
        avail = width - 2 * margins
        feasible = [
            s for s in FONT_SIZES if sum(min_widths(producer, font, s, columns, words).values()) <= avail
        ]
        if feasible:
            landscape = turn
            break
    assume(feasible)  # rarely, so many columns that not even 7 pt on a landscape page holds them
    font_size = draw(st.sampled_from(feasible))
    need = min_widths(producer, font, font_size, columns, words)
    avail = (max(PAGE_SIZES[page_size]) if landscape else min(PAGE_SIZES[page_size])) - 2 * margins
    weights = {f: DEFAULT_WIDTHS.get(f, EXTRA_WIDTH) * draw(st.integers(1, 4)) for f in fields}
    slack = avail - sum(need.values())
    total = sum(weights.values())
    widths = {f: need[f] + slack * weights[f] / total for f in fields}
    style = Style(
        producer=producer,
        page_size=page_size,
        landscape=landscape,
        font=font,
        font_size=font_size,
        structure=structure,
        columns=columns,
        widths=widths,
        header_repeat=draw(st.booleans()),
        borders=draw(st.sampled_from(["lines", "rects"])),
        open_breaks=draw(st.booleans()),
        goal_label=labels[0],
        objective_label=labels[1],
        activity_label=activity_label,
        number_label=number_label,
        preamble=draw(st.sampled_from(PREAMBLES)),
        margins=margins,
        split_rows=draw(st.sampled_from(["together", "fragment"])),
        rules=draw(st.sampled_from(RULES)),
    )
    if style.rules in ("booktabs", "shaded"):
        # with no rule between rows, the first lines of a row printed at a page's foot in some columns
        # only look like more of the row above: fragments are read where rules part the rows
        style = dataclasses.replace(style, split_rows="together")
    return style
