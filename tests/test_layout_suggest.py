"""`nap layout suggest`: what detection finds, and a profile skeleton that makes an odd plan extract."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from documents import SHIPPED
from goldcheck import gold_problems
from typeset import Style, typeset
from typeset.gold import gold_rows

from nap.cli import main
from normalize.config import Layout
from normalize.suggest import describe_header, numbering_style, profile_skeleton
from schema.models import BBox, Cell, TextLine

PDF = SHIPPED.pdf
ODD = [
    ("goal", "Strategic Goal"),
    ("objective", "Objective"),
    ("activity", "Activity"),
    ("responsible", "Executing Body"),
    ("partner", "Partners"),
    ("indicator", "Measure of Success"),
    ("timeline", "Timeline"),
]
ROWS = 8


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def header_cells(*texts: str) -> list[Cell]:
    box = BBox(x0=0, top=0, x1=10, bottom=10)
    line = {"x0": 0, "x1": 10, "top": 0, "bottom": 10, "first_word_width": 5}
    return [
        Cell(page=1, row=0, col=i, bbox=box, lines=[TextLine(text=t, **line)]) for i, t in enumerate(texts)
    ]


@pytest.fixture(params=["reportlab", "fpdf2"])
def odd_pdf(request, gold, tmp_path):
    style = Style(producer=request.param, columns=ODD)
    return typeset(gold_rows(gold)[:ROWS], style, tmp_path / f"odd-{request.param}.pdf")


def test_an_unmappable_header_names_the_command_and_its_profile_makes_the_plan_extract(
    odd_pdf, gold, tmp_path
):
    refused = invoke("extract", str(odd_pdf), "--out", str(tmp_path / "no"))
    assert refused.exit_code == 1
    assert "nap layout suggest" in refused.stderr and refused.stderr.count("\n") == 1
    profile = tmp_path / "profile.yaml"
    suggested = invoke("layout", "suggest", str(odd_pdf), "--write", str(profile))
    assert suggested.exit_code == 1  # the plan does not extract without the profile
    assert '"Executing Body" -> NOT MAPPED (likely responsible' in suggested.output
    assert '"Measure of Success" -> NOT MAPPED (likely indicator' in suggested.output
    assert yaml.safe_load(profile.read_text(encoding="utf-8")) == {
        "fields": {"responsible": ["Executing Body"], "indicator": ["Measure of Success"]}
    }
    done = invoke("extract", str(odd_pdf), "--out", str(tmp_path / "out"), "--layout", str(profile), "-q")
    assert done.exit_code == 0, done.output
    assert gold_problems(tmp_path / "out", {"rows": gold["rows"][:ROWS]}) == []
    checked = invoke("layout", "suggest", str(odd_pdf), "--layout", str(profile))
    assert checked.exit_code == 0 and f"result: extracts ({ROWS} activities)" in checked.output


def test_the_shipped_plan_is_described_and_needs_no_profile():
    result = invoke("layout", "suggest", str(PDF))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert '  column 4: "Responsible Governmental Agency" -> responsible' in lines
    assert "goals and objectives: merged columns" in lines
    assert "activity numbers: 1.1.1, 1.1.2, 2.1.1 (digits.digits.digits)" in lines
    roles = "roles: responsible column: unlabelled items are leading; labels printed: Leading x"
    assert any(ln.startswith(roles) for ln in lines)
    assert "profile skeleton" not in result.output


def test_bad_input_is_one_line(tmp_path):
    path = tmp_path / "note.pdf"
    path.write_text("not a pdf", encoding="utf-8")
    result = invoke("layout", "suggest", str(path))
    assert (
        result.exit_code == 1 and result.stderr == f"nap: error: {path}: not a PDF file (no %PDF- header)\n"
    )


def test_guesses_go_to_missing_required_fields_one_header_each():
    layout = Layout.load()
    cells = header_cells("Activity", "Executing Body", "Measure of Success", "Timeline", "Comment")
    found = {h.text: (h.field, h.guess) for h in describe_header(cells, layout)}
    assert found["Activity"] == ("activity", None)
    assert found["Executing Body"] == (None, "responsible")
    assert found["Measure of Success"] == (None, "indicator")
    assert found["Comment"][0] is None


def test_skeleton_is_a_profile_that_loads_over_the_defaults(tmp_path):
    from normalize.suggest import Suggestion

    layout = Layout.load()
    found = Suggestion(
        pages=[(1, "lattice")], header=describe_header(header_cells("Activity", "Executing Body"), layout)
    )
    text = profile_skeleton(found, layout, "odd.pdf")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    assert "Executing Body" in Layout.load(path).fields["responsible"]


@pytest.mark.parametrize(
    ("ids", "style"),
    [
        (["1.1.2"], "digits.digits.digits"),
        (["A.1.1"], "letters.digits.digits"),
        (["2.a.ii"], "digits.letters.roman"),
    ],
)
def test_numbering_style_names_each_part(ids, style):
    assert numbering_style(ids) == style
