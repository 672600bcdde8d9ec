"""The canonical registry of organisations and the resolution of printed mentions to it.

Resolution goes from the surest to the loosest evidence and records which one it used:
exact (the canonical name or short name, after folding) -> alias -> a parenthesis of units
or of the body's host -> an "and" of known bodies -> fuzzy above a threshold with a margin ->
unmatched. Precision first: a mention that is not clearly one body stays unmatched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from normalize.config import load_yaml
from normalize.parens import drop_hereinafter, split_top, trailing_group
from schema.models import Agency, AgencyLink

_QUOTES = str.maketrans({c: "" for c in "\"'“”„‘’`«»"})
_ABBREV = re.compile(r"^[A-Z][A-Za-z&.\-]*[A-Z][A-Za-z&.\-]*$")


@dataclass
class Resolution:
    links: list[AgencyLink]
    candidates: list[tuple[str, float]] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        return bool(self.links) and all(link.agency_id for link in self.links)


@dataclass
class Registry:
    agencies: dict[str, Agency]
    org_words: set[str]
    variants: dict[str, str]
    ignore_words: set[str]
    fuzzy_threshold: float
    fuzzy_margin: float
    _names: dict[str, str] = field(default_factory=dict)
    _aliases: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> Registry:
        d = load_yaml(path, "registry.yaml")
        agencies = {a["id"]: Agency(**a) for a in d["agencies"]}
        reg = cls(
            agencies=agencies,
            org_words={w.lower() for w in d.get("org_words", [])},
            variants=d.get("variants", {}),
            ignore_words=set(d.get("ignore_words", [])),
            fuzzy_threshold=float(d.get("fuzzy_threshold", 92)),
            fuzzy_margin=float(d.get("fuzzy_margin", 4)),
        )
        reg._index()
        return reg

    def _index(self) -> None:
        for a in self.agencies.values():
            for ref in filter(None, (a.parent, a.host)):
                if ref not in self.agencies:
                    raise ValueError(f"registry: {a.id} refers to unknown entry {ref!r}")
            for text in filter(None, (a.name, a.short_name)):
                self._claim(self._names, self.key(text), a.id)
        for a in self.agencies.values():
            for text in a.aliases:
                key = self.key(text)
                self._claim(self._names if key in self._names else self._aliases, key, a.id)

    @staticmethod
    def _claim(index: dict[str, str], key: str, agency_id: str) -> None:
        if index.get(key, agency_id) != agency_id:
            raise ValueError(f"registry: {key!r} names both {index[key]} and {agency_id}")
        index[key] = agency_id

    def key(self, text: str) -> str:
        """Fold a name for comparison: case, quotes, punctuation, articles, LEPL, spelling."""
        words = re.sub(r"[^\w&]+", " ", text.translate(_QUOTES).casefold()).split()
        words = [self.variants.get(w, w) for w in words]
        return " ".join(w for w in words if w not in self.ignore_words)

    def link(self, agency_id: str, match: str, score: float) -> AgencyLink:
        return AgencyLink(
            agency_id=agency_id, agency_name=self.agencies[agency_id].name, match=match, score=score
        )

    def lookup(self, text: str) -> AgencyLink | None:
        """Exact or alias hit for the whole text, nothing looser."""
        k = self.key(drop_hereinafter(text))
        if k in self._names:
            return self.link(self._names[k], "exact", 100.0)
        if k in self._aliases:
            return self.link(self._aliases[k], "alias", 100.0)
        return None

    def is_org_like(self, text: str) -> bool:
        """Does the text name an organisation (a known one, or by its wording)?"""
        if self.lookup(text) or _ABBREV.match(text.strip()):
            return True
        return bool(set(self.key(text).split()) & self.org_words)

    def resolve(self, text: str) -> Resolution:
        text = drop_hereinafter(text)
        for step in (self._whole, self._with_parenthesis, self._conjunction):
            links = step(text)
            if links:
                return Resolution(links)
        return self._fuzzy(text)

    def _whole(self, text: str) -> list[AgencyLink]:
        hit = self.lookup(text)
        return [hit] if hit else []

    def _parts(self, text: str) -> list[AgencyLink]:
        """Links for a list of known bodies ("A, B; C", "A and B"), or [] if any part is unknown."""
        links = []
        for part in (p.strip() for p in split_top(text, ",;")):
            if not part:
                continue
            found = self._whole(part) or self._conjunction(part)
            if not found:
                return []
            links.extend(found)
        return links

    def _with_parenthesis(self, text: str) -> list[AgencyLink]:
        """'Body (units)' -> the units; 'Body (its host)' or 'Body (ABBR)' -> the body."""
        split = trailing_group(text)
        if not split:
            return []
        head_text, inner = split
        head = self.lookup(head_text)
        if head is None:
            return []
        body = self.agencies[head.agency_id]
        if _ABBREV.match(inner):
            return [head]
        units = self._parts(inner)
        if units and all(u.agency_id in (body.parent, body.host) for u in units):
            return [head]
        if units and all(self.is_within(u.agency_id, body.id) for u in units):
            return units
        return []

    def is_within(self, agency_id: str, ancestor: str) -> bool:
        """Is the entity a unit (at any depth) of `ancestor`?"""
        seen = set()
        while agency_id and agency_id not in seen:
            seen.add(agency_id)
            agency_id = self.agencies[agency_id].parent
            if agency_id == ancestor:
                return True
        return False

    def _conjunction(self, text: str) -> list[AgencyLink]:
        """'Interested local NGOs and international organizations' -> both groups."""
        parts = [p.strip() for p in re.split(r"\s+and\s+", text) if p.strip()]
        if len(parts) < 2:
            return []
        links = [self.lookup(p) for p in parts]
        return links if all(links) else []

    def _fuzzy(self, text: str) -> Resolution:
        keys = {**self._names, **self._aliases}
        query = self.key(text)
        ranked = process.extract(query, list(keys), scorer=fuzz.token_sort_ratio, limit=10)
        best: dict[str, float] = {}
        for k, score, _ in ranked:
            best.setdefault(keys[k], score)
        candidates = sorted(best.items(), key=lambda kv: -kv[1])[:3]
        if candidates and candidates[0][1] >= self.fuzzy_threshold:
            runner_up = candidates[1][1] if len(candidates) > 1 else 0.0
            if candidates[0][1] - runner_up >= self.fuzzy_margin:
                return Resolution(
                    [self.link(candidates[0][0], "fuzzy", round(candidates[0][1], 1))], candidates
                )
        return Resolution(
            [AgencyLink(agency_id=None, agency_name=None, match="unmatched", score=None)], candidates
        )
