"""The README's loading examples (pandas, R, SQL) give the numbers the README says they give.

The pandas block is run line by line on a fresh extraction of the shipped plan (`default_run`): each
expression ending in `# -> VALUE` must evaluate to VALUE. Each `sqlite3` command is run on the
run's plan.sqlite and its rows must be the text block printed after it. R is not installed here: its
`# -> N` lines are checked against the same computation in pandas. So the test fails when the data
or the README changes without the other.
"""

from __future__ import annotations

import ast
import re
import shlex
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
SHIPPED_FOLDER = "data/clean/georgia-nap-2019-2020/"
RESULT = re.compile(r"#\s*->\s*(?P<value>.+?)\s*$")


def load_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Load it: pandas, R, SQL")
    end = text.index("\n### ", start + 1)
    return text[start:end]


def blocks(section: str, lang: str) -> list[tuple[str, str]]:
    """(code, the text block right after it or '') of each fenced block in `lang`."""
    found = re.finditer(rf"```{lang}\n(.*?)```\n(?:\n```text\n(.*?)```\n)?", section, re.S)
    return [(m.group(1), m.group(2) or "") for m in found]


def stated(code: str) -> list[tuple[str, str]]:
    """(expression, stated value) of every line ending in `# -> VALUE`."""
    out = []
    for line in code.splitlines():
        m = RESULT.search(line)
        if m:
            out.append((line[: m.start()].strip(), m.group("value")))
    return out


def test_the_load_section_has_a_pandas_an_r_and_sql_examples():
    section = load_section()
    assert len(blocks(section, "python")) == 1
    assert len(blocks(section, "r")) == 1
    assert len(blocks(section, "sh")) >= 1
    assert "dtype=str, keep_default_na=False" in section  # ids read as text
    assert 'colClasses = "character"' in section


def run_pandas(code: str, folder: Path) -> list[tuple[str, object, object]]:
    """Run the block statement by statement; (expression, its value, the value stated)."""
    code = code.replace(SHIPPED_FOLDER, f"{folder}/")
    lines = code.splitlines()
    namespace: dict = {}
    checked = []
    for node in ast.parse(code).body:
        source = "\n".join(lines[node.lineno - 1 : node.end_lineno])
        m = RESULT.search(lines[node.end_lineno - 1])
        if m and isinstance(node, ast.Expr):
            value = eval(compile(ast.Expression(node.value), "README", "eval"), namespace)  # noqa: S307
            checked.append((source, value, ast.literal_eval(m.group("value"))))
        else:
            exec(compile(ast.Module([node], []), "README", "exec"), namespace)  # noqa: S102
    return checked


def test_the_pandas_example_gives_the_numbers_it_states(default_run):
    out, _ = default_run
    ((code, _),) = blocks(load_section(), "python")
    checked = run_pandas(code, out)
    assert len(checked) >= 4
    for source, value, expected in checked:
        assert value == expected, source


def test_the_sql_examples_print_the_rows_shown(default_run):
    out, _ = default_run
    commands = [(c, shown) for c, shown in blocks(load_section(), "sh") if "sqlite3 " in c]
    assert commands
    con = sqlite3.connect(f"{(out / 'plan.sqlite').as_uri()}?mode=ro", uri=True)
    try:
        for command, shown in commands:
            args = shlex.split(command.replace("\\\n", " "))
            assert args[:2] == ["sqlite3", f"{SHIPPED_FOLDER}plan.sqlite"], command
            rows = con.execute(args[2]).fetchall()
            printed = "".join("|".join("" if v is None else str(v) for v in row) + "\n" for row in rows)
            assert shown, f"no result shown after {command}"
            assert printed == shown, command
    finally:
        con.close()


def read_text(out: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{table}.csv", dtype=str, keep_default_na=False)


R_EXPRESSIONS = {
    "nrow(acts)": lambda out: len(read_text(out, "activities")),
    "length(unique(acts$objective_id))": lambda out: read_text(out, "activities").objective_id.nunique(),
}


def test_the_r_example_states_the_numbers_of_the_data(default_run):
    out, _ = default_run
    ((code, _),) = blocks(load_section(), "r")
    assert 'read.csv("data/clean/georgia-nap-2019-2020/activities.csv", colClasses = "character"' in code
    lines = stated(code)
    assert lines
    for expression, value in lines:
        if expression not in R_EXPRESSIONS:
            pytest.fail(f"R line {expression!r}: add how to compute it to R_EXPRESSIONS")
        assert R_EXPRESSIONS[expression](out) == ast.literal_eval(value), expression


def test_reading_ids_as_numbers_loses_objectives(default_run):
    """Why the README insists on text: default settings merge objective 5.10 into 5.1."""
    out, _ = default_run
    as_text = read_text(out, "objectives").objective_id
    as_numbers = pd.read_csv(out / "objectives.csv").objective_id
    assert as_text.nunique() == len(as_text)
    assert as_numbers.nunique() < as_text.nunique()
