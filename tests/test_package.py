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

import frictionless
import pytest
from documents import SHIPPED

from nap.pipeline import run
from normalize.plan import Config
from publish.codebook import codebook_markdown
from publish.datapackage import datapackage_json
from publish.outputs import OUTPUTS
from publish.sqlite import VIEWS, SqliteBuildError, sqlite_bytes, sqlite_dump
from publish.tables import TABLE_SCHEMAS, TABLES, table_schema
from publish.validate import validate_folder

PDF = SHIPPED.pdf
CSV_FILES = [f"{t}.csv" for t in TABLES]


def csv_files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in CSV_FILES}


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
        pdf = PDF.read_bytes()
        text = datapackage_json(csv_files(copy), PDF.name, hashlib.sha256(pdf).hexdigest(), len(pdf), "t")
        (copy / "datapackage.json").write_text(text, encoding="utf-8")
    return copy


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
    assert package["sources"] == [
        {
            "title": PDF.name,
            "path": PDF.name,
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
    assert refs == {
        ("activity_agencies", ("activity_id",), "activities", ("activity_id",)),
        ("activity_agencies", ("agency_id",), "agencies", ("agency_id",)),
        ("indicators", ("activity_id",), "activities", ("activity_id",)),
        ("agencies", ("parent_id",), "agencies", ("agency_id",)),
    }
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
        header[17:17] = ["lead", "supporting"]
        for rec in body:
            rec[17:17] = ["The State Fund", "ICMPD; IOM"]

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
    "dangling activity": (
        "activity_agencies.csv",
        set_cell(3, "activity_id", "9.9.9"),
        {"foreign-key"},
        "activity_agencies.csv: row 3: activity_id: '9.9.9' is not in activities.csv (activity_id)",
    ),
    "duplicated activity_id": (
        "activities.csv",
        duplicate_first_row,
        {"primary-key", "unique-error"},  # activity_id is the key, and unique
        "activities.csv: row 59: duplicate primary key (activity_id) = ('1.1.1'), as in row 2",
    ),
    "bad role": (
        "activity_agencies.csv",
        set_cell(2, "role", "lead"),
        {"constraint-error"},
        "activity_agencies.csv: row 2: role: 'lead' is not one of leading, supporting, partner",
    ),
    "dangling parent": (
        "agencies.csv",
        set_cell(2, "parent_id", "nowhere"),
        {"foreign-key"},
        "agencies.csv: row 2: parent_id: 'nowhere' is not in agencies.csv (agency_id)",
    ),
    "bad date": (
        "activities.csv",
        set_cell(2, "timeline_end", "2020-31-12"),
        {"type-error"},
        "activities.csv: row 2: timeline_end: '2020-31-12' is not a date (YYYY-MM-DD)",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_copy_fails(folder, tmp_path, case):
    name, change, errors, line = BROKEN[case]
    copy = broken_copy(folder, tmp_path, name, change)
    report = frictionless.validate(copy / "datapackage.json")
    assert not report.valid
    assert error_types(report) == errors
    assert line in validate_folder(copy)


def test_an_edited_csv_no_longer_matches_its_hash(folder, tmp_path):
    copy = broken_copy(folder, tmp_path, "indicators.csv", set_cell(2, "indicator", "Examined cases"), False)
    report = frictionless.validate(copy / "datapackage.json")
    assert not report.valid
    assert error_types(report) == {"hash-count", "byte-count"}
    found = validate_folder(copy)
    content = (copy / "indicators.csv").read_bytes()
    assert (
        f"datapackage.json: resource indicators: hash is "
        f"{json.loads((folder / 'datapackage.json').read_text())['resources'][2]['hash']}, "
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
    pk = {r[1]: r[5] for r in db.execute('PRAGMA table_info("indicators")')}
    assert pk == {"activity_id": 1, "seq": 2, "indicator": 0}
    fks = {
        (t, r[3], r[2], r[4])
        for t in TABLES
        for r in db.execute(f'PRAGMA foreign_key_list("{t}")').fetchall()
    }
    assert fks == {
        ("activity_agencies", "activity_id", "activities", "activity_id"),
        ("activity_agencies", "agency_id", "agencies", "agency_id"),
        ("indicators", "activity_id", "activities", "activity_id"),
        ("agencies", "parent_id", "agencies", "agency_id"),
    }
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
    assert text == codebook_markdown(csv_files(folder), PDF.name, listing)
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
    edit_csv(copy / "review.csv", lambda header, body: header.__setitem__(2, "type"))
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
        f"plan.json: activity {removed['activity_id']!r} is in activities.csv but not in plan.json"
    ]


def test_an_unmatched_mention_must_have_no_agency(folder, tmp_path):
    copy = broken_copy(folder, tmp_path, "activity_agencies.csv", set_cell(2, "match", "unmatched"))
    assert "activity_agencies.csv: row 2: match: match is 'unmatched' but agency_id is 'tip-council'" in (
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
        "activity_agencies.csv: row 3: duplicate (activity_id, mention_seq, agency_id) = ('1.1.1', '1', ''), "
        "as in row 2"
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
