"""Publication of an output folder: datapackage.json, plan.sqlite, README.md, and `validate_folder`.

Everything runs on a real output folder: the pipeline run on the shipped PDF, with the
publication files made from the bytes of its CSVs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import frictionless
import pytest
from documents import SHIPPED

from nap.pipeline import run
from normalize.plan import Config, PlanBuilder
from publish.codebook import codebook_markdown
from publish.datapackage import datapackage_json
from publish.origin import Origin, origin_of
from publish.outputs import OUTPUTS
from publish.rows import table_files
from publish.sqlite import VIEWS, SqliteBuildError, sqlite_bytes, sqlite_dump
from publish.tables import TABLE_SCHEMAS, TABLES, foreign_keys, standard_columns, table_schema
from publish.validate import validate_folder
from schema.models import Plan

PDF = SHIPPED.pdf
CSV_FILES = [f"{t}.csv" for t in TABLES]


def csv_files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in CSV_FILES}


def folder_origin(folder: Path) -> Origin:
    """Where the folder comes from, as its plan.json says (publish.origin)."""
    return origin_of(Plan.model_validate_json((folder / "plan.json").read_text(encoding="utf-8")))


def extract(out: Path) -> Path:
    run(PDF, out, "pdfplumber", Config.load())
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return extract(tmp_path_factory.mktemp("publish") / PDF.stem)


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def edit_csv(path: Path, change: Callable[[list[str], list[list[str]]], None]) -> None:
    """Rewrite a CSV the way nap writes it, after `change(header, records)` edits it in place."""
    records = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header, body = records[0], records[1:]
    change(header, body)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(body)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def broken_copy(folder: Path, tmp_path: Path, name: str, change, refresh: bool = True) -> Path:
    """A copy of the folder with one CSV edited; with `refresh` its publication files are made
    again from the edited CSVs (so sizes and hashes match and only the planted problem remains)."""
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    edit_csv(copy / name, change)
    if refresh:
        text = datapackage_json(csv_files(copy), folder_origin(copy))
        (copy / "datapackage.json").write_text(text, encoding="utf-8")
    return copy


def declared_foreign_keys() -> set[tuple[str, tuple[str, ...], str, tuple[str, ...]]]:
    """(table, fields, referenced table, referenced fields) of every foreign key of publish.tables."""
    return {
        (t, tuple(fk.fields), fk.table, tuple(fk.to))
        for t in TABLES
        for fk in foreign_keys(t, TABLE_SCHEMAS[t])
    }


def error_types(report: frictionless.Report) -> set[str]:
    return {e.type for task in report.tasks for e in task.errors} | {e.type for e in report.errors}


# ---------------------------------------------------------------- datapackage.json


def test_the_package_validates(folder):
    report = frictionless.validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [t.name for t in report.tasks] == list(TABLES)


def test_the_frictionless_command_passes(folder):
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "datapackage.json"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_package_describes_each_csv_and_the_source(folder):
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert package["name"] == "georgia-nap-2019-2020"
    assert package["title"] == "2019-2020 National Action Plan on Combating Trafficking in Persons"
    pdf = PDF.read_bytes()
    assert package["sources"] == [  # no path: the PDF is not in the folder
        {
            "title": PDF.name,
            "hash": f"sha256:{hashlib.sha256(pdf).hexdigest()}",
            "bytes": len(pdf),
        }
    ]
    assert [r["path"] for r in package["resources"]] == CSV_FILES
    for res in package["resources"]:
        content = (folder / res["path"]).read_bytes()
        assert res["bytes"] == len(content)
        assert res["hash"] == f"sha256:{hashlib.sha256(content).hexdigest()}"
        assert (res["format"], res["mediatype"], res["encoding"]) == ("csv", "text/csv", "utf-8")
        header = next(csv.reader(io.StringIO(content.decode("utf-8"))))
        assert [f["name"] for f in res["schema"]["fields"]] == header
        assert all(f.get("description") for f in res["schema"]["fields"])
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    assert schemas["activities"]["primaryKey"] == ["activity_id"]
    assert schemas["indicators"]["primaryKey"] == ["activity_id", "seq"]
    assert schemas["agencies"]["primaryKey"] == ["agency_id"]
    assert "primaryKey" not in schemas["review"]
    assert "primaryKey" not in schemas["activity_agencies"]
    assert "uniqueKeys" in schemas["activity_agencies"]["description"]
    refs = {
        (name, tuple(fk["fields"]), fk["reference"].get("resource", name), tuple(fk["reference"]["fields"]))
        for name, s in schemas.items()
        for fk in s.get("foreignKeys", [])
    }
    assert refs == declared_foreign_keys()
    assert {
        ("activities", ("goal_id",), "goals", ("goal_id",)),
        ("activities", ("objective_id",), "objectives", ("objective_id",)),
        ("objectives", ("goal_id",), "goals", ("goal_id",)),
        ("agencies", ("host_id",), "agencies", ("agency_id",)),
    } <= refs
    enums = {
        f["name"]: f["constraints"]["enum"]
        for f in schemas["activity_agencies"]["fields"]
        if "enum" in f.get("constraints", {})
    }
    assert enums == {
        "column": ["responsible", "lead", "supporting", "partner"],
        "role": ["leading", "supporting", "partner"],
        "match": ["exact", "alias", "fuzzy", "unmatched"],
    }


def test_extra_activity_columns_get_string_fields(folder, tmp_path):
    def add_budget(header, body):
        header.append("source_of_funding")
        for i, rec in enumerate(body):
            rec.append("State budget" if i % 2 else "")

    copy = broken_copy(folder, tmp_path, "activities.csv", add_budget)
    header = next(csv.reader((copy / "activities.csv").open(encoding="utf-8")))
    fields = table_schema("activities", header)["fields"]
    assert [f["name"] for f in fields] == header
    assert fields[-1]["type"] == "string"
    assert len(fields) == len(TABLE_SCHEMAS["activities"]["fields"]) + 1
    report = frictionless.validate(copy / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_role_cell_columns_are_described_as_agency_cells(folder, tmp_path):
    def add_role_cells(header, body):
        n = len(standard_columns("activities"))
        header[n:n] = ["lead", "supporting"]
        for rec in body:
            rec[n:n] = ["The State Fund", "ICMPD; IOM"]

    copy = broken_copy(folder, tmp_path, "activities.csv", add_role_cells)
    header = next(csv.reader((copy / "activities.csv").open(encoding="utf-8")))
    fields = {f["name"]: f for f in table_schema("activities", header)["fields"]}
    assert "lead-agency cell" in fields["lead"]["description"]
    assert "supporting-agencies cell" in fields["supporting"]["description"]
    report = frictionless.validate(copy / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def set_cell(row: int, column: str, value: str):
    def change(header, body):
        body[row - 2][header.index(column)] = value

    return change


def duplicate_first_row(header, body):
    body.append(list(body[0]))


BROKEN = {
    # name: (csv edited, change, frictionless error types, a line validate_folder prints)
    "dangling goal": (
        "activities.csv",
        set_cell(2, "goal_id", "9"),
        {"foreign-key"},
        "activities.csv: row 2: goal_id: \"9\" is not in goals.csv (goal_id)",
    ),
    "dangling objective's goal": (
        "objectives.csv",
        set_cell(2, "goal_id", "9"),
        {"foreign-key"},
        "objectives.csv: row 2: goal_id: \"9\" is not in goals.csv (goal_id)",
    ),
    "activity_seq of another activity": (
        "indicators.csv",
        set_cell(2, "activity_seq", "5"),
        set(),
        "indicators.csv: row 2: activity_seq: \"5\", but the seq of \"1.1.1\" in activities.csv is \"1\"",
    ),
    "dangling host": (
        "agencies.csv",
        set_cell(2, "host_id", "nowhere"),
        {"foreign-key"},
        "agencies.csv: row 2: host_id: \"nowhere\" is not in agencies.csv (agency_id)",
    ),
    "dangling activity": (
        "activity_agencies.csv",
        set_cell(3, "activity_id", "9.9.9"),
        {"foreign-key"},
        "activity_agencies.csv: row 3: activity_id: \"9.9.9\" is not in activities.csv (activity_id)",
    ),
    "duplicated activity_id": (
        "activities.csv",
        duplicate_first_row,
        {"primary-key", "unique-error"},  # activity_id is the key, and unique
        "activities.csv: row 59: duplicate primary key (activity_id) = (\"1.1.1\"), as in row 2",
    ),
    "bad role": (
        "activity_agencies.csv",
        set_cell(2, "role", "lead"),
        {"constraint-error"},
        "activity_agencies.csv: row 2: role: \"lead\" is not one of leading, supporting, partner",
    ),
    "dangling parent": (
        "agencies.csv",
        set_cell(2, "parent_id", "nowhere"),
        {"foreign-key"},
        "agencies.csv: row 2: parent_id: \"nowhere\" is not in agencies.csv (agency_id)",
    ),
    "bad date": (
        "activities.csv",
        set_cell(2, "timeline_end", "2020-31-12"),
        {"type-error"},
        "activities.csv: row 2: timeline_end: \"2020-31-12\" is not a date (YYYY-MM-DD)",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_copy_fails(folder, tmp_path, case):
    name, change, errors, line = BROKEN[case]
    copy = broken_copy(folder, tmp_path, name, change)
    report = frictionless.validate(copy / "datapackage.json")
    assert report.valid == (not errors)  # what frictionless cannot see, `nap validate` still does
    assert error_types(report) == errors
    assert line in validate_folder(copy)


def test_an_edited_csv_no_longer_matches_its_hash(folder, tmp_path):
    copy = broken_copy(folder, tmp_path, "indicators.csv", set_cell(2, "indicator", "Examined cases"), False)
    report = frictionless.validate(copy / "datapackage.json")
    assert not report.valid
    assert error_types(report) == {"hash-count", "byte-count"}
    found = validate_folder(copy)
    content = (copy / "indicators.csv").read_bytes()
    resources = json.loads((folder / "datapackage.json").read_text())["resources"]
    (was,) = [r["hash"] for r in resources if r["name"] == "indicators"]
    assert (
        f"datapackage.json: resource indicators: hash is {was}, "
        f"indicators.csv has sha256:{hashlib.sha256(content).hexdigest()}"
    ) in found
    assert (
        "plan.sqlite: table indicators differs from indicators.csv at row 2 (plan.sqlite is out of date)"
        in found
    )


def test_the_frictionless_command_fails_on_a_broken_copy(folder, tmp_path):
    copy = broken_copy(folder, tmp_path, "activities.csv", duplicate_first_row)
    done = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "datapackage.json"],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0


# ---------------------------------------------------------------- plan.sqlite


@pytest.fixture(scope="module")
def db(folder):
    con = sqlite3.connect(f"{(folder / 'plan.sqlite').as_uri()}?mode=ro", uri=True)
    yield con
    con.close()


def test_sqlite_has_the_csv_row_counts(folder, db):
    for t in TABLES:
        (n,) = db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()
        assert n == len(rows(folder, f"{t}.csv")), t


def test_sqlite_keys_types_and_nulls(folder, db):
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    for t in TABLES:
        pk = {r[1]: r[5] for r in db.execute(f'PRAGMA table_info("{t}")') if r[5]}
        declared = TABLE_SCHEMAS[t].get("primaryKey", [])
        assert pk == {c: n for n, c in enumerate(declared, start=1)}, t
    fks = {
        (t, r[3], r[2], r[4])
        for t in TABLES
        for r in db.execute(f'PRAGMA foreign_key_list("{t}")').fetchall()
    }
    assert fks == {(t, f[0], to, c[0]) for t, f, to, c in declared_foreign_keys()}
    types = db.execute(
        "SELECT DISTINCT typeof(page_first), typeof(timeline_start) FROM activities"
    ).fetchall()
    assert types == [("integer", "text")]
    assert db.execute("SELECT DISTINCT typeof(score) FROM activity_agencies").fetchall() == [("real",)]
    empty_partner = sum(1 for r in rows(folder, "activities.csv") if r["partner"] == "")
    assert empty_partner > 0
    (n,) = db.execute("SELECT COUNT(*) FROM activities WHERE partner IS NULL").fetchone()
    assert n == empty_partner
    assert db.execute("SELECT COUNT(*) FROM activities WHERE partner = ''").fetchone() == (0,)
    first = rows(folder, "activities.csv")[0]
    assert db.execute("SELECT activity_id, activity FROM activities ORDER BY rowid LIMIT 1").fetchone() == (
        first["activity_id"],
        first["activity"],
    )


def test_the_views_answer(folder, db):
    links = rows(folder, "activity_agencies.csv")
    leading = {r["activity_id"] for r in links if r["agency_id"] == "tip-council" and r["role"] == "leading"}
    assert len(leading) > 0
    got = db.execute(
        "SELECT activities FROM activities_per_agency WHERE agency_id = 'tip-council' AND role = 'leading'"
    ).fetchone()
    assert got == (len(leading),)
    listed = db.execute(
        "SELECT activity_id FROM agency_activities WHERE agency_id = 'tip-council' AND role = 'leading'"
    ).fetchall()
    assert {a for (a,) in listed} == leading

    per_goal_year: dict[tuple[str, int], set[str]] = {}
    for a in rows(folder, "activities.csv"):
        for year in range(int(a["timeline_start"][:4]), int(a["timeline_end"][:4]) + 1):
            per_goal_year.setdefault((a["goal_id"], year), set()).add(a["activity_id"])
    got = db.execute("SELECT goal_id, year, activities FROM activities_per_goal_year").fetchall()
    assert {(g, y): n for g, y, n in got} == {k: len(v) for k, v in per_goal_year.items()}

    unresolved = [r for r in links if r["agency_id"] == ""]
    assert db.execute("SELECT COUNT(*) FROM unresolved_mentions").fetchone() == (len(unresolved),)


def rolled_up(agencies: list[dict[str, str]], agency_id: str) -> set[str]:
    """The body and every body above it, by parent and host, and theirs."""
    above = {r["agency_id"]: {r["parent_id"], r["host_id"]} - {""} for r in agencies}
    found, todo = set(), [agency_id]
    while todo:
        aid = todo.pop()
        if aid not in found:
            found.add(aid)
            todo += above[aid]
    return found


def test_the_goal_agency_and_rollup_views_answer(folder, db):
    acts = rows(folder, "activities.csv")
    links = [r for r in rows(folder, "activity_agencies.csv") if r["agency_id"]]
    agencies = rows(folder, "agencies.csv")
    goal_of = {a["activity_id"]: a["goal_id"] for a in acts}

    per_goal = db.execute("SELECT goal_id, activities FROM activities_per_goal").fetchall()
    assert per_goal == [(g, sum(a["goal_id"] == g for a in acts)) for g in dict.fromkeys(goal_of.values())]
    assert sum(n for _, n in per_goal) == len(acts)

    rollup: dict[tuple[str, str], set[str]] = {}
    matrix: dict[tuple[str, str], set[str]] = {}
    for r in links:
        for aid in rolled_up(agencies, r["agency_id"]):
            rollup.setdefault((aid, r["role"]), set()).add(r["activity_id"])
        matrix.setdefault((r["agency_id"], goal_of[r["activity_id"]]), set()).add(r["activity_id"])
    got = db.execute("SELECT agency_id, role, activities FROM activities_per_agency_rollup").fetchall()
    assert {(a, role): n for a, role, n in got} == {k: len(v) for k, v in rollup.items()}
    got = db.execute("SELECT agency_id, goal_id, activities FROM agency_goal_matrix").fetchall()
    assert {(a, g): n for a, g, n in got} == {k: len(v) for k, v in matrix.items()}

    hosted = [r for r in agencies if r["host_id"] and r["mentions"] != "0"]
    assert hosted, "the shipped plan names a hosted body (the TIP council, hosted by the Ministry of Justice)"
    for r in hosted:  # a host counts every activity of the body it hosts, by role
        for role, n in db.execute(
            "SELECT role, activities FROM activities_per_agency WHERE agency_id = ?", (r["agency_id"],)
        ).fetchall():
            (up,) = db.execute(
                "SELECT activities FROM activities_per_agency_rollup WHERE agency_id = ? AND role = ?",
                (r["host_id"], role),
            ).fetchone()
            assert up >= n, (r["agency_id"], role)


def test_agencies_csv_holds_the_hosts_and_parents_of_the_bodies_linked(folder):
    """A body linked alone brings its host and parent, and theirs, into agencies.csv."""
    plan = Plan.model_validate_json((folder / "plan.json").read_bytes())
    registry = Config.load().registry.agencies
    activity = plan.activities()[0]
    mention = activity.mentions[0]
    hosted = [a for a in registry.values() if a.host]
    assert hosted
    for agency in hosted:
        link = mention.links[0].model_copy(update={"agency_id": agency.id, "agency_name": agency.name})
        alone = activity.model_copy(update={"mentions": [mention.model_copy(update={"links": [link]})]})
        used = {a.id for a in PlanBuilder.used_agencies(SimpleNamespace(config=Config.load()), [alone])}
        chain, todo = set(), [agency.id]
        while todo:
            aid = todo.pop()
            if aid and aid not in chain:
                chain.add(aid)
                todo += [registry[aid].parent, registry[aid].host]
        assert used == chain and agency.host in used, agency.id


def test_seq_is_document_order_in_every_table(folder):
    acts = rows(folder, "activities.csv")
    assert [int(a["seq"]) for a in acts] == list(range(1, len(acts) + 1))
    seq = {a["activity_id"]: a["seq"] for a in acts}
    for t in TABLES:
        if t == "activities" or "activity_id" not in standard_columns(t):
            continue
        header = standard_columns(t)
        assert header[header.index("activity_id") + 1] == "activity_seq", t
        for r in rows(folder, f"{t}.csv"):
            assert r["activity_seq"] == seq.get(r["activity_id"], ""), (t, r)


def test_goals_and_objectives_list_the_headings_of_the_activities(folder):
    acts = rows(folder, "activities.csv")
    goals, objectives = rows(folder, "goals.csv"), rows(folder, "objectives.csv")
    assert [g["goal_id"] for g in goals] == list(dict.fromkeys(a["goal_id"] for a in acts))
    assert [o["objective_id"] for o in objectives] == list(dict.fromkeys(a["objective_id"] for a in acts))
    for table, key, title in ((goals, "goal_id", "goal"), (objectives, "objective_id", "objective")):
        assert [int(r["seq"]) for r in table] == list(range(1, len(table) + 1))
        for r in table:
            under = [a for a in acts if a[key] == r[key]]
            assert {a[title] for a in under} == {r["title"]}
            assert int(r["page_first"]) <= min(int(a["page_first"]) for a in under)
            assert int(r["page_last"]) >= max(int(a["page_last"]) for a in under)
    goal_of = {a["objective_id"]: a["goal_id"] for a in acts}
    assert {o["objective_id"]: o["goal_id"] for o in objectives} == goal_of


def test_unnumbered_and_repeated_headings_still_give_keyed_tables(folder):
    """A goal printed without a number, and an objective number printed twice: the tables keep
    their keys (goals by seq, the repeat merged) and the database builds."""
    plan = Plan.model_validate_json((folder / "plan.json").read_bytes())
    first, second = plan.goals[0], plan.goals[1]
    unnamed = first.model_copy(update={"goal_id": "", "title": ""})
    objectives = [second.objectives[0], second.objectives[0].model_copy(update={"activities": []})]
    plan.goals[:2] = [unnamed, second.model_copy(update={"objectives": objectives + second.objectives[1:]})]
    for a in (a for o in unnamed.objectives for a in o.activities):
        a.goal_id = ""
    files = {name: text.encode() for name, text in table_files(plan).items()}
    goals = list(csv.DictReader(io.StringIO(files["goals.csv"].decode())))
    assert [g["goal_id"] for g in goals][:2] == ["", second.goal_id]
    objective_ids = [o["objective_id"] for o in csv.DictReader(io.StringIO(files["objectives.csv"].decode()))]
    assert objective_ids.count(second.objectives[0].objective_id) == 1
    con = sqlite3.connect(":memory:")
    con.deserialize(sqlite_bytes(files))
    assert con.execute("SELECT COUNT(*) FROM goals WHERE goal_id IS NULL").fetchone() == (1,)


def test_goal_year_spans_several_years_and_counts_undated_activities(folder, tmp_path):
    def spans(header, body):
        start, end = header.index("timeline_start"), header.index("timeline_end")
        body[0][start], body[0][end] = "2018-07-01", "2021-06-30"
        body[1][start], body[1][end] = "", ""

    copy = broken_copy(folder, tmp_path, "activities.csv", spans)
    con = sqlite3.connect(":memory:")
    con.deserialize(sqlite_bytes(csv_files(copy)))
    first, second = rows(copy, "activities.csv")[:2]
    years = con.execute(
        "SELECT year FROM activities_per_goal_year WHERE goal_id = ? ORDER BY year", (first["goal_id"],)
    ).fetchall()
    assert years == [(None,), (2018,), (2019,), (2020,), (2021,)]
    assert second["goal_id"] == first["goal_id"]
    assert con.execute(
        "SELECT activities FROM activities_per_goal_year WHERE goal_id = ? AND year IS NULL",
        (first["goal_id"],),
    ).fetchone() == (1,)


def test_sqlite_refuses_a_broken_key(folder, tmp_path):
    copy = broken_copy(folder, tmp_path, "activities.csv", duplicate_first_row)
    with pytest.raises(SqliteBuildError, match="activities.csv"):
        sqlite_bytes(csv_files(copy))
    copy2 = broken_copy(folder, tmp_path / "2", "indicators.csv", set_cell(2, "activity_id", "9.9.9"))
    with pytest.raises(SqliteBuildError, match="indicators.csv: 1 row"):
        sqlite_bytes(csv_files(copy2))


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="no sqlite3 command on PATH")
def test_the_sqlite3_command_opens_it(folder):
    done = subprocess.run(
        ["sqlite3", str(folder / "plan.sqlite"), "SELECT COUNT(*) FROM activities"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == str(len(rows(folder, "activities.csv")))


# ---------------------------------------------------------------- README.md


def test_the_codebook_describes_every_column_and_view(folder, db):
    text = (folder / "README.md").read_text(encoding="utf-8")
    listing = [(o.name, o.summary) for o in OUTPUTS]
    assert text == codebook_markdown(csv_files(folder), folder_origin(folder), listing)
    for o in OUTPUTS:
        assert f"| `{o.name}` |" in text  # the table of files is the declaration's
    assert PDF.name in text
    for t in TABLES:
        assert f"`{t}.csv`" in text
        for f in TABLE_SCHEMAS[t]["fields"]:
            assert f"| `{f['name']}` |" in text
            assert f["description"].replace("|", "\\|") in text
            assert f["pdfSource"] in text
    assert "the Responsible Governmental Agency cell, lines joined" in text
    for view in VIEWS:
        assert f"`{view.name}`" in text
        assert view.example in text
        db.execute(view.example).fetchall()  # every example query runs
    for word in ("pd.read_csv", "read.csv", "sqlite3 plan.sqlite"):
        assert word in text


# ---------------------------------------------------------------- validate_folder


def test_a_clean_folder_has_no_violations(folder):
    assert validate_folder(folder) == []


def test_violations_name_the_file_and_the_problem(folder, tmp_path):
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    (copy / "README.md").unlink()
    plan = json.loads((copy / "plan.json").read_text(encoding="utf-8"))
    del plan["engine"]
    (copy / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    edit_csv(copy / "review.csv", lambda header, body: header.__setitem__(header.index("kind"), "type"))
    found = validate_folder(copy)
    assert "README.md: missing file" in found
    assert "plan.json: engine: Field required" in found
    assert "review.csv: header lacks column(s) kind" in found
    assert "review.csv: header has unknown column(s): type" in found
    assert found == validate_folder(copy)  # stable


def test_plan_json_and_the_csvs_must_list_the_same_activities(folder, tmp_path):
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    plan = json.loads((copy / "plan.json").read_text(encoding="utf-8"))
    removed = plan["goals"][0]["objectives"][0]["activities"].pop(0)
    (copy / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    assert validate_folder(copy) == [
        f'plan.json: activity "{removed["activity_id"]}" is in activities.csv but not in plan.json'
    ]


def test_an_unmatched_mention_must_have_no_agency(folder, tmp_path):
    copy = broken_copy(folder, tmp_path, "activity_agencies.csv", set_cell(2, "match", "unmatched"))
    assert "activity_agencies.csv: row 2: match: match is \"unmatched\" but agency_id is \"tip-council\"" in (
        validate_folder(copy)
    )


def test_a_repeated_unresolved_mention_breaks_the_unique_key(folder, tmp_path):
    def unresolved_twice(header, body):
        row = body[0]
        for col, value in (("agency_id", ""), ("agency_name", ""), ("match", "unmatched"), ("score", "")):
            row[header.index(col)] = value
        body.insert(1, list(row))

    copy = broken_copy(folder, tmp_path, "activity_agencies.csv", unresolved_twice)
    found = validate_folder(copy)
    assert (
        "activity_agencies.csv: row 3: duplicate (activity_id, mention_seq, agency_id) = "
        '("1.1.1", "1", ""), as in row 2'
    ) in found
    with pytest.raises(SqliteBuildError, match="UNIQUE"):
        sqlite_bytes(csv_files(copy))


# ---------------------------------------------------------------- determinism


def test_the_same_run_gives_the_same_bytes(folder, tmp_path):
    again = extract(tmp_path / PDF.stem)
    for name in ("datapackage.json", "plan.sqlite", "README.md"):
        assert (again / name).read_bytes() == (folder / name).read_bytes(), name
    files = csv_files(folder)
    assert sqlite_bytes(files) == sqlite_bytes(files)
    dump = sqlite_dump((folder / "plan.sqlite").read_bytes())
    assert dump == sqlite_dump((again / "plan.sqlite").read_bytes())
    assert 'CREATE TABLE "activities"' in dump and "CREATE VIEW" in dump
