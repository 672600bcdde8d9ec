"""Reviewers' decisions: the file format, and the round trip through the CLI.

extract -> `nap registry unmatched DIR --write FILE` -> a reviewer fills in ids -> extract
`--decisions FILE` -> the mentions are resolved (or reviewed as naming no registry entity).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from documents import SHIPPED

from nap.cli import main
from normalize.config import DATA
from normalize.plan import Config
from normalize.registry import DECISIONS_HEADER, Decisions, Registry
from schema.names import quoted

PDF = SHIPPED.pdf
CHIEF = "The Chief Prosecutor's Office of Georgia"  # 4.2.6; gpo only through the alias this run lacks
HIGH_SCHOOL = "High School of Justice"  # 5.2.1; the registry below calls it "Higher School of Justice"
JUDICIARY = "Judiciary"  # 4.1.1; the registry below has no entry for it


def cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def links_of(out: Path, mention: str) -> list[tuple[str, str, str]]:
    return [
        (r["agency_id"], r["match"], r["score"])
        for r in rows(out / "activity_agencies.csv")
        if r["mention"] == mention
    ]


def review_kinds(out: Path, mention: str) -> list[str]:
    return [r["kind"] for r in rows(out / "review.csv") if r["detail"].startswith(quoted(mention))]


def fill(path: Path, mention: str, ids: str, note: str | None = None) -> None:
    """What a reviewer does: write the ids (and a note) into the entry for `mention`."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"- mention: {json.dumps(mention)}")
    at = text.index("  agency_ids:", start)
    text = text[:at] + f"  agency_ids: {ids}" + text[text.index("\n", at) :]
    if note:
        at = text.index("  note:", start)
        text = text[:at] + f"  note: {json.dumps(note)}" + text[text.index("\n", at) :]
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def reduced_registry(tmp_path_factory) -> Path:
    """The packaged registry without the Chief Prosecutor's Office alias and without the
    judiciary, and with the High School of Justice under another translation of its name."""
    data = yaml.safe_load((DATA / "registry.yaml").read_text(encoding="utf-8"))
    agencies = {a["id"]: a for a in data["agencies"]}
    agencies["gpo"]["aliases"] = [a for a in agencies["gpo"]["aliases"] if "Chief" not in str(a)]
    agencies["hsj"]["name"] = "Higher School of Justice"
    data["agencies"] = [a for a in data["agencies"] if a["id"] != "judiciary"]
    path = tmp_path_factory.mktemp("registry") / "registry.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_round_trip(tmp_path: Path, reduced_registry: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    decisions = tmp_path / "decisions.yaml"

    # 1. a run with the reduced registry leaves two mentions unmatched and one fuzzy
    result = cli("extract", PDF, "--out", first, "--registry", reduced_registry, "--quiet")
    assert result.exit_code == 0, result.output
    assert links_of(first, CHIEF) == [("", "unmatched", "")]
    assert links_of(first, JUDICIARY) == [("", "unmatched", "")]
    ((hsj, match, score),) = links_of(first, HIGH_SCHOOL)
    assert (hsj, match) == ("hsj", "fuzzy") and 92 <= float(score) < 100

    # 2. `registry unmatched` lists each once, with activities and candidates, and writes entries
    result = cli("registry", "unmatched", first, "--write", decisions)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    listed = [ln for ln in lines if ln and not ln.startswith(" ")][:-2]
    assert listed == [JUDICIARY, CHIEF, HIGH_SCHOOL]
    chief = lines[lines.index(CHIEF) + 1 : lines.index(CHIEF) + 3]
    assert chief[0].strip() == "unmatched in 4.2.6"
    assert chief[1].strip().startswith("candidates: gpo (")
    assert lines[lines.index(HIGH_SCHOOL) + 1].strip().startswith("fuzzy, read as hsj (")
    assert "3 mentions need a decision (2 unmatched, 1 fuzzy)" in result.output
    assert f"{decisions}: 3 entries appended, 0 already there" in result.output

    text = decisions.read_text(encoding="utf-8")
    assert text.startswith(DECISIONS_HEADER)
    entries = {e["mention"]: e for e in yaml.safe_load(text)}
    assert set(entries) == {CHIEF, HIGH_SCHOOL, JUDICIARY}
    assert entries[CHIEF]["agency_ids"] is None  # left empty: not decided yet
    assert entries[JUDICIARY]["agency_ids"] is None
    assert entries[HIGH_SCHOOL]["agency_ids"] == ["hsj"]  # the fuzzy reading, pre-filled
    assert "# unmatched in 4.2.6; candidates: gpo (" in text  # candidates as comments

    # 3. writing again adds nothing; `registry check` loads it and names what is undecided
    result = cli("registry", "unmatched", first, "--write", decisions)
    assert result.exit_code == 1
    assert f"{decisions}: 0 entries appended, 3 already there" in result.output
    assert decisions.read_text(encoding="utf-8") == text
    result = cli("registry", "check", "--registry", reduced_registry, "--decisions", decisions)
    assert result.exit_code == 0, result.output
    assert result.output.count("is not decided yet") == 2

    # 4. the reviewer decides: the Chief Prosecutor's Office is gpo; "Judiciary" is no registry body
    fill(decisions, CHIEF, "[gpo]", "renamed in December 2018")
    fill(decisions, JUDICIARY, "[]", "the courts: not a body this registry holds")
    assert Decisions.load(decisions, Registry.load(reduced_registry)).pending() == []

    # 5. the next run applies the decisions
    result = cli(
        "extract", PDF, "--out", second, "--registry", reduced_registry, "--decisions", decisions, "--quiet"
    )
    assert result.exit_code == 0, result.output
    assert links_of(second, CHIEF) == [("gpo", "alias", "100.0")]
    assert links_of(second, HIGH_SCHOOL) == [("hsj", "alias", "100.0")]
    assert links_of(second, JUDICIARY) == [("", "unmatched", "")]
    assert review_kinds(second, CHIEF) == []
    assert review_kinds(second, HIGH_SCHOOL) == []
    assert review_kinds(second, JUDICIARY) == ["unmatched_agency_reviewed"]
    reviewed = [r for r in rows(second / "review.csv") if r["kind"] == "unmatched_agency_reviewed"]
    assert "not a body this registry holds" in reviewed[0]["detail"]
    assert not [
        r for r in rows(second / "review.csv") if r["kind"] in ("unmatched_agency", "fuzzy_agency_match")
    ]

    # 6. nothing is left to decide
    result = cli("registry", "unmatched", second)
    assert result.exit_code == 0, result.output
    assert "every agency mention is resolved or decided" in result.output


def test_undecided_entries_are_ignored(tmp_path: Path, reduced_registry: Path) -> None:
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text(f"- mention: {json.dumps(CHIEF)}\n  agency_ids:\n", encoding="utf-8")
    config = Config.load(registry=reduced_registry, decisions=decisions)
    assert not config.registry.resolve(CHIEF).resolved
    assert config.decisions.pending()[0].mention == CHIEF


def test_write_to_the_packaged_format_replaces_its_empty_list(tmp_path: Path, reduced_registry: Path) -> None:
    out = tmp_path / "out"
    assert cli("extract", PDF, "--out", out, "--registry", reduced_registry, "--quiet").exit_code == 0
    decisions = tmp_path / "decisions.yaml"
    shutil.copy(DATA / "decisions.yaml", decisions)
    before = decisions.read_text(encoding="utf-8")
    assert cli("registry", "unmatched", out, "--write", decisions).exit_code == 1
    text = decisions.read_text(encoding="utf-8")
    assert text.startswith(before.replace("[]\n", ""))  # the header comment is kept
    assert [e["mention"] for e in yaml.safe_load(text)] == [JUDICIARY, CHIEF, HIGH_SCHOOL]


def test_write_refuses_a_file_that_is_not_a_decisions_list(tmp_path: Path, reduced_registry: Path) -> None:
    out = tmp_path / "out"
    assert cli("extract", PDF, "--out", out, "--registry", reduced_registry, "--quiet").exit_code == 0
    other = tmp_path / "other.yaml"
    other.write_text("agencies: []\n", encoding="utf-8")
    result = cli("registry", "unmatched", out, "--write", other)
    assert result.exit_code == 2 and "expected a YAML list" in result.output
    assert other.read_text(encoding="utf-8") == "agencies: []\n"


def test_unmatched_on_a_folder_that_is_not_an_output_folder(tmp_path: Path) -> None:
    result = cli("registry", "unmatched", tmp_path)
    assert result.exit_code == 2 and "not a nap output folder" in result.output


def test_committed_output_needs_no_decision() -> None:
    result = cli("registry", "unmatched", SHIPPED.expected)
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- the file format


def test_packaged_decisions_file_is_an_empty_list_with_its_header() -> None:
    text = (DATA / "decisions.yaml").read_text(encoding="utf-8")
    assert text.startswith(DECISIONS_HEADER)
    assert yaml.safe_load(text) == []
    assert Config.load().decisions.entries == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {mention: Some Office, agency_ids: [mof]}\n", '"mof", which is not a registry id'),
        ("mention: Some Office\n", "expected a YAML list"),
        ("- {mention: Some Office}\n", "agency_ids is missing"),
        ("- {mention: Some Office, agency_ids: moj}\n", "must be a list"),
        ("- {mention: '', agency_ids: []}\n", "mention must be"),
        ("- {mention: Some Office, agency_ids: [], ids: []}\n", 'unknown field "ids"'),
        ("- {mention: Some Office, agency_ids: []}\n- {mention: Some  Office, agency_ids: [moj]}\n", "twice"),
        ("- {mention: [unclosed\n", "not valid YAML"),
    ],
)
def test_bad_decisions_file_is_refused_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="mine.yaml") as err:
        Config.load(decisions=path)
    assert message in str(err.value)
    # the CLI says the same in one line, and runs nothing
    result = cli("extract", PDF, "--out", tmp_path / "o", "--decisions", path)
    assert result.exit_code == 2
    assert (
        result.stderr.startswith("nap: error:") and "mine.yaml" in result.stderr and message in result.stderr
    )
    assert not (tmp_path / "o").exists()
    result = cli("registry", "check", "--decisions", path)
    assert result.exit_code == 1 and message in result.stderr


def test_check_reports_registry_errors_and_decisions_the_registry_overrules(tmp_path: Path) -> None:
    broken = tmp_path / "registry.yaml"
    broken.write_text(
        "agencies:\n  - {id: a, name: A Office, kind: lepl, parent: nowhere}\n", encoding="utf-8"
    )
    result = cli("registry", "check", "--registry", broken)
    assert result.exit_code == 1 and 'unknown entry "nowhere"' in result.stderr

    decisions = tmp_path / "decisions.yaml"
    decisions.write_text(
        "- {mention: Ministry of Justice of Georgia, agency_ids: [moj]}\n"
        "- {mention: IOM, agency_ids: [icmpd]}\n"
        "- {mention: ICMPD, agency_ids: []}\n"
        "- {mention: Ministry of Finance of Georgia, agency_ids: [revenue-service]}\n",
        encoding="utf-8",
    )
    result = cli("registry", "check", "--decisions", decisions)
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.output.splitlines() if ln.startswith("warning:")]
    assert len(warnings) == 3
    assert '"Ministry of Justice of Georgia" -> moj is redundant' in warnings[0]
    assert '"IOM" is decided as icmpd, but the registry alone reads it as iom' in warnings[1]
    assert '"ICMPD" is decided as no registry entity' in warnings[2]


def test_check_of_the_packaged_files_is_clean() -> None:
    result = cli("registry", "check")
    assert result.exit_code == 0
    assert "warning:" not in result.output
    assert "0 warnings" in result.output
