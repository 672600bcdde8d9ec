"""`nap diff`: a next edition of the shipped plan, typeset from its gold with known edits, against the
shipped one; every status and change of diff.csv is checked against the edits.

The next edition drops three activities and adds two (so the activities after them are renumbered),
prints the Ministry of Internal Affairs under a registered alias ("Ministry of Interior of Georgia":
no change), moves every year on by one except in the last goal (whose activities carry over as
printed: `continued`), rewords one title, adds and removes an indicator, and gives one activity a
partner and takes another's away.
"""

from __future__ import annotations

import csv
import dataclasses
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from typeset import Row, Style, typeset
from typeset.gold import gold_preamble, gold_rows

from extract import DEFAULT_ENGINE
from nap.cli import main
from nap.pipeline import run
from publish.diff import COLUMNS, DIFF_CSV, DIFF_HTML, MIN_SIMILARITY, diff_plans, load_plan, match, sides
from schema.models import Plan

RENAMED = ("The Ministry of Internal Affairs of Georgia", "Ministry of Interior of Georgia")
DROPPED = (4, 20, 35)  # indices into the gold's rows
ADDED = {  # objective -> title of an activity added at its end
    "2.1": "Development of a mobile application for reporting suspected cases of forced labour",
    "4.2": "Monitoring of online job advertisements for signs of labour exploitation",
}
REWORDED, INDICATOR_ADDED, INDICATOR_REMOVED, PARTNER_GAINED, PARTNER_LOST = 1, 13, 23, 30, 2
NEW_INDICATOR = "Number of reports received through the application"
NEW_PARTNER = ("International Organization for Migration", "partner:iom")


@dataclass
class Edited:
    """An activity of the next edition and what was edited, against the old activity it continues."""

    row: Row
    origin: str | None  # the old activity id; None for an added activity
    title_changed: bool = False
    years_moved: bool = False
    gained: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def years_on(text: str) -> str:
    return re.sub(r"\b(20\d\d)\b", lambda m: str(int(m.group(1)) + 1), text)


def with_cell(row: Row, name: str, paragraphs: list[str]) -> Row:
    paras = {k: v for k, v in row.paragraphs.items() if k != name}
    if len(paragraphs) > 1:
        paras[name] = paragraphs
    return dataclasses.replace(row, cells={**row.cells, name: " ".join(paragraphs)}, paragraphs=paras)


def indicators_cell(row: Row, indicators: list[str]) -> Row:
    return with_cell(row, "indicator", [f"{t};" for t in indicators[:-1]] + indicators[-1:])


def renamed(row: Row) -> Row:
    """The row with the ministry printed under its alias, in its cells and their paragraphs."""
    cells = {k: v.replace(*RENAMED) for k, v in row.cells.items()}
    paras = {k: [p.replace(*RENAMED) for p in v] for k, v in row.paragraphs.items()}
    return dataclasses.replace(row, cells=cells, paragraphs=paras)


def partner_keys(old: Plan, activity_id: str) -> list[str]:
    """`role:id` of the partner column's links of an old activity that no other column also gives."""
    act = next(a for a in old.activities() if a.activity_id == activity_id)
    others = {f"{m.role}:{k.agency_id}" for m in act.mentions if m.column != "partner" for k in m.links}
    keys = [f"{m.role}:{k.agency_id}" for m in act.mentions if m.column == "partner" for k in m.links]
    return [k for k in dict.fromkeys(keys) if k not in others]


def edit(i: int, row: Row, gold_row: dict, old: Plan, last_goal: str) -> Edited:
    """One kept activity of the gold with the edits planned for its index."""
    e = Edited(renamed(row), row.activity_id)
    if row.goal_id != last_goal:
        e.row = with_cell(e.row, "timeline", [years_on(e.row.cells["timeline"])])
        e.years_moved = True
    if i == REWORDED:
        e.row = dataclasses.replace(e.row, activity=e.row.activity + " in every region of Georgia")
        e.title_changed = True
    indicators = list(gold_row["indicators"])
    if i == INDICATOR_ADDED:
        e.row, e.added = indicators_cell(e.row, [*indicators, NEW_INDICATOR]), [NEW_INDICATOR]
    if i == INDICATOR_REMOVED:
        assert len(indicators) > 1
        e.row, e.removed = indicators_cell(e.row, indicators[:-1]), indicators[-1:]
    if i == PARTNER_GAINED:
        assert not e.row.cells["partner"]
        e.row, e.gained = with_cell(e.row, "partner", [NEW_PARTNER[0]]), [NEW_PARTNER[1]]
    if i == PARTNER_LOST:
        e.lost = partner_keys(old, row.activity_id)
        assert e.lost
        e.row = with_cell(e.row, "partner", [""])
    return e


def added(after: Row, objective: str, title: str) -> Edited:
    cells = {
        "goal": after.cells["goal"],
        "objective": after.cells["objective"],
        "responsible": "Leading: The Ministry of Internal Affairs of Georgia",
        "partner": "",
        "indicator": "Number of cases identified",
        "timeline": "2021",
    }
    row = Row(after.goal_id, after.goal, objective, after.objective, "", title, cells)
    return Edited(renamed(row), None)


def renumbered(edited: list[Edited]) -> list[Edited]:
    """Activities numbered again 1, 2, ... under each objective, their printed cell too."""
    count: dict[str, int] = {}
    for e in edited:
        count[e.row.objective_id] = count.get(e.row.objective_id, 0) + 1
        number = f"{e.row.objective_id}.{count[e.row.objective_id]}"
        cells = {**e.row.cells, "activity": f"{number} {e.row.activity}"}
        e.row = dataclasses.replace(e.row, activity_id=number, cells=cells)
    return edited


def next_edition(gold: dict, old: Plan) -> list[Edited]:
    rows = gold_rows(gold)
    last_goal = rows[-1].goal_id
    out: list[Edited] = []
    for i, (row, gold_row) in enumerate(zip(rows, gold["rows"], strict=True)):
        if i not in DROPPED:
            out.append(edit(i, row, gold_row, old, last_goal))
        following = rows[i + 1].objective_id if i + 1 < len(rows) else None
        if row.objective_id in ADDED and following != row.objective_id:
            out.append(added(row, row.objective_id, ADDED[row.objective_id]))
    return renumbered(out)


@pytest.fixture(scope="module")
def editions(default_run, gold, config, tmp_path_factory):
    """(old folder, new folder, the edits, diff.csv's rows, the diff folder) for the next edition."""
    old_dir, old_plan = default_run
    edited = next_edition(gold, old_plan)
    tmp = tmp_path_factory.mktemp("next-edition")
    preamble = [years_on(line) for line in gold_preamble(gold)]
    pdf = typeset([e.row for e in edited], Style(preamble=preamble), tmp / "georgia-nap-2020-2021.pdf")
    new_dir = tmp / "georgia-nap-2020-2021"
    run(pdf, new_dir, DEFAULT_ENGINE, config)
    out = tmp / "diff"
    result = CliRunner().invoke(main, ["diff", str(old_dir), str(new_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    with (out / DIFF_CSV).open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return old_dir, new_dir, edited, rows, out


def test_the_next_edition_is_printed_as_edited(editions):
    """The edits reached the new folder: renumbered, the alias printed and resolved to the same body."""
    _, new_dir, edited, _, _ = editions
    plan = load_plan(new_dir)
    assert [a.activity_id for a in plan.activities()] == [e.row.activity_id for e in edited]
    aliased = [m for a in plan.activities() for m in a.mentions if m.mention == RENAMED[1]]
    assert aliased and {k.agency_id for m in aliased for k in m.links} == {"mia"}


def test_every_activity_is_matched_to_the_one_it_continues(editions, gold):
    _, _, edited, rows, _ = editions
    expected = {(e.origin or "", e.row.activity_id) for e in edited}
    kept = {e.origin for e in edited}
    expected |= {(r["activity_id"], "") for r in gold["rows"] if r["activity_id"] not in kept}
    assert {(r["old_id"], r["new_id"]) for r in rows} == expected
    assert len(rows) == len(expected)
    assert any(e.origin and e.origin != e.row.activity_id for e in edited)  # numbers did move


def test_rows_follow_the_new_edition_with_a_dropped_one_after_its_predecessor(editions, gold):
    _, _, edited, rows, _ = editions
    assert [r["new_id"] for r in rows if r["new_id"]] == [e.row.activity_id for e in edited]
    old_ids = [r["activity_id"] for r in gold["rows"]]
    for k, r in enumerate(rows):
        if r["status"] == "dropped":
            before = old_ids[old_ids.index(r["old_id"]) - 1]
            assert rows[k - 1]["old_id"] == before, (rows[k - 1], r)


def expected_status(e: Edited) -> str:
    if e.origin is None:
        return "new"
    edits = e.title_changed or e.years_moved or e.gained or e.lost or e.added or e.removed
    return "changed" if edits else "continued"


def test_every_status_and_change_is_what_was_edited(editions):
    _, _, edited, rows, _ = editions
    by_new = {r["new_id"]: r for r in rows if r["new_id"]}
    for e in edited:
        r = by_new[e.row.activity_id]
        assert r["status"] == expected_status(e), r
        if e.origin is None:
            continue
        assert r["text_changed"] == ("true" if e.title_changed else "false"), r
        assert (r["agencies_gained"].split(";") if r["agencies_gained"] else []) == e.gained, r
        assert (r["agencies_lost"].split(";") if r["agencies_lost"] else []) == e.lost, r
        assert r["indicators_added"] == "; ".join(e.added), r
        assert r["indicators_removed"] == "; ".join(e.removed), r
        assert bool(r["timeline_old"]) == bool(r["timeline_new"]) == e.years_moved, r
        if e.years_moved:
            assert moved_on(r["timeline_old"]) == r["timeline_new"]
    statuses = {r["status"] for r in rows}
    assert statuses == {"continued", "changed", "new", "dropped"}
    assert sum(r["status"] == "dropped" for r in rows) == len(DROPPED)


def moved_on(interval: str) -> str:
    """An ISO interval a year later."""
    return "/".join(
        str(date.fromisoformat(d).replace(year=date.fromisoformat(d).year + 1)) for d in interval.split("/")
    )


def test_titles_and_similarity(editions):
    _, _, edited, rows, _ = editions
    for r in rows:
        matched = r["status"] in ("continued", "changed")
        assert bool(r["similarity"]) == matched == bool(r["old_title"] and r["new_title"]), r
        if matched and r["text_changed"] == "false":
            assert float(r["similarity"]) == 100.0 and r["old_title"] == r["new_title"]
        elif matched:
            assert MIN_SIMILARITY <= float(r["similarity"]) < 100.0 and r["old_title"] != r["new_title"]
    titles = {e.row.activity_id: e.row.activity for e in edited}
    assert all(r["new_title"] == titles[r["new_id"]] for r in rows if r["new_id"])
    assert list(rows[0]) == COLUMNS


def test_the_page_marks_the_changed_words(editions):
    _, _, edited, _, out = editions
    page = (out / DIFF_HTML).read_text(encoding="utf-8")
    assert "<ins>in every region of Georgia</ins>" in page
    assert "http" not in page.split("</style>")[0] and "<script" not in page and "<link" not in page
    assert page.count('<tr class="dropped">') == len(DROPPED)
    assert page.count('<tr class="new">') == len(ADDED)
    assert f"<ins>+ {NEW_INDICATOR}</ins>" in page


def test_an_edition_against_itself_is_all_continued(default_run):
    out, plan = default_run
    rows = diff_plans(plan, plan)
    assert [r.status for r in rows] == ["continued"] * len(plan.activities())
    assert all(r.old.activity.activity_id == r.new.activity.activity_id for r in rows)


def test_numbers_alone_do_not_match(default_run):
    """The same activities renumbered in reverse are still matched by their text."""
    _, plan = default_run
    old = sides(plan)
    new = list(reversed(old))
    pairs = match(old, new)
    assert sorted((old[i].activity.activity_id, new[j].activity.activity_id) for i, j, _ in pairs) == sorted(
        (s.activity.activity_id, s.activity.activity_id) for s in old
    )


def test_a_folder_that_is_no_output_is_one_line(default_run, tmp_path):
    out, _ = default_run
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "plan.json").write_text("{}", encoding="utf-8")
    for bad in (tmp_path / "missing", tmp_path, tmp_path / "broken"):
        result = CliRunner().invoke(main, ["diff", str(bad), str(out), "--out", str(tmp_path / "d")])
        assert result.exit_code == 1
        assert result.output.startswith("nap: error: ") and result.output.count("\n") == 1, result.output
    assert not (tmp_path / "d").exists()


def test_the_diff_folder_is_replaced_but_no_other(default_run, tmp_path):
    out, _ = default_run
    target = tmp_path / "d"
    for _ in range(2):  # a second run replaces the first's files
        result = CliRunner().invoke(main, ["diff", str(out), str(out), "--out", str(target)])
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.iterdir()) == [DIFF_CSV, DIFF_HTML]
    result = CliRunner().invoke(main, ["diff", str(out), str(out), "--out", str(Path(out))])
    assert result.exit_code == 1 and "refusing to replace" in result.output


def test_the_default_folder_is_beside_the_new_one(default_run, tmp_path):
    out, _ = default_run
    for name in ("old", "new"):
        shutil.copytree(out, tmp_path / name)
    result = CliRunner().invoke(main, ["diff", str(tmp_path / "old"), str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "diff-old-new").iterdir()) == [DIFF_CSV, DIFF_HTML]
