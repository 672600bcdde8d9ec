"""The output CSVs, their rows built by column name from the schemas of `publish.tables`.

Each table's records are dicts keyed by column name; the header comes from the table's schema
(plus, for activities, the role and extra columns a plan prints), and each row is read from its
record by that header, so a column can be neither misplaced nor forgotten: a header column no
record has is a KeyError, not a shifted file.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from normalize.amounts import derived, format_amount
from publish.tables import ROLE_CELL_FIELDS, TABLES, file_name, standard_columns
from schema.models import Activity, Goal, Objective, Plan

Record = dict[str, Any]


def csv_text(header: list[str], records: Iterable[Record]) -> str:
    """A CSV file's text: the header row, then each record's values in header order (None as empty)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for record in records:
        w.writerow(["" if record[c] is None else record[c] for c in header])
    return buf.getvalue()


def role_ids(activity: Activity, role: str) -> str:
    """The resolved agency ids of one role, in mention order, once each, joined with `;`."""
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


def extra_record(activity: Activity) -> Record:
    out: Record = {}
    for name, text in activity.extra.items():
        out[name] = text
        if name in activity.amounts:
            amount = activity.amounts[name]
            out[derived(name, "amount")] = format_amount(amount.value)
            out[derived(name, "currency")] = amount.currency
    return out


def activity_record(goal: Goal, objective: Objective, a: Activity, seq: int) -> Record:
    return {
        "activity_id": a.activity_id,
        "seq": seq,
        "goal_id": a.goal_id,
        "goal": goal.title,
        "objective_id": a.objective_id,
        "objective": objective.title,
        "activity": a.title,
        "responsible": a.cells.get("responsible", ""),
        "partner": a.cells.get("partner", ""),
        "indicator": a.cells.get("indicator", ""),
        "timeline": a.timeline.text,
        "timeline_start": a.timeline.start,
        "timeline_end": a.timeline.end,
        "leading_agency_ids": role_ids(a, "leading"),
        "supporting_agency_ids": role_ids(a, "supporting"),
        "partner_agency_ids": role_ids(a, "partner"),
        "page_first": a.pages[0] if a.pages else None,
        "page_last": a.pages[-1] if a.pages else None,
        **{c: a.cells.get(c, "") for c in ROLE_CELL_FIELDS},
        **extra_record(a),
    }


def activities_header(plan: Plan) -> list[str]:
    """The standard columns, then the role cells and extra columns of the plans that print them."""
    first = plan.activities()[0] if plan.activities() else None
    if first is None:
        return standard_columns("activities")
    roles = [c for c in ROLE_CELL_FIELDS if c in first.cells]
    return standard_columns("activities") + roles + extra_header(first)


def activities(plan: Plan) -> Iterator[Record]:
    placed = ((g, o, a) for g in plan.goals for o in g.objectives for a in o.activities)
    for seq, (g, o, a) in enumerate(placed, start=1):
        yield activity_record(g, o, a, seq)


def activity_seqs(plan: Plan) -> dict[str, int]:
    """Each activity's `seq`: its 1-based place in activities.csv (document order)."""
    return {a.activity_id: seq for seq, a in enumerate(plan.activities(), start=1)}


def pages_of(heading: Goal | Objective, held: Iterable[Activity]) -> list[int]:
    """The pages a goal or objective is printed on: its heading's and its activities' rows'."""
    return sorted({p.page for p in heading.provenance} | {page for a in held for page in a.pages})


def heading_records(rows: Iterable[tuple[Record, list[int]]], key: str) -> Iterator[Record]:
    """Goal or objective records in document order, numbered by `seq`: a number printed again is
    merged into its first row (pages over both); rows without a number are kept one each."""
    merged: dict[Any, tuple[Record, set[int]]] = {}
    for n, (record, pages) in enumerate(rows):
        first, seen = merged.setdefault(record[key] or ("", n), (record, set()))
        seen.update(pages)
    for seq, (record, pages) in enumerate(merged.values(), start=1):
        ordered = sorted(pages)
        yield {**record, "seq": seq, "page_first": ordered[0] if ordered else None,
               "page_last": ordered[-1] if ordered else None}  # fmt: skip


def goals(plan: Plan) -> Iterator[Record]:
    rows = (
        (
            {"goal_id": g.goal_id, "title": g.title},
            pages_of(g, (a for o in g.objectives for a in o.activities)),
        )
        for g in plan.goals
    )
    return heading_records(rows, "goal_id")


def objectives(plan: Plan) -> Iterator[Record]:
    rows = (
        ({"objective_id": o.objective_id, "goal_id": g.goal_id, "title": o.title}, pages_of(o, o.activities))
        for g in plan.goals
        for o in g.objectives
    )
    return heading_records(rows, "objective_id")


def activity_agencies(plan: Plan) -> Iterator[Record]:
    seqs = activity_seqs(plan)
    for a in plan.activities():
        for m in a.mentions:
            for link in m.links:
                yield {
                    "activity_id": a.activity_id,
                    "activity_seq": seqs[a.activity_id],
                    "mention_seq": m.seq,
                    "column": m.column,
                    "role": m.role,
                    "mention": m.mention,
                    "note": m.note,
                    "agency_id": link.agency_id,
                    "agency_name": link.agency_name,
                    "match": link.match,
                    "score": link.score,
                }


def indicators(plan: Plan) -> Iterator[Record]:
    seqs = activity_seqs(plan)
    for a in plan.activities():
        for seq, text in enumerate(a.indicators, start=1):
            yield {
                "activity_id": a.activity_id,
                "activity_seq": seqs[a.activity_id],
                "seq": seq,
                "indicator": text,
            }


def agencies(plan: Plan) -> Iterator[Record]:
    counts = Counter(link.agency_id for a in plan.activities() for m in a.mentions for link in m.links)
    for ag in plan.agencies:
        yield {
            "agency_id": ag.id,
            "name": ag.name,
            "short_name": ag.short_name,
            "kind": ag.kind,
            "parent_id": ag.parent,
            "host_id": ag.host,
            "mentions": counts.get(ag.id, 0),
        }


def review(plan: Plan) -> Iterator[Record]:
    seqs = activity_seqs(plan)
    for r in plan.review:
        yield {
            "activity_id": r.activity_id,
            "activity_seq": seqs.get(r.activity_id),
            "field": r.field,
            "kind": r.kind,
            "detail": r.detail,
            "page": r.page,
        }


RECORDS = {
    "activities": activities,
    "goals": goals,
    "objectives": objectives,
    "activity_agencies": activity_agencies,
    "indicators": indicators,
    "agencies": agencies,
    "review": review,
}


def table_csv(plan: Plan, table: str) -> str:
    """The CSV text of one table of `plan`."""
    header = activities_header(plan) if table == "activities" else standard_columns(table)
    return csv_text(header, RECORDS[table](plan))


def table_files(plan: Plan) -> dict[str, str]:
    """File name -> CSV text of every table, in publishing order."""
    return {file_name(t): table_csv(plan, t) for t in TABLES}
