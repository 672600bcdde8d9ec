"""What changed between two editions of a plan: the activities of two output folders matched and compared.

Activity numbers are reassigned between editions (an activity dropped or added renumbers the rest),
so activities are matched by what they say, not by number: every (old, new) pair whose titles are
at least `MIN_SIMILARITY` alike (rapidfuzz's `ratio` on case-folded, space-collapsed text) is a
candidate, scored mostly by that title similarity and a little by how alike their objectives' titles
are and how close their places in the document; pairs are then taken best first, each activity at
most once (a greedy global assignment). An activity left over is `dropped` (old) or `new` (new).

A matched pair is `continued` when nothing compared differs, else `changed`: the title's words, the
timeline (its parsed dates; its text when neither side parses), the agencies by role (compared by
registry id, so a body printed under another of its names is no change; a mention resolving to no
entity by its text), the indicators (by their text).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from publish.rows import csv_text
from schema.models import Activity, Plan, Timeline
from schema.names import shown_name

MIN_SIMILARITY = 60.0  # title similarity (0-100) below which two activities are never matched
WEIGHTS = (0.8, 0.1, 0.1)  # title, objective title, place in the document: the score of a pair
DIFF_CSV, DIFF_HTML = "diff.csv", "diff.html"
DIFF_NAMES = frozenset({DIFF_CSV, DIFF_HTML})
COLUMNS = [
    "old_id",
    "new_id",
    "status",
    "similarity",
    "old_title",
    "new_title",
    "text_changed",
    "timeline_old",
    "timeline_new",
    "agencies_gained",
    "agencies_lost",
    "indicators_added",
    "indicators_removed",
]


class DiffError(ValueError):
    """A folder that is not a nap output folder (one line, naming it)."""


@dataclass(frozen=True)
class Side:
    """One activity as compared: its place in the document and what is compared of it."""

    activity: Activity
    objective: str  # the objective's title
    place: float  # 0 (first activity) to 1 (last)


@dataclass
class Row:
    """One line of the diff: an old activity, a new one, or both."""

    old: Side | None
    new: Side | None
    similarity: float | None = None
    text_changed: bool = False
    timeline_changed: bool = False
    agencies_gained: list[str] = field(default_factory=list)
    agencies_lost: list[str] = field(default_factory=list)
    indicators_added: list[str] = field(default_factory=list)
    indicators_removed: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.old is None:
            return "new"
        if self.new is None:
            return "dropped"
        changed = self.text_changed or self.timeline_changed or self.agencies_gained or self.agencies_lost
        return "changed" if changed or self.indicators_added or self.indicators_removed else "continued"


def load_plan(folder: Path) -> Plan:
    """The plan of an output folder (its plan.json); DiffError when there is none or it does not load."""
    path = Path(folder) / "plan.json"
    if not Path(folder).is_dir():
        raise DiffError(f"{shown_name(folder)}: not a folder")
    if not path.is_file():
        raise DiffError(f"{shown_name(folder)}: not a nap output folder (no plan.json)")
    try:
        return Plan.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "the file"
        raise DiffError(f"{shown_name(path)}: not a nap plan.json ({where}: {first['msg']})") from None
    except OSError as exc:
        raise DiffError(f"{shown_name(path)}: cannot be read ({exc.strerror or exc})") from None


def sides(plan: Plan) -> list[Side]:
    found = [(a, o.title) for g in plan.goals for o in g.objectives for a in o.activities]
    last = max(len(found) - 1, 1)
    return [Side(a, objective, i / last) for i, (a, objective) in enumerate(found)]


def normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def candidates(old: list[Side], new: list[Side]) -> list[tuple[float, int, int, float]]:
    """(score, old index, new index, title similarity) of every pair alike enough, best first."""
    if not old or not new:
        return []
    titles = cdist(
        [normal(s.activity.title) for s in old], [normal(s.activity.title) for s in new], scorer=fuzz.ratio
    )
    objectives = cdist(
        [normal(s.objective) for s in old], [normal(s.objective) for s in new], scorer=fuzz.ratio
    )
    title_w, objective_w, place_w = WEIGHTS
    out = []
    for i, j in zip(*(titles >= MIN_SIMILARITY).nonzero(), strict=True):
        place = 100 * (1 - abs(old[i].place - new[j].place))
        score = title_w * titles[i, j] + objective_w * objectives[i, j] + place_w * place
        out.append((float(score), int(i), int(j), float(titles[i, j])))
    return sorted(out, key=lambda c: (-c[0], c[1], c[2]))


def match(old: list[Side], new: list[Side]) -> list[tuple[int, int, float]]:
    """(old index, new index, title similarity) of the pairs taken, best score first, each side once."""
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    pairs = []
    for _, i, j, similarity in candidates(old, new):
        if i not in taken_old and j not in taken_new:
            taken_old.add(i)
            taken_new.add(j)
            pairs.append((i, j, similarity))
    return pairs


def ordered(
    pairs: list[tuple[int, int, float]], n_old: int, n_new: int
) -> list[tuple[int | None, int | None, float | None]]:
    """Every activity once, in the new edition's order; a dropped one after the row of the old
    activity before it (or first)."""
    keys: list[tuple[tuple[int, int, int], tuple[int | None, int | None, float | None]]] = []
    new_of = {i: j for i, j, _ in pairs}
    after = -1
    for i in range(n_old):
        if i in new_of:
            after = new_of[i]
        else:
            keys.append(((after, 1, i), (i, None, None)))
    matched_new = {j for _, j, _ in pairs}
    keys += [((j, 0, i), (i, j, s)) for i, j, s in pairs]
    keys += [((j, 0, -1), (None, j, None)) for j in range(n_new) if j not in matched_new]
    return [row for _, row in sorted(keys, key=lambda k: k[0])]


def agency_keys(activity: Activity) -> list[str]:
    """`role:agency_id` of every link, in mention order, once each; `role:"mention"` for one unmatched."""
    keys = []
    for m in activity.mentions:
        for link in m.links:
            key = (
                f"{m.role}:{link.agency_id}"
                if link.agency_id
                else f'{m.role}:"{" ".join(m.mention.split())}"'
            )
            if key not in keys:
                keys.append(key)
    return keys


def timeline_key(t: Timeline) -> tuple[str, ...]:
    return (str(t.start), str(t.end)) if t.start or t.end else (normal(t.text),)


def timeline_text(t: Timeline) -> str:
    """The timeline as an ISO 8601 interval (`2020-07-01/2020-12-31`, `..` for an open side),
    or its printed text when no date was read."""
    if t.start or t.end:
        return f"{t.start or '..'}/{t.end or '..'}"
    return " ".join(t.text.split())


def only_in(these: list[str], those: list[str]) -> list[str]:
    """Items of `these` not in `those` (compared case-folded, counting repeats), in their order."""
    left = Counter(normal(t) for t in those)
    out = []
    for item in these:
        if left[normal(item)]:
            left[normal(item)] -= 1
        else:
            out.append(" ".join(item.split()))
    return out


def compare(old: Side, new: Side, similarity: float) -> Row:
    a, b = old.activity, new.activity
    gained, lost = agency_keys(b), agency_keys(a)
    return Row(
        old,
        new,
        similarity,
        text_changed=normal(a.title) != normal(b.title),
        timeline_changed=timeline_key(a.timeline) != timeline_key(b.timeline),
        agencies_gained=[k for k in gained if k not in lost],
        agencies_lost=[k for k in lost if k not in gained],
        indicators_added=only_in(b.indicators, a.indicators),
        indicators_removed=only_in(a.indicators, b.indicators),
    )


def diff_plans(old_plan: Plan, new_plan: Plan) -> list[Row]:
    """One row per activity of either edition, in the new edition's order (see the module's doc)."""
    old, new = sides(old_plan), sides(new_plan)
    rows = []
    for i, j, similarity in ordered(match(old, new), len(old), len(new)):
        if i is not None and j is not None:
            rows.append(compare(old[i], new[j], similarity or 0.0))
        else:
            rows.append(Row(old[i] if i is not None else None, new[j] if j is not None else None))
    return rows


def record(row: Row) -> dict[str, str]:
    a = row.old.activity if row.old else None
    b = row.new.activity if row.new else None
    both = a is not None and b is not None
    return {
        "old_id": a.activity_id if a else "",
        "new_id": b.activity_id if b else "",
        "status": row.status,
        "similarity": f"{row.similarity:.1f}" if row.similarity is not None else "",
        "old_title": a.title if a else "",
        "new_title": b.title if b else "",
        "text_changed": ("true" if row.text_changed else "false") if both else "",
        "timeline_old": timeline_text(a.timeline) if a and row.timeline_changed else "",
        "timeline_new": timeline_text(b.timeline) if b and row.timeline_changed else "",
        "agencies_gained": ";".join(row.agencies_gained),
        "agencies_lost": ";".join(row.agencies_lost),
        "indicators_added": "; ".join(row.indicators_added),
        "indicators_removed": "; ".join(row.indicators_removed),
    }


def diff_csv(rows: list[Row]) -> str:
    return csv_text(COLUMNS, (record(r) for r in rows))


WORD = re.compile(r"\S+")


def word_ops(old: str, new: str) -> Iterator[tuple[str, str, str]]:
    """(op, old words, new words) of the word-level differences: op is equal, delete, insert or replace."""
    a, b = WORD.findall(old), WORD.findall(new)
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        yield op, " ".join(a[i1:i2]), " ".join(b[j1:j2])


def counts(rows: list[Row]) -> dict[str, int]:
    found = Counter(r.status for r in rows)
    return {s: found[s] for s in ("continued", "changed", "new", "dropped")}
