"""Other table layouts: section rows, labelled headings, a number column, a title row, profiles."""

from __future__ import annotations

from documents import SHIPPED
from helpers import page_table, row

from normalize.config import Layout, overlay
from normalize.numbering import split_heading
from normalize.plan import block_text
from normalize.rows import assemble

LAYOUT = Layout.load()
GOLD = SHIPPED.load_gold()
CELLS = {r["activity_id"]: r["cells"] for r in GOLD["rows"]}
ROW = {r["activity_id"]: r for r in GOLD["rows"]}
FIVE = ["Activity", "Responsible Agency", "Partners", "Performance Indicator", "Timeframe"]


def section(page: int, index: int, text: str) -> list:
    """A full-width row (five columns wide) holding one text."""
    return [
        c.model_copy(update={"col_span": 5, "bbox": c.bbox.model_copy(update={"x1": 615.2})})
        for c in row(page, index, {0: text})
    ]


def body(page: int, index: int, aid: str, number_col: bool = False) -> list:
    c = CELLS[aid]
    texts = [c["activity"], c["responsible"] or None, c["partner"] or None, c["indicator"], c["timeline"]]
    if number_col:
        texts = [aid, ROW[aid]["activity"], *texts[1:]]
    return row(page, index, dict(enumerate(texts)))


def test_heading_labels_and_plain_numbers():
    labels = LAYOUT.heading_labels
    assert split_heading("Strategic Goal 1: Development of the policy", labels) == (
        "goal", "1", "Development of the policy")  # fmt: skip
    assert split_heading("Task 2.1 Raising public awareness", labels) == (
        "objective",
        "2.1",
        "Raising public awareness",
    )
    assert split_heading("Objective 1.1: Conducting", labels) == ("objective", "1.1", "Conducting")
    assert split_heading("2.1. Raising public awareness", labels) == (None, "2.1", "Raising public awareness")
    assert split_heading("Goals matter", labels) == (None, None, "Goals matter")


def test_section_rows_open_goals_and_objectives():
    cells = (
        row(1, 0, dict(enumerate(FIVE)))
        + section(1, 1, f"Strategic Goal 1: {ROW['1.1.1']['goal']}")
        + section(1, 2, f"Objective 1.1: {ROW['1.1.1']['objective']}")
        + body(1, 3, "1.1.1")
        + body(1, 4, "1.1.2")
        + section(1, 5, "Goal 2. " + ROW["2.1.1"]["goal"])
        + section(1, 6, "2.1. " + ROW["2.1.1"]["objective"])
        + body(1, 7, "2.1.1")
    )
    asm = assemble([page_table(1, cells)], LAYOUT)
    assert [g.number for g in asm.goals] == ["1", "2"]
    assert [o.number for o in asm.objectives] == ["1.1", "2.1"]
    assert [(a.number, a.goal.number, a.objective.number) for a in asm.activities] == [
        ("1.1.1", "1", "1.1"), ("1.1.2", "1", "1.1"), ("2.1.1", "2", "2.1")]  # fmt: skip
    assert asm.fields == ["activity", "responsible", "partner", "indicator", "timeline"]
    assert asm.review == []


def test_section_row_continued_at_the_top_of_a_page_is_stitched():
    page1 = row(1, 0, dict(enumerate(FIVE))) + section(1, 1, "Strategic Goal 1: Development of the policy on")
    page2 = (
        section(2, 0, "combating trafficking in persons")
        + section(2, 1, "Objective 1.1: X")
        + body(2, 2, "1.1.1")
    )
    asm = assemble([page_table(1, page1), page_table(2, page2)], LAYOUT)
    assert (
        block_text(asm.goals[0], "text")
        == "Strategic Goal 1: Development of the policy on combating trafficking in persons"
    )
    assert [r.kind for r in asm.review] == ["page_break_stitched"]


def test_unrecognised_full_width_row_is_reviewed_not_dropped():
    cells = row(1, 0, dict(enumerate(FIVE))) + section(1, 1, "Annex to the plan") + body(1, 2, "1.1.1")
    asm = assemble([page_table(1, cells)], LAYOUT)
    assert [(r.kind, "Annex to the plan" in r.detail) for r in asm.review][0] == ("unrecognised_row", True)


def numbered_table(number_header: str) -> list:
    """Goal 6 / objective 6.1 as section rows, activities 6.1.1-6.1.2 with a number column."""
    return (
        row(1, 0, dict(enumerate([number_header, *FIVE])))
        + section(1, 1, "Goal 6: " + ROW["6.1.1"]["goal"])
        + section(1, 2, "Objective 6.1: " + ROW["6.1.1"]["objective"])
        + body(1, 3, "6.1.1", number_col=True)
        + body(1, 4, "6.1.2", number_col=True)
    )


def test_number_column_gives_the_activity_number():
    asm = assemble([page_table(1, numbered_table("No."))], LAYOUT)
    assert asm.fields[0] == "number"
    assert [a.number for a in asm.activities] == ["6.1.1", "6.1.2"]
    assert block_text(asm.activities[0], "activity") == ROW["6.1.1"]["activity"]


def test_header_below_a_title_row_inside_the_table():
    cells = (
        row(1, 0, {0: "Action Plan 2021-2022"})
        + row(1, 1, dict(enumerate(FIVE)))
        + section(1, 2, "Goal 1: G")
        + section(1, 3, "Objective 1.1: O")
        + body(1, 4, "1.1.1")
    )
    asm = assemble([page_table(1, cells)], LAYOUT)
    assert asm.preamble == ["Action Plan 2021-2022"]
    assert [a.number for a in asm.activities] == ["1.1.1"]


def test_profile_extends_the_packaged_vocabulary(tmp_path):
    profile = tmp_path / "profile.yaml"
    profile.write_text("fields:\n  responsible: [Executing Body]\nheader_search_rows: 5\n", encoding="utf-8")
    layout = Layout.load(profile)
    assert layout.fields["responsible"][-1] == "Executing Body"
    assert "Responsible Agency" in layout.fields["responsible"]
    assert layout.header_search_rows == 5
    assert overlay({"a": [1], "b": {"x": 1}}, {"a": [1, 2], "b": {"y": 2}, "c": 3}) == {
        "a": [1, 2], "b": {"x": 1, "y": 2}, "c": 3}  # fmt: skip


def test_number_column_with_an_unreadable_header_is_found_by_its_content():
    # a "№" the producer could not print comes out as a black square
    asm = assemble([page_table(1, numbered_table("\u25a0"))], LAYOUT)
    assert asm.fields[0] == "number"
    assert [a.number for a in asm.activities] == ["6.1.1", "6.1.2"]


def test_a_table_without_numbered_activities_is_an_error_not_an_empty_dataset():
    import pytest

    from normalize.rows import LayoutError

    cells = row(1, 0, dict(enumerate(FIVE))) + row(1, 1, {0: "Some activity", 1: "Some agency"})
    with pytest.raises(LayoutError, match="no numbered activity rows"):
        assemble([page_table(1, cells)], LAYOUT)


def test_a_repeated_activity_number_keeps_both_rows_under_unique_ids(tmp_path, config):
    """A plan printing a number twice keeps both rows, keys stay unique, the repeat is reviewed."""
    from pypdf import PdfReader, PdfWriter

    from nap.pipeline import run
    from publish.validate import validate_folder

    writer = PdfWriter()
    for _ in range(2):
        for page in PdfReader(SHIPPED.pdf).pages:
            writer.add_page(page)
    twice = tmp_path / "twice.pdf"
    writer.write(twice)
    plan = run(twice, tmp_path / "out", "pdfium", config)
    ids = [a.activity_id for a in plan.activities()]
    assert len(ids) == 114 and len(set(ids)) == 114
    assert ids[57:59] == ["1.1.1#2", "1.1.2#2"]
    repeats = [r for r in plan.review if r.kind == "duplicate_number"]
    assert [r.activity_id for r in repeats] == ids[57:] and all(r.page and r.page > 13 for r in repeats)
    assert validate_folder(tmp_path / "out") == []
