"""normalize.bands: a lightly ruled page's text bands (one grid row per line) grouped into rows.

The bands are built from real cell texts of the Georgian 2019-2020 plan, cut into printed lines as
a stream page returns them; grouping them is how the rows were printed, so it leaves no review item.
"""

from __future__ import annotations

from helpers import cell, header_row, page_table, row

from normalize.bands import group_bands
from normalize.config import Layout
from normalize.plan import block_text
from normalize.rows import assemble

LAYOUT = Layout.load()
BODY_HEADER = {0: "Activity", 1: "Responsible Governmental Agency", 2: "Partner Organization", 3: "Indicator",
               4: "Timeline"}  # fmt: skip


def stream_page(page: int, cells: list) -> object:
    return page_table(page, cells).model_copy(update={"structure": "stream", "bands": True})


def test_bands_of_merged_columns_group_into_their_activities_without_review():
    bands = [
        *header_row(1),
        *row(1, 1, {0: "1. Development of the", 1: "1.1 Conducting of the",
                    2: "1.1.1 Studying and analyzing of", 3: "Leading: Interagency Coordination",
                    5: "Examined TIP cases;", 6: "Second half of 2020"}),
        *row(1, 2, {0: "policy on combating", 1: "research on the issues", 2: "the new trends of TIP",
                    3: "Council on Combating Trafficking"}),
        *row(1, 3, {0: "trafficking in persons", 2: "1.1.2. Elaboration of the", 3: "Leading: TIP council",
                    5: "Elaborated Strategy;", 6: "Second half of 2019"}),
        *row(1, 4, {1: "related to trafficking", 2: "Governmental Strategy", 4: "Interested local NGOs"}),
    ]  # fmt: skip
    asm = assemble([stream_page(1, bands)], LAYOUT)
    first, second = asm.activities
    assert [first.number, second.number] == ["1.1.1", "1.1.2"]
    assert block_text(first, "activity") == "1.1.1 Studying and analyzing of the new trends of TIP"
    assert (
        block_text(first, "responsible")
        == "Leading: Interagency Coordination Council on Combating Trafficking"
    )
    assert block_text(second, "activity") == "1.1.2. Elaboration of the Governmental Strategy"
    assert block_text(second, "partner") == "Interested local NGOs"
    assert (
        block_text(asm.goals[0], "text") == "1. Development of the policy on combating trafficking in persons"
    )
    assert block_text(asm.objectives[0], "text") == (
        "1.1 Conducting of the research on the issues related to trafficking"
    )
    assert asm.review == []


def test_wrapped_and_short_section_headings_are_headings_not_activity_text():
    bands = [
        *row(1, 0, BODY_HEADER),
        cell(1, 1, 0, "Strategic Goal 2: Prevention of trafficking in persons and", col_span=5),
        cell(1, 2, 0, "protection of its victims", col_span=5),
        *row(1, 3, {0: "Objective 2.1: Raising"}),  # a heading short enough to fit in one column
        *row(1, 4, {0: "2.1.1 Elaboration of the", 1: "Leading: TIP council", 4: "2019-2020"}),
        *row(1, 5, {0: "Action Plans", 1: "(Ministry of Justice)"}),
    ]
    asm = assemble([stream_page(1, bands)], LAYOUT)
    (goal,), (objective,), (activity,) = asm.goals, asm.objectives, asm.activities
    assert (goal.number, objective.number, activity.number) == ("2", "2.1", "2.1.1")
    assert (
        block_text(goal, "text")
        == "Strategic Goal 2: Prevention of trafficking in persons and protection of its victims"
    )
    assert block_text(activity, "activity") == "2.1.1 Elaboration of the Action Plans"
    assert block_text(activity, "responsible") == "Leading: TIP council (Ministry of Justice)"
    assert asm.review == []


def test_a_row_continued_from_the_page_before_is_still_reported():
    first = [*row(1, 0, BODY_HEADER), *row(1, 1, {0: "2.1.1 Elaboration of the", 1: "Leading: TIP council"})]
    second = [
        *row(2, 0, {0: "Action Plans", 1: "(Ministry of Justice)"}),
        *row(2, 1, {3: "Elaborated Plan;"}),
    ]
    asm = assemble([stream_page(1, first), stream_page(2, second)], LAYOUT)
    (activity,) = asm.activities
    assert block_text(activity, "indicator") == "Elaborated Plan;"
    assert [r.kind for r in asm.review] == ["page_break_stitched"]


def test_rows_parted_by_rules_are_not_regrouped():
    """On a page whose rules part the rows, a row without a number (the first lines of the next
    row, printed at the page's foot) stays a row of its own, for rows.py to place."""
    rows = [
        row(1, 1, {0: "2.1.1 Elaboration of the", 1: "Leading: TIP council"}),
        row(1, 2, {4: "2019-2020"}),
    ]
    fields = dict(enumerate(["activity", "responsible", "partner", "indicator", "timeline"]))
    assert len(group_bands(rows, fields, 5, LAYOUT, grouped=True)) == 2
    assert len(group_bands(rows, fields, 5, LAYOUT)) == 1
