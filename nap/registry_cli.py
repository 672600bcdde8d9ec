"""`nap registry`: which agency mentions need a reviewer's decision, and whether the registry
and decisions files are sound."""

from __future__ import annotations

import csv
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click
import yaml

from nap.options import decisions_option, registry_option
from normalize.registry import DECISIONS_HEADER, Decisions, Registry, mention_key
from schema.models import Candidate, Plan, ReviewItem
from schema.names import quoted
from schema.review_kinds import AGENCY_MATCH_KINDS


@dataclass
class Undecided:
    """A mention of an output folder that needs a reviewer's decision."""

    mention: str
    match: str  # "unmatched" or "fuzzy"
    agency_id: str | None  # the fuzzy reading
    score: str
    activities: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def match_reviews(path: Path) -> dict[tuple[str, str], ReviewItem]:
    """The review items of plan.json about an agency mention's match, by (activity, mention);
    the first where a mention is printed twice in an activity."""
    try:
        plan = Plan.model_validate_json(path.read_bytes())
    except ValueError as exc:
        raise click.UsageError(f"{path} does not load: {' '.join(str(exc).split())}") from None
    found: dict[tuple[str, str], ReviewItem] = {}
    for item in plan.review:
        if item.kind in AGENCY_MATCH_KINDS and item.text is not None:
            found.setdefault((item.activity_id, item.text), item)
    return found


def undecided_mentions(out_dir: Path) -> list[Undecided]:
    """Unmatched and fuzzy-matched mentions of an output folder, once each, in document order,
    with the candidates their review items in plan.json list.

    A mention reviewed as naming no registry entity (review kind unmatched_agency_reviewed) is
    decided; so is one resolved by a decision (match alias).
    """
    missing = [n for n in ("activity_agencies.csv", "plan.json") if not (out_dir / n).is_file()]
    if missing:
        raise click.UsageError(f"{out_dir} is not a nap output folder: no {missing[0]}")
    reviews = match_reviews(out_dir / "plan.json")
    found: dict[str, Undecided] = {}
    for row in read_rows(out_dir / "activity_agencies.csv"):
        if row["match"] not in ("unmatched", "fuzzy"):
            continue
        review = reviews.get((row["activity_id"], row["mention"]))
        if review is not None and review.kind == "unmatched_agency_reviewed":
            continue
        item = found.setdefault(
            mention_key(row["mention"]),
            Undecided(row["mention"], row["match"], row["agency_id"] or None, row["score"]),
        )
        if row["activity_id"] not in item.activities:
            item.activities.append(row["activity_id"])
        if review is not None and not item.candidates:
            item.candidates = list(review.candidates)
    return list(found.values())


def yaml_scalar(text: str) -> str:
    """A YAML scalar that reads back as `text`: plain when safe, else double-quoted."""
    plain = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._\-]*", text) and yaml.safe_load(text) == text
    return text if plain else json.dumps(text, ensure_ascii=False)


def candidates_text(candidates: list[Candidate]) -> str:
    """'gpo (86), public-defender (51)', as review.csv's detail lists them; 'none' for none."""
    return ", ".join(f"{c.agency_id} ({c.score:.0f})" for c in candidates) or "none"


def decision_entry(item: Undecided) -> str:
    """A decisions.yaml entry for `item`, with what the run knew as comments."""
    cands = candidates_text(item.candidates)
    where = ", ".join(item.activities)
    if item.match == "fuzzy":
        lines = [
            f"  # fuzzy: read as {item.agency_id} ({item.score}) in {where}; candidates: {cands}",
            "  # the id below takes effect on the next run: correct it, or set [] if it names no entity",
            f"  agency_ids: [{yaml_scalar(item.agency_id or '')}]",
        ]
    else:
        lines = [
            f"  # unmatched in {where}; candidates: {cands}",
            "  # fill in registry ids, or [] if it names no registry entity; left empty it is ignored",
            "  agency_ids:",
        ]
    return "\n".join([f"- mention: {json.dumps(item.mention, ensure_ascii=False)}", *lines, "  note:"]) + "\n"


def append_decisions(path: Path, items: list[Undecided]) -> tuple[int, int]:
    """Append an entry for each item not already in the file; (appended, already there)."""
    text = path.read_text(encoding="utf-8") if path.exists() else DECISIONS_HEADER
    try:
        existing = Decisions.read(path) if path.exists() else Decisions()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    new = [i for i in items if mention_key(i.mention) not in existing.entries]
    if not new:
        return 0, len(items)
    if not existing.entries:  # an empty list is written "[]": the block entries replace it
        text = re.sub(r"(?m)^\[\][ \t]*(#.*)?\n?", "", text)
    text = text.rstrip("\n") + "\n\n" + "\n".join(decision_entry(i) for i in new)
    data = yaml.safe_load(text)
    if not isinstance(data, list) or len(data) != len(existing.entries) + len(new):
        raise click.UsageError(f"cannot append to {path}: write its list in block style (one '- ' per entry)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return len(new), len(items) - len(new)


@click.group(name="registry")
def registry_group() -> None:
    """Review agency resolution: what needs a decision, and whether the data files are sound."""


@registry_group.command()
@click.argument("out_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--write",
    "write_to",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Append an entry for each listed mention to this decisions YAML (skipping those it has).",
)
def unmatched(out_dir: Path, write_to: Path | None) -> None:
    """List the agency mentions of output folder DIR that need a decision.

    Reads DIR/activity_agencies.csv and DIR/plan.json and prints each unmatched or fuzzy-matched
    mention once, with its activities and the candidates and scores of its review item in plan.json.

    Exit status: 0 when nothing needs a decision, 1 when something does (whether or not --write
    wrote it: the entries take effect once filled in and extract is rerun), 2 on a usage error
    (DIR is not an output folder, or the --write file is not a decisions list).
    """
    items = undecided_mentions(out_dir)
    if not items:
        click.echo(f"{out_dir}: every agency mention is resolved or decided")
        sys.exit(0)
    for item in items:
        click.echo(item.mention)
        reading = f"fuzzy, read as {item.agency_id} ({item.score})" if item.match == "fuzzy" else "unmatched"
        click.echo(f"    {reading} in {', '.join(item.activities)}")
        click.echo(f"    candidates: {candidates_text(item.candidates)}")
    n_fuzzy = sum(i.match == "fuzzy" for i in items)
    click.echo(
        f"{len(items)} mention{'s' if len(items) != 1 else ''} need a decision "
        f"({len(items) - n_fuzzy} unmatched, {n_fuzzy} fuzzy)"
    )
    if write_to is not None:
        added, present = append_decisions(write_to, items)
        click.echo(f"{write_to}: {added} entries appended, {present} already there")
    sys.exit(1)


@registry_group.command()
@registry_option
@decisions_option
def check(registry: Path | None, decisions: Path | None) -> None:
    """Load the registry and the decisions file and report their problems.

    Errors (a file that does not load: bad YAML or fields, a name claimed by two entries, an
    unknown parent, a decision naming an id the registry lacks) are printed as `nap: error:`.
    Warnings: aliases that never take effect, decisions not yet filled in, decisions the
    registry makes redundant or contradicts.

    Exit status: 0 when both files load (warnings may be printed), 1 when either does not.
    """
    try:
        reg = Registry.load(registry)
    except (ValueError, yaml.YAMLError) as exc:
        click.echo(f"nap: error: {exc}", err=True)
        sys.exit(1)
    try:
        decs = Decisions.load(decisions, reg)
    except ValueError as exc:
        click.echo(f"nap: error: {exc}", err=True)
        sys.exit(1)
    warnings = [f"registry: {p}" for p in reg.problems()]
    for d in decs.entries.values():
        if d.pending:
            warnings.append(f"decisions: {quoted(d.mention)} is not decided yet (agency_ids is empty)")
            continue
        found = reg.resolve(d.mention)
        ids = tuple(link.agency_id for link in found.links) if found.resolved else ()
        exact = found.resolved and all(link.match in ("exact", "alias") for link in found.links)
        if d.agency_ids and ids == d.agency_ids and exact:
            warnings.append(
                f"decisions: {quoted(d.mention)} -> {', '.join(d.agency_ids)} is redundant: "
                "the registry reads it so"
            )
        elif ids and ids != d.agency_ids:
            says = ", ".join(d.agency_ids or ()) or "no registry entity"
            warnings.append(
                f"decisions: {quoted(d.mention)} is decided as {says}, "
                f"but the registry alone reads it as {', '.join(ids)}"
            )
    for w in warnings:
        click.echo(f"warning: {w}")
    dated = sum(bool(a.start_date or a.end_date) for ag in reg.agencies.values() for a in ag.aliases)
    aliases = sum(len(ag.aliases) for ag in reg.agencies.values())
    click.echo(
        f"registry: {len(reg.agencies)} entries, {aliases} aliases ({dated} dated); "
        f"decisions: {len(decs.entries)} ({len(decs.pending())} not decided yet); "
        f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
    )
    sys.exit(0)
