"""Split an agency cell into mentions: role labels, list separators, qualifiers.

"Leading: A; B; Supporting: C (within X)" -> (leading, A), (leading, B), (supporting, C, note X);
"Responsible: A Partners: B, C" -> (leading, A), (partner, B), (partner, C).
Separators inside parentheses never split ("Ministry (Agency, Center; Hall)" is one item).
Commas split an item only when the registry recognises the pieces as organisations, since
many names hold commas themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from normalize.config import Layout
from normalize.parens import split_top, trailing_group, unwrap
from normalize.registry import Registry
from normalize.text import bullets_to_separators, fold_georgian
from schema.names import quoted
from schema.review_kinds import ReviewKind


@dataclass(frozen=True)
class Item:
    role: str
    mention: str
    note: str | None = None


@dataclass(frozen=True)
class Repair:
    kind: ReviewKind
    detail: str


def label_pattern(layout: Layout) -> re.Pattern[str]:
    names = sorted((n for names in layout.role_labels.values() for n in names), key=len, reverse=True)
    return re.compile(r"(?<![\w(])(" + "|".join(map(re.escape, names)) + r")\s*:", re.I)


def labelled_segments(text: str, column: str, layout: Layout) -> list[tuple[str, str, bool]]:
    """(role, text, labelled) runs: a label sets the role until the next label, even mid-line
    ("Responsible: A Partners: B"); unlabelled text gets the column's default role."""
    by_label = {n.casefold(): role for role, names in layout.role_labels.items() for n in names}
    role, pos, labelled, out = layout.default_roles[column], 0, False, []
    for m in label_pattern(layout).finditer(text):
        if text[: m.start()].count("(") != text[: m.start()].count(")"):
            continue  # a colon inside parentheses is not a label
        out.append((role, text[pos : m.start()], labelled))
        role, pos, labelled = by_label[m.group(1).casefold()], m.end(), True
    out.append((role, text[pos:], labelled))
    return [(r, t, lab) for r, t, lab in out if t.strip()]


def role_segments(text: str, column: str, layout: Layout) -> list[tuple[str, str]]:
    """(role, text) runs: a label sets the role until the next label; unlabelled text gets the default."""
    return [(r, t) for r, t, _ in labelled_segments(text, column, layout)]


def rank_lead_first(items: list[Item], labelled: list[bool]) -> list[Item]:
    """Under a "Lead Agency first" header: the first unlabelled item leads, the others support.
    A label printed in the cell still wins."""
    unlabelled = [i for i, lab in enumerate(labelled) if not lab]
    return [
        item if labelled[i] else replace(item, role="leading" if i == unlabelled[0] else "supporting")
        for i, item in enumerate(items)
    ]


def clean_item(text: str) -> str:
    """An item without list punctuation: separators, a trailing stop, wrapping parentheses."""
    text = text.strip().rstrip(".,;: ").strip()
    inner = unwrap(text)
    return inner.rstrip(".,;: ").strip() if inner != text else text


ACRONYM = re.compile(r"[A-Z][A-Z0-9&]{1,9}s?")  # "MFA", "NGOs", "UNICEF"


def split_commas(item: str, registry: Registry) -> list[str]:
    """A comma list of organisations -> its items; a name that holds commas -> itself.
    A list of bare acronyms ("MFA, MRA, NGO") is a list whether or not the registry knows them."""
    parts = [clean_item(p) for p in split_top(item, ",")]
    parts = [p for p in parts if p]
    if len(parts) < 2 or registry.lookup(item) or registry.resolve(item).resolved:
        return [item]
    if all(ACRONYM.fullmatch(p) for p in parts):
        return parts
    known = sum(registry.resolve(p).resolved for p in parts)
    return parts if known >= 2 and known * 2 >= len(parts) else [item]


def is_definition(inner: str, registry: Registry) -> bool:
    """A "(hereinafter X)" / "(შემდგომში – X)" parenthesis defines a short name; it is part of
    the mention."""
    return registry.drop_definitions(f"({inner})") == ""


def separate_note(item: str, layout: Layout, registry: Registry) -> tuple[str, str | None]:
    """Split a qualifier that is not an organisation off a mention."""
    group = trailing_group(item)
    if group:
        head, inner = group
        if not registry.is_org_like(inner) and not is_definition(inner, registry):
            return head, inner
    if registry.resolve(item).resolved:
        return item, None
    found = leading_marker_note(item, layout, registry) or trailing_marker_note(item, layout, registry)
    return found or (item, None)


def leading_marker_note(item: str, layout: Layout, registry: Registry) -> tuple[str, str] | None:
    """ "Public Defender is requested to monitor ...": a known body, then a run opening with a marker."""
    markers = sorted(layout.note_markers, key=len, reverse=True)
    for m in re.finditer(r"\s+(" + "|".join(map(re.escape, markers)) + r")\b", item):
        head = item[: m.start()].strip()
        if registry.resolve(head).resolved:
            return head, item[m.start() :].strip()
    return None


def trailing_marker_note(item: str, layout: Layout, registry: Registry) -> tuple[str, str] | None:
    """ "A და B სახელმწიფო უწყებებთან შეთანხმებით": a known body, then a run closing with a marker
    (languages that print it last). The longest head that names a body is the mention; the rest,
    marker included, its note, unless it names a body itself."""
    words = item.split()
    markers = {fold_georgian(m).casefold() for m in layout.note_markers_last}
    if len(words) < 2 or fold_georgian(words[-1].rstrip(".,;:")).casefold() not in markers:
        return None
    for cut in range(len(words) - 1, 0, -1):
        head, note = " ".join(words[:cut]), " ".join(words[cut:])
        if registry.resolve(head).resolved:
            return None if registry.resolve(note).resolved else (head, note)
    return None


def split_agencies(
    text: str, column: str, layout: Layout, registry: Registry, lead_first: bool = False
) -> tuple[list[Item], list[Repair]]:
    """The mentions of one agency cell, with the repairs made to find them. `lead_first`: the
    column's header says its first unlabelled item is the lead agency."""
    text = " ".join(text.split())
    if not text:
        return [], []
    if text in layout.no_agency:
        return [], [Repair("no_agency", f"{column} cell reads {quoted(text)}: no agency recorded")]
    items: list[Item] = []
    repairs: list[Repair] = []
    labelled: list[bool] = []
    for role, segment, has_label in labelled_segments(text, column, layout):
        if clean_item(segment) in layout.no_agency:  # "Partners: -"
            what = f"{role} items read" if has_label else f"{column} cell starts"
            repairs.append(Repair("no_agency", f"{what} {quoted(clean_item(segment))}: no agency recorded"))
            continue
        found, made = segment_items(role, segment, layout, registry)
        items += found
        repairs += made
        labelled += [has_label] * len(found)
    if lead_first and not all(labelled):
        items = rank_lead_first(items, labelled)
    return items, repairs


def segment_items(
    role: str, segment: str, layout: Layout, registry: Registry
) -> tuple[list[Item], list[Repair]]:
    """The items of one role's run of text, with the repairs made to find them: the run splits at
    semicolons and bullets, an item at commas when its pieces are organisations, and each piece
    keeps a qualifier that is not an organisation as its note."""
    items: list[Item] = []
    repairs: list[Repair] = []
    raws = split_top(bullets_to_separators(segment), ";")
    for i, raw in enumerate(raws):
        item = clean_item(raw)
        if not item:
            if 0 < i < len(raws) - 1:  # "A; ; B", not a trailing or leading separator
                repairs.append(
                    Repair("empty_list_item", f"empty item between separators in {quoted(segment.strip())}")
                )
            continue
        if raw.strip().startswith("(") and not item.startswith("("):
            repairs.append(Repair("parentheses_unwrapped", f"{quoted(raw.strip())} read as {quoted(item)}"))
        pieces = split_commas(item, registry)
        if len(pieces) > 1:
            detail = f"{quoted(item)} split into {len(pieces)} items at commas"
            repairs.append(Repair("comma_list_split", detail))
        for piece in pieces:
            mention, note = separate_note(piece, layout, registry)
            if note:
                detail = f"{quoted(note)} kept as a note on {quoted(mention)}"
                repairs.append(Repair("note_separated", detail))
            items.append(Item(role, mention, note))
    return items, repairs
