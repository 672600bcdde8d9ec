"""Generated plans, typeset in generated layouts, come back out of the pipeline field by field.

plangen.plans() draws a plan and what should be read from it; plangen.styles() draws the look of
its table. Each example typesets the plan into a PDF, runs the whole pipeline (pdfplumber engine)
on it and compares every output field with the expectation: activity ids in order, goal, objective
and activity titles, the agency, indicator and timeline cells as printed, timeline dates, the
indicator list, every agency mention (column, role, mention, note) with its registry id (or none,
for a body the registry does not list), the role id columns, the extra columns (a budget column
with its amount and currency beside it) and the footnote markers listed for review (none where
none was printed).

One test per producer keeps each within the CI budget (about 15 documents each).
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from functools import cache
from pathlib import Path

from goldcheck import read_csv
from hypothesis import HealthCheck, event, given, settings
from plangen import BUDGET_HEADERS, EXTRA_HEADERS, LIGATURES, PUA_BULLETS, Plan, plans, styles
from typeset import Style, typeset

from nap.pipeline import run
from normalize.plan import Config
from publish.tables import standard_columns

EXAMPLES = 15  # per producer
FIELDS = (
    "goal_id",
    "goal",
    "objective_id",
    "objective",
    "activity",
    "responsible",
    "partner",
    "indicator",
    "timeline",
    "timeline_start",
    "timeline_end",
)
ROLE_COLUMNS = {
    "leading": "leading_agency_ids",
    "supporting": "supporting_agency_ids",
    "partner": "partner_agency_ids",
}
LIGATURE_GLYPHS = {glyph for _, glyph in LIGATURES}
N_STANDARD = len(standard_columns("activities"))  # activities.csv columns before the extra ones

SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@cache
def config() -> Config:
    return Config.load()


def mentions_of(rows: list[dict]) -> list[tuple]:
    """(column, role, mention, note, [(agency id, match), ...]) per mention, from its link rows."""
    by_seq: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        by_seq[int(r["mention_seq"])].append(r)
    return [
        (
            ls[0]["column"],
            ls[0]["role"],
            ls[0]["mention"],
            ls[0]["note"],
            [(x["agency_id"], x["match"]) for x in ls],
        )
        for _, ls in sorted(by_seq.items())
    ]


def problems(out: Path, plan: Plan, style: Style) -> list[str]:
    """Every difference between the output folder and the plan's expected values, one line each."""
    acts = read_csv(out / "activities.csv")
    ids = [r["activity_id"] for r in acts]
    want_ids = [e.activity_id for e in plan.expected]
    if ids != want_ids:
        return [f"activity ids: {ids} != {want_ids}"]
    found = []
    extra = [f for f, _ in style.columns if f in EXTRA_HEADERS]  # in printed order
    by_role = "lead" in style.fields()  # agencies printed by role in lead and supporting columns
    dated = "start" in style.fields()  # the timeline printed as Start and End columns
    role_cells = ["lead", "supporting"] if by_role else []
    # the budget column, named from its header, is followed by its amount and currency
    budget, header_currency = BUDGET_HEADERS.get(dict(style.columns).get("budget", ""), ("", ""))
    names = [budget if f == "budget" else f for f, _ in style.columns if f in extra or f == "budget"]
    extra_columns = [c for f in names for c in ([f, f"{f}_amount", f"{f}_currency"] if f == budget else [f])]
    header = list(acts[0])
    if header[N_STANDARD:] != role_cells + extra_columns:
        found.append(f"extra columns: {header[N_STANDARD:]} != {role_cells + extra_columns}")
    inds: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for r in read_csv(out / "indicators.csv"):
        inds[r["activity_id"]].append((int(r["seq"]), r["indicator"]))
    links: dict[str, list[dict]] = defaultdict(list)
    for r in read_csv(out / "activity_agencies.csv"):
        links[r["activity_id"]].append(r)
    for row, want in zip(acts, plan.expected, strict=True):
        aid = want.activity_id
        wanted_row = {k: getattr(want, k) for k in (*FIELDS, *role_cells)}
        if by_role:
            wanted_row["responsible"] = ""
        if dated:
            wanted_row.update(zip(("timeline", "timeline_start", "timeline_end"), want.dated, strict=True))
        if budget:
            currency = want.currency or (header_currency if want.amount else "")
            wanted_row |= {budget: want.extra["budget"], f"{budget}_amount": want.amount}
            wanted_row[f"{budget}_currency"] = currency
        for k, value in wanted_row.items():
            if row.get(k) != value:
                found.append(f"{aid} {k}: {row.get(k)!r} != {value!r}")
        printed = want.role_mentions if by_role else want.mentions
        for f in extra:
            if row.get(f) != want.extra[f]:
                found.append(f"{aid} {f}: {row.get(f)!r} != {want.extra[f]!r}")
        got_inds = [t for _, t in sorted(inds[aid])]
        if got_inds != want.indicators:
            found.append(f"{aid} indicators: {got_inds} != {want.indicators}")
        got = mentions_of(links[aid])
        wanted = [(m.column, m.role, m.mention, m.note, [(m.agency_id, m.match)]) for m in printed]
        if got != wanted:
            found.append(f"{aid} mentions:\n    got  {got}\n    want {wanted}")
        for role, col in ROLE_COLUMNS.items():
            role_ids = ";".join(dict.fromkeys(m.agency_id for m in printed if m.role == role and m.agency_id))
            if row[col] != role_ids:
                found.append(f"{aid} {col}: {row[col]!r} != {role_ids!r}")
    review = read_csv(out / "review.csv")
    markers = sorted(
        (r["activity_id"], r["field"], r["detail"]) for r in review if r["kind"] == "footnote_marker"
    )
    want_markers = sorted((e.activity_id, f, detail) for e in plan.expected for f, detail in e.markers)
    if markers != want_markers:
        found.append(f"footnote markers reviewed: {markers} != {want_markers}")
    return found


def roundtrip(plan: Plan, style: Style) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = typeset(plan.rows, style, Path(tmp) / "plan.pdf")
        result = run(pdf, Path(tmp) / "out", "pdfplumber", config())
        found = problems(Path(tmp) / "out", plan, style)
        acts = read_csv(Path(tmp) / "out" / "activities.csv")
    pages = max((int(r["page_last"]) for r in acts), default=0)
    broken = sum(r["page_first"] != r["page_last"] for r in acts)
    event(f"pages: {pages if pages < 4 else '4+'}")
    event("agencies: lead and supporting columns" if "lead" in style.fields() else "agencies: one column")
    event("timeline: start and end columns" if "start" in style.fields() else "timeline: one column")
    event(f"budget column: {dict(style.columns).get('budget', 'none')}")
    printed = "".join(t for r in plan.rows for t in (r.activity, *r.cells.values()))
    event(f"ligature glyphs: {any(ch in printed for ch in LIGATURE_GLYPHS)}")
    event(f"private-use bullets: {any(ch in printed for ch in PUA_BULLETS)}")
    event(f"footnote markers: {sum(len(e.markers) for e in plan.expected)}")
    event(f"rows broken across pages: {broken if broken < 3 else '3+'}")
    tallest = max((int(r["page_last"]) - int(r["page_first"]) + 1 for r in acts), default=0)
    event(f"a row printed on {'3+' if tallest >= 3 else tallest} page(s)")
    assert not found, "\n".join(found[:30])
    assert result.preamble[: len(style.preamble)] == style.preamble


@SETTINGS
@given(plan=plans(), style=styles(producer="reportlab"))
def test_generated_plan_round_trip_reportlab(plan, style):
    roundtrip(plan, style)


@SETTINGS
@given(plan=plans(), style=styles(producer="fpdf2"))
def test_generated_plan_round_trip_fpdf2(plan, style):
    roundtrip(plan, style)
