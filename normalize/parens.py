"""Bracket-aware string helpers: separators inside parentheses do not split a list."""

from __future__ import annotations

import re

HEREINAFTER = ("hereinafter",)  # the registry's `hereinafter_words` extend it (Georgian "შემდგომში")


def definition_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """ "(hereinafter X)" for any of `words`: a parenthesis opening with one."""
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(rf"\s*\(\s*(?:{alternatives})\b[^()]*\)", re.I)


_HEREINAFTER = definition_pattern(HEREINAFTER)


def split_top(text: str, seps: str) -> list[str]:
    """Split on any char of `seps` that is outside parentheses."""
    parts, depth, buf = [], 0, []
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if ch in seps and depth <= 0:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def trailing_group(text: str) -> tuple[str, str] | None:
    """("head", "inner") when text ends with a parenthesised group preceded by a head."""
    text = text.rstrip()
    if not text.endswith(")"):
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += (text[i] == ")") - (text[i] == "(")
        if depth == 0:
            head = text[:i].rstrip()
            return (head, text[i + 1 : -1].strip()) if head else None
    return None


def unwrap(text: str) -> str:
    """Drop parentheses that wrap a whole item: "(LELP Social Service Agency.)" -> inside."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and trailing_group(text) is None:
        inner = text[1:-1].strip()
        if inner.count("(") != inner.count(")"):
            break
        text = inner
    return text


def drop_hereinafter(text: str, pattern: re.Pattern[str] = _HEREINAFTER) -> str:
    """Remove "(hereinafter X)" definitions, which name the same body again; `pattern` (from
    `definition_pattern`) says which words open one: "hereinafter" by default."""
    return pattern.sub("", text).strip()


def balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0
