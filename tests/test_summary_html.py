"""summary.html: its numbers are the CSVs' numbers, its charts draw them to scale, it is self-contained,
deterministic, and renders in headless Chromium with no console message."""

from __future__ import annotations

import csv
import re
import subprocess
from collections import defaultdict
from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_review_html import BROWSER_FLAGS, find_chromium

from publish.summary_html import summary_html
from schema.models import AgencyLink, Plan, Timeline

ROLES = ("leading", "supporting", "partner")
# Appended to a test copy of the page: on load, record what the browser laid out and loaded.
PROBE = """<script>
addEventListener("load", () => {
  const b = document.body.dataset;
  const shown = (els) => [...els].filter((e) => e.getBoundingClientRect().width > 0).length;
  b.charts = document.querySelectorAll("svg.chart").length;
  b.chartsShown = shown(document.querySelectorAll("svg.chart"));
  b.marks = document.querySelectorAll("rect.mark").length;
  b.marksShown = shown(document.querySelectorAll("rect.mark"));
  b.resources = performance.getEntriesByType("resource").length;
  document.title = "probe done";
});
</script>"""


class Page(HTMLParser):
    """Every element's attributes (with the text of the <title> it holds, for chart marks), and the
    numbers of the plain tables keyed by their row's and cell's data attributes."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.marks: list[dict[str, str | None]] = []  # rect.mark attributes, "tip": its <title>
        self.tables: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
        self.undated: list[str] = []
        self._table = ""
        self._row: dict[str, str | None] = {}
        self._cell: tuple[str, str] | None = None
        self._in_mark = False
        self._in_title = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "rect" and a.get("class") == "mark":
            self.marks.append({**a, "tip": ""})
            self._in_mark = True
        elif tag == "title" and self._in_mark:
            self._in_title = True
        elif tag == "table":
            self._table = a.get("id") or ""
        elif tag == "tr":
            self._row = a
        elif tag == "td":
            key = next(((k, v) for k, v in attrs if k.startswith("data-")), None)
            self._cell = (f"{key[0]}={key[1]}", "") if key else None
        elif tag == "li" and "data-activity" in a:
            self.undated.append(a["data-activity"])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "rect":
            self._in_mark = False
        elif tag == "td" and self._cell:
            row = next((f"{k}={v}" for k, v in self._row.items() if k.startswith("data-")), "")
            self.tables[self._table][row, self._cell[0]] = self._cell[1]
            self._cell = None

    def handle_data(self, data):
        if self._in_title:
            self.marks[-1]["tip"] += data
        elif self._cell:
            self._cell = (self._cell[0], self._cell[1] + data)

    def marks_with(self, attr: str) -> list[dict[str, str | None]]:
        return [m for m in self.marks if attr in m]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def out(default_run) -> Path:
    return default_run[0]


@pytest.fixture(scope="module")
def html(out) -> str:
    return (out / "summary.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(html) -> Page:
    return Page(html)


@pytest.fixture(scope="module")
def counts(out) -> dict:
    """The page's numbers computed from the run's CSVs alone."""
    acts = read_csv(out / "activities.csv")
    links = read_csv(out / "activity_agencies.csv")
    goal_of = {a["activity_id"]: a["goal_id"] for a in acts}
    by_role: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_goal: dict[tuple[str, str], set[str]] = defaultdict(set)
    mentions: dict[tuple[str, str], bool] = {}
    for r in links:
        key = (r["activity_id"], r["mention_seq"])
        mentions[key] = mentions.get(key, False) or bool(r["agency_id"])
        if r["agency_id"]:
            by_role[r["agency_id"], r["role"]].add(r["activity_id"])
            by_role[r["agency_id"], "any"].add(r["activity_id"])
            by_goal[r["agency_id"], goal_of[r["activity_id"]]].add(r["activity_id"])
    per_goal: dict[str, int] = defaultdict(int)
    for a in acts:
        per_goal[a["goal_id"]] += 1
    return {
        "by_role": {k: len(v) for k, v in by_role.items()},
        "by_goal": {k: len(v) for k, v in by_goal.items()},
        "per_goal": dict(per_goal),
        "agencies": {r["agency_id"]: r["name"] for r in read_csv(out / "agencies.csv")},
        "linked": {agency for agency, _ in by_role},
        "unresolved": sum(not resolved for resolved in mentions.values()),
        "dated": {
            a["activity_id"]: (a["timeline_start"], a["timeline_end"])
            for a in acts
            if a["timeline_start"] and a["timeline_end"]
        },
        "undated": [a["activity_id"] for a in acts if not (a["timeline_start"] and a["timeline_end"])],
        "goals": list(dict.fromkeys(a["goal_id"] for a in acts)),
    }


def test_role_bars_and_table_are_the_csvs_counts(page, counts):
    bars = {(m["data-agency"], m["data-role"]): int(m["data-count"]) for m in page.marks_with("data-role")}
    assert bars == {k: n for k, n in counts["by_role"].items() if k[1] != "any"}
    assert len(bars) > 20
    table = page.tables["table-roles"]
    expected = {
        (f"data-agency={agency}", f"data-role={role}"): str(counts["by_role"].get((agency, role), 0))
        for agency in counts["linked"]
        for role in (*ROLES, "any")
    }
    assert table == expected


def test_goal_matrix_is_the_csvs_counts(page, counts):
    cells = {(m["data-agency"], m["data-goal"]): int(m["data-count"]) for m in page.marks_with("data-goal")}
    assert cells == {
        (a, g): counts["by_goal"].get((a, g), 0) for a in counts["linked"] for g in counts["goals"]
    }
    assert sum(cells.values()) > 0
    table = page.tables["table-goals"]
    assert {k: v for k, v in table.items() if k[0]} == {
        (f"data-agency={a}", f"data-goal={g}"): str(n) for (a, g), n in cells.items()
    }
    assert {k[1]: int(v) for k, v in table.items() if not k[0]} == {
        f"data-goal-total={g}": n for g, n in counts["per_goal"].items()
    }


def test_gantt_bars_table_and_undated_list_are_the_csvs_timelines(page, counts):
    bars = {m["data-activity"]: (m["data-start"], m["data-end"]) for m in page.marks_with("data-start")}
    assert bars == counts["dated"] and len(bars) > 50
    rows = {
        a["data-activity"]: (a["data-start"], a["data-end"])
        for t, a in page.elements
        if t == "tr" and "data-start" in a
    }
    assert rows == counts["dated"]
    assert page.undated == counts["undated"]


def test_each_mark_has_a_tooltip_carrying_its_number(page):
    assert page.marks
    for m in page.marks:
        if "data-count" in m:
            assert re.search(rf"\b{m['data-count']} activit(y|ies)$", m["tip"]), m
        else:
            assert m["data-start"] in m["tip"] and m["data-end"] in m["tip"], m


def test_names_and_unresolved_note_agree_with_the_csvs(page, counts, html):
    names = {a["data-agency"] for t, a in page.elements if t == "tr" and "data-agency" in a}
    assert names == counts["linked"]
    for agency in counts["linked"]:
        assert f'<tr data-agency="{agency}"><th scope="row">{escape(counts["agencies"][agency])}</th>' in html
    note = next(a for t, a in page.elements if "data-unresolved" in a)
    assert int(note["data-unresolved"]) == counts["unresolved"]


def test_bars_are_drawn_to_one_scale(page):
    """A bar's length is its number times one scale for every role; a Gantt bar's is its days."""
    per_unit = [float(m["width"]) / int(m["data-count"]) for m in page.marks_with("data-role")]
    assert max(per_unit) - min(per_unit) <= 0.1, per_unit  # widths are written to 0.1 px
    per_day = set()
    for m in page.marks_with("data-start"):
        days = (date.fromisoformat(m["data-end"]) - date.fromisoformat(m["data-start"])).days + 1
        per_day.add(round(float(m["width"]) / days, 2))
    assert max(per_day) - min(per_day) < 0.02, per_day
    same_start = defaultdict(set)
    for m in page.marks_with("data-start"):
        same_start[m["data-start"]].add(m["x"])
    assert all(len(xs) == 1 for xs in same_start.values())


def test_charts_are_labelled(page):
    ids = {a.get("id") for _, a in page.elements}
    charts = [a for t, a in page.elements if t == "svg"]
    assert len(charts) == 3
    for svg in charts:
        assert svg["role"] == "img"
        assert set(svg["aria-labelledby"].split()) <= ids
    axis_labels = [a for t, a in page.elements if t == "text" and a.get("class") == "axis-label"]
    assert len(axis_labels) >= 6


def test_self_contained_with_a_link_to_the_review_page(page, html):
    links = [v for _, a in page.elements for k, v in a.items() if k in ("href", "src")]
    assert "review.html" in links
    ids = {a.get("id") for _, a in page.elements}
    for link in links:
        assert link == "review.html" or (link.startswith("#") and link[1:] in ids), link
    tags = {t for t, _ in page.elements}
    assert not tags & {"script", "link", "iframe", "img", "object", "embed"}
    assert not re.search(r"https?:|//|url\(|@import", html)


def test_deterministic_and_the_same_from_plan_json(default_run, html):
    out, plan = default_run
    assert summary_html(plan) == html == summary_html(plan)
    assert summary_html(Plan.model_validate_json((out / "plan.json").read_text(encoding="utf-8"))) == html


def test_a_plan_with_no_links_or_no_parsed_timeline_still_renders(default_run):
    _, plan = default_run
    goals = plan.model_copy(deep=True).goals
    for a in (a for g in goals for o in g.objectives for a in o.activities):
        a.timeline = Timeline(text=a.timeline.text)
        for m in a.mentions:
            m.links = [AgencyLink(agency_id=None, agency_name=None, match="unmatched")]
    bare = Page(summary_html(plan.model_copy(update={"goals": goals})))
    assert not bare.marks
    assert bare.undated == [a.activity_id for a in plan.activities()]
    note = [a for t, a in bare.elements if "data-unresolved" in a]
    assert not note  # nothing resolved: the agency charts say so instead of drawing


def test_renders_in_headless_chromium_with_no_console_message(html, page, tmp_path):
    browser = find_chromium()
    if browser is None:
        pytest.skip(
            "Chromium is not installed: none of chromium, chromium-browser, google-chrome on PATH "
            "(.ci/install-chromium installs Debian's chromium)"
        )
    copy = tmp_path / "summary.html"
    copy.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    profile = f"--user-data-dir={tmp_path / 'profile'}"
    cmd = [browser, *BROWSER_FLAGS, profile, "--enable-logging=stderr", "--v=0", "--dump-dom", copy.as_uri()]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{browser} did not finish within 60 s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    assert "<title>probe done</title>" in proc.stdout, proc.stderr[-2000:]
    body = re.search(r"<body([^>]*)>", proc.stdout)
    assert body
    probe = dict(re.findall(r'data-([\w-]+)="(\d+)"', body.group(1)))
    n = str(len(page.marks))
    assert probe == {"charts": "3", "charts-shown": "3", "marks": n, "marks-shown": n, "resources": "0"}, (
        probe
    )
