"""Rows that begin at a page's foot in only some of their columns, as browsers and WeasyPrint print
them: the number and activity (and, varied by row, other cells) move whole to the next page while
the rest print their first lines, or all of a short text, at the foot. The shipped plan typeset that
way by reportlab and fpdf2 must come out as the gold: no timeline doubled into the row above, no
row left empty, indicators and agency lists read across the two pages.
"""

from __future__ import annotations

import dataclasses

import pytest
from goldcheck import gold_problems, read_csv
from test_roundtrip_gold import BODY, SECTIONS, plain, with_extras
from typeset import Style, layout_for, typeset
from typeset.gold import gold_preamble, gold_rows

from nap.pipeline import run

FRAGMENT = {"split_rows": "fragment"}
VARIANTS = {
    "a4-landscape-reportlab-merged-repeated-header": (
        lambda r: r,
        Style(font="sans", font_size=9, header_repeat=True, **FRAGMENT),
    ),
    "a4-landscape-fpdf2-merged-open": (
        lambda r: r,
        Style(producer="fpdf2", widths={"timeline": 66}, open_breaks=True, **FRAGMENT),
    ),
    "letter-portrait-reportlab-sections-number": (
        plain,
        Style(
            page_size="Letter",
            landscape=False,
            font_size=8,
            columns=[("number", "No."), *BODY],
            header_repeat=True,
            **SECTIONS,
            **FRAGMENT,
        ),
    ),
    "a4-portrait-fpdf2-sections-budget-rects": (
        lambda r: plain(with_extras(r)),
        Style(
            producer="fpdf2",
            landscape=False,
            font="sans",
            font_size=7.5,
            columns=[*BODY, ("budget_gel", "Budget (GEL)")],
            widths={"budget_gel": 50},
            borders="rects",
            open_breaks=True,
            **SECTIONS,
            **FRAGMENT,
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_rows_begun_at_a_page_foot_come_out_as_the_gold(name, gold, config, tmp_path):
    make_rows, style = VARIANTS[name]
    rows = make_rows(gold_rows(gold))
    style = dataclasses.replace(style, preamble=gold_preamble(gold))
    layout = layout_for(rows, style)
    assert len(layout.fragment_rows) >= 3, "the layout must print some rows as page-foot fragments"
    pdf = typeset(rows, style, tmp_path / f"{name}.pdf")
    run(pdf, tmp_path / "out", "pdfplumber", config)

    problems = gold_problems(tmp_path / "out", gold)
    assert not problems, f"{name}:\n" + "\n".join(problems[:20])
    acts = read_csv(tmp_path / "out" / "activities.csv")
    # every row starts where it was typeset: a fragment row on the page of its foot fragment
    assert [(int(a["page_first"]), int(a["page_last"])) for a in acts] == [
        (pages[0] + 1, pages[-1] + 1) for pages in layout.row_pages
    ]
    if "budget_gel" in style.fields():
        assert [a["budget_gel"] for a in acts] == [r.cells["budget_gel"] for r in rows]
    downwards = {
        r["activity_id"]
        for r in read_csv(tmp_path / "out" / "review.csv")
        if r["kind"] == "page_break_stitched" and "joined downwards" in r["detail"]
    }
    assert downwards == {rows[i].activity_id for i in layout.fragment_rows}
