"""The shipped plan translated into Georgian (tests/documents/georgia-nap-2019-2020-ka/) comes out as
exactly as the English one: every field, and every mention resolved to the ids of the English row's
mentions, in the same order. The document itself (reportlab, the shipped look, merged goal and
objective columns) is scored by test_golden.py with every engine; here it is printed again by
fpdf2, and with section rows by both producers, under other Georgian headers and heading labels.
"""

from __future__ import annotations

import dataclasses

import pytest
from documents import SHIPPED, document, typeset_style
from goldcheck import gold_problems, outputs
from typeset import typeset
from typeset.gold import gold_rows

from nap.pipeline import run

GEORGIAN = document("georgia-nap-2019-2020-ka")

BODY = [
    ("activity", "აქტივობა"),
    ("responsible", "პასუხისმგებელი უწყება"),
    ("partner", "პარტნიორი ორგანიზაცია"),
    ("indicator", "ინდიკატორი"),
    ("timeline", "შესრულების ვადა"),
]
# Other headers of the vocabulary (issue 14), and an activity number column headed "№".
SYNONYMS = [
    ("number", "№"),
    ("activity", "ღონისძიება"),
    ("responsible", "განმახორციელებელი უწყება"),
    ("partner", "პარტნიორები"),
    ("indicator", "შედეგის ინდიკატორი"),
    ("timeline", "განხორციელების ვადა"),
]
VARIANTS = {
    "fpdf2-shipped-look": {"producer": "fpdf2"},
    "reportlab-sections": {
        "structure": "sections",
        "columns": BODY,
        "goal_label": "სტრატეგიული მიზანი {id}: {title}",
        "objective_label": "ამოცანა {id}: {title}",
    },
    "fpdf2-sections-number": {
        "producer": "fpdf2",
        "structure": "sections",
        "columns": SYNONYMS,
        "widths": {"number": 40},
        "header_repeat": True,
        "goal_label": "მიზანი {id}. {title}",
        "objective_label": "ამოცანა {id} {title}",
    },
}


def english_ids() -> dict[str, list[list[str]]]:
    """For each activity of the English plan, the verified ids of each of its mentions, in order."""
    ids = SHIPPED.load_agency_ids()
    return {r["activity_id"]: [ids[a["mention"]] for a in r["agencies"]] for r in SHIPPED.load_gold()["rows"]}


def plain(rows):
    """Rows whose goal, objective and activity cells the Style prints from ids, titles and labels."""
    drop = ("goal", "objective", "activity")
    return [dataclasses.replace(r, cells={k: v for k, v in r.cells.items() if k not in drop}) for r in rows]


def test_the_translation_keeps_every_id_and_date_of_the_english_plan():
    """The Georgian gold is the English one translated: same rows, dates and agency roles, and each
    Georgian mention verified to the ids of the English mention in its place."""
    english, georgian = SHIPPED.load_gold()["rows"], GEORGIAN.load_gold()["rows"]
    keys = ("goal_id", "objective_id", "activity_id")
    assert [[r[k] for k in keys] for r in georgian] == [[r[k] for k in keys] for r in english]
    dates = [(r["timeline"]["start"], r["timeline"]["end"]) for r in english]
    assert [(r["timeline"]["start"], r["timeline"]["end"]) for r in georgian] == dates
    roles = [[(a["column"], a["role"], a["note"] is None) for a in r["agencies"]] for r in english]
    assert [[(a["column"], a["role"], a["note"] is None) for a in r["agencies"]] for r in georgian] == roles
    verified = GEORGIAN.load_agency_ids()
    want = english_ids()
    got = {r["activity_id"]: [verified.get(a["mention"]) for a in r["agencies"]] for r in georgian}
    wrong = [f"{aid}: {ids} != {want[aid]}" for aid, ids in got.items() if ids != want[aid]]
    assert not wrong, "\n".join(wrong)
    assert [len(r["indicators"]) for r in georgian] == [len(r["indicators"]) for r in english]


def mention_ids_problems(out) -> list[str]:
    """Rows whose mentions, in order, do not resolve to the ids of the English row's mentions."""
    got = outputs(out)["mentions"]
    problems = []
    for aid, want in english_ids().items():
        mentions = [m for _, m in sorted(got[aid].items())]
        ids = [m["ids"] for m in mentions]
        if ids != want:
            problems.append(f"{aid} {[m['key'][2] for m in mentions]}: {ids} != {want}")
    return problems


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_georgian_variant_comes_out_as_the_gold(name, config, tmp_path):
    style = dataclasses.replace(typeset_style(GEORGIAN), **VARIANTS[name])
    gold = GEORGIAN.load_gold()
    rows = gold_rows(gold)
    pdf = typeset(plain(rows) if style.structure == "sections" else rows, style, tmp_path / f"{name}.pdf")
    plan = run(pdf, tmp_path / "out", "pdfplumber", config)
    problems = gold_problems(tmp_path / "out", gold) + mention_ids_problems(tmp_path / "out")
    unknown = GEORGIAN.unknown(problems)
    assert not unknown, f"{name}: {len(unknown)} problems\n" + "\n".join(unknown)
    assert plan.preamble[: len(style.preamble)] == style.preamble


def test_every_georgian_mention_resolves_to_the_english_rows_ids(runs):
    """The document as printed (reportlab, the shipped look), with the default engine."""
    out, _ = runs(GEORGIAN, "pdfplumber")
    problems = mention_ids_problems(out)
    assert not problems, "\n".join(problems)
