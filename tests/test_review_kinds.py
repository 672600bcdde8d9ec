"""Review kinds declared once (schema/review_kinds.py), and the structured facts of review items.

Every kind the code can write is declared with its meaning (a scan of normalize/ and extract/),
the README's table of kinds is the declaration's, and the items about an agency mention's match
carry the mention and its candidates, which `nap registry unmatched` reads from plan.json.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
from pathlib import Path
from typing import get_args

import pytest
import yaml
from click.testing import CliRunner
from conftest import documents
from documents import DOCUMENTS, SHIPPED
from pydantic import ValidationError

from extract import DEFAULT_ENGINE, extract_document
from nap.cli import main
from nap.registry_cli import candidates_text, undecided_mentions
from normalize.config import DATA, Layout
from normalize.plan import Config, build_plan
from normalize.registry import Registry
from publish.tables import standard_columns
from schema.models import Candidate, Plan, ReviewItem, SourceInfo
from schema.names import quoted
from schema.review_kinds import (
    AGENCY_MATCH_KINDS,
    BY_NAME,
    REVIEW_KINDS,
    ReviewKind,
    kinds_markdown,
    with_table,
)

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("normalize", "extract")
REGENERATE = "python -m schema.review_kinds --readme README.md"

# ---------------------------------------------------------------- the declaration


def test_every_kind_has_a_name_a_title_and_a_meaning() -> None:
    names = [k.name for k in REVIEW_KINDS]
    assert len(set(names)) == len(names), "a kind is declared twice"
    for k in REVIEW_KINDS:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", k.name), k.name
        assert k.title.strip() and k.description.strip(), k.name
        assert "\n" not in k.title + k.description, k.name


def test_the_literal_and_the_schema_are_the_declared_names() -> None:
    names = tuple(k.name for k in REVIEW_KINDS)
    assert get_args(ReviewKind) == names
    kind = ReviewItem.model_json_schema()["properties"]["kind"]
    assert tuple(kind["enum"]) == names and kind["description"]


def test_a_review_item_of_an_unknown_kind_is_refused() -> None:
    fields = {"activity_id": "1.1.1", "field": "timeline", "detail": "x", "page": 3}
    assert ReviewItem(kind="timeline", **fields).kind == "timeline"
    with pytest.raises(ValidationError, match="kind"):
        ReviewItem(kind="timeline_unparsed", **fields)


def test_a_review_item_written_before_the_structured_facts_still_loads() -> None:
    old = '{"activity_id": "1.1.1", "field": "lead", "kind": "unmatched_agency", "detail": "x", "page": 2}'
    item = ReviewItem.model_validate_json(old)
    assert item.text is None and item.candidates == []


def test_agency_match_kinds_are_the_ones_nap_registry_unmatched_reads() -> None:
    """The kinds flagged agency_match are the ones the registry writes with candidates."""
    reg = Registry.load()
    made = {f.kind for text in ("Ministry of Magic", "Ministri of Foreign Afairs")
            for f in reg.resolve(text).review(text, "leading")}  # fmt: skip
    assert made == {"unmatched_agency", "fuzzy_agency_match"} <= AGENCY_MATCH_KINDS
    assert "alias_out_of_period" not in AGENCY_MATCH_KINDS


# ---------------------------------------------------------------- every kind the code writes


def is_review_kind(annotation: ast.expr | None) -> bool:
    return annotation is not None and ast.unparse(annotation).strip("'\"") == "ReviewKind"


def kind_positions(trees: list[ast.Module]) -> dict[str, set[int]]:
    """Callable name -> positional index of its argument typed ReviewKind (functions' parameters,
    dataclasses' fields, without self); ReviewItem's `kind` is passed by keyword."""
    out: dict[str, set[int]] = {"ReviewItem": set()}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                params = [a for a in node.args.posonlyargs + node.args.args if a.arg not in ("self", "cls")]
                idx = [i for i, a in enumerate(params) if is_review_kind(a.annotation)]
            elif isinstance(node, ast.ClassDef):
                fields = [n for n in node.body if isinstance(n, ast.AnnAssign)]
                idx = [i for i, f in enumerate(fields) if is_review_kind(f.annotation)]
            else:
                continue
            if idx:
                out.setdefault(node.name, set()).update(idx)
    return out


def strings(expr: ast.expr) -> set[str]:
    """The string constants an expression can take: a constant, or either side of `a if c else b`."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return strings(expr.body) | strings(expr.orelse)
    return set()


def assigned(scope: ast.AST, name: str) -> set[str]:
    """The constants assigned to a local `name` in `scope`, also by tuple unpacking."""
    out: set[str] = set()
    for node in ast.walk(scope):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == name:
                out |= strings(node.value)
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                for t, v in zip(target.elts, node.value.elts, strict=False):
                    if isinstance(t, ast.Name) and t.id == name:
                        out |= strings(v)
    return out


def callee(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def calls_in_under(node: ast.AST, scope: ast.AST):
    """(call, innermost function around it, or the module) for every call under `node`."""
    for child in ast.iter_child_nodes(node):
        inner = child if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else scope
        if isinstance(child, ast.Call):
            yield child, scope
        yield from calls_in_under(child, inner)


def kind_arguments(trees: list[ast.Module], positions: dict[str, set[int]]):
    """(call, innermost function around it, the argument it passes as a review kind) for every
    call of a callable in `positions`."""
    for tree in trees:
        for call, scope in calls_in_under(tree, tree):
            name = callee(call)
            if name not in positions:
                continue
            args = [k.value for k in call.keywords if k.arg == "kind"]
            args += [call.args[i] for i in positions[name] if i < len(call.args)]
            for arg in args:
                yield call, scope, arg


def scanned_trees() -> list[ast.Module]:
    files = sorted(p for d in SCANNED for p in (ROOT / d).rglob("*.py"))
    return [ast.parse(p.read_text(encoding="utf-8"), filename=str(p)) for p in files]


def written_kinds(trees: list[ast.Module]) -> set[str]:
    """Every kind the code can write: the constants passed where a ReviewKind goes, directly or
    through a local variable."""
    found: set[str] = set()
    for _, scope, arg in kind_arguments(trees, kind_positions(trees)):
        found |= strings(arg)
        if isinstance(arg, ast.Name):
            found |= assigned(scope, arg.id)
    return found


SITES = """
@dataclass(frozen=True)
class Note:
    kind: ReviewKind
    detail: str

def flag(aid, kind: ReviewKind, detail): ...
def take(kind: str): ...

def site(x):
    Note("note_kind", "d")
    flag("1", "flag_kind", "d")
    kind = "local_a" if x else "local_b"
    flag("1", kind, "d")
    other, detail = "tuple_kind", "d"
    flag("1", other, "d")
    ReviewItem(activity_id="", field="", kind="item_kind", detail="")
    take("token_kind")
"""


def test_the_scan_finds_kinds_passed_every_way_the_code_passes_them() -> None:
    found = written_kinds([ast.parse(SITES)])
    assert found == {"note_kind", "flag_kind", "local_a", "local_b", "tuple_kind", "item_kind"}


def test_every_kind_the_code_writes_is_declared_and_every_declared_kind_is_written() -> None:
    written, declared = written_kinds(scanned_trees()), set(BY_NAME)
    assert not written - declared, (
        f"review kinds written without a meaning: {sorted(written - declared)}; "
        "declare each in schema/review_kinds.py"
    )
    assert not declared - written, (
        f"declared kinds nothing writes (or the scan misses where): {sorted(declared - written)}"
    )


def blind_kinds(trees: list[ast.Module]) -> list[str]:
    """ReviewItem kinds the scan cannot follow: not a constant, not a local assigned constants,
    not a parameter typed ReviewKind (whose callers the scan reads)."""
    blind = []
    for call, scope, arg in kind_arguments(trees, {"ReviewItem": set()}):
        if strings(arg) or (isinstance(arg, ast.Name) and assigned(scope, arg.id)):
            continue
        params = getattr(scope, "args", None)
        typed = params and any(
            a.arg == getattr(arg, "id", None) and is_review_kind(a.annotation) for a in params.args
        )
        if not typed:
            blind.append(f"line {call.lineno}: kind={ast.unparse(arg)}")
    return blind


def test_every_review_item_names_its_kind_where_the_scan_sees_it() -> None:
    blind = blind_kinds(scanned_trees())
    assert not blind, f"type these kinds ReviewKind, or pass a constant: {blind}"
    unseen = "def f(r, kind: str):\n    ReviewItem(kind=r.kind)\n    ReviewItem(kind=kind)\n"
    found = blind_kinds([ast.parse(SITES + unseen)])
    assert [b.split(": ", 1)[1] for b in found] == ["kind=r.kind", "kind=kind"]


# ---------------------------------------------------------------- the README's table


def test_the_readme_table_of_kinds_is_the_declarations() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert kinds_markdown() in readme
    assert with_table(readme) == readme, f"README.md's table of review kinds is stale: run `{REGENERATE}`"


def test_the_generated_table_has_a_row_per_kind() -> None:
    rows = kinds_markdown().splitlines()[2:]
    assert [r.split(" | ")[0].strip("| `") for r in rows] == list(BY_NAME)
    assert all(BY_NAME[r.split(" | ")[0].strip("| `")].description in r for r in rows)


# ---------------------------------------------------------------- candidates and text, from a run


@pytest.fixture(scope="module")
def misread_plan(tmp_path_factory) -> tuple[Plan, Registry]:
    """The shipped plan read with a registry lacking the judiciary ("Judiciary" is unmatched)
    and calling the High School of Justice the "Higher School of Justice" (read fuzzily)."""
    data = yaml.safe_load((DATA / "registry.yaml").read_text(encoding="utf-8"))
    data["agencies"] = [a for a in data["agencies"] if a["id"] != "judiciary"]
    next(a for a in data["agencies"] if a["id"] == "hsj")["name"] = "Higher School of Justice"
    path = tmp_path_factory.mktemp("registry") / "registry.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    registry = Registry.load(path)
    doc = extract_document(SHIPPED.source(tmp_path_factory.mktemp("pdf")), DEFAULT_ENGINE)
    return build_plan(doc, Config(Layout.load(), registry)), registry


def test_unmatched_and_fuzzy_items_carry_the_mention_and_its_candidates(misread_plan) -> None:
    plan, registry = misread_plan
    items = [r for r in plan.review if r.kind in AGENCY_MATCH_KINDS]
    assert {r.kind for r in items} == {"unmatched_agency", "fuzzy_agency_match"}
    assert {"Judiciary", "High School of Justice"} <= {r.text for r in items}
    mentions = {(a.activity_id, m.mention) for a in plan.activities() for m in a.mentions}
    for item in items:
        assert (item.activity_id, item.text) in mentions
        expected = [
            Candidate(agency_id=i, name=registry.agencies[i].name, score=s)
            for i, s in registry.resolve(item.text).candidates
        ]
        assert item.candidates == expected and expected
        assert item.detail.endswith(candidates_text(item.candidates))  # the prose lists the same


def test_other_items_carry_no_candidates(misread_plan) -> None:
    plan, _ = misread_plan
    assert all(not r.candidates for r in plan.review if r.kind not in AGENCY_MATCH_KINDS)
    page_notes = [r for r in plan.review if r.kind == "text_outside_table"]
    assert all(r.text == r.detail for r in page_notes)


@pytest.mark.parametrize("doc", documents(DOCUMENTS))
def test_plans_of_every_document_validate_with_declared_kinds(runs, doc) -> None:
    out, plan = runs(doc, DEFAULT_ENGINE)
    loaded = Plan.model_validate_json((out / "plan.json").read_text(encoding="utf-8"))
    assert loaded == plan and plan.review
    assert {r.kind for r in plan.review} <= set(BY_NAME)
    with (out / "review.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == standard_columns("review")  # the structured facts stay in plan.json
    assert not {"text", "candidates"} & set(rows[0])
    assert len(rows) == len(plan.review) + 1
    for item in plan.review:
        if item.kind in AGENCY_MATCH_KINDS or item.kind == "footnote_marker":
            assert item.text and quoted(item.text) in item.detail  # the detail quotes it


# ---------------------------------------------------------------- nap registry unmatched


def folder(tmp_path: Path, review: list[ReviewItem], links: list[tuple[str, str, str, str, str]]) -> Path:
    """An output folder holding only what `nap registry unmatched` reads."""
    plan = Plan(
        source=SourceInfo(name="x.pdf", sha256="0" * 64, bytes=1, pages=1),
        engine="test",
        preamble=[],
        columns=[],
        goals=[],
        agencies=[],
        review=review,
    )
    (tmp_path / "plan.json").write_text(plan.model_dump_json(indent=2), encoding="utf-8")
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerows([("activity_id", "mention", "match", "agency_id", "score"), *links])
    (tmp_path / "activity_agencies.csv").write_text(text.getvalue(), encoding="utf-8")
    return tmp_path


def item(aid: str, kind: str, text: str, cands: list[tuple[str, float]] = ()) -> ReviewItem:
    """A review item whose detail holds no candidates, so only the structured facts can give them."""
    return ReviewItem(
        activity_id=aid, field="lead", kind=kind, detail="see candidates", page=1, text=text,
        candidates=[Candidate(agency_id=i, score=s) for i, s in cands],
    )  # fmt: skip


def test_registry_unmatched_reads_candidates_and_mentions_from_plan_json(tmp_path: Path) -> None:
    magic, club, justise = "Ministry of Magic", "Some Local Club", "Ministry of Justise"
    out = folder(
        tmp_path,
        [
            item("1.1.1", "unmatched_agency", magic, [("moj", 77.8), ("mia", 70.3)]),
            item("1.1.1", "note_separated", justise, [("zzz", 1.0)]),  # not about the match
            item("1.1.2", "unmatched_agency", magic, [("moj", 77.8), ("mia", 70.3)]),
            item("1.1.2", "unmatched_agency_reviewed", club, [("mod", 40.0)]),
            item("1.1.3", "fuzzy_agency_match", justise, [("moj", 94.7), ("mod", 73.7)]),
        ],
        [
            ("1.1.1", magic, "unmatched", "", ""),
            ("1.1.1", justise, "fuzzy", "moj", "94.7"),  # its review item is under 1.1.3 only
            ("1.1.2", magic, "unmatched", "", ""),
            ("1.1.2", club, "unmatched", "", ""),
            ("1.1.3", justise, "fuzzy", "moj", "94.7"),
        ],
    )
    found = {u.mention: u for u in undecided_mentions(out)}
    assert list(found) == [magic, justise]  # the club is decided
    assert found[magic].activities == ["1.1.1", "1.1.2"]
    assert [(c.agency_id, c.score) for c in found[magic].candidates] == [("moj", 77.8), ("mia", 70.3)]
    assert [c.agency_id for c in found[justise].candidates] == ["moj", "mod"]  # from 1.1.3's item
    result = CliRunner().invoke(main, ["registry", "unmatched", str(out)])
    assert result.exit_code == 1, result.output
    assert "    candidates: moj (78), mia (70)\n" in result.output
    assert "    candidates: moj (95), mod (74)\n" in result.output


def test_registry_unmatched_names_the_missing_plan_json(tmp_path: Path) -> None:
    out = folder(tmp_path, [], [])
    (out / "plan.json").unlink()
    result = CliRunner().invoke(main, ["registry", "unmatched", str(out)])
    assert result.exit_code == 2 and "not a nap output folder: no plan.json" in result.output


def test_registry_unmatched_refuses_a_plan_json_that_does_not_load(tmp_path: Path) -> None:
    out = folder(tmp_path, [], [])
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    data["review"] = [{"activity_id": "", "field": "x", "kind": "no_such_kind", "detail": "", "page": None}]
    (out / "plan.json").write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["registry", "unmatched", str(out)])
    assert result.exit_code == 2 and "plan.json does not load" in result.output
