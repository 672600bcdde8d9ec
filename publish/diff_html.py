"""`diff.html`, the two editions side by side (changed words marked), and the diff folder written.

The page is self-contained (inline CSS, no script, nothing fetched): a line per status with its
count, then one table row per activity in the new edition's order: the old activity's number and
title with removed words in `<del>`, the new one's with added words in `<ins>`, and what else
changed (timeline, agencies gained and lost by role, indicators added and removed).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from publish.diff import (
    DIFF_CSV,
    DIFF_HTML,
    DIFF_NAMES,
    Row,
    counts,
    diff_csv,
    diff_plans,
    load_plan,
    timeline_text,
    word_ops,
)
from publish.folder import write_outputs
from schema.models import Plan

STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.35em .5em;vertical-align:top;text-align:left}
th{background:#f3f3f3;position:sticky;top:0}
td.id{white-space:nowrap;font-family:monospace}
td.text{width:27%} td.changes{width:34%}
ins{background:#d7f5d7;text-decoration:none}
del{background:#f8d4d4}
tr.new td.status{background:#d7f5d7} tr.dropped td.status{background:#f8d4d4}
tr.changed td.status{background:#fff1c2}
ul{margin:0;padding-left:1.1em}
.counts span{margin-right:1.2em}
"""


def marked(old: str, new: str) -> tuple[str, str]:
    """The two texts as HTML: words only in `old` in <del>, words only in `new` in <ins>."""
    left, right = [], []
    for op, a, b in word_ops(old, new):
        if op == "equal":
            left.append(escape(a))
            right.append(escape(b))
            continue
        if a:
            left.append(f"<del>{escape(a)}</del>")
        if b:
            right.append(f"<ins>{escape(b)}</ins>")
    return " ".join(left), " ".join(right)


def agency_label(key: str, names: dict[str, str]) -> str:
    """`supporting:mia` as "supporting: Ministry of Internal Affairs of Georgia (mia)"."""
    role, _, agency = key.partition(":")
    name = names.get(agency)
    return f"{role}: {name} ({agency})" if name else f"{role}: {agency}"


def change_items(row: Row, old_names: dict[str, str], new_names: dict[str, str]) -> list[str]:
    items = []
    if row.similarity is not None and row.similarity < 100:
        items.append(f"title similarity {row.similarity:.1f}")
    if row.timeline_changed and row.old and row.new:
        a, b = row.old.activity.timeline, row.new.activity.timeline
        items.append(
            f"timeline <del>{escape(a.text)} ({escape(timeline_text(a))})</del> → "
            f"<ins>{escape(b.text)} ({escape(timeline_text(b))})</ins>"
        )
    items += [f"agency <ins>+ {escape(agency_label(k, new_names))}</ins>" for k in row.agencies_gained]
    items += [f"agency <del>− {escape(agency_label(k, old_names))}</del>" for k in row.agencies_lost]
    items += [f"indicator <ins>+ {escape(t)}</ins>" for t in row.indicators_added]
    items += [f"indicator <del>− {escape(t)}</del>" for t in row.indicators_removed]
    return items


def table_row(row: Row, old_names: dict[str, str], new_names: dict[str, str]) -> str:
    a = row.old.activity if row.old else None
    b = row.new.activity if row.new else None
    old_text, new_text = marked(a.title if a else "", b.title if b else "")
    items = change_items(row, old_names, new_names)
    changes = "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else ""
    return (
        f'<tr class="{row.status}"><td class="status">{row.status}</td>'
        f'<td class="id">{escape(a.activity_id) if a else ""}</td><td class="text">{old_text}</td>'
        f'<td class="id">{escape(b.activity_id) if b else ""}</td><td class="text">{new_text}</td>'
        f'<td class="changes">{changes}</td></tr>'
    )


def edition(plan: Plan) -> str:
    src = plan.source
    return f"{escape(src.name)} <small>(sha256 {src.sha256[:12]}…, {src.pages} pages)</small>"


def diff_html(rows: list[Row], old_plan: Plan, new_plan: Plan) -> str:
    """The page (see the module's doc)."""
    old_names = {a.id: a.name for a in old_plan.agencies}
    new_names = {a.id: a.name for a in new_plan.agencies}
    found = counts(rows)
    summary = "".join(f"<span>{status}: <b>{n}</b></span>" for status, n in found.items())
    body = "\n".join(table_row(r, old_names, new_names) for r in rows)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>What changed between editions</title><style>{STYLE}</style></head><body>\n"
        "<h1>What changed between editions</h1>\n"
        f"<p>Old: {edition(old_plan)}<br>New: {edition(new_plan)}</p>\n"
        f'<p class="counts">{summary}</p>\n'
        "<p>Activities are matched by their text and place, not by number; agencies are compared by "
        "registry id (a body printed under another of its names is no change). Removed words are "
        "<del>struck out</del>, added words <ins>marked</ins>.</p>\n"
        "<table><thead><tr><th>status</th><th>old</th><th>old activity</th><th>new</th>"
        f"<th>new activity</th><th>what changed</th></tr></thead><tbody>\n{body}\n</tbody></table>\n"
        "</body></html>\n"
    )


def write_diff(old_dir: Path, new_dir: Path, out_dir: Path) -> list[Row]:
    """Compare two output folders and write diff.csv and diff.html atomically into `out_dir`.

    DiffError for a folder that is not a nap output; OutputError when `out_dir` cannot be written
    (or holds files other than the diff's)."""
    old_plan, new_plan = load_plan(old_dir), load_plan(new_dir)
    rows = diff_plans(old_plan, new_plan)
    files = {
        DIFF_CSV: diff_csv(rows).encode("utf-8"),
        DIFF_HTML: diff_html(rows, old_plan, new_plan).encode("utf-8"),
    }
    write_outputs(files, out_dir, names=DIFF_NAMES)
    return rows
