"""Hypothesis strategies for whole plans and for the look of their printed tables.

`plans()` draws a plan as the typesetter's `Row`s together with what the pipeline should read
back from the printed PDF (`Expected` per activity): ids, titles, cell texts, indicators,
agency mentions with their registry ids, timeline dates and extra columns. Every expected value
is built here from the drawn parts (dates by hand, ids from the registry entry a name was drawn
from); nothing is computed with the pipeline's own code.

`styles()` draws a `Style`: producer, paper, font, structure, header texts, column order and
widths. Widths are chosen so that the widest word any plan can print in a column fits in it:
the typesetter lets a too-long word overflow into the next column, which no reader can undo.
"""

from __future__ import annotations

import calendar
import json
import random
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from hypothesis import strategies as st
from typeset import Row, Style
from typeset.layout import PAD_X, PAGE_SIZES, break_pieces
from typeset.model import DEFAULT_WIDTHS, EXTRA_WIDTH

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "georgia-nap-2019-2020.gold.json"
REGISTRY = ROOT / "normalize" / "data" / "registry.yaml"
LAYOUT = ROOT / "normalize" / "data" / "layout.yaml"

_LAYOUT = yaml.safe_load(LAYOUT.read_text(encoding="utf-8"))
_REGISTRY = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))

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
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
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
MONTHS = list(calendar.month_name)[1:]
ORDINAL = {1: "First", 2: "Second"}

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
    form = draw(st.sampled_from(["years", "half", "quarter", "months", "halves"]))
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
    return f"First and second half of {year}", date(year, 1, 1), date(year, 12, 31)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


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
    partner in the partner column); a label ("Leading:", "Supporting:") sets the role of the items
    after it, in either column.
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
            role = draw(st.sampled_from(["leading", "supporting"]))
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


@st.composite
def activities(draw) -> _Activity:
    text = draw(title())
    ind_parts, indicators = draw(indicator_cell(draw(st.sampled_from(CELL_SIZES))))
    resp_parts, resp_mentions = draw(agency_cell("responsible"))
    part_parts, part_mentions = draw(st.one_of(st.just(([], [])), agency_cell("partner")))
    timeline, start, end = draw(timelines())
    cells = {
        "responsible": " ".join(resp_parts),
        "partner": " ".join(part_parts),
        "indicator": " ".join(ind_parts),
        "timeline": timeline,
        **{f: draw(st.sampled_from(values)) for f, values in EXTRA_VALUES.items()},
    }
    # a list cell prints each item on a line of its own, or runs them on
    lists = {"indicator": ind_parts, "responsible": resp_parts, "partner": part_parts}
    own_lines = {f: draw(st.booleans()) for f in lists}
    paragraphs = {f: parts for f, parts in lists.items() if len(parts) > 1 and own_lines[f]}
    return _Activity(text, cells, paragraphs, indicators, resp_mentions + part_mentions, start, end)


@st.composite
def plans(draw) -> Plan:
    """1-3 goals of 1-3 objectives of 1-3 activities, numbered "2", "2.1", "2.1.3".

    Drawn as nested lists, so that shrinking can drop a goal, an objective or an activity and
    keep the rest as they were.
    """
    extras = [f for f in EXTRA_VALUES if draw(st.booleans())]
    objectives = st.tuples(title(), st.lists(activities(), min_size=1, max_size=3))
    goals = draw(
        st.lists(st.tuples(title(), st.lists(objectives, min_size=1, max_size=3)), min_size=1, max_size=3)
    )
    rows: list[Row] = []
    expected: list[Expected] = []
    for g, (goal, objs) in enumerate(goals, 1):
        for o, (objective, acts) in enumerate(objs, 1):
            for a, act in enumerate(acts, 1):
                ids = (str(g), f"{g}.{o}", f"{g}.{o}.{a}")
                cells = {k: v for k, v in act.cells.items() if k not in EXTRA_VALUES or k in extras}
                rows.append(
                    Row(
                        ids[0],
                        goal,
                        ids[1],
                        objective,
                        ids[2],
                        act.title,
                        cells=cells,
                        paragraphs=act.paragraphs,
                    )
                )
                expected.append(
                    Expected(
                        activity_id=ids[2],
                        goal_id=ids[0],
                        goal=goal,
                        objective_id=ids[1],
                        objective=objective,
                        activity=act.title,
                        responsible=cells["responsible"],
                        partner=cells["partner"],
                        indicator=cells["indicator"],
                        timeline=cells["timeline"],
                        timeline_start=act.start.isoformat(),
                        timeline_end=act.end.isoformat(),
                        indicators=act.indicators,
                        mentions=act.mentions,
                        extra={f: cells.get(f, "") for f in EXTRA_VALUES},
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
PREAMBLES = [[], ["National Action Plan"], ["Government of Georgia", "Action Plan on Combating Trafficking"]]


def _pieces(texts) -> set[str]:
    return {p.rstrip(" ") for t in texts for p in break_pieces(t)} - {""}


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
    titles = _pieces(WORDS)
    words = {
        "goal": titles | _pieces(labels[0].format(id="3", title="").split()),
        "objective": titles | _pieces(labels[1].format(id="3.3", title="").split()),
        "activity": titles | _pieces(activity_label.format(id="3.3.3", title="").split()),
        "number": _pieces([number_label.format(id="3.3.3")]),
        "responsible": _pieces([*(a + ";" for a in agency), *labels_]),
        "partner": _pieces([*(a + ";" for a in agency), *labels_]),
        "indicator": titles | _pieces(w + ";" for w in WORDS),
        "timeline": _pieces(timelines),
        **{f: _pieces(v + ";" for v in values) for f, values in EXTRA_VALUES.items()},
    }
    return {f: frozenset(w) for f, w in words.items()}


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
    """The narrowest column that holds its widest word (and its header's, in bold), with padding."""
    return {
        f: max(
            _widest(producer, font, size, words[f]),
            _widest(producer, font, size, frozenset(_pieces([header])), True),
        )
        + 2 * PAD_X
        + 1.0
        for f, header in columns
    }


@st.composite
def styles(draw, producer: str | None = None) -> Style:
    producer = producer or draw(st.sampled_from(["reportlab", "fpdf2"]))
    structure = draw(st.sampled_from(["merged", "sections"]))
    labels = draw(st.sampled_from(LABELS))
    activity_label = draw(st.sampled_from(ACTIVITY_LABELS))
    number_label = draw(st.sampled_from(NUMBER_LABELS))
    body = list(BODY)
    if draw(st.booleans()):
        body.append("number")
    body += [f for f in EXTRA_HEADERS if draw(st.booleans())]
    body = draw(st.permutations(body))
    fields = (["goal", "objective"] if structure == "merged" else []) + body
    columns = []
    for f in fields:
        if f == "number":
            # fpdf2 embeds Vera here, which has no "№" glyph: the header would print empty
            header = draw(st.sampled_from([h for h in NUMBER_HEADERS if producer == "reportlab" or h != "№"]))
        elif f in EXTRA_HEADERS:
            header = EXTRA_HEADERS[f]
        else:
            header = draw(st.sampled_from(_LAYOUT["fields"][f]))
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
    assert feasible, f"no font size fits the columns {columns} on {page_size}"
    font_size = draw(st.sampled_from(feasible))
    need = min_widths(producer, font, font_size, columns, words)
    avail = (max(PAGE_SIZES[page_size]) if landscape else min(PAGE_SIZES[page_size])) - 2 * margins
    weights = {f: DEFAULT_WIDTHS.get(f, EXTRA_WIDTH) * draw(st.integers(1, 4)) for f in fields}
    slack = avail - sum(need.values())
    total = sum(weights.values())
    widths = {f: need[f] + slack * weights[f] / total for f in fields}
    return Style(
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
    )
