"""How close an output folder comes to a gold plan, as figures: character accuracy and agency scores.

    from accuracy import char_accuracy, expected_agency_ids, agency_scores

The golden tests demand every field exact; a scanned plan read by OCR will not be, so the OCR tests
and the bench measure how far it is. Character accuracy is 1 - (edit distance / gold characters)
over the text of every printed cell; the agency scores are the precision and recall of the
(activity, role, registry id) triples the output resolves its mentions to, against verified ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from goldcheck import expected, read_csv
from rapidfuzz.distance import Levenshtein

# The text of a row's cells as activities.csv carries it (numbers apart from their titles). The
# goal and objective cells are merged down the rows they span: they count once, on their first row.
ONCE = ("goal_id", "goal", "objective_id", "objective")
EVERY_ROW = ("activity_id", "activity", "responsible", "partner", "indicator", "timeline")

Triple = tuple[str, str, str]  # (activity_id, role, agency_id)
FIGURES: list[str] = []  # lines the OCR tests report, printed at the end of the session (conftest.py)


def gold_texts(row: dict) -> dict[str, str]:
    """The column -> text a gold row must give in activities.csv, each printed character once."""
    want = expected(row) | {"activity_id": row["activity_id"]}
    first = {"goal_id": "goal", "goal": "goal", "objective_id": "objective", "objective": "objective"}
    once = [k for k in ONCE if row["cells"][first[k]]]  # printed on this row: the merged cell's top
    return {k: want[k] for k in (*once, *EVERY_ROW)}


def char_accuracy(gold: list[dict], out_dir: Path) -> tuple[float, int, int]:
    """(1 - errors / characters, errors, characters) of out_dir/activities.csv against the gold rows
    (gold.json's `rows`). Errors are the Levenshtein distance of each cell text to the output's text
    for the activity of the same number; an activity missing from the output counts every character
    of it. Output activities that the gold does not have are not counted."""
    got = {r["activity_id"]: r for r in read_csv(out_dir / "activities.csv")}
    errors = characters = 0
    for row in gold:
        out = got.get(row["activity_id"])
        for column, text in gold_texts(row).items():
            characters += len(text)
            errors += len(text) if out is None else Levenshtein.distance(text, out[column])
    return (1.0 - errors / characters if characters else 1.0), errors, characters


def expected_agency_ids(gold: list[dict], verified: dict[str, list[str]]) -> Counter[Triple]:
    """The (activity_id, role, agency_id) triples of the gold rows' mentions, their ids taken from the
    verified ids (agency-ids.yaml: mention -> ids), counted with multiplicity."""
    return Counter(
        (row["activity_id"], m["role"], agency) for row in gold for m in row["agencies"]
        for agency in verified[m["mention"]]
    )  # fmt: skip


def output_agency_ids(out_dir: Path) -> Counter[Triple]:
    """The triples of out_dir/activity_agencies.csv's resolved mentions (unmatched ones have no id)."""
    rows = read_csv(out_dir / "activity_agencies.csv")
    return Counter((r["activity_id"], r["role"], r["agency_id"]) for r in rows if r["agency_id"])


def ratio(part: int, whole: int, empty: float) -> float:
    return part / whole if whole else empty


def agency_scores(expected_ids: Iterable[Triple], out_dir: Path) -> tuple[float, float]:
    """(precision, recall) of the output's (activity_id, role, agency_id) triples against
    `expected_ids` (expected_agency_ids), as multisets. With nothing in the output the precision is
    1.0 when nothing was expected, else 0.0 (an output that found nothing is not precise)."""
    want, got = Counter(expected_ids), output_agency_ids(out_dir)
    right = sum((want & got).values())
    total_want, total_got = sum(want.values()), sum(got.values())
    recall = ratio(right, total_want, 1.0)
    return ratio(right, total_got, 1.0 if not total_want else 0.0), recall
