"""`summary.html`: who carries the plan's load and when, as charts an analyst can read at a glance.

One self-contained page (CSS inline, charts as inline SVG written here, no script, no external
URL): activities per agency by role (horizontal bars, one panel per role on a shared scale), the
agency × strategic goal matrix (a heatmap) and the activities over time (a Gantt of each
activity's `timeline_start`..`timeline_end`, grouped by goal; activities whose timeline was not
parsed are listed apart). Every bar and cell carries a `<title>` tooltip with its number, and the
numbers of each chart are repeated in a plain table below it.

Counts are of distinct activities per resolved agency (a registry id of `activity_agencies.csv`),
as the plan's mentions link them: units are not rolled up to their parents. Deterministic: the
same plan gives the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from publish.ocr_facts import (
    LOW_CONFIDENCE,
    engine_phrase,
    mode_phrase,
    ocr_pages,
    sentence,
    uncertain_phrase,
)
from schema.models import Activity, Goal, Plan

ROLES = ("leading", "supporting", "partner")
ROLE_COLOURS = {"leading": "#0072B2", "supporting": "#E69F00", "partner": "#009E73"}  # Okabe-Ito
GOAL_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#999933", "#882255")
HEAT_LOW, HEAT_HIGH = (239, 243, 255), (8, 48, 107)  # a single blue hue, light to dark
ROW = 20  # pixels per chart row
LABEL_W = 330  # pixels for the row labels
LABEL_CHARS = 48  # characters of a row label shown in a chart (the full text is in its tooltip)
PANEL_W = 190  # pixels per role panel of the bar chart
CELL_W = 64  # pixels per goal column of the heatmap
GANTT_W = 720  # pixels for the time axis of the Gantt
TOP, BOTTOM = 40, 44  # pixels above and below a chart's rows (headings, axis and its label)


@dataclass
class AgencyLoad:
    """The distinct activities one registry entry is linked to, by role and by goal."""

    agency_id: str
    name: str
    by_role: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_goal: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))

    @property
    def any_role(self) -> set[str]:
        return set().union(*self.by_role.values())

    def count(self, role: str) -> int:
        return len(self.by_role.get(role, ()))


@dataclass(frozen=True)
class Summary:
    goals: list[Goal]  # the goals holding activities, in document order
    loads: list[AgencyLoad]  # most activities first
    unresolved: int  # mentions that name no registry entry
    unresolved_activities: int


def agency_loads(plan: Plan) -> Summary:
    """The load of every resolved agency, counted from the plan's mentions and their links."""
    names = {a.id: a.name for a in plan.agencies}
    goals = [g for g in plan.goals if any(o.activities for o in g.objectives)]
    loads: dict[str, AgencyLoad] = {}
    unresolved: list[str] = []
    for gi, goal in enumerate(goals):
        for a in (a for o in goal.objectives for a in o.activities):
            for m in a.mentions:
                ids = [link.agency_id for link in m.links if link.agency_id]
                if not ids:
                    unresolved.append(a.activity_id)
                for link in (link for link in m.links if link.agency_id):
                    load = loads.setdefault(
                        link.agency_id,
                        AgencyLoad(
                            link.agency_id, names.get(link.agency_id) or link.agency_name or link.agency_id
                        ),
                    )
                    load.by_role[m.role].add(a.activity_id)
                    load.by_goal[gi].add(a.activity_id)
    ordered = sorted(
        loads.values(), key=lambda x: (-len(x.any_role), -x.count("leading"), x.name, x.agency_id)
    )
    return Summary(goals, ordered, len(unresolved), len(set(unresolved)))


# ---------------------------------------------------------------------------------------------
# SVG pieces


def num(v: float) -> str:
    return f"{v:.1f}".removesuffix(".0")


def clip(text: str, n: int = LABEL_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def svg_open(key: str, width: float, height: float, title: str, desc: str) -> str:
    """An inline SVG (no namespace URL: HTML needs none) labelled by its title and description."""
    return (
        f'<svg id="{key}" class="chart" role="img" aria-labelledby="{key}-title {key}-desc" '
        f'width="{num(width)}" height="{num(height)}" viewBox="0 0 {num(width)} {num(height)}">'
        f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(desc)}</desc>'
    )


def text(x: float, y: float, content: str, anchor: str = "start", cls: str = "") -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<text x="{num(x)}" y="{num(y)}" text-anchor="{anchor}"{c}>{escape(content)}</text>'


def label(x: float, y: float, content: str, cls: str = "") -> str:
    """A row label clipped to fit the label column from `x`, with the full text as its tooltip."""
    c = f' class="{cls}"' if cls else ""
    shown = clip(content, LABEL_CHARS - round((x - 8) / 3))
    return f'<text x="{num(x)}" y="{num(y)}"{c}><title>{escape(content)}</title>{escape(shown)}</text>'


def rect(x: float, y: float, w: float, h: float, fill: str, tip: str, data: dict[str, str | int]) -> str:
    attrs = "".join(f' data-{k}="{escape(str(v))}"' for k, v in data.items())
    return (
        f'<rect class="mark"{attrs} x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}" '
        f'fill="{fill}"><title>{escape(tip)}</title></rect>'
    )


def nice_step(top: int, ticks: int = 5) -> int:
    """A tick step of 1, 2 or 5 times a power of ten giving at most `ticks` steps up to `top`."""
    base = 1
    while True:
        for m in (1, 2, 5):
            if top <= ticks * m * base:
                return m * base
        base *= 10


def activities(n: int) -> str:
    return "1 activity" if n == 1 else f"{n} activities"


# ---------------------------------------------------------------------------------------------
# Chart 1: activities per agency by role


def bars_axis(x0: float, y: float, top: int, step: int) -> str:
    parts = [f'<line class="axis" x1="{num(x0)}" y1="{num(y)}" x2="{num(x0 + PANEL_W)}" y2="{num(y)}"/>']
    for v in range(0, top + 1, step):
        x = x0 + v * PANEL_W / top
        parts.append(f'<line class="grid" x1="{num(x)}" y1="{TOP - 6}" x2="{num(x)}" y2="{num(y)}"/>')
        parts.append(text(x, y + 14, str(v), "middle", "tick"))
    return "".join(parts)


def role_chart(s: Summary) -> str:
    loads = s.loads
    peak = max((x.count(r) for x in loads for r in ROLES), default=0) or 1
    step = nice_step(peak)
    top = -(-peak // step) * step
    width = LABEL_W + len(ROLES) * (PANEL_W + 30)
    height = TOP + ROW * len(loads) + BOTTOM
    axis_y = TOP + ROW * len(loads)
    parts = [
        svg_open(
            "chart-roles",
            width,
            height,
            "Activities per agency, by role",
            "Horizontal bars: for each registry entry the plan links (rows) the number of distinct "
            "activities it is named in, one panel per role (leading, supporting, partner) on one scale.",
        ),
        text(8, 16, "agency (registry entry)", cls="axis-label"),
    ]
    for ri, role in enumerate(ROLES):
        x0 = LABEL_W + ri * (PANEL_W + 30)
        parts += [text(x0, 16, role, cls="panel"), bars_axis(x0, axis_y, top, step)]
    for i, load in enumerate(loads):
        y = TOP + i * ROW
        parts.append(label(8, y + 14, load.name))
        for ri, role in enumerate(ROLES):
            n = load.count(role)
            x0 = LABEL_W + ri * (PANEL_W + 30)
            if n:
                tip = f"{load.name}, {role}: {activities(n)}"
                parts.append(
                    rect(
                        x0,
                        y + 3,
                        n * PANEL_W / top,
                        ROW - 6,
                        ROLE_COLOURS[role],
                        tip,
                        {"agency": load.agency_id, "role": role, "count": n},
                    )
                )
                parts.append(text(x0 + n * PANEL_W / top + 3, y + 14, str(n), cls="value"))
    parts.append(
        text(LABEL_W + width / 2 - LABEL_W / 2, height - 6, "distinct activities", "middle", "axis-label")
    )
    return "".join(parts) + "</svg>"


def role_table(s: Summary) -> str:
    head = "".join(f'<th scope="col">{r}</th>' for r in ROLES)
    rows = []
    for load in s.loads:
        cells = "".join(f'<td class="n" data-role="{r}">{load.count(r)}</td>' for r in ROLES)
        rows.append(
            f'<tr data-agency="{escape(load.agency_id)}"><th scope="row">{escape(load.name)}</th>'
            f"<td><code>{escape(load.agency_id)}</code></td>{cells}"
            f'<td class="n" data-role="any">{len(load.any_role)}</td></tr>'
        )
    return (
        '<table id="table-roles"><caption>Distinct activities per agency and role</caption>'
        f'<thead><tr><th scope="col">agency</th><th scope="col">id</th>{head}'
        f'<th scope="col">any role</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


# ---------------------------------------------------------------------------------------------
# Chart 2: agency × goal matrix


def goal_name(goal: Goal) -> str:
    return f"goal {goal.goal_id}" if goal.goal_id else "no goal"


def heat_colour(n: int, peak: int) -> tuple[str, str]:
    """The cell's fill and the class of its number's text (`on-dark`: white on a dark cell)."""
    if not n:
        return "#f8f9fa", "value"
    t = 0.15 + 0.85 * n / peak
    rgb = (round(lo + (hi - lo) * t) for lo, hi in zip(HEAT_LOW, HEAT_HIGH, strict=True))
    return "#" + "".join(f"{c:02x}" for c in rgb), "value on-dark" if t > 0.5 else "value"


def heat_header(goals: list[Goal]) -> str:
    parts = [text(LABEL_W + CELL_W * len(goals) / 2, 14, "strategic goal", "middle", "axis-label")]
    for gi, goal in enumerate(goals):
        x = LABEL_W + gi * CELL_W + CELL_W / 2
        parts.append(
            f'<text x="{num(x)}" y="{TOP - 6}" text-anchor="middle" class="tick">'
            f"<title>{escape(goal_name(goal))}: {escape(goal.title)}</title>"
            f"{escape(goal.goal_id or '—')}</text>"
        )
    return "".join(parts)


def heat_chart(s: Summary) -> str:
    peak = max((len(v) for x in s.loads for v in x.by_goal.values()), default=0) or 1
    width = LABEL_W + CELL_W * len(s.goals) + 20
    height = TOP + ROW * len(s.loads) + BOTTOM
    parts = [
        svg_open(
            "chart-goals",
            width,
            height,
            "Agency × strategic goal",
            "Heatmap: for each registry entry the plan links (rows) and each strategic goal (columns), "
            "the number of distinct activities of the goal it is named in, in any role; darker is more.",
        ),
        heat_header(s.goals),
        text(8, TOP - 6, "agency (registry entry)", cls="axis-label"),
    ]
    for i, load in enumerate(s.loads):
        y = TOP + i * ROW
        parts.append(label(8, y + 14, load.name))
        for gi, goal in enumerate(s.goals):
            n = len(load.by_goal.get(gi, ()))
            fill, number_class = heat_colour(n, peak)
            x = LABEL_W + gi * CELL_W
            tip = f"{load.name}, {goal_name(goal)}: {activities(n)}"
            data = {"agency": load.agency_id, "goal": goal.goal_id, "count": n}
            parts.append(rect(x + 1, y + 1, CELL_W - 2, ROW - 2, fill, tip, data))
            if n:
                parts.append(text(x + CELL_W / 2, y + 14, str(n), "middle", number_class))
    parts.append(
        text(
            LABEL_W, height - 14, f"cells: distinct activities, any role (darkest: {peak})", cls="axis-label"
        )
    )
    return "".join(parts) + "</svg>"


def heat_table(s: Summary) -> str:
    head = "".join(f'<th scope="col" title="{escape(g.title)}">{escape(goal_name(g))}</th>' for g in s.goals)
    rows = []
    for load in s.loads:
        cells = "".join(
            f'<td class="n" data-goal="{escape(g.goal_id)}">{len(load.by_goal.get(gi, ()))}</td>'
            for gi, g in enumerate(s.goals)
        )
        rows.append(
            f'<tr data-agency="{escape(load.agency_id)}"><th scope="row">{escape(load.name)}</th>{cells}</tr>'
        )
    totals = "".join(
        f'<td class="n" data-goal-total="{escape(g.goal_id)}">{sum(len(o.activities) for o in g.objectives)}'
        "</td>"
        for g in s.goals
    )
    return (
        '<table id="table-goals">'
        "<caption>Distinct activities per agency and strategic goal (any role)</caption>"
        f'<thead><tr><th scope="col">agency</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        f'<tfoot><tr><th scope="row">activities in the goal</th>{totals}</tr></tfoot></table>'
    )


# ---------------------------------------------------------------------------------------------
# Chart 3: activities over time


def dated(a: Activity) -> bool:
    return a.timeline.start is not None and a.timeline.end is not None


@dataclass(frozen=True)
class TimeAxis:
    """Whole calendar years from the first start to the last end, mapped onto GANTT_W pixels."""

    first: date
    last: date  # the first day after the axis

    @classmethod
    def spanning(cls, acts: list[Activity]) -> TimeAxis:
        years = [d.year for a in acts for d in (a.timeline.start, a.timeline.end) if d]
        return cls(date(min(years), 1, 1), date(max(years) + 1, 1, 1))

    def x(self, day: date) -> float:
        return LABEL_W + (day - self.first).days * GANTT_W / (self.last - self.first).days

    def grid(self, y0: float, y1: float) -> str:
        parts = []
        for year in range(self.first.year, self.last.year):
            for month in (1, 4, 7, 10):
                x = self.x(date(year, month, 1))
                cls = "axis" if month == 1 else "grid"
                parts.append(
                    f'<line class="{cls}" x1="{num(x)}" y1="{num(y0)}" x2="{num(x)}" y2="{num(y1)}"/>'
                )
            mid = (self.x(date(year, 1, 1)) + self.x(date(year + 1, 1, 1))) / 2
            parts += [
                text(mid, y0 - 6, str(year), "middle", "tick"),
                text(mid, y1 + 14, str(year), "middle", "tick"),
            ]
        x = self.x(self.last)
        parts.append(f'<line class="axis" x1="{num(x)}" y1="{num(y0)}" x2="{num(x)}" y2="{num(y1)}"/>')
        return "".join(parts)


def gantt_rows(plan: Plan) -> list[tuple[int, Goal, Activity | None]]:
    """(goal index, goal, activity) per chart row: a heading row (activity None) before each goal's
    dated activities, in document order."""
    rows: list[tuple[int, Goal, Activity | None]] = []
    for gi, goal in enumerate(plan.goals):
        acts = [a for o in goal.objectives for a in o.activities if dated(a)]
        if acts:
            rows += [(gi, goal, None)] + [(gi, goal, a) for a in acts]
    return rows


def gantt_bar(axis: TimeAxis, y: float, gi: int, a: Activity) -> str:
    start, end = a.timeline.start, a.timeline.end
    assert start is not None and end is not None
    x0, x1 = axis.x(start), axis.x(max(start, end) + timedelta(days=1))
    tip = f"{a.activity_id}: {start} to {end} ({a.timeline.text})"
    data = {"activity": a.activity_id, "start": start.isoformat(), "end": end.isoformat()}
    return rect(x0, y + 4, x1 - x0, ROW - 8, GOAL_COLOURS[gi % len(GOAL_COLOURS)], tip, data)


def gantt_chart(plan: Plan) -> str:
    rows = gantt_rows(plan)
    axis = TimeAxis.spanning([a for _, _, a in rows if a])
    width = LABEL_W + GANTT_W + 20
    height = TOP + ROW * len(rows) + BOTTOM
    parts = [
        svg_open(
            "chart-time",
            width,
            height,
            "Activities over time, by strategic goal",
            "Gantt chart: one bar per activity from its timeline_start to its timeline_end (inclusive), "
            "grouped under its strategic goal, in document order; years on the horizontal axis.",
        ),
        axis.grid(TOP, TOP + ROW * len(rows)),
        text(8, 16, "activity", cls="axis-label"),
    ]
    for i, (gi, goal, a) in enumerate(rows):
        y = TOP + i * ROW
        if a is None:
            parts.append(label(8, y + 14, f"{goal_name(goal).capitalize()}: {goal.title}", "heading"))
        else:
            parts += [label(16, y + 14, f"{a.activity_id} {a.title}"), gantt_bar(axis, y, gi, a)]
    parts.append(
        text(
            LABEL_W + GANTT_W / 2, height - 6, "date (timeline_start to timeline_end)", "middle", "axis-label"
        )
    )
    return "".join(parts) + "</svg>"


def gantt_table(plan: Plan) -> str:
    rows = []
    for a in (a for a in plan.activities() if dated(a)):
        rows.append(
            f'<tr data-activity="{escape(a.activity_id)}" data-start="{a.timeline.start}" '
            f'data-end="{a.timeline.end}"><th scope="row">{escape(a.activity_id)}</th>'
            f"<td>{escape(a.goal_id)}</td><td>{escape(a.timeline.text)}</td>"
            f"<td>{a.timeline.start}</td><td>{a.timeline.end}</td></tr>"
        )
    return (
        '<table id="table-time"><caption>Timeline of each activity, as printed and as parsed</caption>'
        f"<thead><tr>{column_heads('activity', 'goal', 'timeline as printed', 'start', 'end')}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def undated_list(plan: Plan) -> str:
    undated = [a for a in plan.activities() if not dated(a)]
    if not undated:
        return '<p id="undated" data-count="0">Every activity\'s timeline was parsed.</p>'
    items = "".join(
        f'<li data-activity="{escape(a.activity_id)}">{escape(a.activity_id)}: '
        f"{escape(printed_timeline(a.timeline.text))}</li>"
        for a in undated
    )
    return (
        f"<h3>Activities without a parsed timeline ({len(undated)})</h3>"
        f'<ul id="undated" data-count="{len(undated)}">{items}</ul>'
    )


def printed_timeline(timeline: str) -> str:
    return f"“{timeline}”" if timeline else "no timeline printed"


# ---------------------------------------------------------------------------------------------
# The page


CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;padding:16px 24px;
max-width:1400px;color:#1b1b1b;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #333}
h3{font-size:15px;margin:16px 0 6px}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
table{border-collapse:collapse;margin:12px 0}caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}td.n{text-align:right}
thead th{background:#f1f3f5}tbody th{font-weight:normal}
figure{margin:8px 0;overflow-x:auto}svg.chart{max-width:100%;height:auto;font-size:12px}
svg text{fill:#1b1b1b}svg .axis-label{font-weight:600;fill:#444}svg .panel{font-weight:600}
svg .tick{fill:#555}svg .value{font-size:11px}svg text.on-dark{fill:#fff}svg .heading{font-weight:600}
svg .axis{stroke:#888;stroke-width:1}svg .grid{stroke:#e3e3e3;stroke-width:1}
svg rect.mark:hover{stroke:#000;stroke-width:1.5}
.note{color:#555}nav a{margin-right:12px}
"""


def column_heads(*names: str) -> str:
    return "".join(f'<th scope="col">{escape(n)}</th>' for n in names)


def section(key: str, title: str, body: str) -> str:
    return (
        f'<section id="{key}"><h2>{escape(title)}</h2>{body}<p><a href="#top">back to top</a></p></section>'
    )


def agencies_section(s: Summary) -> str:
    if not s.loads:
        return section(
            "roles", "Activities per agency, by role", "<p>No mention resolves to a registry entry.</p>"
        )
    unresolved = (
        f"{s.unresolved} mention(s) in {activities(s.unresolved_activities)} name no registry entry and "
        'are not shown: see <a href="review.html">review.html</a>.'
        if s.unresolved
        else "Every mention names a registry entry."
    )
    note = (
        f'<p class="note" data-unresolved="{s.unresolved}">Each registry entry the mentions link to counts '
        f"once per activity and role (units are not rolled up to their parent). {unresolved}</p>"
    )
    body = note + f"<figure>{role_chart(s)}</figure>" + role_table(s)
    return section("roles", "Activities per agency, by role", body)


def goals_section(s: Summary, plan: Plan) -> str:
    if not s.loads or not s.goals:
        return section("goals", "Agency × strategic goal", "<p>No agency is linked to an activity.</p>")
    return section("goals", "Agency × strategic goal", f"<figure>{heat_chart(s)}</figure>" + heat_table(s))


def time_section(plan: Plan) -> str:
    if not any(dated(a) for a in plan.activities()):
        body = "<p>No activity's timeline was parsed.</p>"
    else:
        body = f"<figure>{gantt_chart(plan)}</figure>" + gantt_table(plan)
    return section("time", "Activities over time", body + undated_list(plan))


def ocr_table(plan: Plan) -> str:
    assert plan.ocr is not None
    rows = "".join(
        f'<tr data-page="{p.page}"><th scope="row">{p.page}</th><td class="n" data-ocr="dpi">{p.dpi}</td>'
        f'<td class="n" data-ocr="words">{p.words}</td>'
        f'<td class="n" data-ocr="uncertain">{p.uncertain}</td>'
        f'<td class="n" data-ocr="mean_confidence">{p.mean_confidence:.1f}</td>'
        f'<td class="n" data-ocr="skew">{p.skew:.2f}</td></tr>'
        for p in plan.ocr.pages
    )
    heads = column_heads(
        "page", "read at (dpi)", "words read", "below the threshold", "mean confidence", "levelled by (°)"
    )
    return (
        '<table id="table-ocr"><caption>Each page read by OCR: its words and the engine\'s confidence '
        f"in them (0-100)</caption><thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"
    )


def ocr_section(plan: Plan) -> str:
    """Which pages were read by OCR, with what and how surely; nothing when none was."""
    ocr = plan.ocr
    if ocr is None:
        return ""
    items = sum(1 for r in plan.review if r.kind == LOW_CONFIDENCE)
    pages = " ".join(str(p.page) for p in ocr.pages)
    body = (
        f'<p data-ocr-pages="{pages}">{escape(sentence(ocr_pages(ocr)))} '
        f"{'was' if len(ocr.pages) == 1 else 'were'} read by OCR ({escape(mode_phrase(ocr))}), with "
        f"{escape(engine_phrase(ocr))}. {escape(sentence(uncertain_phrase(ocr)))}; "
        f'the <span data-low-confidence-items="{items}">{items}</span> value(s) holding them are the '
        f'<code>{LOW_CONFIDENCE}</code> items of <a href="review.html">review.html</a>, each shown beside '
        "the scan of its words, to check against it.</p>"
    )
    return section("ocr", "Pages read by OCR", body + (ocr_table(plan) if ocr.pages else ""))


def summary_html(plan: Plan) -> str:
    """The summary page of `plan`: three charts as inline SVG, each followed by its numbers."""
    s = agency_loads(plan)
    acts = plan.activities()
    title = f"Summary of {plan.source.name}"
    intro = (
        f"<p>{activities(len(acts))} under {len(s.goals)} strategic goal(s); {len(s.loads)} registry "
        f"entries linked. Source <b>{escape(plan.source.name)}</b> (sha256 <code>{escape(plan.source.sha256)}"
        "</code>). Every repair and unresolved mention is shown beside the PDF in "
        '<a href="review.html">review.html</a>; the numbers below are in the folder\'s CSVs.</p>'
        '<nav><a href="#roles">by agency and role</a><a href="#goals">agency × goal</a>'
        '<a href="#time">over time</a>'
        + ('<a href="#ocr">read by OCR</a>' if plan.ocr else "")
        + '<a href="review.html">review page</a></nav>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f'<h1 id="top">{escape(title)}</h1>{intro}'
        + agencies_section(s)
        + goals_section(s, plan)
        + time_section(plan)
        + ocr_section(plan)
        + "</body></html>\n"
    )
