"""The canonical registry of organisations and the resolution of printed mentions to it.

Resolution goes from the surest to the loosest evidence and records which one it used:
a reviewer's decision for the exact printed text (decisions.yaml) -> the canonical name or short
name, after folding (case, quotes, punctuation, articles, LEPL/LELP, ignored phrases such as
"of Georgia", spelling variants) -> a registered alias -> a parenthesis of units, of the body's
host, or of its abbreviation -> an "and" of known bodies -> fuzzy above a threshold with a
margin -> unmatched, with the closest candidates. Precision first: a mention that is not clearly
one body stays unmatched.

Aliases carry validity dates (Popolo's other_names). Matching ignores them, so a renamed body
keeps one id across editions; `Resolution.review` flags a name printed outside its dates.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import yaml
from pydantic import ValidationError
from rapidfuzz import fuzz, process

from normalize.config import DATA, SAFE_LOADER, load_yaml
from normalize.parens import HEREINAFTER, definition_pattern, drop_hereinafter, split_top, trailing_group
from normalize.text import fold_georgian
from schema.models import Agency, AgencyLink, Alias, Candidate
from schema.names import quoted
from schema.review_kinds import ReviewKind

_QUOTES = str.maketrans({c: "" for c in "\"'“”„‘’`«»"})
_ABBREV = re.compile(r"^[A-Z][A-Za-z&.\-]*[A-Z][A-Za-z&.\-]*$")
# Words that carry no identity: a head "Ministry of the Interior" adds nothing by "of" or "the".
_FUNCTION_WORDS = frozenset({"of", "and", "for", "in", "on", "to", "at", "by", "an", "&"})

Period = tuple[date, date]


def mention_key(text: str) -> str:
    """A mention as printed, for decisions: only runs of whitespace are folded."""
    return " ".join(text.split())


def _unmatched_link() -> AgencyLink:
    return AgencyLink(agency_id=None, agency_name=None, match="unmatched", score=None)


def _resembles(a: str, b: str) -> bool:
    """One word is a respelling or another form of the other: Afairs/Affairs, Interior/Internal."""
    return fuzz.ratio(a, b) >= 80 or len(os.path.commonprefix([a, b])) >= 4


# ---------------------------------------------------------------- reviewers' decisions

DECISIONS_HEADER = """\
# Reviewers' decisions for agency mentions the registry does not resolve, or resolves only
# fuzzily. `nap extract` applies them before any other matching (`--decisions PATH` for another
# file); `nap registry unmatched DIR --write FILE` appends an entry for every mention of an
# output folder that still needs one; `nap registry check` validates this file.
#
# Each entry:
#   - mention: "the organisation exactly as printed"   (the `mention` column of
#                                                        activity_agencies.csv; spacing folded)
#     agency_ids: [id, ...]  registry ids it names: it resolves to them (match alias, score 100)
#     agency_ids: []         reviewed: it names no registry entity; it stays unmatched and its
#                            review item becomes unmatched_agency_reviewed
#     agency_ids:            left empty: not decided yet, the entry is ignored
#     note: why              optional
#
# A decision holds for one printed text. A body that recurs belongs in registry.yaml (a new
# entry, or an alias with its dates), which also catches its other spellings.
"""


@dataclass(frozen=True)
class Decision:
    """A reviewer's reading of one printed mention: the ids it names, or none at all."""

    mention: str
    agency_ids: tuple[str, ...] | None  # None: not decided yet
    note: str | None = None

    @property
    def pending(self) -> bool:
        return self.agency_ids is None


@dataclass(frozen=True)
class Decisions:
    """The decisions file, by mention (spacing folded)."""

    source: str = ""
    entries: dict[str, Decision] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path | None = None) -> Decisions:
        """Parse a decisions file (default: the packaged one), checking its format but not its ids."""
        source = Path(path) if path else DATA / "decisions.yaml"
        try:
            data = yaml.load(source.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        except yaml.YAMLError as exc:
            raise ValueError(f"{source}: not valid YAML: {' '.join(str(exc).split())}") from None
        if data is None:
            data = []
        if not isinstance(data, list):
            raise ValueError(f"{source}: expected a YAML list of decisions")
        entries: dict[str, Decision] = {}
        for i, entry in enumerate(data, start=1):
            where = f"{source}: entry {i}"
            if not isinstance(entry, dict):
                raise ValueError(f"{where}: expected a mapping with mention, agency_ids and note")
            unknown = sorted(set(entry) - {"mention", "agency_ids", "note"})
            if unknown:
                raise ValueError(f"{where}: unknown field {quoted(unknown[0])}")
            mention = entry.get("mention")
            if not isinstance(mention, str) or not mention.strip():
                raise ValueError(f"{where}: mention must be the text as printed")
            if "agency_ids" not in entry:
                raise ValueError(f"{where} ({quoted(mention)}): agency_ids is missing (use [] for no entity)")
            ids = entry["agency_ids"]
            if ids is not None and (not isinstance(ids, list) or not all(isinstance(x, str) for x in ids)):
                raise ValueError(f"{where} ({quoted(mention)}): agency_ids must be a list of registry ids")
            note = entry.get("note")
            if note is not None and not isinstance(note, str):
                note = str(note)
            key = mention_key(mention)
            if key in entries:
                raise ValueError(f"{where}: {quoted(mention)} is decided twice")
            entries[key] = Decision(key, None if ids is None else tuple(dict.fromkeys(ids)), note)
        return cls(str(source), entries)

    @classmethod
    def load(cls, path: Path | None, registry: Registry) -> Decisions:
        decisions = cls.read(path)
        decisions.check_ids(registry)
        return decisions

    def check_ids(self, registry: Registry) -> None:
        for d in self.entries.values():
            for agency_id in d.agency_ids or ():
                if agency_id not in registry.agencies:
                    raise ValueError(
                        f"{self.source}: decision for {quoted(d.mention)} names {quoted(agency_id)}, "
                        "which is not a registry id"
                    )

    def get(self, mention: str) -> Decision | None:
        """The decision that applies to a mention (a pending entry does not)."""
        d = self.entries.get(mention_key(mention))
        return None if d is None or d.pending else d

    def pending(self) -> list[Decision]:
        return [d for d in self.entries.values() if d.pending]


# ---------------------------------------------------------------- resolution


@dataclass(frozen=True)
class Hit:
    """A whole text that is a registry name: the link, and the alias entries it matched."""

    link: AgencyLink
    aliases: tuple[Alias, ...] = ()  # empty when it matched the canonical name or short name


@dataclass(frozen=True)
class Finding:
    """A review item about one reading of a mention, before it is placed in a cell of an activity."""

    kind: ReviewKind
    detail: str
    text: str | None = None  # the mention
    candidates: tuple[Candidate, ...] = ()


@dataclass
class Resolution:
    links: list[AgencyLink]
    candidates: list[tuple[str, float]] = field(default_factory=list)
    # (entity id, alias entries) for every alias the resolution went through
    via: list[tuple[str, tuple[Alias, ...]]] = field(default_factory=list)
    decision: Decision | None = None
    names: dict[str, str] = field(default_factory=dict)  # canonical name of each candidate's entry

    @property
    def resolved(self) -> bool:
        return bool(self.links) and all(link.agency_id for link in self.links)

    @classmethod
    def of(cls, hits: list[Hit], used: list[Hit] | None = None, **kw) -> Resolution:
        """Links of `hits`; `used` (default `hits`) are every name the reading relied on."""
        via = [(h.link.agency_id or "", h.aliases) for h in (used or hits) if h.aliases]
        return cls([h.link for h in hits], via=via, **kw)

    def review(self, mention: str, role: str, period: Period | None = None) -> list[Finding]:
        """The review items for this reading of `mention`."""
        cands = ", ".join(f"{i} ({s:.0f})" for i, s in self.candidates) or "none"
        closest = tuple(Candidate(agency_id=i, name=self.names.get(i), score=s) for i, s in self.candidates)
        if not self.resolved:
            if self.decision is not None:
                why = f" ({self.decision.note})" if self.decision.note else ""
                said = f"{quoted(mention)} ({role}) reviewed: names no registry entry"
                detail = f"{said}{why}; closest: {cands}"
                return [Finding("unmatched_agency_reviewed", detail, mention, closest)]
            detail = f"{quoted(mention)} ({role}) matches no registry entry; closest: {cands}"
            return [Finding("unmatched_agency", detail, mention, closest)]
        out = []
        if any(link.match == "fuzzy" for link in self.links):
            detail = f"{quoted(mention)} read as {self.links[0].agency_id}; candidates: {cands}"
            out.append(Finding("fuzzy_agency_match", detail, mention, closest))
        if period is not None:
            seen = set()
            for agency_id, aliases in self.via:
                names = tuple(dict.fromkeys(a.name for a in aliases))
                if (agency_id, names) in seen or any(a.overlaps(*period) for a in aliases):
                    continue
                seen.add((agency_id, names))
                spans = "; ".join(a.validity() for a in aliases)
                detail = (
                    f"{quoted(mention)} ({role}) read as {agency_id} through the name "
                    f"{' / '.join(map(quoted, names))}, in use {spans}: outside the plan period "
                    f"{period[0]} to {period[1]}"
                )
                out.append(Finding("alias_out_of_period", detail, mention))
        return out


@dataclass
class Registry:
    agencies: dict[str, Agency]
    org_words: set[str]
    variants: dict[str, str]
    ignore_words: set[str]
    fuzzy_threshold: float
    fuzzy_margin: float
    ignore_phrases: list[tuple[str, ...]] = field(default_factory=list)
    abbreviation_threshold: float = 80.0
    decisions: Decisions = field(default_factory=Decisions)
    and_words: tuple[str, ...] = ("and",)
    hereinafter_words: tuple[str, ...] = HEREINAFTER
    _names: dict[str, str] = field(default_factory=dict)
    _aliases: dict[str, str] = field(default_factory=dict)
    _alias_entries: dict[str, list[Alias]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> Registry:
        """Read and index a registry file (default: the packaged one).

        Raises ValueError, its message starting with the file, when the file does not load:
        bad YAML or fields, alias dates out of order, an id used twice, an unknown parent or
        host, one name (after folding) claimed by two entries.
        """
        source = Path(path) if path else DATA / "registry.yaml"
        try:
            return cls._load(path)
        except yaml.YAMLError as exc:
            raise ValueError(f"{source}: not valid YAML: {' '.join(str(exc).split())}") from None
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in exc.errors()
            )
            raise ValueError(f"{source}: {problems}") from None
        except ValueError as exc:
            message = str(exc)
            raise ValueError(message if message.startswith(str(source)) else f"{source}: {message}") from None

    @classmethod
    def _load(cls, path: Path | None) -> Registry:
        d = load_yaml(path, "registry.yaml")
        if not isinstance(d.get("agencies"), list):
            raise ValueError("registry: expected an `agencies` list")
        agencies: dict[str, Agency] = {}
        for i, entry in enumerate(d["agencies"], start=1):
            if not isinstance(entry, dict):
                raise ValueError(f"registry: agency {i} is not a mapping")
            try:
                agency = Agency(**entry)
            except ValidationError as exc:
                problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
                raise ValueError(f"registry: agency {quoted(entry.get('id', i))}: {problems}") from None
            if agency.id in agencies:
                raise ValueError(f"registry: id {quoted(agency.id)} is used twice")
            agencies[agency.id] = agency
        reg = cls(
            agencies=agencies,
            org_words={w.lower() for w in d.get("org_words", [])},
            variants=d.get("variants", {}),
            ignore_words=set(d.get("ignore_words", [])),
            fuzzy_threshold=float(d.get("fuzzy_threshold", 92)),
            fuzzy_margin=float(d.get("fuzzy_margin", 4)),
            abbreviation_threshold=float(d.get("abbreviation_threshold", 80)),
            and_words=tuple(str(w) for w in d.get("and_words", ["and"])),
            hereinafter_words=tuple(str(w) for w in d.get("hereinafter_words", HEREINAFTER)),
        )
        reg.ignore_phrases = [
            p for p in (tuple(reg._words(str(t))) for t in d.get("ignore_phrases", [])) if p
        ]
        reg._index()
        return reg

    def with_decisions(self, decisions: Decisions) -> Registry:
        """This registry, with reviewers' decisions applied first in `resolve`."""
        decisions.check_ids(self)
        return replace(self, decisions=decisions)

    def _index(self) -> None:
        for a in self.agencies.values():
            for ref in filter(None, (a.parent, a.host)):
                if ref not in self.agencies:
                    raise ValueError(f"registry: {a.id} refers to unknown entry {quoted(ref)}")
            for text in filter(None, (a.name, a.short_name)):
                self._claim(self._names, self._nonempty_key(text, a.id), a.id)
        for a in self.agencies.values():
            for alias in a.aliases:
                key = self._nonempty_key(alias.name, a.id)
                if key in self._names:  # folds to a name: resolves as the name, whatever its dates
                    self._claim(self._names, key, a.id)
                    continue
                self._claim(self._aliases, key, a.id)
                self._alias_entries.setdefault(key, []).append(alias)

    def _nonempty_key(self, text: str, agency_id: str) -> str:
        key = self.key(text)
        if not key:
            raise ValueError(f"registry: {agency_id}: {quoted(text)} folds to nothing")
        return key

    @staticmethod
    def _claim(index: dict[str, str], key: str, agency_id: str) -> None:
        if index.get(key, agency_id) != agency_id:
            raise ValueError(f"registry: {quoted(key)} names both {index[key]} and {agency_id}")
        index[key] = agency_id

    def problems(self) -> list[str]:
        """Entries that load but do not do what they seem to (for `nap registry check`)."""
        out = []
        for a in self.agencies.values():
            name_keys = {self.key(t) for t in (a.name, a.short_name) if t}
            by_key: dict[str, list[Alias]] = {}
            for alias in a.aliases:
                by_key.setdefault(self.key(alias.name), []).append(alias)
            for key, aliases in by_key.items():
                dated = [x for x in aliases if x.start_date or x.end_date]
                if key in name_keys:
                    what = "its dates are never used" if dated else "it can be dropped"
                    said = f"{a.id}: alias {quoted(aliases[0].name)}"
                    out.append(f"{said} folds to its name or short name: {what}")
                elif len(aliases) > len(dated) and dated:
                    out.append(
                        f"{a.id}: alias {quoted(aliases[0].name)} is listed both undated and dated: "
                        "the dates are never used"
                    )
                elif len(aliases) > 1 and not dated:
                    out.append(f"{a.id}: alias {quoted(aliases[0].name)} is listed {len(aliases)} times")
        return out

    def __post_init__(self) -> None:
        self._definition = definition_pattern(self.hereinafter_words)
        joins = "|".join(map(re.escape, sorted(self.and_words, key=len, reverse=True)))
        self._and = re.compile(rf"\s+(?:{joins})\s+")

    def drop_definitions(self, text: str) -> str:
        """The text without "(hereinafter X)" / "(შემდგომში – X)" definitions of a short name."""
        return drop_hereinafter(text, self._definition)

    def _words(self, text: str) -> list[str]:
        words = re.sub(r"[^\w&]+", " ", fold_georgian(text).translate(_QUOTES).casefold()).split()
        return [self.variants.get(w, w) for w in words]

    def key(self, text: str) -> str:
        """Fold a name for comparison: case, quotes, punctuation, spelling, phrases, articles, LEPL."""
        words = self._words(text)
        for phrase in self.ignore_phrases:
            n, kept, i = len(phrase), [], 0
            while i < len(words):
                if tuple(words[i : i + n]) == phrase:
                    i += n
                else:
                    kept.append(words[i])
                    i += 1
            words = kept
        return " ".join(w for w in words if w not in self.ignore_words)

    def link(self, agency_id: str, match: str, score: float) -> AgencyLink:
        return AgencyLink(
            agency_id=agency_id, agency_name=self.agencies[agency_id].name, match=match, score=score
        )

    def hit(self, text: str) -> Hit | None:
        """Exact or alias hit for the whole text, with the alias entries it matched."""
        k = self.key(self.drop_definitions(text))
        if k in self._names:
            return Hit(self.link(self._names[k], "exact", 100.0))
        if k in self._aliases:
            return Hit(self.link(self._aliases[k], "alias", 100.0), tuple(self._alias_entries[k]))
        return None

    def lookup(self, text: str) -> AgencyLink | None:
        """Exact or alias hit for the whole text, nothing looser."""
        found = self.hit(text)
        return found.link if found else None

    def is_org_like(self, text: str) -> bool:
        """Does the text name an organisation (a known one, or by its wording)?"""
        if self.lookup(text) or _ABBREV.match(text.strip()):
            return True
        return bool(set(self.key(text).split()) & self.org_words)

    def resolve(self, text: str) -> Resolution:
        """The reading of a printed mention, with the names of its candidates' entries."""
        found = self._decided(text)
        found.names = {i: self.agencies[i].name for i, _ in found.candidates if i in self.agencies}
        return found

    def _decided(self, text: str) -> Resolution:
        """A reviewer's decision on the text, else the registry's own reading."""
        decision = self.decisions.get(text)
        if decision is None:
            return self._resolve(text)
        if decision.agency_ids:
            links = [self.link(i, "alias", 100.0) for i in decision.agency_ids]
            return Resolution(links, decision=decision)
        # reviewed as naming no registry entity: keep it unmatched, show what the registry says now
        found = self._resolve(text)
        cands = (
            [(link.agency_id or "", link.score or 0.0) for link in found.links]
            if found.resolved
            else found.candidates
        )
        return Resolution([_unmatched_link()], cands, decision=decision)

    def _resolve(self, text: str) -> Resolution:
        text = self.drop_definitions(text)
        for step in (self._whole, self._with_parenthesis, self._conjunction):
            found = step(text)
            if found is not None:
                return found
        return self._fuzzy(text)

    def _whole(self, text: str) -> Resolution | None:
        found = self.hit(text)
        return Resolution.of([found]) if found else None

    def _parts(self, text: str) -> list[Hit]:
        """Hits for a list of known bodies ("A, B; C", "A and B"), or [] if any part is unknown."""
        hits: list[Hit] = []
        for part in (p.strip() for p in split_top(text, ",;")):
            if not part:
                continue
            found = self.hit(part)
            more = [found] if found else self._conjunction_hits(part)
            if not more:
                return []
            hits.extend(more)
        return hits

    def _with_parenthesis(self, text: str) -> Resolution | None:
        """'Body (units)' -> the units; 'Body (its host)' or 'Body (its ABBR)' -> the body.

        A parenthesised abbreviation that names another registry body contradicts the head: the
        mention stays unmatched with both as candidates. An abbreviation the registry does not
        know leaves the head as read.
        """
        split = trailing_group(text)
        if not split:
            return None
        head_text, inner = split
        head = self.hit(head_text)
        is_abbrev = bool(_ABBREV.match(inner))
        abbrev = self.hit(inner) if is_abbrev else None
        if head is None:
            return self._by_abbreviation(head_text, abbrev) if abbrev else None
        body = self.agencies[head.link.agency_id or ""]
        units = self._parts(inner)
        if units and all(u.link.agency_id in (body.parent, body.host) for u in units):
            return Resolution.of([head], used=[head, *units])
        if units and all(self.is_within(u.link.agency_id or "", body.id) for u in units):
            return Resolution.of(units, used=[head, *units])
        if abbrev is not None:
            if abbrev.link.agency_id == body.id:
                return Resolution.of([head], used=[head, abbrev])
            return Resolution(
                [_unmatched_link()], [(body.id, head.link.score or 0.0), (abbrev.link.agency_id or "", 100.0)]
            )
        return Resolution.of([head]) if is_abbrev else None

    def _by_abbreviation(self, head_text: str, abbrev: Hit) -> Resolution:
        """'Ministry of Internal Afairs (MIA)': a head no name matches, with a known abbreviation.

        The abbreviation's body is the reading when the head is similar to one of its names
        (token_set_ratio at least `abbreviation_threshold`) and every word the head adds is a
        respelling of a word of those names: "Ministry of Internal Affairs of Armenia (MIA)" adds
        a word, so it names another body and stays unmatched.
        """
        agency_id = abbrev.link.agency_id or ""
        entity = self.agencies[agency_id]
        names = [
            self.key(t) for t in (entity.name, entity.short_name, *(a.name for a in entity.aliases)) if t
        ]
        head_key = self.key(head_text)
        score = round(max((fuzz.token_set_ratio(head_key, n) for n in names), default=0.0), 1)
        name_words = {w for n in names for w in n.split()}
        head_words = head_key.split()
        extra = [w for w in head_words if w not in name_words and w not in _FUNCTION_WORDS]
        missing = name_words - set(head_words)
        explained = all(any(_resembles(w, m) for m in missing) for w in extra)
        cands = {agency_id: score}
        for other, other_score, _ in self._rank(head_key):
            cands.setdefault(other, other_score)
        candidates = sorted(cands.items(), key=lambda kv: -kv[1])[:3]
        if head_key and score >= self.abbreviation_threshold and explained:
            found = Hit(self.link(agency_id, "fuzzy", score), abbrev.aliases)
            return Resolution.of([found], candidates=candidates)
        return Resolution([_unmatched_link()], candidates)

    def is_within(self, agency_id: str, ancestor: str) -> bool:
        """Is the entity a unit (at any depth) of `ancestor`?"""
        seen = set()
        while agency_id and agency_id not in seen:
            seen.add(agency_id)
            agency_id = self.agencies[agency_id].parent
            if agency_id == ancestor:
                return True
        return False

    def _conjunction_hits(self, text: str) -> list[Hit]:
        parts = [p.strip() for p in self._and.split(fold_georgian(text)) if p.strip()]
        if len(parts) < 2:
            return []
        hits = [self.hit(p) for p in parts]
        return [h for h in hits if h] if all(hits) else []

    def _conjunction(self, text: str) -> Resolution | None:
        """'Interested local NGOs and international organizations' -> both groups ("A და B" too)."""
        hits = self._conjunction_hits(text)
        return Resolution.of(hits) if hits else None

    def _rank(self, query: str) -> list[tuple[str, float, str]]:
        """(entity id, best score, best key) of the closest entities, best first (at most 3)."""
        keys = {**self._names, **self._aliases}
        ranked = process.extract(query, list(keys), scorer=fuzz.token_sort_ratio, limit=10)
        best: dict[str, tuple[float, str]] = {}
        for k, score, _ in ranked:
            best.setdefault(keys[k], (score, k))
        return [(i, s, k) for i, (s, k) in sorted(best.items(), key=lambda kv: -kv[1][0])[:3]]

    def _fuzzy(self, text: str) -> Resolution:
        ranked = self._rank(self.key(text))
        candidates = [(i, s) for i, s, _ in ranked]
        if ranked and ranked[0][1] >= self.fuzzy_threshold:
            runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
            if ranked[0][1] - runner_up >= self.fuzzy_margin:
                agency_id, score, key = ranked[0]
                found = Hit(
                    self.link(agency_id, "fuzzy", round(score, 1)), tuple(self._alias_entries.get(key, ()))
                )
                return Resolution.of([found], candidates=candidates)
        return Resolution([_unmatched_link()], candidates)
