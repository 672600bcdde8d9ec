"""Serialise a `Plan` into the clean dataset files, deterministically and atomically."""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from normalize.amounts import derived, format_amount
from publish.package import ROLE_CELL_FIELDS, package_title, publication_files
from publish.review_html import review_html
from publish.sqlite import SqliteBuildError
from schema.models import Activity, Plan

ACTIVITY_COLUMNS = [
    "activity_id",
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
    "leading_agency_ids",
    "supporting_agency_ids",
    "partner_agency_ids",
    "page_first",
    "page_last",
]
AGENCY_LINK_COLUMNS = [
    "activity_id",
    "mention_seq",
    "column",
    "role",
    "mention",
    "note",
    "agency_id",
    "agency_name",
    "match",
    "score",
]
INDICATOR_COLUMNS = ["activity_id", "seq", "indicator"]
AGENCY_COLUMNS = ["agency_id", "name", "short_name", "kind", "parent_id", "mentions"]
REVIEW_COLUMNS = ["activity_id", "field", "kind", "detail", "page"]


def csv_text(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def role_ids(activity: Activity, role: str) -> str:
    ids: list[str] = []
    for m in activity.mentions:
        for link in m.links:
            if m.role == role and link.agency_id and link.agency_id not in ids:
                ids.append(link.agency_id)
    return ";".join(ids)


def extra_header(activity: Activity) -> list[str]:
    """The extra columns, each amount column followed by its `_amount` and `_currency` columns."""
    out = []
    for name in activity.extra:
        out.append(name)
        if name in activity.amounts:
            out += [derived(name, "amount"), derived(name, "currency")]
    return out


def extra_values(activity: Activity) -> list:
    out: list = []
    for name, text in activity.extra.items():
        out.append(text)
        if name in activity.amounts:
            amount = activity.amounts[name]
            out += [format_amount(amount.value), amount.currency]
    return out


def activity_rows(plan: Plan) -> tuple[list[str], list[list]]:
    first = plan.activities()[0] if plan.activities() else None
    roles = [c for c in ROLE_CELL_FIELDS if first and c in first.cells]  # only plans that print them
    extra = extra_header(first) if first else []
    rows = []
    for g in plan.goals:
        for o in g.objectives:
            for a in o.activities:
                pages = a.pages
                rows.append(
                    [
                        a.activity_id,
                        a.goal_id,
                        g.title,
                        a.objective_id,
                        o.title,
                        a.title,
                        a.cells.get("responsible", ""),
                        a.cells.get("partner", ""),
                        a.cells.get("indicator", ""),
                        a.timeline.text,
                        a.timeline.start,
                        a.timeline.end,
                        role_ids(a, "leading"),
                        role_ids(a, "supporting"),
                        role_ids(a, "partner"),
                        pages[0] if pages else None,
                        pages[-1] if pages else None,
                        *[a.cells.get(c, "") for c in roles],
                        *extra_values(a),
                    ]
                )
    return ACTIVITY_COLUMNS + roles + extra, rows


def link_rows(plan: Plan) -> list[list]:
    return [
        [
            a.activity_id,
            m.seq,
            m.column,
            m.role,
            m.mention,
            m.note,
            link.agency_id,
            link.agency_name,
            link.match,
            link.score,
        ]
        for a in plan.activities()
        for m in a.mentions
        for link in m.links
    ]


def agency_rows(plan: Plan) -> list[list]:
    counts = Counter(link.agency_id for a in plan.activities() for m in a.mentions for link in m.links)
    return [[ag.id, ag.name, ag.short_name, ag.kind, ag.parent, counts.get(ag.id, 0)] for ag in plan.agencies]


def render(plan: Plan) -> dict[str, str]:
    """File name -> content of every output file."""
    header, rows = activity_rows(plan)
    return {
        "activities.csv": csv_text(header, rows),
        "activity_agencies.csv": csv_text(AGENCY_LINK_COLUMNS, link_rows(plan)),
        "indicators.csv": csv_text(
            INDICATOR_COLUMNS,
            [
                [a.activity_id, i, text]
                for a in plan.activities()
                for i, text in enumerate(a.indicators, start=1)
            ],
        ),
        "agencies.csv": csv_text(AGENCY_COLUMNS, agency_rows(plan)),
        "review.csv": csv_text(
            REVIEW_COLUMNS, [[r.activity_id, r.field, r.kind, r.detail, r.page] for r in plan.review]
        ),
        "plan.json": plan.model_dump_json(indent=2) + "\n",
    }


class OutputError(ValueError):
    """The outputs cannot be written: the folder holds other files, or the tables break their keys."""


def publish(plan: Plan, pdf: Path, password: str | None = None) -> dict[str, bytes]:
    """Every output file: the data, the data package, the SQLite database, the codebook, review.html."""
    files = {name: content.encode("utf-8") for name, content in render(plan).items()}
    src = plan.source
    title = package_title(plan.preamble, Path(src.name).stem)
    try:
        files.update(publication_files(files, src.name, src.sha256, src.bytes, title))
    except SqliteBuildError as exc:
        raise OutputError(f"the tables break their keys or types, so no database is written: {exc}") from exc
    files["review.html"] = review_html(plan, pdf, password).encode("utf-8")
    return files


OUTPUT_NAMES = frozenset(
    {"activities.csv", "activity_agencies.csv", "indicators.csv", "agencies.csv", "review.csv", "plan.json",
     "datapackage.json", "plan.sqlite", "README.md", "review.html"}
)  # fmt: skip


def check_replaceable(out_dir: Path) -> None:
    """Refuse to swap out a folder holding anything but nap's own output files."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"output {out_dir} exists and is not a folder")
    foreign = (
        sorted(p.name for p in out_dir.iterdir() if p.name not in OUTPUT_NAMES) if out_dir.is_dir() else []
    )
    if foreign:
        raise OutputError(
            f"refusing to replace {out_dir}: it holds files nap did not write ({', '.join(foreign[:3])})"
        )


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_outputs(files: dict[str, bytes], out_dir: Path) -> None:
    """Write every file into a temporary folder beside `out_dir`, then swap it into place.

    A failure part-way leaves the previous output untouched.
    """
    out_dir = Path(out_dir)
    check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp makes it private; the output is for sharing
    try:
        for name, content in files.items():
            (tmp / name).write_bytes(content)
        old = out_dir.with_name(f".{out_dir.name}.old")
        if out_dir.exists():
            shutil.rmtree(old, ignore_errors=True)
            out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
