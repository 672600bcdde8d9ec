"""normalize.rows.assemble: merged cells, page-break stitching and header handling.

The synthetic tables are built from real cell texts of the Georgian 2019-2020 plan (gold fixture).
"""

from __future__ import annotations

import pytest
from documents import SHIPPED
from helpers import HEADER, cell, header_row, page_table, row

from extract import extract_document
from normalize.config import Layout
from normalize.plan import block_text
from normalize.rows import Assembly, LayoutError, assemble

LAYOUT = Layout.load()
GOLD = SHIPPED.load_gold()
CELLS = {r["activity_id"]: r["cells"] for r in GOLD["rows"]}
GOAL_TEXT = {r["goal_id"]: r["cells"]["goal"] for r in GOLD["rows"] if r["cells"]["goal"]}
FIELDS = ("goal", "objective", "activity", "responsible", "partner", "indicator", "timeline")


def activity_row(page: int, index: int, aid: str, **override: str | list[str] | None) -> list:
    """Columns 2-6 of a gold activity row; keyword arguments replace a field's lines."""
    texts = {col: override.get(name, CELLS[aid][name] or None) for col, name in enumerate(FIELDS) if col >= 2}
    return row(page, index, texts)


def by_number(asm: Assembly, number: str):
    return next(b for b in asm.activities if b.number == number)


def all_line_texts(asm: Assembly) -> list[str]:
    blocks = asm.goals + asm.objectives + asm.activities
    return [ln.text for b in blocks for frags in b.fragments.values() for f in frags for ln in f.lines]


# --- (1) merged goal and objective cells ---------------------------------------------------


def first_page() -> list:
    """Page 1 of the plan: header, then goal 1 / objective 1.1 merged over activities 1.1.1-1.1.2."""
    return (
        header_row(1)
        + row(1, 1, {0: CELLS["1.1.1"]["goal"], 1: CELLS["1.1.1"]["objective"]}, spans={0: 2, 1: 2})
        + activity_row(1, 1, "1.1.1")
        + activity_row(1, 2, "1.1.2")
    )


def test_merged_goal_and_objective_fill_both_activities() -> None:
    asm = assemble([page_table(1, first_page())], LAYOUT)
    assert [b.number for b in asm.activities] == ["1.1.1", "1.1.2"]
    assert [g.number for g in asm.goals] == ["1"]
    assert [o.number for o in asm.objectives] == ["1.1"]
    goal, objective = asm.goals[0], asm.objectives[0]
    for act in asm.activities:
        assert act.goal is goal
        assert act.objective is objective
    assert objective.goal is goal
    assert block_text(goal, "text") == CELLS["1.1.1"]["goal"]
    assert block_text(objective, "text") == CELLS["1.1.1"]["objective"]
    assert block_text(asm.activities[1], "responsible") == CELLS["1.1.2"]["responsible"]
    assert "goal" not in asm.activities[1].fragments
    assert asm.review == []
    assert asm.header == list(HEADER)
    assert asm.fields == list(FIELDS)


# --- (2) an activity row broken across pages ----------------------------------------------


def broken_row_tables(page2_header: bool, split_activity: bool) -> list:
    """6.2.2 breaks after "(Ministry of"; page 2 opens with the rest of its agency cells.

    With `split_activity`, the activity cell breaks too, so page 2 opens with unnumbered text.
    """
    title = [
        "6.2.2 Partnership with NGOs on TIP though updating and/or",
        "concluding memorandums of cooperation",
    ]
    page1 = (
        header_row(1)
        + row(1, 1, {0: GOAL_TEXT["6"], 1: CELLS["6.2.1"]["objective"]}, spans={0: 2, 1: 2})
        + activity_row(1, 1, "6.2.1")
        + activity_row(
            1,
            2,
            "6.2.2",
            activity=title[:1] if split_activity else title,
            responsible=["Leading: The State Fund;", "Supporting: TIP council (Ministry of"],
            partner="Interested local",
        )
    )
    start = 1 if page2_header else 0
    page2 = (
        (header_row(2) if page2_header else [])
        + row(2, start, {0: None, 1: None}, spans={0: 2, 1: 2})
        + row(
            2,
            start,
            {
                2: title[1:] if split_activity else None,
                3: "Justice of Georgia);",
                4: "NGOs",
                5: None,
                6: None,
            },
        )
        + activity_row(2, start + 1, "6.2.3")
    )
    return [page_table(1, page1), page_table(2, page2)]


@pytest.mark.parametrize(
    ("page2_header", "split_activity"),
    [(False, False), (True, False), (False, True)],
    ids=["no-header-on-page-2", "header-repeated", "activity-text-continues"],
)
def test_row_at_top_of_next_page_is_stitched_to_the_last_activity(
    page2_header: bool, split_activity: bool
) -> None:
    asm = assemble(broken_row_tables(page2_header, split_activity), LAYOUT)
    assert [b.number for b in asm.activities] == ["6.2.1", "6.2.2", "6.2.3"]

    broken = by_number(asm, "6.2.2")
    assert [f.page for f in broken.fragments["responsible"]] == [1, 2]
    assert block_text(broken, "responsible") == CELLS["6.2.2"]["responsible"]
    assert block_text(broken, "partner") == CELLS["6.2.2"]["partner"]
    assert block_text(broken, "indicator") == CELLS["6.2.2"]["indicator"]
    assert block_text(broken, "activity") == CELLS["6.2.2"]["activity"]
    assert broken.pages == [1, 2]

    after = by_number(asm, "6.2.3")
    assert after.pages == [2]
    assert block_text(after, "responsible") == CELLS["6.2.3"]["responsible"]
    assert after.objective is broken.objective
    assert after.objective.number == "6.2"

    assert len(asm.review) == 1
    item = asm.review[0]
    assert (item.kind, item.activity_id, item.page) == ("page_break_stitched", "6.2.2", 2)
    assert set(item.field.split(",")) == {"responsible", "partner"} | (
        {"activity"} if split_activity else set()
    )
    assert "page 2" in item.detail
    assert "Justice of Georgia);" in item.detail


def test_unnumbered_row_in_the_middle_of_a_page_is_merged_but_not_called_a_page_break() -> None:
    cells = (
        header_row(1)
        + row(1, 1, {0: CELLS["1.1.1"]["goal"], 1: CELLS["1.1.1"]["objective"]}, spans={0: 3, 1: 3})
        + activity_row(1, 1, "1.1.2", timeline="Second half")
        + row(1, 2, {6: "of 2019"})
    )
    asm = assemble([page_table(1, cells)], LAYOUT)
    assert [b.number for b in asm.activities] == ["1.1.2"]
    assert block_text(asm.activities[0], "timeline") == CELLS["1.1.2"]["timeline"]
    assert [(i.kind, i.field, i.page) for i in asm.review] == [("unnumbered_row_merged", "timeline", 1)]


# --- (3) an objective cell continuing on the next page ------------------------------------


def test_objective_continuing_at_top_of_next_page_is_appended() -> None:
    page1 = (
        header_row(1)
        + row(1, 1, {0: GOAL_TEXT["2"], 1: "2.1. Raising public awareness on combating"})
        + activity_row(
            1,
            1,
            "2.1.1",
            responsible=["Leading: TIP council (Ministry of", "Supporting: All members of the TIP"],
        )
    )
    page2 = (
        row(2, 0, {0: None, 1: ["trafficking in", "persons"]}, spans={0: 2, 1: 2})
        + row(2, 0, {2: None, 3: "Council;", 4: None, 5: None, 6: None})
        + activity_row(2, 1, "2.1.2")
    )
    asm = assemble([page_table(1, page1), page_table(2, page2)], LAYOUT)

    assert [o.number for o in asm.objectives] == ["2.1"]
    objective = asm.objectives[0]
    assert [f.page for f in objective.fragments["text"]] == [1, 2]
    assert block_text(objective, "text") == CELLS["2.1.1"]["objective"]
    assert [b.objective for b in asm.activities] == [objective, objective]
    assert [b.number for b in asm.activities] == ["2.1.1", "2.1.2"]

    stitched = [(i.field, i.page) for i in asm.review if i.kind == "page_break_stitched"]
    assert ("objective", 2) in stitched
    assert ("responsible", 2) in stitched
    objective_item = next(i for i in asm.review if i.field == "objective")
    assert "trafficking in persons" in objective_item.detail
    assert "2.1" in objective_item.detail


# --- (4) the header repeated on the next page ---------------------------------------------


def test_header_repeated_on_next_page_is_not_data() -> None:
    page1 = (
        header_row(1)
        + row(1, 1, {0: CELLS["1.1.1"]["goal"], 1: CELLS["1.1.1"]["objective"]})
        + activity_row(1, 1, "1.1.1")
    )
    page2 = header_row(2) + row(2, 1, {0: None, 1: None}) + activity_row(2, 1, "1.1.2")
    asm = assemble([page_table(1, page1), page_table(2, page2)], LAYOUT)

    assert [b.number for b in asm.activities] == ["1.1.1", "1.1.2"]
    assert asm.review == []
    assert asm.header == list(HEADER)
    assert not set(HEADER) & set(all_line_texts(asm))
    assert by_number(asm, "1.1.1").pages == [1]
    assert by_number(asm, "1.1.2").pages == [2]
    assert by_number(asm, "1.1.2").objective is asm.objectives[0]


# --- (5) no header ------------------------------------------------------------------------


def test_no_header_anywhere_raises_layout_error() -> None:
    page1 = (
        row(1, 0, {0: CELLS["1.1.1"]["goal"], 1: CELLS["1.1.1"]["objective"]}, spans={0: 2, 1: 2})
        + activity_row(1, 0, "1.1.1")
        + activity_row(1, 1, "1.1.2")
    )
    with pytest.raises(LayoutError):
        assemble([page_table(1, page1)], LAYOUT)


def test_no_tables_raises_layout_error() -> None:
    with pytest.raises(LayoutError):
        assemble([], LAYOUT)


def test_table_before_the_header_is_skipped() -> None:
    cover = row(1, 0, {0: "Approved by the Interagency Council", 1: "On 24 December, 2018"})
    asm = assemble([page_table(1, cover), page_table(2, first_page())], LAYOUT)
    assert [b.number for b in asm.activities] == ["1.1.1", "1.1.2"]
    assert "On 24 December, 2018" not in all_line_texts(asm)


# --- the real document --------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_doc():
    return extract_document(SHIPPED.pdf, engine="pdfplumber")


def test_real_pdf_tables(real_doc) -> None:
    assert len(real_doc.tables) == 13
    assert [t.n_cols for t in real_doc.tables] == [7] * 13
    assert real_doc.tables[0].text_above == GOLD["document"]["preamble"]


def test_real_pdf_assembles_the_gold_activities_and_goals(real_doc) -> None:
    asm = assemble(real_doc.tables, LAYOUT)
    gold_ids = [r["activity_id"] for r in GOLD["rows"]]
    assert len(gold_ids) == 57
    assert [b.number for b in asm.activities] == gold_ids
    gold_goals = list(dict.fromkeys(r["goal_id"] for r in GOLD["rows"]))
    assert len(gold_goals) == 6
    assert [g.number for g in asm.goals] == gold_goals
    assert asm.header == GOLD["columns"]


# --- (7) a row whose first lines print at the foot of a page, its number on the next -----------


def fragment_tables(page1_foot: dict, page2_top: list, page2_activity: dict | None = None) -> list:
    """6.2.1 on page 1, then a foot row holding only some cells of 6.2.2 (`page1_foot`, by column);
    page 2 opens with `page2_top` rows, then 6.2.2 with its number (cells from `page2_activity`)."""
    page1 = (
        header_row(1)
        + row(1, 1, {0: GOAL_TEXT["6"], 1: CELLS["6.2.1"]["objective"]}, spans={0: 2, 1: 2})
        + activity_row(1, 1, "6.2.1")
        + row(1, 2, {2: None, 3: None, 4: None, 5: None, 6: None} | page1_foot)
    )
    start = len({c.row for c in page2_top})
    page2 = (
        page2_top
        + activity_row(2, start, "6.2.2", **(page2_activity or {}))
        + activity_row(2, start + 1, "6.2.3")
    )
    return [page_table(1, page1), page_table(2, page2)]


def test_timeline_printed_alone_at_the_page_foot_belongs_to_the_next_numbered_row() -> None:
    tables = fragment_tables({6: "2019-2020"}, header_row(2), {"timeline": None})
    asm = assemble(tables, LAYOUT)
    assert [b.number for b in asm.activities] == ["6.2.1", "6.2.2", "6.2.3"]
    first, fragmented = by_number(asm, "6.2.1"), by_number(asm, "6.2.2")
    assert block_text(first, "timeline") == CELLS["6.2.1"]["timeline"]  # not doubled
    assert block_text(fragmented, "timeline") == CELLS["6.2.2"]["timeline"]  # not empty
    assert [f.page for f in fragmented.fragments["timeline"]] == [1]
    assert fragmented.pages == [1, 2]
    assert [(i.kind, i.activity_id, i.field, i.page) for i in asm.review] == [
        ("page_break_stitched", "6.2.2", "timeline", 2)
    ]
    assert "downwards" in asm.review[0].detail and "page 1" in asm.review[0].detail


def test_agency_lines_at_the_page_foot_come_first_in_the_next_row() -> None:
    responsible = ["Leading: The State Fund;", "Supporting: TIP council (Ministry of", "Justice of Georgia);"]
    tables = fragment_tables(
        {3: responsible[:2], 4: "Interested local"},
        [],
        {"responsible": responsible[2:], "partner": "NGOs"},
    )
    asm = assemble(tables, LAYOUT)
    fragmented = by_number(asm, "6.2.2")
    assert [f.page for f in fragmented.fragments["responsible"]] == [1, 2]
    assert block_text(fragmented, "responsible") == CELLS["6.2.2"]["responsible"]
    assert block_text(fragmented, "partner") == CELLS["6.2.2"]["partner"]
    assert block_text(by_number(asm, "6.2.1"), "responsible") == CELLS["6.2.1"]["responsible"]
    assert block_text(by_number(asm, "6.2.1"), "partner") == CELLS["6.2.1"]["partner"]
    item = asm.review[0]
    assert (item.kind, item.activity_id, set(item.field.split(","))) == (
        "page_break_stitched", "6.2.2", {"responsible", "partner"}
    )  # fmt: skip


def test_fragment_before_a_heading_opened_at_the_next_page_top_joins_that_headings_activity() -> None:
    """Page 2 opens objective 6.3 (merged cell) over 6.3.1: the timeline at page 1's foot is 6.3.1's."""
    page1 = (
        header_row(1)
        + row(1, 1, {0: GOAL_TEXT["6"], 1: CELLS["6.2.1"]["objective"]}, spans={0: 2, 1: 1})
        + activity_row(1, 1, "6.2.1")
        + row(1, 2, {1: None, 2: None, 3: None, 4: None, 5: None, 6: "2019-2020"})
    )
    page2 = row(2, 0, {0: None, 1: CELLS["6.3.1"]["objective"]}) + activity_row(2, 0, "6.3.1", timeline=None)
    asm = assemble([page_table(1, page1), page_table(2, page2)], LAYOUT)
    assert [b.number for b in asm.activities] == ["6.2.1", "6.3.1"]
    moved = by_number(asm, "6.3.1")
    assert moved.objective.number == "6.3"
    assert block_text(moved, "timeline") == CELLS["6.3.1"]["timeline"]
    assert block_text(by_number(asm, "6.2.1"), "timeline") == CELLS["6.2.1"]["timeline"]
    assert [(i.kind, i.activity_id, i.page) for i in asm.review] == [("page_break_stitched", "6.3.1", 2)]


def test_fragment_before_a_section_row_at_the_next_page_top_joins_the_activity_under_it() -> None:
    """Page 2 opens with a full-width "Objective 6.3" row, then 6.3.1: the page-1 foot row is 6.3.1's."""
    page1 = (
        header_row(1)
        + row(1, 1, {0: GOAL_TEXT["6"], 1: CELLS["6.2.1"]["objective"]}, spans={0: 2, 1: 2})
        + activity_row(1, 1, "6.2.1")
        + row(1, 2, {2: None, 3: None, 4: None, 5: None, 6: "2019-2020"})
    )
    section = "Objective 6.3. Further development of international cooperation on TIP"
    page2 = [cell(2, 0, 0, section, col_span=7)] + activity_row(2, 1, "6.3.1", timeline=None)
    asm = assemble([page_table(1, page1), page_table(2, page2)], LAYOUT)
    assert [b.number for b in asm.activities] == ["6.2.1", "6.3.1"]
    moved = by_number(asm, "6.3.1")
    assert moved.objective.number == "6.3"
    assert block_text(moved, "timeline") == CELLS["6.3.1"]["timeline"]
    assert block_text(by_number(asm, "6.2.1"), "timeline") == CELLS["6.2.1"]["timeline"]
    assert [(i.kind, i.activity_id) for i in asm.review] == [("page_break_stitched", "6.3.1")]


def test_foot_row_followed_by_a_continuation_joins_upwards_in_reading_order() -> None:
    """When page 2 opens with unnumbered text, the page-foot row and it both continue 6.2.1."""
    page1 = (
        header_row(1)
        + row(1, 1, {0: GOAL_TEXT["6"], 1: CELLS["6.2.1"]["objective"]}, spans={0: 3, 1: 3})
        + activity_row(1, 1, "6.2.1", indicator=None, timeline=None)
        + row(1, 2, {5: "Joint events organized by the"})
    )
    page2 = (
        row(2, 0, {0: None, 1: None}, spans={0: 2, 1: 2})
        + row(2, 0, {5: "Governmental agencies and NGOs;", 6: "2019-2020"})
        + activity_row(2, 1, "6.2.2")
    )
    asm = assemble([page_table(1, page1), page_table(2, page2)], LAYOUT)
    first = by_number(asm, "6.2.1")
    assert block_text(first, "indicator") == CELLS["6.2.1"]["indicator"]
    assert [f.page for f in first.fragments["indicator"]] == [1, 2]
    assert block_text(by_number(asm, "6.2.2"), "timeline") == CELLS["6.2.2"]["timeline"]
    assert [(i.kind, i.page) for i in asm.review] == [
        ("unnumbered_row_merged", 1),
        ("page_break_stitched", 2),
    ]


def test_unnumbered_activity_text_at_the_page_foot_is_no_fragment_without_a_number_column() -> None:
    """With the number printed inside the activity cell, activity text without one at a page's
    foot cannot be the start of the next row: it stays with the row above."""
    tables = fragment_tables({2: "(continued)", 6: "2019-2020"}, [], {"timeline": None})
    asm = assemble(tables, LAYOUT)
    assert block_text(by_number(asm, "6.2.1"), "timeline") == "2019-2020 2019-2020"
    assert block_text(by_number(asm, "6.2.2"), "timeline") == ""
    assert [i.kind for i in asm.review] == ["unnumbered_row_merged"]


def test_a_page_holding_only_a_continuation_is_not_held_for_the_next_page() -> None:
    """A row taller than a page: page 2's only row continues 6.2.1 even though page 3 opens 6.2.2."""
    page1 = (
        header_row(1)
        + row(1, 1, {0: GOAL_TEXT["6"], 1: CELLS["6.2.1"]["objective"]}, spans={0: 2, 1: 2})
        + activity_row(1, 1, "6.2.1", timeline=None)
    )
    page2 = row(2, 0, {0: None, 1: None, 2: None, 3: None, 4: None, 5: None, 6: "2019-2020"})
    page3 = activity_row(3, 0, "6.2.2")
    asm = assemble([page_table(1, page1), page_table(2, page2), page_table(3, page3)], LAYOUT)
    assert block_text(by_number(asm, "6.2.1"), "timeline") == CELLS["6.2.1"]["timeline"]
    assert block_text(by_number(asm, "6.2.2"), "timeline") == CELLS["6.2.2"]["timeline"]
    assert [(i.kind, i.activity_id) for i in asm.review] == [("page_break_stitched", "6.2.1")]


def test_a_budget_column_of_decimal_amounts_is_not_read_as_the_number_column() -> None:
    """Regression: on a page whose budget cells all read like "68.10" (an outline number by its
    shape), the budget column was taken for an unreadable-headed number column and the amounts
    became activity ids. A header naming an amount keeps the column's cells as money."""
    header = ["Estimated Budget", "Activity", "Responsible Governmental Agency", "Partner Organization",
              "Indicator", "Timeline", "Status"]  # fmt: skip

    def page(n: int, aid: str, budget: str) -> list:
        texts = [budget, f"{aid} {CELLS[aid]['activity']}", CELLS[aid]["responsible"], CELLS[aid]["partner"],
                 CELLS[aid]["indicator"], CELLS[aid]["timeline"], "In progress"]  # fmt: skip
        return row(n, 0, dict(enumerate(header))) + row(n, 1, dict(enumerate(texts)))

    tables = [page_table(1, page(1, "1.1.1", "68.10")), page_table(2, page(2, "1.1.2", "152.50"))]
    asm = assemble(tables, LAYOUT)
    assert [b.number for b in asm.activities] == ["1.1.1", "1.1.2"]
    assert [block_text(b, "estimated_budget") for b in asm.activities] == ["68.10", "152.50"]
