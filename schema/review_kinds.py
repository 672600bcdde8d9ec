"""Every kind of review item nap writes, declared once: its name, a title and what it means.

`schema.models.ReviewItem.kind` takes its values from here (`ReviewKind`), the codebook of an
output folder (publish/codebook.py) its meanings, `nap registry unmatched` the kinds about an
agency mention's match, and the repository README its table of kinds:
`python -m schema.review_kinds` prints that table; `--readme README.md` rewrites it in place,
between the marker comments.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class ReviewKindInfo:
    """One kind of review item (in the manner of frictionless's error classes)."""

    name: str  # the `kind` column of review.csv
    title: str  # a few words
    description: str  # what an item of this kind says was done or is unresolved
    # about an agency mention's match to the registry, needing or having had a reviewer's decision:
    # the item carries the mention (`text`) and the registry's closest entries (`candidates`)
    agency_match: bool = False


REVIEW_KINDS: tuple[ReviewKindInfo, ...] = (
    ReviewKindInfo(
        "page_break_stitched",
        "Stitched across a page break",
        "a row (or a merged goal/objective cell) continues at the top of the next page and was joined; "
        "or a row's first lines printed at a page's foot without its number were joined downwards to the "
        "activity opening the next page",
    ),
    ReviewKindInfo(
        "unnumbered_row_merged",
        "Unnumbered row merged",
        "a row without an activity number joined to the activity above",
    ),
    ReviewKindInfo(
        "unnumbered_cell",
        "Goal/objective text without a number",
        "goal/objective cell text without a number: joined to the open goal/objective, "
        "or left out when none is open",
    ),
    ReviewKindInfo(
        "orphan_row",
        "Row before any activity",
        "a row printed before any numbered activity (not in activities.csv)",
    ),
    ReviewKindInfo(
        "unrecognised_row",
        "Full-width row that is no heading",
        "a full-width row that is no goal or objective heading (its text is in the detail)",
    ),
    ReviewKindInfo(
        "numbering_mismatch",
        "Number that does not nest",
        "an objective or activity number that does not nest under the goal/objective it is printed under",
    ),
    ReviewKindInfo(
        "duplicate_number",
        "Activity number printed twice",
        'an activity number printed more than once (a relative one, "(i)" or "1)", under the same '
        "goal/objective): the repeat is kept as `N#k`",
    ),
    ReviewKindInfo(
        "no_objective",
        "Activity outside any goal/objective",
        "an activity printed outside any goal/objective cell",
    ),
    ReviewKindInfo(
        "joined_without_space",
        "Line break joined without a space",
        'a line break after a word-final hyphen or slash joined without a space ("Anti-" + "Trafficking")',
    ),
    ReviewKindInfo(
        "no_agency",
        "No agency recorded",
        'an agency cell, or a labelled run in one ("Partners: -"), reading "0", "-" or "N/A": '
        "no agency recorded",
    ),
    ReviewKindInfo(
        "empty_list_item",
        "Empty agency-list item",
        "an empty item between separators of an agency list, dropped",
    ),
    ReviewKindInfo(
        "parentheses_unwrapped",
        "Parentheses unwrapped",
        "an agency-list item printed inside parentheses, read without them",
    ),
    ReviewKindInfo(
        "comma_list_split",
        "Agency list split at commas",
        "an agency list separated by commas split",
    ),
    ReviewKindInfo(
        "note_separated",
        "Qualifier kept as a note",
        "a qualifier that is not an organisation moved to `note`",
    ),
    ReviewKindInfo(
        "unmatched_agency",
        "Unmatched agency",
        "a mention that resolves to no registry entity, with the closest candidates",
        agency_match=True,
    ),
    ReviewKindInfo(
        "fuzzy_agency_match",
        "Agency matched by similarity",
        "a mention resolved by similarity, to check",
        agency_match=True,
    ),
    ReviewKindInfo(
        "unmatched_agency_reviewed",
        "Unmatched, as decided",
        "unmatched, but a reviewer decided it names no registry entity (`decisions.yaml`, `agency_ids: []`)",
        agency_match=True,
    ),
    ReviewKindInfo(
        "alias_out_of_period",
        "Name outside its dates",
        "resolved through an alias whose dates do not overlap the plan's period (from its timelines): "
        "an old or future name",
    ),
    ReviewKindInfo(
        "indicator_split",
        "Indicators split",
        'indicators split where no ";" separates them (at a line break, or at a full stop before a word '
        "that opens other indicators), and why",
    ),
    ReviewKindInfo(
        "timeline",
        "Timeline to check",
        "a timeline that is unparsed, open-ended or recurring; in Start and End columns, a side "
        "not printed or a start after its end",
    ),
    ReviewKindInfo(
        "text_outside_table",
        "Text outside the table",
        "text printed outside the table after the preamble",
    ),
    ReviewKindInfo(
        "unplaced_text",
        "Text not placed",
        "text printed inside the table that could not be placed in any value (in no cell, in a column no "
        "header names, a row above a repeated header, a table that does not line up with the header): "
        "the text and its page",
    ),
    ReviewKindInfo(
        "amount",
        "Amount not read",
        "an amount cell with digits that do not read as one amount (or not with the plan's decimal "
        "mark), or with a currency other than its header's: the amount is left empty or the cell's "
        "currency kept",
    ),
    ReviewKindInfo(
        "footnote_marker",
        "Footnote marker left out",
        "a footnote marker (a raised, smaller digit or letter printed right after a word) "
        "left out of the cell's text: the marker and the word it follows",
    ),
    ReviewKindInfo(
        "page_unreadable",
        "Page that could not be read",
        "a page the PDF reader could not load (extracted with `--keep-going`): nothing of it is in the "
        "outputs; the detail says why",
    ),
    ReviewKindInfo(
        "numbering_gap",
        "Number skipped",
        "a goal, objective or activity number that skips one among its siblings (6.1.1 then 6.1.3; a "
        "run starting at 6.1.2): a page, row or heading may be missing, or the plan skips it as printed",
    ),
    ReviewKindInfo(
        "page_damaged",
        "Page read in part",
        "a page whose content is damaged (a stream that does not decode, contents that name a missing "
        "object), read as far as it goes (with `--keep-going`): text of it may be missing or garbled",
    ),
    ReviewKindInfo(
        "legacy_encoding",
        "Legacy Georgian font converted",
        "text typeset in a font that draws Georgian letters on Latin code points (AcadNusx, LitNusx, "
        "AcadMtavr) converted to Unicode Georgian: one item per document naming the fonts, their pages "
        "and the characters converted (`plan.json` `legacy_fonts`)",
    ),
    ReviewKindInfo(
        "low_confidence_ocr",
        "Word OCR was unsure of",
        "a value read by OCR holds words the engine read with a confidence below the threshold: the words "
        "and their confidences are in the detail, the scan of them in review.html; check the value "
        "against the scan",
    ),
    ReviewKindInfo(
        "ocr_corrected",
        "OCR misreading corrected",
        "a word read by OCR was corrected to the one word of the registry's names, the header, role, "
        "timeline or numbering vocabulary it is one slip from (`text` holds what OCR read)",
    ),
)

BY_NAME: dict[str, ReviewKindInfo] = {k.name: k for k in REVIEW_KINDS}
ReviewKind = Literal[tuple(BY_NAME)]  # type: ignore[valid-type]  # the names above, for pydantic
AGENCY_MATCH_KINDS: frozenset[str] = frozenset(k.name for k in REVIEW_KINDS if k.agency_match)


def meaning(name: str) -> str:
    """What a kind means; empty for a name not declared (a review.csv edited by hand)."""
    return BY_NAME[name].description if name in BY_NAME else ""


README_START = "<!-- review-kinds:start -->"
README_END = "<!-- review-kinds:end -->"


def kinds_markdown() -> str:
    """The Markdown table of every kind, in declaration order."""
    lines = ["| kind | title | meaning |", "|---|---|---|"]
    for k in REVIEW_KINDS:
        lines.append(f"| `{k.name}` | {k.title} | {k.description.replace('|', chr(92) + '|')} |")
    return "\n".join(lines) + "\n"


def readme_section(text: str) -> tuple[int, int]:
    """(start, end) of what lies between the marker comments of `text`; ValueError without them."""
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"no {README_START} ... {README_END} block")
    return start + len(README_START), end


def with_table(text: str) -> str:
    """`text` (a README) with the table between its markers replaced by `kinds_markdown()`."""
    start, end = readme_section(text)
    return text[:start] + "\n\n" + kinds_markdown() + "\n" + text[end:]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m schema.review_kinds", description=__doc__.split("\n")[0])
    parser.add_argument("--readme", type=Path, help="rewrite the table between the markers of this file")
    args = parser.parse_args(argv)
    if args.readme is None:
        sys.stdout.write(kinds_markdown())
        return
    text = args.readme.read_text(encoding="utf-8")
    args.readme.write_text(with_table(text), encoding="utf-8")
    print(f"wrote the review kinds table into {args.readme}")


if __name__ == "__main__":
    main()
